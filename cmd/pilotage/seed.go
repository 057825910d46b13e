package main

import (
	"context"
	"fmt"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/spf13/cobra"
)

func seedCommand(cfg *config) *cobra.Command {
	cmd := &cobra.Command{Use: "seed", Short: "Charge des données : référentiel de l'académie, comptes de démonstration ou données synthétiques"}
	var academie string
	refCmd := &cobra.Command{
		Use:   "reference",
		Short: "(Re)charge le référentiel (territoire, calendrier) ; dit ce qui a été créé, mis à jour, inchangé",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withMigrated(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				load := seeds.LoadReference
				if academie != "" {
					load = func(ctx context.Context, store *models.Store) ([]seeds.Step, error) {
						return seeds.LoadAcademieDir(ctx, store, academie)
					}
				}
				steps, err := load(ctx, store)
				if err != nil {
					return err
				}
				for _, st := range steps {
					fmt.Fprintf(cmd.OutOrStdout(), "%-20s %s\n", st.Name+" :", st.Counts)
				}
				return nil
			})
		},
	}
	refCmd.Flags().StringVar(&academie, "academie", "", "dossier d'une autre académie (academie.json et ses fichiers, voir le README) ; "+
		"sans lui : l'académie de Créteil, embarquée")
	cmd.AddCommand(refCmd)
	var synth seeds.SyntheticOptions
	synthCmd := &cobra.Command{
		Use:   "synthetic",
		Short: "Ajoute un territoire synthétique à l'échelle nationale (bancs d'essai)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withMigrated(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				synth.Progress = progress(cmd.ErrOrStderr(), "Génération")
				counts, err := seeds.LoadSynthetic(ctx, store, synth)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Communes : %s\nÉcoles : %s\n", counts.Communes, counts.Ecoles)
				return nil
			})
		},
	}
	synthCmd.Flags().IntVar(&synth.Communes, "communes", 35000, "nombre de communes à générer")
	synthCmd.Flags().IntVar(&synth.Ecoles, "ecoles", 45000, "nombre d'écoles à générer")
	cmd.AddCommand(synthCmd, seedDemoCommand(cfg))
	return cmd
}
