package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/spf13/cobra"
)

// exportRestitutionCommand is `pilotage export restitution -o dossier/`: the programme as
// open data (CSV files, datapackage.json, README.md) written into a folder, created if
// needed, in the académie's scope.
func exportRestitutionCommand(cfg *config) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "restitution",
		Short: "Écrit les données ouvertes du programme (CSV, datapackage.json, README.md) dans le dossier -o DOSSIER",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("indiquez le dossier à écrire : -o restitution/")
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("création du dossier %s : %w", out, err)
			}
			store, err := cfg.openMigrated(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			r, err := restitutionOf(cmd.Context(), store, time.Now())
			if err != nil {
				return err
			}
			if err := exports.WriteRestitution(cmd.Context(), exports.DirTarget(out), r); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Données ouvertes écrites dans %s (%d fichiers CSV, datapackage.json, README.md).\n", out, len(r.Tables))
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "le dossier où écrire les fichiers")
	return cmd
}

// restitutionOf describes the bundle of the académie read from store, produced at at.
func restitutionOf(ctx context.Context, store *models.Store, at time.Time) (exports.Restitution, error) {
	academie, err := store.RestitutionAcademie(ctx)
	if err != nil {
		return exports.Restitution{}, err
	}
	scope := models.SystemActor("export restitution").Scope
	return exports.Restitution{Academie: academie, At: at, Tables: models.RestitutionTables(),
		Rows: func(ctx context.Context, t models.RestitutionTable, fn func([]any) error) error {
			return store.EachRestitutionRow(ctx, scope, t, fn)
		}}, nil
}
