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
