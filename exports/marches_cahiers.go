package exports

import "github.com/ac-creteil/pilotage/models"

// CahiersTable is the shape of the cahiers des charges export: one row per cahier, with its
// latest version, in the order of the list on screen.
var CahiersTable = Table{Sheet: "Cahiers des charges", Title: "Cahiers des charges", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Titre", Kind: Text, Width: 40},
	{Header: "Niveau", Kind: Text, Width: 30},
	{Header: "Versions", Kind: Integer, Width: 10},
	{Header: "Dernière version", Kind: Text, Width: 14},
	{Header: "Date de la dernière version", Kind: Date, Width: 14},
	{Header: "Charte de la dernière version", Kind: Text, Width: 16},
	{Header: "Changements de la dernière version", Kind: Text, Width: 50},
}}

// CahierValues is one row of the cahiers des charges export.
func CahierValues(c models.CahierRow) []any {
	var numero, charte, resume string
	var date any
	if v := c.Derniere(); v != nil {
		numero, date, charte, resume = v.Numero, v.DateVersion, v.CharteLabel(), v.Resume
	}
	return []any{c.ID, c.Titre, c.NiveauLabel(), len(c.Versions), numero, date, charte, resume}
}
