package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// PreparationTable is the shape of the "Préparer la prochaine réunion" workbook: the agenda
// of the last held and of the next meeting, the last meeting's decisions, the body's open
// actions, then the conventions of its territory that expire soon or wait for their
// signatures, as the page shows them. The meetings themselves are in the title block.
var PreparationTable = Table{Sheet: "Préparation", Columns: []Column{
	{Header: "Rubrique", Kind: Text, Width: 32},
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Intitulé", Kind: Text, Width: 60},
	{Header: "Type ou statut", Kind: Text, Width: 16},
	{Header: "Responsable", Kind: Text, Width: 40},
	{Header: "Date ou échéance", Kind: Date, Width: 12},
	{Header: "En retard", Kind: Text, Width: 10},
}}

// Preparation is what the preparation workbook shows: the page's preparation, the agenda
// items of its meetings, and the conventions of the body's territory that expire soon or
// wait for their signatures.
type Preparation struct {
	models.Preparation
	Points   map[int64][]models.ReunionPoint // by meeting
	Expiring []models.ConventionRow
	Waiting  []models.ConventionRow
}

// WritePreparationXLSX writes the preparation workbook to w: the next and the last meeting
// (name, date, place) in the title block, then one row per agenda item, decision, action
// and convention.
func WritePreparationXLSX(w io.Writer, doc Document, p Preparation) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		s, err := wb.AddSheet(PreparationTable, meetingNotes(p.Preparation)...)
		if err != nil {
			return err
		}
		for _, row := range preparationRows(p) {
			if err := s.WriteRow(row...); err != nil {
				return err
			}
		}
		return nil
	})
}

// meetingNotes are the title block's lines on the next and the last meeting.
func meetingNotes(p models.Preparation) []Field {
	next := Field{"Prochaine réunion", "aucune réunion n'est planifiée"}
	if r := p.Next; r != nil {
		next.Value = r.Label() + ", le " + meetingWhen(*r)
		if r.Lieu != "" {
			next.Value += ", " + r.Lieu
		}
	}
	last := Field{"Dernière réunion tenue", "aucune réunion n'a encore été tenue"}
	if r := p.LastHeld; r != nil {
		last.Value = r.Label() + ", le " + meetingWhen(*r)
	}
	return []Field{next, last}
}

// meetingWhen is a meeting's day and hours in Paris: "12/03/2026 de 14:00 à 16:00".
func meetingWhen(r models.ReunionRow) string {
	debut, fin := r.Debut.In(paris()), r.Fin.In(paris())
	return debut.Format("02/01/2006") + " de " + debut.Format("15:04") + " à " + fin.Format("15:04")
}

// preparationRows are the rows of the workbook, in the order of the page.
func preparationRows(p Preparation) [][]any {
	var rows [][]any
	for _, m := range []struct {
		nature string
		r      *models.ReunionRow
	}{{"Ordre du jour, dernière réunion", p.LastHeld}, {"Ordre du jour, prochaine réunion", p.Next}} {
		if m.r == nil {
			continue
		}
		for _, pt := range p.Points[m.r.ID] {
			rows = append(rows, []any{m.nature, pt.Position, pt.Titre, "", pt.Presentateur, m.r.Debut.In(paris()), ""})
		}
	}
	for _, d := range p.Decisions {
		rows = append(rows, []any{"Décision", d.ID, d.Texte, d.KindLabel(), nil, nil, ""})
	}
	for _, a := range p.Actions {
		// The owner acts in a public capacity: name, function and organisation (Person.Label).
		rows = append(rows, []any{"Action", a.ID, a.Titre, a.StatutLabel(), a.Owner.Label(), utcDate(a.Echeance), yesNo(a.Overdue)})
	}
	for _, c := range p.Expiring {
		rows = append(rows, []any{"Convention qui arrive à échéance", c.ID, c.Reference + " — " + c.Titre, c.StatutLabel(), nil, c.DateFin, ""})
	}
	for _, c := range p.Waiting {
		rows = append(rows, []any{"Convention à la signature depuis", c.ID, c.Reference + " — " + c.Titre, c.StatutLabel(), nil,
			c.StatutDepuis.In(paris()), ""})
	}
	return rows
}
