package seeds

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ac-creteil/pilotage/models"
)

// DemoPassword is the password of every demonstration account. It is public: the login page
// shows it in demonstration mode, and the server disables these accounts when it starts
// without --demo, so that it opens nothing outside a demonstration.
const DemoPassword = "démonstration ENT 1D"

// DemoDomain is the email domain of the demonstration accounts: ".invalid" is reserved
// (RFC 2606), no real mailbox can have it.
const DemoDomain = "demo.invalid"

// DemoAccount is one demonstration account, as the login page and the command line list it.
type DemoAccount struct {
	Email string
	Role  models.Role
	Nom   string
	Scope string // the account's territory, in French ("département 93")
}

// ErrRealAccounts refuses to add accounts with a public password to a database that already
// holds real accounts and no demonstration account: most likely a production database.
var ErrRealAccounts = errors.New("la base contient déjà des comptes réels et aucun compte de démonstration : " +
	"le mode démonstration publie un mot de passe, utilisez une base dédiée")

// ErrDemoOnlyAdmin says that the demonstration administrator is the only active
// administrator, so the demonstration accounts cannot be disabled.
var ErrDemoOnlyAdmin = errors.New("l'administrateur de démonstration est le seul administrateur actif de la base")

// demoInputs are the demonstration accounts, one per role and scope the authorization
// matrix distinguishes; names and addresses are fictional.
func demoInputs() []models.UserInput {
	return []models.UserInput{
		{Email: "admin@" + DemoDomain, Nom: "Camille Démo", Role: models.RoleAdmin},
		{Email: "pilote@" + DemoDomain, Nom: "Dominique Démo", Role: models.RolePilote},
		{Email: "ia77@" + DemoDomain, Nom: "Claude Démo", Role: models.RoleIA, Departement: "77"},
		{Email: "ia93@" + DemoDomain, Nom: "Sacha Démo", Role: models.RoleIA, Departement: "93"},
		{Email: "ia94@" + DemoDomain, Nom: "Alix Démo", Role: models.RoleIA, Departement: "94"},
		{Email: "ien94@" + DemoDomain, Nom: "Morgan Démo", Role: models.RoleIEN, Circonscription: "0940920P"}, // Villejuif
		{Email: "amif@" + DemoDomain, Nom: "Lou Démo", Role: models.RoleAMIF},
		{Email: "referent93@" + DemoDomain, Nom: "Charlie Démo", Role: models.RoleReferent, Communes: []string{"93008"}}, // Bobigny
		{Email: "lecteur@" + DemoDomain, Nom: "Eden Démo", Role: models.RoleLecteur},
	}
}

// LoadDemo creates the demonstration accounts (it needs the reference data) and returns them
// with their common password. Loading twice reuses the accounts by email: each is put back to
// its role and scope, re-enabled, and given the demonstration password again, so that the
// login page's promise holds whatever visitors changed. It refuses a database holding real
// accounts only (ErrRealAccounts).
func LoadDemo(ctx context.Context, store *models.Store) ([]DemoAccount, string, error) {
	actor := models.SystemActor("démonstration")
	if a, err := store.Academie(ctx); err != nil {
		return nil, "", err
	} else if a.Known() && a.Code != "creteil" {
		return nil, "", fmt.Errorf("la démonstration est écrite pour l'académie de Créteil (ses communes, écoles et instances) : "+
			"elle ne se charge pas dans la base de l'académie %s", a.De())
	}
	if err := refuseRealAccounts(ctx, store, actor); err != nil {
		return nil, "", err
	}
	inputs := demoInputs()
	out := make([]DemoAccount, 0, len(inputs))
	for _, in := range inputs {
		u, err := store.FindUserByEmail(ctx, in.Email)
		switch {
		case errors.Is(err, models.ErrNotFound):
			u, err = store.CreateUser(ctx, actor, in)
		case err == nil && !sameAccount(u, in):
			u, err = store.UpdateUser(ctx, actor, u.ID, u.Version, in)
		}
		if err == nil && !u.Active {
			err = store.SetUserActive(ctx, actor, u.ID, true)
		}
		if err == nil {
			err = store.SetPasswordDirect(ctx, actor, u.ID, DemoPassword)
		}
		if err != nil {
			return nil, "", fmt.Errorf("compte de démonstration %s : %w", in.Email, err)
		}
		out = append(out, DemoAccount{Email: u.Email, Role: u.Role, Nom: u.Nom, Scope: u.ScopeLabel()})
	}
	if err := loadDemoProgramme(ctx, store, actor); err != nil {
		return nil, "", err
	}
	if err := loadDemoGovernance(ctx, store, actor); err != nil {
		return nil, "", err
	}
	if err := loadDemoConventions(ctx, store, actor); err != nil {
		return nil, "", err
	}
	if err := LoadDemoFinancements(ctx, store, actor); err != nil {
		return nil, "", err
	}
	if err := loadDemoRollout(ctx, store, actor); err != nil {
		return nil, "", err
	}
	if err := loadDemoFormations(ctx, store, actor); err != nil {
		return nil, "", err
	}
	return out, DemoPassword, nil
}

// refuseRealAccounts returns ErrRealAccounts when the database has live accounts and none of
// them is a demonstration account.
func refuseRealAccounts(ctx context.Context, store *models.Store, actor models.Actor) error {
	all, err := store.ListUsers(ctx, actor, models.UserFilter{}, models.PageRequest{Size: 1})
	if err != nil || all.Total == 0 {
		return err
	}
	demo, err := store.ListUsers(ctx, actor, models.UserFilter{Q: "@" + DemoDomain}, models.PageRequest{Size: 1})
	if err != nil {
		return err
	}
	if demo.Total == 0 {
		return ErrRealAccounts
	}
	return nil
}

// sameAccount reports whether u still has the name, role and scope of the input.
func sameAccount(u models.User, in models.UserInput) bool {
	return u.Nom == in.Nom && u.Role == in.Role &&
		deref(u.DepartementCode) == in.Departement && deref(u.CodeCirconscription) == in.Circonscription &&
		deref(u.EPCISiren) == in.EPCI && slices.Equal(u.Communes, in.Communes)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// DisableDemo disables the active demonstration accounts, so that their public password
// opens nothing outside demonstration mode, and returns their emails. When the
// demonstration administrator is the only active administrator it changes nothing and
// returns ErrDemoOnlyAdmin: disabling it would leave the base without an administrator.
func DisableDemo(ctx context.Context, store *models.Store) ([]string, error) {
	var active []models.User
	demoAdmins := int64(0)
	for _, in := range demoInputs() {
		u, err := store.FindUserByEmail(ctx, in.Email)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Active {
			active = append(active, u)
			if u.Role == models.RoleAdmin {
				demoAdmins++
			}
		}
	}
	if demoAdmins > 0 {
		n, err := store.CountAdmins(ctx)
		if err != nil {
			return nil, err
		}
		if n <= demoAdmins {
			return nil, ErrDemoOnlyAdmin
		}
	}
	// Administrators last: the Store refuses to disable the last one, and by then a real
	// administrator is known to remain.
	slices.SortStableFunc(active, func(a, b models.User) int {
		return boolCmp(a.Role == models.RoleAdmin, b.Role == models.RoleAdmin)
	})
	actor := models.SystemActor("démarrage hors démonstration")
	var emails []string
	for _, u := range active {
		if err := store.SetUserActive(ctx, actor, u.ID, false); err != nil {
			return emails, fmt.Errorf("compte de démonstration %s : %w", u.Email, err)
		}
		emails = append(emails, u.Email)
	}
	return emails, nil
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
