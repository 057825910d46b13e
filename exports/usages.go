package exports

import (
	"github.com/ac-creteil/pilotage/models"
)

// UsagesTable is the shape of the usage figures' export (/usages.xlsx): one row per unit of
// the level (its name heads the second column), then the total, for the month and profile
// said in the title; a rate is empty when no école reported both of its terms.
func UsagesTable(rows, title string) Table {
	return Table{Sheet: "Usages", Title: title, Columns: []Column{
		{Header: "Code", Kind: Text, Width: 11},
		{Header: rows, Kind: Text, Width: 40},
		{Header: "Mois", Kind: Text, Width: 8},
		{Header: "Profil", Kind: Text, Width: 11},
		{Header: "Écoles ayant des chiffres", Kind: Integer, Width: 10},
		{Header: "Comptes chargés", Kind: Integer, Width: 12},
		{Header: "Comptes activés", Kind: Integer, Width: 12},
		{Header: "Taux d'activation", Kind: Percent, Width: 10},
		{Header: "Connexions", Kind: Integer, Width: 12},
		{Header: "Visiteurs uniques", Kind: Integer, Width: 12},
		{Header: "Taux d'activité", Kind: Percent, Width: 10},
	}}
}

// UsageValues is one row of the usage figures' export.
func UsageValues(code, label, mois, profil string, f models.UsageFigures) []any {
	return []any{code, label, mois, profil, f.Ecoles, f.ComptesCharges, f.ComptesActives, rateOf(f.ActivationRate()),
		f.Connexions, f.Visiteurs, rateOf(f.ActivityRate())}
}

// rateOf is a rate for a Percent cell, nil (empty) when there is none.
func rateOf(rate float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &rate
}

// UsageWatchTable is the shape of the export of the écoles to watch.
func UsageWatchTable(title string) Table {
	return Table{Sheet: "À surveiller", Title: title, Columns: []Column{
		{Header: "UAI", Kind: Text, Width: 10},
		{Header: "École", Kind: Text, Width: 40},
		{Header: "Commune", Kind: Text, Width: 24},
		{Header: "Ouverture", Kind: Date, Width: 12},
		{Header: "Élèves", Kind: Integer, Width: 8},
		{Header: "Comptes élèves activés", Kind: Integer, Width: 12},
		{Header: "Part des élèves activés", Kind: Percent, Width: 10},
	}}
}

// UsageWatchValues is one row of the export of the écoles to watch.
func UsageWatchValues(e models.UsageWatchEcole) []any {
	return []any{e.UAI, e.Nom, e.Commune, e.Ouverture.Time(), e.NbEleves, e.ComptesActives, rateOf(e.Rate())}
}
