package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// FinancementsTable is the shape of the financing plans export: one row per plan, in the
// order of the list on screen; amounts in euros.
var FinancementsTable = Table{Sheet: "Plans de financement", Title: "Plans de financement", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Titre", Kind: Text, Width: 40},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Portage", Kind: Text, Width: 24},
	{Header: "Clé de répartition", Kind: Text, Width: 18},
	{Header: "EPCI", Kind: Text, Width: 30},
	{Header: "Communes concernées", Kind: Text, Width: 40},
	{Header: "Convention", Kind: Text, Width: 30},
	{Header: "Lignes", Kind: Integer, Width: 8},
	{Header: "Total prévu", Kind: Euros, Width: 16},
	{Header: "Total réalisé", Kind: Euros, Width: 16},
	{Header: "Modifié le", Kind: Date, Width: 12},
}}

// FinancementValues is one row of the plans export.
func FinancementValues(f models.FinancementRow) []any {
	var realise any
	if f.NbRealises > 0 {
		realise = f.RealiseCentimes
	}
	return []any{f.ID, f.Titre, f.DepartementCode, f.PortageLabel(), f.CleLabel(), f.EPCILabel(), f.CommunesLabel(),
		f.ConventionLabel(), f.NbLignes, f.PrevuCentimes, realise, f.UpdatedAt.In(paris())}
}

// LignesTable is the sheet of a plan's lines.
var LignesTable = Table{Sheet: "Lignes", Title: "Lignes du plan", Columns: []Column{
	{Header: "Année", Kind: Text, Width: 12},
	{Header: "Type d'année", Kind: Text, Width: 16},
	{Header: "Financeur", Kind: Text, Width: 24},
	{Header: "Nature", Kind: Text, Width: 16},
	{Header: "Libellé", Kind: Text, Width: 40},
	{Header: "Prévu", Kind: Euros, Width: 16},
	{Header: "Réalisé", Kind: Euros, Width: 16},
}}

// PlanCommunesTable is the sheet of the plan itself: its communes and their shares, under
// the plan's description and figures.
var PlanCommunesTable = Table{Sheet: "Plan", Title: "Communes et parts", Columns: []Column{
	{Header: "Commune", Kind: Text, Width: 36},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Part de la clé", Kind: Percent, Width: 12},
	{Header: "Part du prévu", Kind: Euros, Width: 18},
	{Header: "Part du réalisé", Kind: Euros, Width: 18},
}}

// FinancementWorkbook writes the workbook of one plan: its lines, a year × funder summary of
// the planned amounts with a native Excel column chart, and the plan with its communes'
// shares. Amounts are numbers of euros with a € format, shares percentages; text is always
// written as text (a title starting with "=" is no formula).
func FinancementWorkbook(w io.Writer, doc Document, p models.FinancementPlan) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		s, err := wb.AddSheet(LignesTable)
		if err != nil {
			return err
		}
		for _, l := range p.Lignes {
			var realise any
			if l.RealiseCentimes != nil {
				realise = *l.RealiseCentimes
			}
			if err := s.WriteRow(l.AnneeLabel(), models.LabelOf(models.TypesAnnee, l.TypeAnnee), l.FinanceurLabel(),
				l.NatureLabel(), l.Libelle, l.PrevuCentimes, realise); err != nil {
				return err
			}
		}
		if err := writeSummary(wb, p); err != nil {
			return err
		}
		return writePlan(wb, p)
	})
}

// writeSummary writes the year × funder table of planned amounts, its total, and the chart.
func writeSummary(wb *Workbook, p models.FinancementPlan) error {
	t := Table{Sheet: "Synthèse", Title: "Montants prévus par année et par financeur", Columns: []Column{{Header: "Année", Kind: Text, Width: 14}}}
	for _, fu := range p.Funders {
		t.Columns = append(t.Columns, Column{Header: fu.Label, Kind: Euros})
	}
	t.Columns = append(t.Columns, Column{Header: "Total prévu", Kind: Euros, Width: 16}, Column{Header: "Total réalisé", Kind: Euros, Width: 16})
	s, err := wb.AddSheet(t)
	if err != nil {
		return err
	}
	for _, r := range append(append([]models.FigureRow{}, p.ByYear...), p.Total) {
		row := []any{r.Label}
		for _, c := range r.Cells {
			row = append(row, c)
		}
		var realise any
		if r.Known {
			realise = r.Realise
		}
		if err := s.WriteRow(append(row, r.Prevu, realise)...); err != nil {
			return err
		}
	}
	series := make([]int, len(p.Funders))
	for i := range series {
		series[i] = i + 1
	}
	if len(series) == 0 {
		return nil
	}
	return s.AddChart(Chart{Title: "Montants prévus par année et par financeur", Series: series, Rows: len(p.ByYear),
		Stacked: true, Axis: "Montant prévu"})
}

// writePlan writes the plan's sheet: its description and figures in the title block, then
// its communes with their share of the key and of the amounts.
func writePlan(wb *Workbook, p models.FinancementPlan) error {
	notes := []Field{{"Département", p.DepartementCode}, {"Portage", p.PortageLabel()},
		{"Clé de répartition", p.CleLabel()}, {"EPCI", p.EPCILabel()}, {"Convention", p.ConventionLabel()},
		{"Total prévu", fr.Euros(p.Total.Prevu)}, {"Coût prévu par élève", fr.EurosPtr(p.CoutEleve)},
		{"Coût prévu par école", fr.EurosPtr(p.CoutEcole)}, {"Base du coût par élève", p.CostBasis}}
	s, err := wb.AddSheet(PlanCommunesTable, notes...)
	if err != nil {
		return err
	}
	weights := make([]int64, len(p.CommunesDetail))
	for i, c := range p.CommunesDetail {
		weights[i] = c.Weight
	}
	shares := models.SplitCents(10000, weights) // hundredths of a percent, as the page shows them
	for i, c := range p.CommunesDetail {
		if err := s.WriteRow(c.Nom, c.CodeINSEE, float64(shares[i])/10000, c.SharePrevu, c.ShareRealise); err != nil {
			return err
		}
	}
	return nil
}
