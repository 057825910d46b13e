package app_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
)

// The world's record builders: the common records the app's tests write through the
// Store, each as the actor a test names (an IA-DASEN writes its département's bodies).

// copilotage creates the co-pilotage body of the département dep, as its IA-DASEN.
func (w *world) copilotage(t *testing.T, dep string) models.InstanceRow {
	t.Helper()
	return must(w.s.CreateInstance(t.Context(), w.actors["ia"+dep], models.InstanceInput{Nom: "Co-pilotage " + dep,
		Kind: models.InstanceCopilotage, Departement: dep}))
}

// heldReunion creates a meeting of the body held on date (YYYY-MM-DD), from 14:00 to 16:00.
func (w *world) heldReunion(t *testing.T, actor models.Actor, body int64, date string) models.ReunionRow {
	t.Helper()
	return must(w.s.CreateReunion(t.Context(), actor, models.ReunionInput{InstanceID: body, Date: date,
		HeureDebut: "14:00", HeureFin: "16:00", Statut: models.ReunionTenue}))
}

// decision records an orientation of the meeting, on the départements terr (none: the
// meeting's own territory).
func (w *world) decision(t *testing.T, actor models.Actor, reunion int64, texte string, terr ...string) models.DecisionRow {
	t.Helper()
	return must(w.s.CreateDecision(t.Context(), actor, models.DecisionInput{ReunionID: reunion, Texte: texte,
		Kind: models.DecisionOrientation, Departements: terr}))
}

// action creates an action.
func (w *world) action(t *testing.T, actor models.Actor, in models.ActionInput) models.ActionRow {
	t.Helper()
	return must(w.s.CreateAction(t.Context(), actor, in))
}

// responsable is the value of the "responsable" field naming the world's account name.
func (w *world) responsable(name string) string {
	return "u" + idStr(w.actors[name].UserID)
}
