package app_test

import (
	"net/http"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
)

// world is the test world of the app's tests: the real server on a fresh database, one
// account per role signed in as a browser (formClient: its cookies and CSRF token), and the
// actors to build records with the Store directly.
type world struct {
	s       *models.Store
	h       http.Handler
	clients map[string]*formClient // by worldRoles name
	actors  map[string]models.Actor
	sys     models.Actor // the system, for the records a test only needs to exist
}

// worldRole is one account of the world.
type worldRole struct {
	name string
	in   models.UserInput
	// scope is the actor's scope, as the server computes it from the account.
	scope models.Scope
}

// worldRoles are the accounts of the world: every role, and the IA-DASEN of each
// département.
var worldRoles = []worldRole{
	{"admin", models.UserInput{Role: models.RoleAdmin}, models.AcademieScope()},
	{"pilote", models.UserInput{Role: models.RolePilote}, models.AcademieScope()},
	{"ia77", models.UserInput{Role: models.RoleIA, Departement: "77"}, deptScope("77")},
	{"ia93", models.UserInput{Role: models.RoleIA, Departement: "93"}, deptScope("93")},
	{"ia94", models.UserInput{Role: models.RoleIA, Departement: "94"}, deptScope("94")},
	{"ien94", models.UserInput{Role: models.RoleIEN, Circonscription: "0940920P"},
		models.Scope{Kind: models.ScopeCirconscription, Circonscriptions: []string{"0940920P"}}},
	{"amif", models.UserInput{Role: models.RoleAMIF}, models.AcademieScope()},
	{"referent93", models.UserInput{Role: models.RoleReferent, Communes: []string{"93008"}},
		models.Scope{Kind: models.ScopeCommunes, Communes: []string{"93008"}}},
	{"lecteur", models.UserInput{Role: models.RoleLecteur}, models.AcademieScope()},
}

func deptScope(code string) models.Scope {
	return models.Scope{Kind: models.ScopeDepartement, Departements: []string{code}}
}

// newWorld builds the world on s, with the server's configuration cfg.
func newWorld(t *testing.T, s *models.Store, cfg app.Config) *world {
	t.Helper()
	w := &world{s: s, h: newAnonymousServer(t, s, cfg), clients: map[string]*formClient{}, actors: map[string]models.Actor{},
		sys: models.SystemActor("test")}
	for _, r := range worldRoles {
		in := r.in
		in.Email, in.Nom = r.name+"@ac-creteil.fr", "Compte "+r.name
		w.clients[r.name] = newFormClient(t, w.h, signIn(t, s, in))
		u, err := s.FindUserByEmail(t.Context(), in.Email)
		if err != nil {
			t.Fatal(err)
		}
		w.actors[r.name] = models.Actor{UserID: u.ID, Name: in.Nom, Role: r.in.Role, Scope: r.scope}
	}
	return w
}

// must returns v, and stops the test with a panic (its stack names the fixture) on err:
// for the records a test builds before it starts checking.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
