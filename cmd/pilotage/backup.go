package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ac-creteil/pilotage/models"
	"github.com/spf13/cobra"
)

// backupCommand is `pilotage backup -o fichier`: an online copy of the SQLite database
// (VACUUM INTO), made while the server keeps serving. PostgreSQL is refused with the way to
// pg_dump, which does it better than the product could.
func backupCommand(cfg *config) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup -o fichier",
		Short: "Sauvegarde la base SQLite en ligne dans un fichier (PostgreSQL : pg_dump, voir le README)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errors.New("indiquez le fichier de sauvegarde : pilotage backup -o sauvegarde.db")
			}
			if models.DialectOf(cfg.databaseURL()) != models.SQLite {
				return models.ErrPostgresBackup
			}
			store, err := cfg.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			if err := store.Backup(cmd.Context(), out); err != nil {
				return fmt.Errorf("sauvegarde : %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Sauvegarde de %s écrite dans %s.\nRestauration : pilotage restore %s\n",
				cfg.describeDatabase(), out, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "fichier de sauvegarde à créer (il ne doit pas exister)")
	return cmd
}

// restoreCommand is `pilotage restore fichier`: puts a SQLite backup in place of the
// configured database (refused if it exists, unless --force), after checking that the file
// is a backup of this product, then applies the migrations it lacks.
func restoreCommand(cfg *config) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "restore fichier",
		Short: "Restaure une sauvegarde SQLite à la place de la base configurée (PostgreSQL : pg_restore, voir le README)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := models.SQLitePath(cfg.databaseURL())
			if target == "" {
				return errors.New("restauration réservée à SQLite : pour PostgreSQL, utilisez pg_restore, " +
					"comme l'explique le README (« Sauvegarder et restaurer »)")
			}
			version, err := models.BackupVersion(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if _, err := os.Stat(target); err == nil && !force {
				return fmt.Errorf("la base %s existe déjà : arrêtez le serveur, sauvegardez-la si besoin "+
					"(pilotage backup -o …), puis relancez avec --force pour la remplacer", target)
			}
			if err := replaceFile(args[0], target); err != nil {
				return fmt.Errorf("restauration : %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Sauvegarde %s restaurée dans %s (migration %05d).\n", args[0], target, version)
			store, err := cfg.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			applied, err := store.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			for _, m := range applied {
				fmt.Fprintf(cmd.OutOrStdout(), "Migration appliquée : %s\n", m.Name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "remplace la base configurée si elle existe")
	return cmd
}

// replaceFile copies from to a temporary file beside to, then renames it onto to: the
// database is either the old one or the whole backup, never half of it. The old database's
// WAL and shared-memory files go first: SQLite would otherwise replay the old WAL onto the
// restored file.
func replaceFile(from, to string) error {
	if dir := filepath.Dir(to); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	tmp := to + ".restauration"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	for _, side := range []string{to + "-wal", to + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, os.ErrNotExist) {
			_ = os.Remove(tmp)
			return err
		}
	}
	return os.Rename(tmp, to)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
