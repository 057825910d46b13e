package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// The dashboard as a workbook (issue 15): a Synthèse sheet of key figures as numbers, then
// the figures by theme with native charts (rollout by territory, openings per quarter
// planned against actual, slippage by wave, conventions, financing by year and funder,
// activation by territory), then one sheet per list of the scope (DashboardThemes). The
// title block of every sheet says the scope, the date and the baseline of the slippage.

// dashboardSynthese is the key figures: one per row.
var dashboardSynthese = Table{Sheet: "Synthèse", Title: "Chiffres clés", Columns: []Column{
	{Header: "Indicateur", Kind: Text, Width: 48}, {Header: "Nombre", Kind: Integer, Width: 12},
	{Header: "Part", Kind: Percent, Width: 10}, {Header: "Montant", Kind: Euros, Width: 16},
	{Header: "Moyenne (sur 5)", Kind: Decimal, Width: 12}}}

// dashboardDeploiement is the rollout by territory.
var dashboardDeploiement = Table{Sheet: "Déploiement", Title: "Écoles ouvertes ou généralisées par territoire", Columns: []Column{
	{Header: "Territoire", Kind: Text, Width: 40}, {Header: "Écoles", Kind: Integer}, {Header: "Élèves", Kind: Integer},
	{Header: "Écoles ouvertes ou généralisées", Kind: Integer, Width: 16}, {Header: "Part des écoles ouvertes", Kind: Percent, Width: 14}}}

// dashboardOuvertures is the openings per quarter.
var dashboardOuvertures = Table{Sheet: "Ouvertures", Title: "Ouvertures par trimestre : prévues et effectives", Columns: []Column{
	{Header: "Trimestre", Kind: Text, Width: 10}, {Header: "Prévues", Kind: Integer}, {Header: "Effectives", Kind: Integer},
	{Header: "Prévues (cumul)", Kind: Integer}, {Header: "Effectives (cumul)", Kind: Integer}}}

// dashboardGlissement is the slippage by wave against the baseline.
var dashboardGlissement = Table{Sheet: "Glissement", Title: "Glissement par vague par rapport à la référence", Columns: []Column{
	{Header: "Vague", Kind: Text, Width: 36}, {Header: "Écoles", Kind: Integer}, {Header: "Écoles en retard", Kind: Integer, Width: 12},
	{Header: "Glissement moyen (jours)", Kind: Decimal, Width: 14}, {Header: "Glissement maximal (jours)", Kind: Integer, Width: 14}}}

// dashboardConventions is the conventions by status.
var dashboardConventions = Table{Sheet: "Conventions par statut", Title: "Conventions par statut", Columns: []Column{
	{Header: "Statut", Kind: Text, Width: 24}, {Header: "Conventions", Kind: Integer, Width: 14}}}

// dashboardUsages is the activation and activity by territory for the latest month.
var dashboardUsages = Table{Sheet: "Usages", Title: "Activation et activité des comptes ENT", Columns: []Column{
	{Header: "Territoire", Kind: Text, Width: 36}, {Header: "Écoles ayant des chiffres", Kind: Integer, Width: 12},
	{Header: "Comptes chargés", Kind: Integer, Width: 12}, {Header: "Comptes activés", Kind: Integer, Width: 12},
	{Header: "Taux d'activation", Kind: Percent, Width: 12}, {Header: "Visiteurs uniques", Kind: Integer, Width: 12},
	{Header: "Taux d'activité", Kind: Percent, Width: 12}}}

// DashboardWorkbook writes the dashboard d, then its theme sheets.
func DashboardWorkbook(w io.Writer, doc Document, d models.Dashboard, themes ...Theme) error {
	notes := dashboardNotes(d)
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		for _, write := range []func(*Workbook, models.Dashboard, []Field) error{
			writeDashboardSynthese, writeDashboardDeploiement, writeDashboardOuvertures, writeDashboardGlissement,
			writeDashboardConventions, writeDashboardFinancement, writeDashboardUsages,
		} {
			if err := write(wb, d, notes); err != nil {
				return err
			}
		}
		for _, t := range themes {
			if err := writeTheme(wb, t, notes); err != nil {
				return err
			}
		}
		return nil
	})
}

