package main

import (
	"fmt"
	"os"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/spf13/cobra"
)

// exportCommand is `pilotage export`: the workbooks that leave the building, for a
// scheduled job.
func exportCommand(cfg *config) *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Écrit ce qui sort de l'application : le tableau de bord (classeur Excel), la restitution (données ouvertes)"}
	var dep, out string
	dashboard := &cobra.Command{
		Use:   "tableau-de-bord",
		Short: "Écrit le tableau de bord de l'académie, ou d'un département (--departement 93), dans -o FICHIER.xlsx",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("indiquez le fichier à écrire : -o tableau-de-bord.xlsx")
			}
			if dep != "" && !models.ValidDepartementCode(dep) {
				return fmt.Errorf("département inconnu : %q (exemple : 93)", dep)
			}
			store, err := cfg.openMigrated(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			actor := models.SystemActor("export tableau de bord")
			d, err := store.DashboardOf(cmd.Context(), actor, models.DashboardRequest{Departement: dep})
			if err != nil {
				return err
			}
			doc := exports.Document{Title: "Tableau de bord académique", Scope: "Académie", At: time.Now()}
			if dep != "" {
				doc.Title, doc.Scope = "Tableau de bord du département "+dep, "Département "+dep
			}
			f, err := os.Create(out)
			if err != nil {
				return fmt.Errorf("écriture de %s : %w", out, err)
			}
			themes := exports.DashboardThemes(cmd.Context(), store, actor.Scope, dep)
			if err := exports.DashboardWorkbook(f, doc, d, themes...); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Tableau de bord écrit dans %s.\n", out)
			return nil
		},
	}
	dashboard.Flags().StringVar(&dep, "departement", "", "le département (77, 93 ou 94) ; l'académie sinon")
	dashboard.Flags().StringVarP(&out, "output", "o", "", "le fichier .xlsx à écrire")
	cmd.AddCommand(dashboard)
	cmd.AddCommand(exportRestitutionCommand(cfg))
	return cmd
}
