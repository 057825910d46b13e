package models_test

import (
	"strconv"
	"testing"

	"github.com/ac-creteil/pilotage/models"
)

// worldAccounts are the accounts of worldActors, in the order they are created: one per
// role, the IA-DASEN of the 93 and of the 77, and the référents of Bobigny and of Est
// Ensemble.
var worldAccounts = []struct {
	name string
	in   models.UserInput
}{
	{"admin", models.UserInput{Role: models.RoleAdmin}},
	{"pilote", models.UserInput{Role: models.RolePilote}},
	{"ia93", models.UserInput{Role: models.RoleIA, Departement: "93"}},
	{"ia77", models.UserInput{Role: models.RoleIA, Departement: "77"}},
	{"ien", models.UserInput{Role: models.RoleIEN, Circonscription: "0940920P"}},
	{"amif", models.UserInput{Role: models.RoleAMIF}},
	{"bobigny", models.UserInput{Role: models.RoleReferent, Communes: []string{"93008"}}},
	{"estensemble", models.UserInput{Role: models.RoleReferent, EPCI: "200057875"}},
	{"lecteur", models.UserInput{Role: models.RoleLecteur}},
}

// worldActors creates the accounts of worldAccounts (name@ac-creteil.fr, "Compte name")
// and returns their actors by name, with "zero", an actor without any scope.
func worldActors(t *testing.T, s *models.Store) map[string]models.Actor {
	t.Helper()
	out := map[string]models.Actor{"zero": {Name: "sans périmètre", Role: models.RoleLecteur}}
	for _, a := range worldAccounts {
		in := a.in
		in.Email, in.Nom = a.name+"@ac-creteil.fr", "Compte "+a.name
		out[a.name] = actorOf(t, s, in)
	}
	return out
}

// actorOf creates an account and returns its actor, with the scope its role gives it.
func actorOf(t *testing.T, s *models.Store, in models.UserInput) models.Actor {
	t.Helper()
	u, err := s.CreateUser(t.Context(), models.SystemActor("test"), in)
	if err != nil {
		t.Fatalf("compte %s : %v", in.Email, err)
	}
	scope, err := s.UserScope(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	return models.ActorFor(u, scope, "req-"+in.Email)
}

// historyActions returns the actions recorded on a record of entity, oldest first.
func historyActions(t *testing.T, s *models.Store, entity string, id int64) []string {
	t.Helper()
	evs, err := s.History(t.Context(), models.SystemActor("test"), entity, strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[len(evs)-1-i] = ev.Action
	}
	return out
}

// userWithPassword creates the account in as actor, with its password when there is one.
func userWithPassword(t *testing.T, s *models.Store, actor models.Actor, in models.UserInput, password string) models.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), actor, in)
	if err != nil {
		t.Fatal(err)
	}
	if password != "" {
		if err := s.SetPasswordDirect(t.Context(), actor, u.ID, password); err != nil {
			t.Fatal(err)
		}
	}
	return u
}
