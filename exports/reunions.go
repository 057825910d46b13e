package exports

import "github.com/ac-creteil/pilotage/models"

// ReunionsTable is the shape of the meetings export: one row per meeting, by date. The day
// is a real date cell and the times real time cells, both in Paris time.
var ReunionsTable = Table{Sheet: "Réunions", Title: "Réunions des instances", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Date", Kind: Date, Width: 12},
	{Header: "Début", Kind: Time, Width: 8},
	{Header: "Fin", Kind: Time, Width: 8},
	{Header: "Instance", Kind: Text, Width: 36},
	{Header: "Réunion", Kind: Text, Width: 40},
	{Header: "Statut", Kind: Text, Width: 12},
	{Header: "Lieu", Kind: Text, Width: 30},
	{Header: "Visioconférence", Kind: Text, Width: 30},
	{Header: "Points à l'ordre du jour", Kind: Integer, Width: 12},
	{Header: "Décisions", Kind: Integer, Width: 12},
}}

// ReunionValues is one row of the meetings export, with the meeting's number of agenda
// items and of (live) decisions.
func ReunionValues(r models.ReunionRow, points, decisions int) []any {
	return []any{r.ID, r.Debut.In(paris()), r.Debut, r.Fin, r.InstanceNom, r.Label(), r.StatutLabel(),
		r.Lieu, r.Visio, points, decisions}
}
