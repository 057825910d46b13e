package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func migrateCommand(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Applique les migrations en attente et dit lesquelles",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := cfg.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer store.Close()
			applied, err := store.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(applied) == 0 {
				fmt.Fprintf(out, "Aucune migration en attente (%s).\n", cfg.describeDatabase())
				return nil
			}
			for _, m := range applied {
				fmt.Fprintf(out, "Migration appliquée : %s\n", m.Name)
			}
			fmt.Fprintf(out, "%d migration(s) appliquée(s) sur %s.\n", len(applied), cfg.describeDatabase())
			return nil
		},
	}
}
