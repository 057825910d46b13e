package exports

import "github.com/ac-creteil/pilotage/models"

// JalonsTable is the shape of the milestones export: one row per milestone, in the order
// of the list on screen (by planned day).
var JalonsTable = Table{Sheet: "Jalons", Title: "Jalons du programme", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Date prévue", Kind: Date, Width: 12},
	{Header: "Jalon", Kind: Text, Width: 50},
	{Header: "Niveau", Kind: Text, Width: 14},
	{Header: "Territoire", Kind: Text, Width: 30},
	{Header: "Statut", Kind: Text, Width: 12},
	{Header: "En retard", Kind: Text, Width: 10},
	{Header: "Date effective", Kind: Date, Width: 12},
	{Header: "Convention", Kind: Text, Width: 20},
	{Header: "Vague", Kind: Text, Width: 24},
	{Header: "Décision", Kind: Text, Width: 16},
	{Header: "Description", Kind: Text, Width: 60},
}}

// JalonValues is one row of the milestones export; days are written as they are stored.
func JalonValues(j models.JalonRow) []any {
	late := "non"
	if j.EnRetard {
		late = "oui"
	}
	return []any{j.ID, j.DatePrevue, j.Titre, j.NiveauLabel(), j.TerritoireLabel(), j.StatutLabel(), late,
		j.DateEffective, j.ConventionRef, j.VagueNom, j.DecisionLabel(), j.Description}
}
