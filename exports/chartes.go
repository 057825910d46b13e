package exports

import (
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// AdoptionsTable is the shape of the adoptions export, in the order of the list on screen.
var AdoptionsTable = Table{Sheet: "Adoptions", Title: "Adoptions de la charte", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Version", Kind: Text, Width: 10},
	{Header: "Collectivité", Kind: Text, Width: 44},
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "SIREN EPCI", Kind: Text, Width: 12},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Couvre les communes membres", Kind: Text, Width: 14},
	{Header: "Délibération", Kind: Text, Width: 30},
	{Header: "Date de la délibération", Kind: Date, Width: 14},
}}

// AdoptionValues is one row of the adoptions export.
func AdoptionValues(a models.AdoptionRow) []any {
	cm := ""
	if a.EPCISiren != nil {
		cm = "non"
		if a.CouvreMembres {
			cm = "oui"
		}
	}
	return []any{a.ID, a.CharteNumero, a.Collectivite(), a.CodeINSEE, a.EPCISiren, a.DepartementCode, cm,
		a.DeliberationRef, a.DeliberationDate}
}

// CoverageTitle is the title of the coverage workbook.
const CoverageTitle = "Couverture de la charte"

// CoverageSummaryTable is the first sheet of the coverage workbook: one row per département
// and one for the académie; shares are percentages.
var CoverageSummaryTable = Table{Sheet: "Synthèse", Title: "Synthèse par département", Columns: []Column{
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Nom", Kind: Text, Width: 28},
	{Header: "Communes", Kind: Integer, Width: 12},
	{Header: "Communes couvertes", Kind: Integer, Width: 14},
	{Header: "Part des communes", Kind: Percent, Width: 14},
	{Header: "Élèves", Kind: Integer, Width: 12},
	{Header: "Élèves couverts", Kind: Integer, Width: 14},
	{Header: "Part des élèves", Kind: Percent, Width: 14},
}}

// UncoveredTable is the second sheet, and the coverage's CSV: the communes not covered.
var UncoveredTable = Table{Sheet: "Communes non couvertes", Title: "Communes non couvertes", Columns: []Column{
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 36},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Population", Kind: Integer, Width: 12},
	{Header: "Élèves", Kind: Integer, Width: 12},
}}

// coverageValues is one row of the summary.
func coverageValues(r models.CoverageRow) []any {
	return []any{r.Code, r.Nom, r.Communes, r.CommunesCovered, r.CommunesShare(), r.Eleves, r.ElevesCovered, r.ElevesShare()}
}

// UncoveredValues is one row of the uncovered communes.
func UncoveredValues(c models.UncoveredCommune) []any {
	return []any{c.CodeINSEE, c.Nom, c.DepartementCode, c.Population, c.Eleves}
}

// WriteCoverageXLSX writes the coverage workbook to w: the summary sheet, then the uncovered
// communes, which stream from each.
func WriteCoverageXLSX(w io.Writer, doc Document, cov models.Coverage, each func(fn func(models.UncoveredCommune) error) error) error {
	return writeWorkbook(w, doc, func(wb *Workbook) error {
		s, err := wb.AddSheet(CoverageSummaryTable)
		if err != nil {
			return err
		}
		for _, r := range append(cov.Departements, cov.Total) {
			if err := s.WriteRow(coverageValues(r)...); err != nil {
				return err
			}
		}
		if s, err = wb.AddSheet(UncoveredTable); err != nil {
			return err
		}
		return each(func(c models.UncoveredCommune) error { return s.WriteRow(UncoveredValues(c)...) })
	})
}
