package models

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Backup writes a consistent copy of a SQLite database to path while it stays online
// (VACUUM INTO). For PostgreSQL use pg_dump, as the README explains.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return fmt.Errorf("sauvegarde en ligne réservée à SQLite : utilisez pg_dump pour PostgreSQL")
	}
	if strings.ContainsRune(path, '\'') {
		return fmt.Errorf("chemin de sauvegarde invalide")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("le fichier %s existe déjà", path)
	}
	return s.db.WithContext(ctx).Exec("VACUUM INTO '" + path + "'").Error
}

// Optimize refreshes the planner's statistics after a large load, so that queries keep
// using the right indexes (ANALYZE on both engines).
func (s *Store) Optimize(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec("ANALYZE").Error
}
