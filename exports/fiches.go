package exports

import (
	"cmp"
	"io"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// The fiches of communes as a workbook (issue 15): one sheet per commune — its key figures
// in the title block, then its écoles in the programme — and, for several communes, a
// summary sheet first with one row per commune.

// FichesSummaryTable is the summary sheet: one row per commune, figures as numbers.
var FichesSummaryTable = Table{Sheet: "Synthèse", Title: "Une ligne par commune", Columns: []Column{
	{Header: "Commune", Kind: Text, Width: 26}, {Header: "Code INSEE", Kind: Text, Width: 10},
	{Header: "Département", Kind: Text, Width: 6}, {Header: "Population", Kind: Integer},
	{Header: "Écoles", Kind: Integer}, {Header: "Élèves", Kind: Integer},
	{Header: "Écoles dans le programme", Kind: Integer}, {Header: "Écoles où l'ENT est ouvert", Kind: Integer},
	{Header: "Conventions en vigueur", Kind: Integer}, {Header: "Charte", Kind: Text, Width: 12},
	{Header: "Part prévue des plans de financement", Kind: Euros, Width: 16},
	{Header: "Enseignants formés", Kind: Integer}, {Header: "Taux de formation", Kind: Percent},
	{Header: "Prochaine étape", Kind: Text, Width: 30}, {Header: "Date prévue", Kind: Date},
}}

// FicheEcolesTable is the table of a commune's sheet: its écoles in the programme.
var FicheEcolesTable = Table{Columns: []Column{
	{Header: "École", Kind: Text, Width: 40}, {Header: "UAI", Kind: Text, Width: 10},
	{Header: "Élèves", Kind: Integer}, {Header: "Étape", Kind: Text, Width: 16},
	{Header: "Ouverture", Kind: Date}, {Header: "Ouverture prévue", Kind: Date}, {Header: "Solution", Kind: Text, Width: 24},
}}

// FichesWorkbook writes the fiches: the summary when there are several, then a sheet per
// commune, named after its code and name.
func FichesWorkbook(w io.Writer, doc Document, fiches []models.FicheCommune) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		if len(fiches) > 1 {
			if err := writeFichesSummary(wb, fiches); err != nil {
				return err
			}
		}
		for _, f := range fiches {
			if err := writeFiche(wb, f); err != nil {
				return err
			}
		}
		return nil
	})
}

// FicheSummary is the figures of a fiche the summary and the sheet show.
type FicheSummary struct {
	EnProgramme, Ouvertes int
	Prevu                 int64 // cents, the commune's share of its plans
	Jalon                 string
	JalonDate             any // *time.Time or nil
}

// SummaryOf computes the figures of a fiche.
func SummaryOf(f models.FicheCommune) FicheSummary {
	var s FicheSummary
	for _, e := range f.Ecoles {
		if e.InProgramme() {
			s.EnProgramme++
		}
	}
	s.Ouvertes = int(f.ENT.Ouvertes)
	for _, p := range f.Plans {
		s.Prevu += p.Share.SharePrevu
	}
	if f.Jalon != nil {
		s.Jalon, s.JalonDate = f.Jalon.Titre, &f.Jalon.DatePrevue
	}
	return s
}

func charteLabel(f models.FicheCommune) string {
	if f.Charte.Covered() {
		return "Couverte"
	}
	return "Non couverte"
}

func writeFichesSummary(wb *Workbook, fiches []models.FicheCommune) error {
	s, err := wb.AddSheet(FichesSummaryTable)
	if err != nil {
		return err
	}
	for _, f := range fiches {
		sum, c := SummaryOf(f), f.Commune
		if err := s.WriteRow(c.Nom, c.CodeINSEE, c.DepartementCode, c.Population, c.NbEcoles, c.NbEleves,
			sum.EnProgramme, sum.Ouvertes, len(f.Conventions), charteLabel(f), sum.Prevu, f.Formation.Formes,
			f.Formation.Rate(), sum.Jalon, sum.JalonDate); err != nil {
			return err
		}
	}
	return nil
}

// writeFiche writes the sheet of one commune.
func writeFiche(wb *Workbook, f models.FicheCommune) error {
	sum, c := SummaryOf(f), f.Commune
	convs := make([]string, 0, len(f.Conventions))
	for _, cv := range f.Conventions {
		until := "sans échéance"
		if d := cv.ExpirationLabel(); d != "" {
			until = "jusqu'au " + d
		}
		convs = append(convs, cv.Reference+" ("+until+")")
	}
	t := FicheEcolesTable
	t.Sheet, t.Title = c.CodeINSEE+" "+c.Nom, "Fiche de "+c.Nom+" ("+c.CodeINSEE+")"
	notes := []Field{{"Population", fr.Int(c.Population) + " habitants"},
		{"Écoles", fr.Int(c.NbEcoles) + " écoles, " + fr.Int(c.NbEleves) + " élèves"},
		{"ENT", strconv.Itoa(sum.Ouvertes) + " écoles où il est ouvert, " + strconv.Itoa(sum.EnProgramme) + " dans le programme"},
		{"Conventions en vigueur", cmp.Or(strings.Join(convs, " ; "), "aucune")},
		{"Charte des ENT", charteLabel(f)},
		{"Part prévue des plans de financement", fr.Euros(sum.Prevu)},
		{"Enseignants formés", fr.Int(f.Formation.Formes) + " pour un effectif estimé de " + fr.Int(f.Formation.Estimation)},
		{"Prochaine étape", cmp.Or(sum.Jalon, "aucune planifiée")}}
	s, err := wb.AddSheet(t, notes...)
	if err != nil {
		return err
	}
	for _, e := range f.Ecoles {
		if !e.InProgramme() {
			continue
		}
		if err := s.WriteRow(e.Nom, e.UAI, e.NbEleves, e.PhaseLabel(), e.OuvertureEffective, e.OuverturePrevue, e.SolutionNom); err != nil {
			return err
		}
	}
	return nil
}
