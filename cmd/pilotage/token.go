package main

import (
	"context"
	"fmt"

	"github.com/ac-creteil/pilotage/models"
	"github.com/spf13/cobra"
)

func tokenCommand(cfg *config) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Jetons personnels de l'API JSON"}
	var email, name string
	create := &cobra.Command{
		Use:                   "create --email E [--name N]",
		DisableFlagsInUseLine: true,
		Short:                 "Crée un jeton d'API personnel et l'affiche une seule fois",
		Long: "Crée un jeton d'API personnel pour le compte désigné et l'écrit seul sur la sortie standard\n" +
			"(les explications vont sur la sortie d'erreur) : JETON=$(pilotage token create --email …).\n" +
			"Il ne sera plus jamais affiché : seule son empreinte est enregistrée. Il donne le périmètre du\n" +
			"compte, en lecture seule ; son propriétaire le révoque depuis « Mon compte ».",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withPrepared(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				u, err := userByEmail(ctx, store, email)
				if err != nil {
					return err
				}
				if !u.Active {
					return fmt.Errorf("le compte %s est désactivé : réactivez-le d'abord (pilotage user enable %s)", u.Email, u.Email)
				}
				token, err := store.CreateAPIToken(ctx, cliActor(), u.ID, name)
				if err != nil {
					return refused(cmd.ErrOrStderr(), "jeton non créé", err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), token)
				fmt.Fprintf(cmd.ErrOrStderr(), "Jeton d'API créé pour %s (%s). Copiez-le maintenant : il ne sera plus jamais affiché.\n"+
					"Utilisation : en-tête « Authorization: Bearer <jeton> », par exemple\n"+
					"  curl -H \"Authorization: Bearer $JETON\" %s/api/v1/ecoles\n"+
					"Révocation : page « Mon compte » du titulaire.\n", u.Email, u.Nom, browseURL(*cfg))
				return nil
			})
		},
	}
	create.Flags().StringVar(&email, "email", "", "adresse du compte titulaire du jeton")
	create.Flags().StringVar(&name, "name", "", "nom du jeton, pour le reconnaître dans « Mon compte » (défaut : « Jeton du JJ/MM/AAAA »)")
	create.Flags().StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "adresse publique de l'exemple (remplace PILOTAGE_BASE_URL)")
	cmd.AddCommand(create)
	return cmd
}
