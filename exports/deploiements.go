package exports

import (
	"github.com/ac-creteil/pilotage/models"
)

// DeploiementsTable is the shape of the deployment list's export: one row per école of the
// filtered list, in its order; the slippage in calendar days (positive: late).
var DeploiementsTable = Table{Sheet: "Déploiements", Title: "Déploiement des ENT par école", Columns: []Column{
	{Header: "UAI", Kind: Text, Width: 10},
	{Header: "École", Kind: Text, Width: 40},
	{Header: "Commune", Kind: Text, Width: 28},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Circonscription", Kind: Text, Width: 14},
	{Header: "Élèves", Kind: Integer, Width: 8},
	{Header: "Phase", Kind: Text, Width: 16},
	{Header: "Date d'effet", Kind: Date, Width: 12},
	{Header: "Vague", Kind: Text, Width: 28},
	{Header: "Solution ENT", Kind: Text, Width: 24},
	{Header: "Ouverture prévue", Kind: Date, Width: 12},
	{Header: "Ouverture effective", Kind: Date, Width: 12},
	{Header: "Écart (jours)", Kind: Integer, Width: 10},
}}

// DeploiementValues is one row of the deployment list's export.
func DeploiementValues(r models.DeploiementRow) []any {
	return []any{r.UAI, r.Nom, r.CommuneNom, r.CodeINSEE, r.DepartementCode, r.CodeCirconscription, r.NbEleves,
		r.PhaseLabel(), r.DatePhase, r.VagueNom, r.SolutionNom, r.OuverturePrevue, r.OuvertureEffective, r.Ecart}
}

// ProgressTable is the shape of the progress export at a level (its label heads the first
// column): écoles and pupils per phase and hors programme, the total and the share of
// écoles open.
func ProgressTable(level string) Table {
	cols := []Column{{Header: "Code", Kind: Text, Width: 11}, {Header: level, Kind: Text, Width: 36}}
	for _, p := range models.ProgressColumns {
		cols = append(cols, Column{Header: p.Label + " : écoles", Kind: Integer, Width: 12},
			Column{Header: p.Label + " : élèves", Kind: Integer, Width: 12})
	}
	cols = append(cols, Column{Header: "Total écoles", Kind: Integer, Width: 12}, Column{Header: "Total élèves", Kind: Integer, Width: 12},
		Column{Header: "Part des écoles ouvertes ou généralisées", Kind: Percent, Width: 14})
	return Table{Sheet: "Avancement", Title: "Avancement du déploiement par " + level, Columns: cols}
}

// ProgressValues is one row of the progress export.
func ProgressValues(r models.ProgressRow) []any {
	out := []any{r.Code, r.Label}
	for _, c := range r.Cells() {
		out = append(out, c.Ecoles, c.Eleves)
	}
	return append(out, r.Total.Ecoles, r.Total.Eleves, r.OpenShare())
}
