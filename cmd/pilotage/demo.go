package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"text/tabwriter"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/spf13/cobra"
)

// startDemo loads the demonstration accounts and turns on demonstration mode: the login
// page lists the accounts and their password, every page shows a banner.
func startDemo(ctx context.Context, store *models.Store, ac *app.Config, log *slog.Logger, w io.Writer) error {
	accounts, password, err := seeds.LoadDemo(ctx, store)
	if err != nil {
		return fmt.Errorf("mode démonstration : %w", err)
	}
	ac.Demo, ac.DemoPassword, ac.DemoAccounts = true, password, nil
	for _, a := range accounts {
		ac.DemoAccounts = append(ac.DemoAccounts, app.DemoAccount{Email: a.Email, Role: a.Role.Label() + ", " + a.Scope})
	}
	log.Warn("mode démonstration : mot de passe public, jamais en production", slog.Int("comptes", len(accounts)))
	fmt.Fprintf(w, "\nMode démonstration : %d comptes, mot de passe commun « %s », listés sur la page de connexion.\n", len(accounts), password)
	return nil
}

// closeDemo disables the demonstration accounts when the server starts without --demo:
// their password is public.
func closeDemo(ctx context.Context, store *models.Store, log *slog.Logger) error {
	emails, err := seeds.DisableDemo(ctx, store)
	if errors.Is(err, seeds.ErrDemoOnlyAdmin) {
		return errors.New("cette base est une base de démonstration (son seul administrateur a un mot de passe public) : " +
			"relancez avec --demo, ou créez d'abord un administrateur (pilotage user create --role admin …), " +
			"ou utilisez une autre base")
	}
	for _, e := range emails {
		log.Warn("compte de démonstration désactivé (démarrage sans --demo)", slog.String("compte", e))
	}
	return err
}

func seedDemoCommand(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Crée un compte de démonstration par rôle (mot de passe public, pour « serve --demo » seulement)",
		Long: "Crée (ou remet en état) un compte de démonstration par rôle, tous avec le même mot de passe public,\n" +
			"et charge le référentiel si la base est vide. Refuse une base qui contient des comptes réels.\n" +
			"Ces comptes ne servent qu'avec « pilotage serve --demo » : sans --demo, le serveur les désactive.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withPrepared(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				accounts, password, err := seeds.LoadDemo(ctx, store)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Comptes de démonstration (mot de passe commun : « %s ») :\n", password)
				w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
				for _, a := range accounts {
					fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", a.Email, a.Nom, a.Role.Label(), a.Scope)
				}
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out, "Ils ne s'ouvrent qu'avec « pilotage serve --demo » : sans --demo, le serveur les désactive au démarrage.")
				return nil
			})
		},
	}
}
