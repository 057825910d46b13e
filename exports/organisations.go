package exports

import "github.com/ac-creteil/pilotage/models"

// OrganisationsTable is the shape of the organisations export: one row per organisation,
// in the order of the list on screen.
var OrganisationsTable = Table{Sheet: "Organisations", Title: "Organisations", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Organisme", Kind: Text, Width: 44},
	{Header: "Type", Kind: Text, Width: 24},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 28},
	{Header: "SIREN EPCI", Kind: Text, Width: 12},
	{Header: "EPCI", Kind: Text, Width: 40},
	{Header: "Adresse", Kind: Text, Width: 44},
	{Header: "Site web", Kind: Text, Width: 36},
	{Header: "Modifié le", Kind: Date, Width: 12},
}}

// OrganisationValues is one row of the organisations export; the date is the day in Paris,
// as the pages show it.
func OrganisationValues(o models.OrganisationRow) []any {
	return []any{o.ID, o.Nom, o.KindLabel(), o.DepartementCode, o.CodeINSEE, o.CommuneNom, o.EPCISiren, o.EPCINom,
		o.Adresse, o.SiteWeb, o.UpdatedAt.In(paris())}
}
