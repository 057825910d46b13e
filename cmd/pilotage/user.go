package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// passwordLinkTTL is how long a link printed by "user create --lien" stays valid: long
// enough to reach someone over a weekend.
const passwordLinkTTL = 72 * time.Hour

// cliActor is who the audit log records for changes made on the command line.
func cliActor() models.Actor { return models.SystemActor("ligne de commande") }

func userCommand(cfg *config) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Gère les comptes : création, liste, désactivation, réactivation"}
	cmd.AddCommand(userCreateCommand(cfg), userListCommand(cfg), userActiveCommand(cfg, false), userActiveCommand(cfg, true))
	return cmd
}

func userCreateCommand(cfg *config) *cobra.Command {
	var in models.UserInput
	var role string
	var link bool
	cmd := &cobra.Command{
		Use:                   "create --email E --name N --role R",
		DisableFlagsInUseLine: true,
		Short:                 "Crée un compte ; mot de passe lu sur l'entrée standard, demandé au clavier, ou choisi par lien (--lien)",
		Long: "Crée un compte. Le mot de passe (12 caractères au moins ; une phrase de passe est bienvenue) est :\n" +
			"  - lu sur la première ligne de l'entrée standard quand elle n'est pas un terminal :\n" +
			"      echo \"phrase de passe longue\" | pilotage user create --email … --name … --role admin\n" +
			"  - demandé deux fois, sans écho, dans un terminal ;\n" +
			"  - choisi par la personne avec --lien : un lien à usage unique, valable 72 heures, est affiché.\n" +
			"Rien n'est créé si une valeur ou le mot de passe est refusé.\n\n" +
			"Rôles : " + roleNames(),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in.Role = models.Role(strings.TrimSpace(role))
			return createUser(cmd, *cfg, in, link)
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Email, "email", "", "adresse électronique, identifiant de connexion")
	f.StringVar(&in.Nom, "name", "", "nom affiché (« Camille Martin »)")
	f.StringVar(&role, "role", "", "rôle : "+roleNames())
	f.StringVar(&in.Departement, "departement", "", "département d'un IA-DASEN : 77, 93 ou 94")
	f.StringVar(&in.Circonscription, "circonscription", "", "code de la circonscription d'un IEN (ex. 0940920P)")
	f.StringSliceVar(&in.Communes, "commune", nil, "code INSEE d'une commune d'un référent (répétable : --commune 93008 --commune 93066)")
	f.StringVar(&in.EPCI, "epci", "", "SIREN de l'EPCI ou de l'EPT d'un référent (au lieu des communes)")
	f.BoolVar(&link, "lien", false, "affiche un lien à usage unique (72 h) pour que la personne choisisse son mot de passe")
	f.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "adresse publique utilisée dans le lien (remplace PILOTAGE_BASE_URL)")
	return cmd
}

func roleNames() string {
	names := make([]string, len(models.Roles))
	for i, r := range models.Roles {
		names[i] = r.Value
	}
	return strings.Join(names, ", ")
}

// createUser checks what it can before asking for the password, reads and checks the
// password before creating anything, then creates the account and sets its password or
// prints a one-time link.
func createUser(cmd *cobra.Command, cfg config, in models.UserInput, link bool) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	if !in.Role.Valid() {
		return refused(stderr, "compte non créé", &models.ValidationError{Errors: []models.FieldError{
			{Field: "role", Msg: "Rôle inconnu : choisissez parmi " + roleNames() + "."}}})
	}
	store, err := openPrepared(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.FindUserByEmail(ctx, in.Email); err == nil {
		return refused(stderr, "compte non créé", &models.ValidationError{Errors: []models.FieldError{
			{Field: "email", Msg: "Un compte existe déjà avec cette adresse."}}})
	}
	var password string
	if !link {
		if password, err = readNewPassword(cmd.InOrStdin(), stderr); err != nil {
			return err
		}
		if msg := models.CheckPassword(password); msg != "" {
			return refused(stderr, "compte non créé", &models.ValidationError{Errors: []models.FieldError{
				{Field: "password", Msg: msg}}})
		}
	}
	u, err := store.CreateUser(ctx, cliActor(), in)
	if err != nil {
		return refused(stderr, "compte non créé", err)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "Compte créé : n° %d, %s, %s, %s.\n", u.ID, u.Email, u.RoleLabel(), u.ScopeLabel())
	if !link {
		if err := store.SetPasswordDirect(ctx, cliActor(), u.ID, password); err != nil {
			return fmt.Errorf("compte créé sans mot de passe (donnez-lui un lien depuis l'administration) : %w", err)
		}
		fmt.Fprintf(out, "Mot de passe enregistré : connexion sur %s/connexion\n", browseURL(cfg))
		return nil
	}
	token, err := store.CreatePasswordLink(ctx, cliActor(), u.ID, passwordLinkTTL)
	if err != nil {
		return fmt.Errorf("compte créé, mais le lien n'a pas pu être émis : %w", err)
	}
	fmt.Fprintf(out, "Lien à usage unique pour choisir le mot de passe, valable 72 heures :\n  %s/mot-de-passe/%s\n", browseURL(cfg), token)
	fmt.Fprintln(out, "Transmettez-le à la personne seule, par un canal sûr ; il ne sera plus affiché.")
	return nil
}