// dashboardNotes are the lines every sheet's title block adds: the baseline of the
// slippage.
func dashboardNotes(d models.Dashboard) []Field {
	if d.Reference == nil {
		return []Field{{Label: "Référence du plan", Value: "aucune référence figée"}}
	}
	r := d.Reference
	return []Field{{Label: "Référence du plan", Value: r.Nom + " (gelée le " + r.DateGel.Format("02/01/2006") + ")"}}
}

func writeTheme(wb *Workbook, t Theme, notes []Field) error {
	s, err := wb.AddSheet(t.Table, notes...)
	if err != nil {
		return err
	}
	if t.Flag != nil {
		if err := s.Highlight(*t.Flag); err != nil {
			return err
		}
	}
	return t.Rows(s)
}

func writeDashboardDeploiement(wb *Workbook, d models.Dashboard, notes []Field) error {
	s, err := wb.AddSheet(dashboardDeploiement, notes...)
	if err != nil {
		return err
	}
	for _, r := range append(append([]models.ProgressRow{}, d.Progress.Rows...), d.Progress.Total) {
		if err := s.WriteRow(r.Label, r.Total.Ecoles, r.Total.Eleves, r.Opened(), r.OpenShare()); err != nil {
			return err
		}
	}
	return s.AddChart(Chart{Title: "Écoles ouvertes ou généralisées", Series: []int{3}, Rows: len(d.Progress.Rows), Axis: "Écoles"})
}

func writeDashboardOuvertures(wb *Workbook, d models.Dashboard, notes []Field) error {
	s, err := wb.AddSheet(dashboardOuvertures, notes...)
	if err != nil {
		return err
	}
	for _, q := range d.Ouvertures {
		if err := s.WriteRow(q.Label(), q.Prevues, q.Effectives, q.PrevuesCumul, q.EffectivesCumul); err != nil {
			return err
		}
	}
	return s.AddChart(Chart{Title: "Ouvertures cumulées : prévues et effectives", Series: []int{3, 4}, Axis: "Écoles"})
}

func writeDashboardGlissement(wb *Workbook, d models.Dashboard, notes []Field) error {
	s, err := wb.AddSheet(dashboardGlissement, notes...)
	if err != nil || d.Glissement == nil {
		return err
	}
	for _, g := range append(append([]models.SlipGroup{}, d.Glissement.Vagues...), d.Glissement.Total) {
		label := g.Label
		if label == "" {
			label = "Total"
		}
		if err := s.WriteRow(label, g.NbEcoles, g.NbEnRetard, g.MoyenneJours, g.MaxJours); err != nil {
			return err
		}
	}
	return nil
}

func writeDashboardConventions(wb *Workbook, d models.Dashboard, notes []Field) error {
	c, err := wb.AddSheet(dashboardConventions, notes...)
	if err != nil {
		return err
	}
	for _, f := range d.Conventions {
		if err := c.WriteRow(f.Label, f.Value); err != nil {
			return err
		}
	}
	return c.AddChart(Chart{Title: "Conventions par statut", Series: []int{1}, Axis: "Conventions"})
}

func writeDashboardUsages(wb *Workbook, d models.Dashboard, notes []Field) error {
	u := d.Usage
	if u.Mois != "" {
		notes = append(notes, Field{Label: "Mois", Value: u.Mois})
	}
	s, err := wb.AddSheet(dashboardUsages, notes...)
	if err != nil {
		return err
	}
	for _, r := range append(append([]models.UsageLine{}, u.Rows...), models.UsageLine{Label: "Total", UsageFigures: u.Total}) {
		if err := s.WriteRow(r.Label, r.Ecoles, r.ComptesCharges, r.ComptesActives, rateOrNil(r.ActivationRate()),
			r.Visiteurs, rateOrNil(r.ActivityRate())); err != nil {
			return err
		}
	}
	return s.AddChart(Chart{Title: "Taux d'activation des comptes", Series: []int{4}, Rows: len(u.Rows), Axis: "Taux d'activation"})
}

// rateOrNil is a rate, nil when unknown (an empty cell, not 0 %).
func rateOrNil(rate float64, ok bool) any {
	if !ok {
		return nil
	}
	return rate
}
