package exports

import (
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// ActionsTable is the shape of the actions export: one row per action, in the order of the
// list on screen (overdue first).
var ActionsTable = Table{Sheet: "Actions", Title: "Actions", Columns: actionColumns}

// MyActionsTable is the shape of the "Mes actions" export: the actions the reader owns.
var MyActionsTable = Table{Sheet: "Mes actions", Title: "Mes actions", Columns: actionColumns}

var actionColumns = []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Action", Kind: Text, Width: 50},
	{Header: "Instance", Kind: Text, Width: 36},
	{Header: "Réunion", Kind: Text, Width: 36},
	{Header: "Date de la réunion", Kind: Date, Width: 12},
	{Header: "Décision n°", Kind: Integer, Width: 10},
	{Header: "Responsable", Kind: Text, Width: 40},
	{Header: "Échéance", Kind: Date, Width: 12},
	{Header: "Statut", Kind: Text, Width: 14},
	{Header: "En retard", Kind: Text, Width: 10},
	{Header: "Modifiée le", Kind: Date, Width: 12},
}

// ActionValues is one row of the actions exports. The owner acts in a public capacity:
// name, function and organisation, nothing else (Person.Label).
func ActionValues(a models.ActionRow) []any {
	return []any{a.ID, a.Titre, a.InstanceNom, a.ReunionLabel(), a.ReunionDebut.In(paris()), a.DecisionID,
		a.Owner.Label(), utcDate(a.Echeance), a.StatutLabel(), yesNo(a.Overdue), a.UpdatedAt.In(paris())}
}

// utcDate is a calendar date stored at midnight UTC, read in UTC whatever location the
// driver gave it (nil stays nil).
func utcDate(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// yesNo is "oui" or "non".
func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}
