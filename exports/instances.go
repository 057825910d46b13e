package exports

import "github.com/ac-creteil/pilotage/models"

// InstancesTable is the shape of the steering bodies export: one row per body, in the
// order of the list on screen.
var InstancesTable = Table{Sheet: "Instances", Title: "Instances de pilotage", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Instance", Kind: Text, Width: 44},
	{Header: "Type", Kind: Text, Width: 32},
	{Header: "Périmètre", Kind: Text, Width: 28},
	{Header: "Modifiée le", Kind: Date, Width: 12},
}}

// InstanceValues is one row of the bodies export; the date is the day in Paris.
func InstanceValues(i models.InstanceRow) []any {
	return []any{i.ID, i.Nom, i.KindLabel(), i.ScopeLabel(), i.UpdatedAt.In(paris())}
}
