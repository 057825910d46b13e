package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// The dashboard as a workbook (issue 15): a Synthèse sheet of key figures as numbers, then
// the rollout by territory with a native chart, the conventions by status with a chart,
// and the training. The title block of every sheet says the scope and the date.

// dashboardSynthese is the key figures: one per row.
var dashboardSynthese = Table{Sheet: "Synthèse", Title: "Chiffres clés", Columns: []Column{
	{Header: "Indicateur", Kind: Text, Width: 48}, {Header: "Nombre", Kind: Integer, Width: 12},
	{Header: "Part", Kind: Percent, Width: 10}, {Header: "Moyenne (sur 5)", Kind: Decimal, Width: 12}}}

// dashboardDeploiement is the rollout by territory.
var dashboardDeploiement = Table{Sheet: "Déploiement", Title: "Écoles ouvertes ou généralisées par territoire", Columns: []Column{
	{Header: "Territoire", Kind: Text, Width: 40}, {Header: "Écoles", Kind: Integer}, {Header: "Élèves", Kind: Integer},
	{Header: "Écoles ouvertes ou généralisées", Kind: Integer, Width: 16}, {Header: "Part des écoles ouvertes", Kind: Percent, Width: 14}}}

// dashboardConventions is the conventions by status.
var dashboardConventions = Table{Sheet: "Conventions", Title: "Conventions par statut", Columns: []Column{
	{Header: "Statut", Kind: Text, Width: 24}, {Header: "Conventions", Kind: Integer, Width: 14}}}

// DashboardWorkbook writes the dashboard d.
func DashboardWorkbook(w io.Writer, doc Document, d models.Dashboard) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		if err := writeDashboardSynthese(wb, d); err != nil {
			return err
		}
		s, err := wb.AddSheet(dashboardDeploiement)
		if err != nil {
			return err
		}
		for _, r := range append(append([]models.ProgressRow{}, d.Progress.Rows...), d.Progress.Total) {
			if err := s.WriteRow(r.Label, r.Total.Ecoles, r.Total.Eleves, r.Opened(), r.OpenShare()); err != nil {
				return err
			}
		}
		if err := s.AddChart(Chart{Title: "Écoles ouvertes ou généralisées", Series: []int{3}, Rows: len(d.Progress.Rows), Axis: "Écoles"}); err != nil {
			return err
		}
		c, err := wb.AddSheet(dashboardConventions)
		if err != nil {
			return err
		}
		for _, f := range d.Conventions {
			if err := c.WriteRow(f.Label, f.Value); err != nil {
				return err
			}
		}
		return c.AddChart(Chart{Title: "Conventions par statut", Series: []int{1}, Axis: "Conventions"})
	})
}

// writeDashboardSynthese writes the key figures.
func writeDashboardSynthese(wb *Workbook, d models.Dashboard) error {
	s, err := wb.AddSheet(dashboardSynthese)
	if err != nil {
		return err
	}
	rows := [][]any{
		{"Écoles", d.Progress.Total.Total.Ecoles, nil, nil},
		{"Écoles où l'ENT est ouvert ou généralisé", d.Progress.Total.Opened(), d.Progress.Total.OpenShare(), nil},
	}
	if d.Charte != nil {
		rows = append(rows, []any{"Communes couvertes par la charte", d.Charte.Total.CommunesCovered, d.Charte.Total.CommunesShare(), nil},
			[]any{"Élèves couverts par la charte", d.Charte.Total.ElevesCovered, d.Charte.Total.ElevesShare(), nil})
	}
	for _, f := range d.Conventions {
		rows = append(rows, []any{"Conventions : " + f.Label, f.Value, nil, nil})
	}
	for _, f := range d.Formation {
		var part any
		if f.Value == d.Formes.Formes && f.Label == "Enseignants formés" {
			part = d.Formes.Rate() // of the estimated teaching staff of the écoles opened
		}
		rows = append(rows, []any{f.Label, f.Value, part, nil})
	}
	rows = append(rows, []any{"Satisfaction des formations (réponses)", d.Evaluations.Reponses, nil, d.Evaluations.MeanSatisfaction()})
	for _, f := range d.Gouvernance {
		rows = append(rows, []any{f.Label, f.Value, nil, nil})
	}
	for _, r := range rows {
		if err := s.WriteRow(r...); err != nil {
			return err
		}
	}
	return nil
}
