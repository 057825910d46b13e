package app_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
)

// world is the test world of the app's tests: the real server on a fresh database, one
// account per role (and a few second accounts) signed in as a browser (formClient: its
// cookies and CSRF token), and the actors to build records with the Store directly (the
// builders of common records are in world_records_test.go). The resources' fixtures embed
// it and add their records.
type world struct {
	s       *models.Store
	h       http.Handler
	clients map[string]*formClient // by worldRoles and worldSeconds name
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

// worldRoles are the accounts of the world the scope matrix walks: every role, and the
// IA-DASEN of each département.
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

// worldSeconds are the world's second accounts of a role: someone else editing the same
// record, or owning the other records.
var worldSeconds = []worldRole{
	{"pilote2", models.UserInput{Role: models.RolePilote}, models.AcademieScope()},
	{"admin2", models.UserInput{Role: models.RoleAdmin}, models.AcademieScope()},
}

// worldAccounts is how many accounts the world has.
var worldAccounts = len(worldRoles) + len(worldSeconds)

func deptScope(code string) models.Scope {
	return models.Scope{Kind: models.ScopeDepartement, Departements: []string{code}}
}

// newWorld builds the world on s, with the server's configuration cfg.
func newWorld(t *testing.T, s *models.Store, cfg app.Config) *world {
	t.Helper()
	w := &world{s: s, h: newAnonymousServer(t, s, cfg), clients: map[string]*formClient{}, actors: map[string]models.Actor{},
		sys: models.SystemActor("test")}
	for _, r := range slices.Concat(worldRoles, worldSeconds) {
		in := r.in
		in.Email, in.Nom = r.name+"@ac-creteil.fr", "Compte "+r.name
		w.clients[r.name] = newFormClient(t, w.h, signIn(t, s, in))
		u, err := s.FindUserByEmail(t.Context(), in.Email)
		if err != nil {
			t.Fatal(err)
		}
		w.actors[r.name] = models.ActorFor(u, r.scope, "test")
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

// attrs gets the page at path, which must answer 200, and returns it with the attribute
// attr of each element sel of it.
func (fc *formClient) attrs(path, sel, attr string) (*httptest.ResponseRecorder, []string) {
	fc.t.Helper()
	rec := fc.get(path)
	if rec.Code != http.StatusOK {
		fc.t.Fatalf("%s : statut %d", path, rec.Code)
	}
	return rec, doc(fc.t, rec).Find(sel).Map(func(_ int, e *goquery.Selection) string { return e.AttrOr(attr, "") })
}

// refusedField checks that a form came back refused (422) with msg beside the field #id and
// the typed value kept in it, and returns the page.
func refusedField(t *testing.T, rec *httptest.ResponseRecorder, id, msg, value string) *goquery.Document {
	t.Helper()
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("#%s : statut %d, attendu 422 %s", id, rec.Code, errorTexts(rec.Body.String()))
	}
	d := doc(t, rec)
	if got := d.Find("#" + id + "-erreur").Text(); !strings.Contains(got, msg) {
		t.Errorf("#%s : message %q, attendu %q", id, got, msg)
	}
	if v, _ := d.Find("#" + id).Attr("value"); v != value {
		t.Errorf("#%s : saisie %q non reprise (%q)", id, value, v)
	}
	return d
}
