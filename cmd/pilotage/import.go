package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func importCommand(cfg *config) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Importe un fichier (annuaire de l'éducation ou CSV du référentiel), tout ou rien",
		Long: "Importe un fichier au format de l'« Annuaire de l'éducation » du ministère ou au format CSV du\n" +
			"référentiel (tel qu'enregistré par Excel : BOM, « ; » ou « , », UTF-8 ou Windows-1252).\n" +
			"Tout ou rien : une seule ligne invalide et rien n'est enregistré ; chaque erreur est listée.",
	}
	cmd.PersistentFlags().BoolVar(&dryRun, "dry-run", false, "vérifie le fichier et dit ce qui changerait, sans rien enregistrer")
	run := func(kind string, load func(cmd *cobra.Command, store *models.Store, r io.Reader, opts models.ImportOptions) (string, models.ImportCounts, error)) *cobra.Command {
		return &cobra.Command{
			Use:   kind + " FICHIER",
			Short: "Importe des " + kind + " depuis FICHIER",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				f, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("ouverture de %s : %w", args[0], err)
				}
				defer f.Close()
				store, err := cfg.openMigrated(cmd.Context())
				if err != nil {
					return err
				}
				defer store.Close()
				opts := models.ImportOptions{DryRun: dryRun, Progress: progress(cmd.ErrOrStderr(), "Import"),
					Actor: models.SystemActor("ligne de commande")}
				summary, counts, err := load(cmd, store, f, opts)
				if err != nil {
					return reportImportError(cmd.ErrOrStderr(), err)
				}
				out := cmd.OutOrStdout()
				fmt.Fprint(out, summary)
				if dryRun {
					fmt.Fprintf(out, "Simulation (--dry-run), rien n'a été enregistré : %s.\n", counts)
				} else {
					fmt.Fprintf(out, "Import terminé : %s.\n", counts)
				}
				return nil
			},
		}
	}
	cmd.AddCommand(run("ecoles", func(cmd *cobra.Command, store *models.Store, r io.Reader, opts models.ImportOptions) (string, models.ImportCounts, error) {
		file, counts, err := seeds.ImportEcolesFile(cmd.Context(), store, r, opts)
		summary := fmt.Sprintf("Format : %s ; %d école(s) lue(s)", file.Format, len(file.Rows))
		if file.Skipped > 0 {
			summary += fmt.Sprintf(", %d ligne(s) ignorée(s) (autres établissements, privé hors contrat)", file.Skipped)
		}
		return summary + ".\n", counts, err
	}))
	cmd.AddCommand(run("communes", func(cmd *cobra.Command, store *models.Store, r io.Reader, opts models.ImportOptions) (string, models.ImportCounts, error) {
		n, counts, err := seeds.ImportCommunesFile(cmd.Context(), store, r, opts)
		return fmt.Sprintf("%d commune(s) lue(s).\n", n), counts, err
	}))
	cmd.AddCommand(importDeploiementsCommand(cfg, &dryRun))
	cmd.AddCommand(importUsagesCommand(cfg, &dryRun))
	return cmd
}

// reportImportError prints every row error of a rejected file, one per line.
func reportImportError(w io.Writer, err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	for _, fe := range verr.Errors {
		fmt.Fprintln(w, fe.Error())
	}
	return fmt.Errorf("fichier refusé : %d erreur(s), rien n'a été enregistré", len(verr.Errors))
}

// progress returns a progress callback drawing a bar when w is a terminal, nil otherwise.
func progress(w io.Writer, label string) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil || bar.GetMax() != total {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(label),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
		}
		_ = bar.Set(done)
	}
}
