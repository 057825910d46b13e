package seeds_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		first, password, err := seeds.LoadDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if password != seeds.DemoPassword || models.CheckPassword(password) != "" {
			t.Fatalf("mot de passe de démonstration : %q", password)
		}
		// Visitors change things during a demonstration; loading again puts them back.
		ia93, _ := s.FindUserByEmail(ctx, "ia93@demo.invalid")
		ien, _ := s.FindUserByEmail(ctx, "ien94@demo.invalid")
		actor := models.SystemActor("test")
		if err := s.SetUserActive(ctx, actor, ia93.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, actor, ien.ID, ien.Version, models.UserInput{Email: ien.Email, Nom: "Autre", Role: models.RoleLecteur}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPasswordDirect(ctx, actor, ia93.ID, "un autre mot de passe"); err != nil {
			t.Fatal(err)
		}

		second, _, err := seeds.LoadDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(first, second) {
			t.Errorf("second chargement différent :\n%v\n%v", first, second)
		}
		all, err := s.ListUsers(ctx, actor, models.UserFilter{}, models.PageRequest{})
		if err != nil || all.Total != int64(len(first)) {
			t.Errorf("comptes après deux chargements : %d, attendu %d (%v)", all.Total, len(first), err)
		}

		roles := map[models.Role]int{}
		scopes := map[string]bool{}
		for _, a := range second {
			roles[a.Role]++
			scopes[a.Scope] = true
			u, err := s.Authenticate(ctx, a.Email, password, "127.0.0.1")
			if err != nil {
				t.Errorf("%s : %v", a.Email, err)
				continue
			}
			if u.Role != a.Role || u.ScopeLabel() != a.Scope || !u.Active {
				t.Errorf("%s : %s %s, attendu %s %s", a.Email, u.Role, u.ScopeLabel(), a.Role, a.Scope)
			}
		}
		for _, r := range models.Roles {
			if roles[models.Role(r.Value)] == 0 {
				t.Errorf("aucun compte de démonstration %s", r.Value)
			}
		}
		for _, want := range []string{"département 77", "département 93", "département 94", "circonscription 0940920P", "communes 93008"} {
			if !scopes[want] {
				t.Errorf("aucun compte de démonstration sur « %s » (%v)", want, scopes)
			}
		}
		checkDemoCandidatures(t, s)
	})
}

func TestLoadDemoRefusesRealAccounts(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if _, err := s.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: "vrai@ac-creteil.fr", Nom: "Vrai", Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := seeds.LoadDemo(ctx, s); !errors.Is(err, seeds.ErrRealAccounts) {
			t.Fatalf("base réelle : %v", err)
		}
		if _, err := s.FindUserByEmail(ctx, "admin@demo.invalid"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("compte de démonstration créé dans une base réelle : %v", err)
		}
	})
}

// TestDisableDemo: outside demonstration mode the public password opens nothing.
func TestDisableDemo(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		accounts, password, err := seeds.LoadDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		// The demo administrator is the only one: nothing changes.
		if _, err := seeds.DisableDemo(ctx, s); !errors.Is(err, seeds.ErrDemoOnlyAdmin) {
			t.Fatalf("seul administrateur : %v", err)
		}
		if _, err := s.Authenticate(ctx, "lecteur@demo.invalid", password, "127.0.0.1"); err != nil {
			t.Errorf("un compte a été désactivé malgré le refus : %v", err)
		}

		if _, err := s.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: "vrai@ac-creteil.fr", Nom: "Vrai", Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		emails, err := seeds.DisableDemo(ctx, s)
		if err != nil || len(emails) != len(accounts) {
			t.Fatalf("désactivation : %v %v", err, emails)
		}
		for _, a := range accounts {
			if _, err := s.Authenticate(ctx, a.Email, password, "127.0.0.1"); !errors.Is(err, models.ErrBadCredentials) {
				t.Errorf("%s se connecte hors démonstration : %v", a.Email, err)
			}
		}
		if emails, err := seeds.DisableDemo(ctx, s); err != nil || len(emails) != 0 {
			t.Errorf("seconde désactivation : %v %v", err, emails)
		}
		// Back in demonstration mode, the accounts open again.
		if _, _, err := seeds.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "admin@demo.invalid", password, "127.0.0.1"); err != nil {
			t.Errorf("retour en démonstration : %v", err)
		}
	})
}

func TestLoadDemoProgramme(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		count := func() (int64, int64) {
			admin := models.Actor{Role: models.RoleAdmin, Scope: models.AcademieScope(), Name: "test"}
			orgs, err := s.ListOrganisations(ctx, models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			contacts, err := s.ListContacts(ctx, admin, models.ContactFilter{}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return orgs.Total, contacts.Total
		}
		// 15 organisations of the programme, and the communes of the local conventions
		// that are not among them; a second load adds nothing.
		first := int64(0)
		for range 2 {
			if _, _, err := seeds.LoadDemo(ctx, s); err != nil {
				t.Fatal(err)
			}
			orgs, contacts := count()
			if first == 0 {
				first = orgs
			}
			if orgs < 15 || orgs != first || contacts != 10 {
				t.Errorf("démonstration : %d organismes (%d au premier chargement) et %d contacts, attendu au moins 15 et 10", orgs, first, contacts)
			}
		}
		convs, err := s.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{}, models.PageRequest{})
		if err != nil || convs.Total != 34 {
			t.Errorf("démonstration : %d conventions (%v), attendu 34", convs.Total, err)
		}
	})
}