// readNewPassword reads the first line of r when it is not a terminal, and otherwise asks
// twice on the terminal without echo.
func readNewPassword(r io.Reader, prompt io.Writer) (string, error) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("lecture du mot de passe : %w", err)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", errors.New("aucun mot de passe sur l'entrée standard : envoyez-le " +
				"(echo \"phrase de passe longue\" | pilotage user create …) ou utilisez --lien ; compte non créé")
		}
		return line, nil
	}
	ask := func(label string) (string, error) {
		fmt.Fprint(prompt, label)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		return string(b), err
	}
	first, err := ask(fmt.Sprintf("Mot de passe (%d caractères au moins, une phrase de passe est bienvenue) : ", models.MinPasswordLength))
	if err != nil {
		return "", fmt.Errorf("lecture du mot de passe : %w", err)
	}
	if msg := models.CheckPassword(first); msg != "" {
		return first, nil // refused with its rule by the caller, without asking twice
	}
	second, err := ask("Confirmez le mot de passe : ")
	if err != nil {
		return "", fmt.Errorf("lecture du mot de passe : %w", err)
	}
	if first != second {
		return "", errors.New("les deux saisies diffèrent ; compte non créé")
	}
	return first, nil
}

// flagOf names, for the command line, the form field a validation error is about.
func flagOf(field string) (string, bool) {
	switch field {
	case "email", "role", "departement", "circonscription", "epci":
		return "--" + field, true
	case "nom":
		return "--name", true
	case "communes":
		return "--commune", true
	case "password":
		return "mot de passe", true
	}
	return "", false
}

// refused prints a validation error one field per line ("--role : …") and returns a short
// error saying what did not happen; other errors are returned as they are.
func refused(w io.Writer, what string, err error) error {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	for _, fe := range verr.Errors {
		if name, ok := flagOf(fe.Field); ok {
			fmt.Fprintf(w, "%s : %s\n", name, fe.Msg)
		} else {
			fmt.Fprintln(w, fe.Msg)
		}
	}
	return errors.New(what)
}

// openPrepared opens the database, migrated, with the reference data loaded if it was empty
// (as "serve" would): accounts are checked against the territory.
func openPrepared(ctx context.Context, cfg config, logTo io.Writer) (*models.Store, error) {
	log, err := cfg.logger(logTo)
	if err != nil {
		return nil, err
	}
	store, err := cfg.openStore(ctx)
	if err != nil {
		return nil, err
	}
	if err := prepare(ctx, store, log); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func userListCommand(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Liste les comptes : rôle, périmètre, état, dernière connexion",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withPrepared(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				users, err := allUsers(ctx, store)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tEMAIL\tNOM\tRÔLE\tPÉRIMÈTRE\tACTIF\tDERNIÈRE CONNEXION")
				for _, u := range users {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Nom, u.Role, u.ScopeLabel(),
						map[bool]string{true: "oui", false: "non"}[u.Active], lastLogin(u.LastLoginAt))
				}
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d compte(s).\n", len(users))
				return nil
			})
		},
	}
}

// allUsers reads every live account, page after page. The list does not carry the communes
// of a référent, which his scope label needs: those few accounts are read one by one.
func allUsers(ctx context.Context, store *models.Store) ([]models.User, error) {
	var users []models.User
	for p := 1; ; p++ {
		page, err := store.ListUsers(ctx, cliActor(), models.UserFilter{}, models.PageRequest{Number: p, Size: models.MaxPageSize})
		if err != nil {
			return nil, err
		}
		users = append(users, page.Items...)
		if p >= page.Pages() {
			break
		}
	}
	for i, u := range users {
		if u.Role == models.RoleReferent && u.EPCISiren == nil {
			full, err := store.GetUser(ctx, u.ID)
			if err != nil {
				return nil, err
			}
			users[i].Communes = full.Communes
		}
	}
	return users, nil
}

// lastLogin formats a login time in Paris time.
func lastLogin(t *time.Time) string {
	if t == nil {
		return "jamais"
	}
	return t.In(fr.Paris()).Format("02/01/2006 15:04")
}

func userActiveCommand(cfg *config, active bool) *cobra.Command {
	use, short := "disable EMAIL", "Désactive un compte : ses sessions sont fermées, ses jetons refusés"
	if active {
		use, short = "enable EMAIL", "Réactive un compte désactivé"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withPrepared(cmd, *cfg, func(ctx context.Context, store *models.Store) error {
				u, err := userByEmail(ctx, store, args[0])
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				state := map[bool]string{true: "actif", false: "désactivé"}[active]
				if u.Active == active {
					fmt.Fprintf(out, "Le compte %s est déjà %s : rien n'a changé.\n", u.Email, state)
					return nil
				}
				if err := store.SetUserActive(ctx, cliActor(), u.ID, active); err != nil {
					return refused(cmd.ErrOrStderr(), "compte inchangé", err)
				}
				if active {
					fmt.Fprintf(out, "Compte %s (%s) réactivé : il peut de nouveau se connecter.\n", u.Email, u.Nom)
				} else {
					fmt.Fprintf(out, "Compte %s (%s) désactivé : ses sessions sont fermées et ses jetons d'API refusés.\n", u.Email, u.Nom)
				}
				return nil
			})
		},
	}
}

// withPrepared runs fn with the prepared database (see openPrepared), closed afterwards.
func withPrepared(cmd *cobra.Command, cfg config, fn func(ctx context.Context, store *models.Store) error) error {
	ctx := cmd.Context()
	store, err := openPrepared(ctx, cfg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(ctx, store)
}

// userByEmail finds the account of an email, with a French error when there is none.
func userByEmail(ctx context.Context, store *models.Store, email string) (models.User, error) {
	u, err := store.FindUserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return u, fmt.Errorf("aucun compte avec l'adresse « %s »", email)
	}
	return u, err
}
