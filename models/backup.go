package models

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrPostgresBackup refuses the online backup of a PostgreSQL database: pg_dump does it,
// as the README explains.
var ErrPostgresBackup = errors.New("sauvegarde en ligne réservée à SQLite : pour PostgreSQL, utilisez pg_dump " +
	"(pg_dump -Fc) et pg_restore, comme l'explique le README (« Sauvegarder et restaurer »)")

// Backup writes a consistent copy of a SQLite database to path while it stays online
// (VACUUM INTO: a read transaction, so the copy holds every transaction committed before
// it began and none of those that commit during it). For PostgreSQL use pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return ErrPostgresBackup
	}
	if path == "" {
		return fmt.Errorf("chemin de sauvegarde vide")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("le fichier %s existe déjà : choisissez un autre nom, une sauvegarde n'en remplace jamais une autre", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("le dossier %s n'existe pas", dir)
		}
	}
	return s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}

// SQLitePath is the file of a SQLite database URL ("sqlite:data/x.db?mode=ro" →
// "data/x.db"); "" for a PostgreSQL URL.
func SQLitePath(url string) string {
	if DialectOf(url) != SQLite {
		return ""
	}
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// BackupVersion checks that path is a backup of this product, a SQLite database whose
// migrations table and territory are there, and returns its schema version (its last
// migration applied), once SQLite has found it consistent. A newer version than this binary knows is refused: restore it with
// the binary that made it.
func BackupVersion(ctx context.Context, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("sauvegarde introuvable : %s", path)
	}
	head := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte(sqliteMagic)) {
		return 0, fmt.Errorf("%s n'est pas une base SQLite (ni une sauvegarde de Pilotage ENT 1D)", path)
	}
	// Read-only, without Open's server settings: a backup is not in WAL mode, and switching
	// it would need a write.
	db, err := gorm.Open(sqlite.Open("file:"+path+"?mode=ro&_pragma=busy_timeout(5000)"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return 0, fmt.Errorf("%s illisible : %w", path, err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	var tables []string
	if err := db.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name IN ('goose_db_version', 'departements', 'audit_events')`).Scan(&tables).Error; err != nil {
		return 0, fmt.Errorf("%s illisible : %w", path, err)
	}
	if len(tables) != 3 {
		return 0, fmt.Errorf("%s n'est pas une sauvegarde de Pilotage ENT 1D (tables des migrations, du territoire ou du journal absentes)", path)
	}
	var check []string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || len(check) != 1 || check[0] != "ok" {
		return 0, fmt.Errorf("%s est endommagée (PRAGMA integrity_check : %s)", path, strings.Join(check, " ; "))
	}
	var version sql.NullInt64
	if err := db.WithContext(ctx).Raw("SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&version).Error; err != nil {
		return 0, err
	}
	migs, err := loadMigrations(SQLite)
	if err != nil {
		return 0, err
	}
	if latest := migs[len(migs)-1].Version; version.Int64 > latest {
		return 0, fmt.Errorf("la sauvegarde vient d'une version plus récente du produit (migration %05d, celle-ci s'arrête à %05d) : "+
			"restaurez-la avec le programme qui l'a faite", version.Int64, latest)
	}
	return version.Int64, nil
}

// Optimize refreshes the planner's statistics after a large load, so that queries keep
// using the right indexes (ANALYZE on both engines).
func (s *Store) Optimize(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec("ANALYZE").Error
}
