package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/spf13/cobra"
)

// purgeCommand anonymises the contacts past the retention period (RGPD: storage
// limitation). It is meant to run regularly (cron, systemd timer); --dry-run lists what it
// would do. Names are never printed: the output holds ids, organisations and dates only.
func purgeCommand(cfg *config) *cobra.Command {
	var age string
	var dryRun bool
	cmd := &cobra.Command{
		Use:                   "purge [--anciennete 3ans] [--dry-run]",
		DisableFlagsInUseLine: true,
		Short:                 "Anonymise les contacts et les participants aux formations passé la durée de conservation (3 ans par défaut)",
		Long: "Anonymise les contacts qui n'ont pas été mis à jour depuis la durée de conservation : le nom devient\n" +
			"« Personne anonymisée », le prénom, la fonction, l'adresse électronique, le téléphone et les notes\n" +
			"sont effacés ; chaque anonymisation est inscrite au journal d'audit. La page « Contacts à revoir »\n" +
			"liste les mêmes fiches. Les participants des sessions de formation tenues avant la même durée sont\n" +
			"effacés (nom, fonction, adresse ; l'inscription reste pour les comptes). Avec --dry-run, rien n'est modifié.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			olderThan, err := models.ParseRetention(age)
			if err != nil {
				return err
			}
			return withPrepared(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				rep, err := store.PurgeStaleContacts(ctx, models.SystemActor("purge"), olderThan, dryRun)
				out := cmd.OutOrStdout()
				cutoff := fr.DateTime(rep.Cutoff)
				if dryRun && err == nil {
					fmt.Fprintf(out, "Simulation : %d contact(s) sans mise à jour depuis le %s seraient anonymisés ; rien n'a été modifié.\n",
						len(rep.Due), cutoff)
					for _, c := range rep.Due {
						fmt.Fprintf(out, "  contact n° %d, %s, dernière mise à jour le %s\n", c.ID, c.OrganisationNom,
							fr.DateTime(c.UpdatedAt))
					}
					return nil
				}
				if rep.Anonymised > 0 || err == nil {
					fmt.Fprintf(out, "%d contact(s) sans mise à jour depuis le %s anonymisé(s).\n", rep.Anonymised, cutoff)
				}
				if rep.SkippedSeen > 0 {
					fmt.Fprintf(out, "%d contact(s) modifié(s) pendant la purge, conservé(s).\n", rep.SkippedSeen)
				}
				if err != nil {
					return err
				}
				return purgeParticipants(ctx, cmd, store, olderThan, dryRun)
			})
		},
	}
	cmd.Flags().StringVar(&age, "anciennete", "3ans", "durée de conservation depuis la dernière mise à jour (ex. 3ans, 36mois, 26280h)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "liste les contacts concernés sans rien modifier")
	return cmd
}

// purgeParticipants erases the participants of the sessions held before the retention
// period (or counts them with dryRun).
func purgeParticipants(ctx context.Context, cmd *cobra.Command, store *models.Store, olderThan time.Duration, dryRun bool) error {
	n, err := store.PurgeInscriptions(ctx, models.SystemActor("purge"), olderThan, dryRun)
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintf(cmd.OutOrStdout(), "Simulation : %d participant(s) aux formations seraient effacés ; rien n'a été modifié.\n", n)
		return nil
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%d participant(s) aux formations effacé(s).\n", n)
	return nil
}
