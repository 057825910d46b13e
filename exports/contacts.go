package exports

import "github.com/ac-creteil/pilotage/models"

// contactColumns are the columns of the contacts export every role gets.
var contactColumns = []Column{
	{Header: "N°", Kind: Integer, Width: 8},
	{Header: "Nom", Kind: Text, Width: 24},
	{Header: "Prénom", Kind: Text, Width: 18},
	{Header: "Fonction", Kind: Text, Width: 32},
	{Header: "Organisation", Kind: Text, Width: 40},
	{Header: "Département", Kind: Text, Width: 12},
}

// contactPersonalColumns are the columns only the roles allowed to see personal data get.
var contactPersonalColumns = []Column{
	{Header: "Adresse électronique", Kind: Text, Width: 34},
	{Header: "Téléphone", Kind: Text, Width: 18},
	{Header: "Notes", Kind: Text, Width: 50},
}

// ContactsTable is the shape of the contacts export: with the email, phone and notes
// columns when personal is set, without them otherwise.
func ContactsTable(personal bool) Table {
	cols := append([]Column{}, contactColumns...)
	if personal {
		cols = append(cols, contactPersonalColumns...)
	}
	cols = append(cols, Column{Header: "Dernière mise à jour", Kind: Date, Width: 14})
	return Table{Sheet: "Contacts", Title: "Contacts", Columns: cols}
}

// ContactValues is one row of the contacts export, shaped like ContactsTable(personal).
// The data layer has already emptied the personal fields of a masked row.
func ContactValues(c models.ContactRow, personal bool) []any {
	out := []any{c.ID, c.Nom, c.Prenom, c.Fonction, c.OrganisationNom, c.DepartementCode}
	if personal {
		out = append(out, c.Email, c.Telephone, c.Notes)
	}
	return append(out, c.UpdatedAt.In(paris()))
}
