package exports

import "github.com/ac-creteil/pilotage/models"

// DecisionsTable is the shape of the decisions register export: one row per decision, in
// the order of the list on screen.
var DecisionsTable = Table{Sheet: "Décisions", Title: "Registre des décisions", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Date de la réunion", Kind: Date, Width: 12},
	{Header: "Instance", Kind: Text, Width: 36},
	{Header: "Réunion", Kind: Text, Width: 36},
	{Header: "Type", Kind: Text, Width: 14},
	{Header: "Décision", Kind: Text, Width: 60},
	{Header: "Territoires", Kind: Text, Width: 36},
	{Header: "Modifiée le", Kind: Date, Width: 12},
}}

// DecisionValues is one row of the decisions export; dates are days in Paris.
func DecisionValues(d models.DecisionRow) []any {
	return []any{d.ID, d.ReunionDebut.In(paris()), d.InstanceNom, d.ReunionLabel(), d.KindLabel(), d.Texte,
		d.TerritoiresLabel(), d.UpdatedAt.In(paris())}
}

// PreparationTable is the shape of the "Préparer la prochaine réunion" export: the agenda of
// the last held and of the next meeting, the last meeting's decisions, then the body's open
// actions.
var PreparationTable = Table{Sheet: "Préparation", Title: "Préparer la prochaine réunion", Columns: []Column{
	{Header: "Nature", Kind: Text, Width: 10},
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Intitulé", Kind: Text, Width: 60},
	{Header: "Type ou statut", Kind: Text, Width: 14},
	{Header: "Responsable", Kind: Text, Width: 40},
	{Header: "Échéance", Kind: Date, Width: 12},
	{Header: "En retard", Kind: Text, Width: 10},
}}

// PreparationPointValues is an agenda item's row of the preparation export; nature says
// which meeting it belongs to (the last held one, or the next one).
func PreparationPointValues(nature string, p models.ReunionPoint, r models.ReunionRow) []any {
	return []any{nature, p.Position, p.Titre, "", p.Presentateur, r.Debut, ""}
}

// PreparationDecisionValues is a decision's row of the preparation export.
func PreparationDecisionValues(d models.DecisionRow) []any {
	return []any{"Décision", d.ID, d.Texte, d.KindLabel(), nil, nil, ""}
}

// PreparationActionValues is an action's row of the preparation export. The owner acts in
// a public capacity: their name, function and organisation, nothing else (Person.Label).
func PreparationActionValues(a models.ActionRow) []any {
	retard := "non"
	if a.Overdue {
		retard = "oui"
	}
	return []any{"Action", a.ID, a.Titre, a.StatutLabel(), a.Owner.Label(), a.Echeance, retard}
}
