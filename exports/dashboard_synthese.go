package exports

import (
	"strconv"

	"github.com/ac-creteil/pilotage/models"
)

// writeDashboardSynthese writes the key figures, each a real number: count, share, amount
// or mean.
func writeDashboardSynthese(wb *Workbook, d models.Dashboard, notes []Field) error {
	s, err := wb.AddSheet(dashboardSynthese, notes...)
	if err != nil {
		return err
	}
	rows := [][]any{
		{"Écoles", d.Progress.Total.Total.Ecoles, nil, nil, nil},
		{"Écoles où l'ENT est ouvert ou généralisé", d.Progress.Total.Opened(), d.Progress.Total.OpenShare(), nil, nil},
	}
	if g := d.Glissement; g != nil {
		rows = append(rows, []any{"Écoles en retard sur la référence", g.Total.NbEnRetard, nil, nil, nil})
	}
	if d.Charte != nil {
		rows = append(rows, []any{"Communes couvertes par la charte", d.Charte.Total.CommunesCovered, d.Charte.Total.CommunesShare(), nil, nil},
			[]any{"Élèves couverts par la charte", d.Charte.Total.ElevesCovered, d.Charte.Total.ElevesShare(), nil, nil})
	}
	for _, f := range d.Conventions {
		rows = append(rows, []any{"Conventions : " + f.Label, f.Value, nil, nil, nil})
	}
	rows = append(rows, financementSynthese(d.Financement)...)
	for _, f := range d.Formation {
		var part any
		if f.Label == "Enseignants formés" {
			part = d.Formes.Rate() // of the estimated teaching staff of the écoles opened
		}
		rows = append(rows, []any{f.Label, f.Value, part, nil, nil})
	}
	rows = append(rows, []any{"Satisfaction des formations (réponses)", d.Evaluations.Reponses, nil, nil, d.Evaluations.MeanSatisfaction()})
	rows = append(rows, usageSynthese(d.Usage)...)
	for _, f := range d.Gouvernance {
		rows = append(rows, []any{f.Label, f.Value, nil, nil, nil})
	}
	for _, r := range rows {
		if err := s.WriteRow(r...); err != nil {
			return err
		}
	}
	return nil
}

func financementSynthese(f models.DashboardFinancement) [][]any {
	rows := [][]any{
		{"Plans de financement", f.Plans.Value, nil, nil, nil},
		{"Financement prévu", nil, nil, f.Total.Prevu, nil},
		{"Financement réalisé (lignes dont le réalisé est connu)", f.Total.NbRealises, nil, f.Total.Realise, nil},
	}
	if f.CoutEleve != nil {
		rows = append(rows, []any{"Coût prévu par élève des communes financées", f.Eleves, nil, *f.CoutEleve, nil})
	}
	return rows
}

func usageSynthese(u models.DashboardUsage) [][]any {
	if u.Mois == "" {
		return nil
	}
	rows := [][]any{
		{"Taux d'activation des comptes ENT (" + u.Mois + ")", u.Total.Ecoles, rateOrNil(u.Total.ActivationRate()), nil, nil},
		{"Taux d'activité des comptes activés (" + u.Mois + ")", u.Total.Ecoles, rateOrNil(u.Total.ActivityRate()), nil, nil},
	}
	if u.Watch != nil {
		rows = append(rows, []any{u.Watch.Label + " (moins de " + strconv.Itoa(u.Threshold) + " % des élèves activés)", u.Watch.Value, nil, nil, nil})
	}
	return rows
}

// writeDashboardFinancement writes the planned and actual amounts by year, one column per
// funder, with the chart of the planned amounts by funder.
func writeDashboardFinancement(wb *Workbook, d models.Dashboard, notes []Field) error {
	f := d.Financement
	t := Table{Sheet: "Financement", Title: "Financement prévu et réalisé par année et par financeur",
		Columns: []Column{{Header: "Année", Kind: Text, Width: 10}}}
	for _, fu := range f.Funders {
		t.Columns = append(t.Columns, Column{Header: fu.Label + " : prévu", Kind: Euros, Width: 16})
	}
	t.Columns = append(t.Columns, Column{Header: "Total prévu", Kind: Euros, Width: 16},
		Column{Header: "Total réalisé", Kind: Euros, Width: 16}, Column{Header: "Investissement prévu", Kind: Euros, Width: 16},
		Column{Header: "Fonctionnement prévu", Kind: Euros, Width: 16})
	s, err := wb.AddSheet(t, notes...)
	if err != nil {
		return err
	}
	write := func(label string, funders func(key string) int64, total models.FinancementSum, natures []models.FinancementSum) error {
		row := []any{label}
		for _, fu := range f.Funders {
			row = append(row, funders(fu.Key))
		}
		row = append(row, total.Prevu, total.Realise, prevuOf(natures, "investissement"), prevuOf(natures, "fonctionnement"))
		return s.WriteRow(row...)
	}
	for _, y := range f.Years {
		if err := write(strconv.Itoa(y.Annee), func(k string) int64 { return y.FunderOf(k).Prevu }, y.Total, y.Natures); err != nil {
			return err
		}
	}
	if err := write("Total", func(k string) int64 { return prevuOf(f.Funders, k) }, f.Total, f.Natures); err != nil {
		return err
	}
	series := make([]int, len(f.Funders))
	for i := range series {
		series[i] = i + 1
	}
	if len(series) == 0 {
		return nil
	}
	return s.AddChart(Chart{Title: "Financement prévu par financeur", Series: series, Rows: len(f.Years), Stacked: true, Axis: "Montant prévu"})
}

// prevuOf is the planned amount of the group key of sums (0 when absent).
func prevuOf(sums []models.FinancementSum, key string) int64 {
	for _, g := range sums {
		if g.Key == key {
			return g.Prevu
		}
	}
	return 0
}
