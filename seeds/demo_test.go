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
		before := demoCounts(t, s)
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
		if after := demoCounts(t, s); !mapsEqual(before, after) {
			t.Errorf("le second chargement a changé le programme :\n%v\n%v", before, after)
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
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		password := seeds.DemoPassword
		accounts, err := s.ListUsers(ctx, models.SystemActor("test"), models.UserFilter{Q: "@" + seeds.DemoDomain}, models.PageRequest{Size: 50})
		if err != nil || accounts.Total < 9 {
			t.Fatalf("comptes de démonstration : %d (%v)", accounts.Total, err)
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
		if err != nil || len(emails) != len(accounts.Items) {
			t.Fatalf("désactivation : %v %v", err, emails)
		}
		for _, a := range accounts.Items {
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

// TestLoadDemoProgramme: the programme's organisations, contacts and conventions (TestLoadDemo
// checks that a second load adds nothing).
func TestLoadDemoProgramme(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		// 15 organisations of the programme, and the communes of the local conventions
		// that are not among them.
		n := demoCounts(t, s)
		if n["organismes"] < 15 || n["contacts"] != 10 || n["conventions"] != 34 {
			t.Errorf("démonstration : %d organismes, %d contacts et %d conventions, attendu au moins 15, 10 et 34",
				n["organismes"], n["contacts"], n["conventions"])
		}
	})
}

// demoCounts counts the demonstration's programme, conventions and governance (as the
// pilote académique sees it).
func demoCounts(t *testing.T, s *models.Store) map[string]int64 {
	t.Helper()
	ctx := t.Context()
	admin := models.Actor{Role: models.RoleAdmin, Scope: models.AcademieScope(), Name: "test"}
	orgs, err := s.ListOrganisations(ctx, models.AcademieScope(), models.OrganisationFilter{}, models.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	contacts, err := s.ListContacts(ctx, admin, models.ContactFilter{}, models.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	convs, err := s.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{}, models.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	out := governanceCounts(t, s, piloteActor(t, s))
	out["organismes"], out["contacts"], out["conventions"] = orgs.Total, contacts.Total, convs.Total
	return out
}
