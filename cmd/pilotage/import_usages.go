package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/spf13/cobra"
)

// importUsagesCommand is `pilotage import usages FICHIER [--dry-run]`: the import of the
// ENT's statistics file (the "accounts" export of the « Statistiques » application), all
// or nothing, as the system.
func importUsagesCommand(cfg *config, dryRun *bool) *cobra.Command {
	cmd := &cobra.Command{Use: "usages FICHIER", Args: cobra.ExactArgs(1),
		Short: "Importe les statistiques d'usage de l'ENT (export CSV de l'application « Statistiques »), tout ou rien"}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		file, err := readUsagesPath(args[0])
		if err != nil {
			return err
		}
		store, err := cfg.openMigrated(cmd.Context())
		if err != nil {
			return err
		}
		defer store.Close()
		return importUsages(cmd.Context(), store, file, *dryRun, cmd.OutOrStdout(), cmd.ErrOrStderr())
	}
	return cmd
}

// readUsagesPath reads the statistics file path, refusing it whole in French.
func readUsagesPath(path string) (*models.UsageFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ouverture de %s : %w", path, err)
	}
	if st.Size() > seeds.MaxUsagesFileSize {
		return nil, fmt.Errorf("fichier refusé, rien n'a été enregistré : %w", seeds.ErrUsagesTooLarge)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lecture de %s : %w", path, err)
	}
	file, err := seeds.ReadUsagesFile(bytes.NewReader(data), int64(len(data)), filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("fichier refusé, rien n'a été enregistré : %w", err)
	}
	return file, nil
}

// importUsages imports the statistics file read as models.SystemActor("import usages"), or
// only previews it (dryRun), printing what it covers, the rows skipped with their lines, and
// the faults of the file, which make an error (and a non-zero exit), nothing being written.
func importUsages(ctx context.Context, store *models.Store, file *models.UsageFile, dryRun bool, out, errOut io.Writer) error {
	actor := models.SystemActor("import usages")
	rep, err := store.PreviewUsages(ctx, actor, file)
	if err != nil {
		return err
	}
	printUsageReport(out, rep)
	if len(rep.Errors) > 0 {
		for _, fe := range rep.Errors {
			fmt.Fprintln(errOut, fe.Error())
		}
		return fmt.Errorf("fichier refusé : %d erreur(s), rien n'a été enregistré", len(rep.Errors))
	}
	if dryRun {
		fmt.Fprintf(out, "Simulation (--dry-run), rien n'a été enregistré : %d ligne(s) à importer, %d remplaçant des chiffres déjà importés.\n", rep.Lignes, rep.Remplacees)
		return nil
	}
	done, err := store.ImportUsages(ctx, actor, file)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return fmt.Errorf("fichier refusé, rien n'a été enregistré : %w", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Import n° %d terminé : %d ligne(s) importée(s), %d remplacée(s).\n", done.ImportID, done.Lignes, done.Remplacees)
	return nil
}

// printUsageReport prints what a statistics file covers and the rows it skips.
func printUsageReport(out io.Writer, r models.UsageImportReport) {
	fmt.Fprintf(out, "Format : %s ; granularité : %s.\n", r.Format, strings.ToLower(r.GranulariteLabel()))
	if n := len(r.Periodes); n > 0 {
		fmt.Fprintf(out, "Période(s) : %d, du %s au %s.\n", n, fr.Day(r.Periodes[0]), fr.Day(r.Periodes[n-1]))
	}
	fmt.Fprintf(out, "%d ligne(s) à importer pour %d école(s) reconnue(s) (départements : %s).\n", r.Lignes, r.Ecoles, strings.Join(r.Departements, ", "))
	for _, g := range r.SkipGroups() {
		fmt.Fprintf(out, "%d ligne(s) ignorée(s), %s : lignes %s.\n", len(g.Lines), g.Motif, g.LinesText())
	}
}
