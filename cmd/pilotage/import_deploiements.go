package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/spf13/cobra"
)

// importDeploiementsCommand is `pilotage import deploiements FICHIER [--dry-run]`: the
// import of a deployment status file (XLSX or CSV), all or nothing, as the system.
func importDeploiementsCommand(cfg *config, dryRun *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "deploiements FICHIER",
		Short: "Importe un fichier d'état des déploiements (XLSX ou CSV : UAI, phase, date, vague, solution), tout ou rien",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, err := cfg.openMigrated(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			return importDeploiements(cmd.Context(), store, args[0], *dryRun, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// importDeploiements imports the status file path as models.SystemActor("import
// deploiements"), or only previews it (dryRun), printing the counts and every rejected
// line; rejected lines make an error (and a non-zero exit), nothing being written.
func importDeploiements(ctx context.Context, store *models.Store, path string, dryRun bool, out, errOut io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("ouverture de %s : %w", path, err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	imp, res, err := seeds.ImportDeploiementsFile(ctx, store, models.SystemActor("import deploiements"), f, size, dryRun)
	if err != nil {
		return fmt.Errorf("fichier refusé, rien n'a été enregistré : %w", err)
	}
	fmt.Fprintf(out, "Format : %s ; %d ligne(s) lue(s).\n", imp.Format, len(imp.Edits)+len(imp.Rejected))
	counts := fmt.Sprintf("%d école(s) créée(s), %d modifiée(s), %d inchangée(s)", len(res.Created), len(res.Changed), len(res.Unchanged))
	if len(imp.Rejected) > 0 {
		for _, fe := range imp.Rejected {
			fmt.Fprintln(errOut, fe.Error())
		}
		return fmt.Errorf("fichier refusé : %d ligne(s) en erreur, rien n'a été enregistré (sans elles : %s)", len(imp.Rejected), counts)
	}
	if dryRun {
		fmt.Fprintf(out, "Simulation (--dry-run), rien n'a été enregistré : %s.\n", counts)
		return nil
	}
	fmt.Fprintf(out, "Import terminé : %s.\n", counts)
	return nil
}
