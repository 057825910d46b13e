package exports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
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

// CoverageSummaryTable is the first sheet of the coverage workbook: one row per département
// and one for the académie.
var CoverageSummaryTable = Table{Sheet: "Synthèse", Columns: []Column{
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Nom", Kind: Text, Width: 28},
	{Header: "Communes", Kind: Integer, Width: 12},
	{Header: "Communes couvertes", Kind: Integer, Width: 14},
	{Header: "Part des communes", Kind: Decimal, Width: 14},
	{Header: "Élèves", Kind: Integer, Width: 12},
	{Header: "Élèves couverts", Kind: Integer, Width: 14},
	{Header: "Part des élèves", Kind: Decimal, Width: 14},
}}

// UncoveredTable is the second sheet: the communes not covered.
var UncoveredTable = Table{Sheet: "Communes non couvertes", Columns: []Column{
	{Header: "Code INSEE", Kind: Text, Width: 11},
	{Header: "Commune", Kind: Text, Width: 36},
	{Header: "Département", Kind: Text, Width: 12},
	{Header: "Population", Kind: Integer, Width: 12},
	{Header: "Élèves", Kind: Integer, Width: 10},
}}

// coverageValues is one row of the summary; shares are percentages.
func coverageValues(r models.CoverageRow) []any {
	return []any{r.Code, r.Nom, r.Communes, r.CommunesCovered, r.CommunesShare() * 100, r.Eleves, r.ElevesCovered, r.ElevesShare() * 100}
}

// WriteCoverageXLSX writes the coverage workbook to w: the summary sheet, then the uncovered
// communes, which each streams (one StreamWriter per sheet, flushed in turn).
func WriteCoverageXLSX(w io.Writer, cov models.Coverage, each func(fn func(models.UncoveredCommune) error) error) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	summary := sheetName(CoverageSummaryTable.Sheet)
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	sw, err := newSheet(f, summary, CoverageSummaryTable)
	if err != nil {
		return err
	}
	row := 1
	for _, r := range append(cov.Departements, cov.Total) {
		row++
		if err := streamRow(sw, CoverageSummaryTable, row, coverageValues(r)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	uncovered := sheetName(UncoveredTable.Sheet)
	if _, err := f.NewSheet(uncovered); err != nil {
		return err
	}
	if sw, err = newSheet(f, uncovered, UncoveredTable); err != nil {
		return err
	}
	row = 1
	if err := each(func(c models.UncoveredCommune) error {
		row++
		return streamRow(sw, UncoveredTable, row, []any{c.CodeINSEE, c.Nom, c.DepartementCode, c.Population, c.Eleves})
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// newSheet starts a stream writer on sheet with the widths and the header row of t.
func newSheet(f *excelize.File, sheet string, t Table) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		if err := sw.SetColWidth(i+1, i+1, c.width()); err != nil {
			return nil, err
		}
		header[i] = c.Header
	}
	return sw, sw.SetRow("A1", header)
}

// streamRow converts values with the cell rules of the exports and writes them at row.
func streamRow(sw *excelize.StreamWriter, t Table, row int, values []any) error {
	cells := make([]any, len(values))
	for i, v := range values {
		cell, err := xlsxCell(t.Columns[i].Kind, v)
		if err != nil {
			return fmt.Errorf("exports : %w", columnError(i, t.Columns[i], err))
		}
		cells[i] = cell
	}
	return sw.SetRow("A"+strconv.Itoa(row), cells)
}
