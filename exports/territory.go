package exports

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

func label(choices []models.Choice, value string) string { return models.LabelOf(choices, value) }

// CommunesTable is the shape of the communes export.
var CommunesTable = Table{Sheet: "Communes", Title: "Communes", Columns: []Column{
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 32},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Population", Kind: Integer, Width: 12},
	{Header: "Codes postaux", Kind: Text, Width: 16},
	{Header: "SIREN EPCI", Kind: Text, Width: 12},
	{Header: "EPCI", Kind: Text, Width: 40},
	{Header: "SIREN EPT", Kind: Text, Width: 12},
	{Header: "EPT", Kind: Text, Width: 30},
	{Header: "Écoles", Kind: Integer, Width: 9},
	{Header: "Élèves", Kind: Integer, Width: 10},
}}

// CommuneValues is one row of the communes export.
func CommuneValues(c models.CommuneRow) []any {
	return []any{c.CodeINSEE, c.Nom, c.DepartementCode, c.Population, strings.Join(c.PostCodes(), ", "),
		c.EPCISiren, c.EPCINom, c.EPTSiren, c.EPTNom, c.NbEcoles, c.NbEleves}
}

// EcolesTable is the shape of the écoles export.
var EcolesTable = Table{Sheet: "Écoles", Title: "Écoles", Columns: []Column{
	{Header: "UAI", Kind: Text, Width: 11},
	{Header: "École", Kind: Text, Width: 44},
	{Header: "Type", Kind: Text, Width: 18},
	{Header: "Statut", Kind: Text, Width: 18},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 28},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Code circonscription", Kind: Text, Width: 14},
	{Header: "Circonscription", Kind: Text, Width: 40},
	{Header: "Élèves", Kind: Integer, Width: 10},
	{Header: "Classes", Kind: Integer, Width: 9},
	{Header: "Éducation prioritaire", Kind: Text, Width: 12},
}}

// EcoleValues is one row of the écoles export.
func EcoleValues(e models.EcoleRow) []any {
	return []any{e.UAI, e.Nom, label(models.EcoleTypes, e.Type), label(models.EcoleStatuts, e.Statut),
		e.CodeINSEE, e.CommuneNom, e.DepartementCode, e.CodeCirconscription, e.CirconscriptionNom,
		e.NbEleves, e.NbClasses, e.EducationPrioritaire}
}

// EPCITable is the shape of the EPCI export.
var EPCITable = Table{Sheet: "EPCI", Title: "EPCI", Columns: []Column{
	{Header: "SIREN", Kind: Text, Width: 12},
	{Header: "EPCI", Kind: Text, Width: 44},
	{Header: "Type", Kind: Text, Width: 30},
	{Header: "Communes dans l'académie", Kind: Integer, Width: 14},
	{Header: "Communes au total", Kind: Integer, Width: 12},
	{Header: "Population dans l'académie", Kind: Integer, Width: 14},
	{Header: "Population totale", Kind: Integer, Width: 14},
	{Header: "Écoles", Kind: Integer, Width: 9},
	{Header: "Élèves", Kind: Integer, Width: 10},
}}

// EPCIValues is one row of the EPCI export.
func EPCIValues(e models.EPCIRow) []any {
	return []any{e.Siren, e.Nom, label(models.EPCITypes, e.Type), e.NbCommunes, e.NbCommunesTotal,
		e.Population, e.PopulationTotale, e.NbEcoles, e.NbEleves}
}

// DepartementsTable is the shape of the départements export.
var DepartementsTable = Table{Sheet: "Départements", Title: "Départements", Columns: []Column{
	{Header: "Code", Kind: Text, Width: 8},
	{Header: "Département", Kind: Text, Width: 24},
	{Header: "Communes", Kind: Integer, Width: 11},
	{Header: "Population", Kind: Integer, Width: 12},
	{Header: "EPCI", Kind: Integer, Width: 40},
	{Header: "EPT", Kind: Integer, Width: 30},
	{Header: "Écoles", Kind: Integer, Width: 9},
	{Header: "Élèves", Kind: Integer, Width: 10},
}}

// DepartementValues is one row of the départements export.
func DepartementValues(d models.DepartementRow) []any {
	return []any{d.Code, d.Nom, d.NbCommunes, d.Population, d.NbEPCI, d.NbEPT, d.NbEcoles, d.NbEleves}
}
