package exports

import (
	"fmt"
	"io"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
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
	{Header: "Total prévu (€)", Kind: Decimal, Width: 16},
	{Header: "Total réalisé (€)", Kind: Decimal, Width: 16},
	{Header: "Modifié le", Kind: Date, Width: 12},
}}

// FinancementValues is one row of the plans export.
func FinancementValues(f models.FinancementRow) []any {
	var realise any
	if f.NbRealises > 0 {
		realise = euros(f.RealiseCentimes)
	}
	return []any{f.ID, f.Titre, f.DepartementCode, f.PortageLabel(), f.CleLabel(), f.EPCILabel(), f.CommunesLabel(),
		f.ConventionLabel(), f.NbLignes, euros(f.PrevuCentimes), realise, f.UpdatedAt.In(paris())}
}

// euros turns cents into the euros of a spreadsheet cell. Only for display in Excel: the
// application computes in cents.
func euros(cents int64) float64 { return float64(cents) / 100 }

// eurosFormat is the Excel number format of amounts: "12 500,50 €" in a French Excel.
const eurosFormat = `#,##0.00\ "€"`

// Sheet names of the plan's workbook.
const (
	sheetLignes   = "Lignes"
	sheetSynthese = "Synthèse"
	sheetPlan     = "Plan"
)

// FinancementWorkbook writes the workbook of one plan: its lines, a year × funder summary of
// the planned amounts with a native Excel column chart, and the plan with its communes'
// shares. Amounts are numeric cells in euros with a € format; text is always written as
// text (a title starting with "=" is no formula).
func FinancementWorkbook(w io.Writer, p models.FinancementPlan) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName(f.GetSheetName(0), sheetLignes); err != nil {
		return err
	}
	for _, s := range []string{sheetSynthese, sheetPlan} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: xlsxCreator, LastModifiedBy: xlsxCreator, Language: xlsxLanguage,
		Title: cleanText("Plan de financement — " + p.Titre)}); err != nil {
		return err
	}
	fmtEuros := eurosFormat
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtEuros})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}})
	if err != nil {
		return err
	}
	wb := workbook{f: f, money: money, bold: bold}
	if err := wb.lines(p); err != nil {
		return err
	}
	if err := wb.summary(p); err != nil {
		return err
	}
	if err := wb.plan(p); err != nil {
		return err
	}
	return f.Write(w)
}

type workbook struct {
	f           *excelize.File
	money, bold int
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// text writes a string cell: never a formula, whatever it starts with.
func (wb workbook) text(sheet string, col, row int, s string) error {
	return wb.f.SetCellStr(sheet, cellName(col, row), cleanText(s))
}

func (wb workbook) amount(sheet string, col, row int, cents int64) error {
	cell := cellName(col, row)
	if err := wb.f.SetCellFloat(sheet, cell, euros(cents), -1, 64); err != nil {
		return err
	}
	return wb.f.SetCellStyle(sheet, cell, cell, wb.money)
}

func (wb workbook) header(sheet string, cols []string, widths []float64) error {
	for i, h := range cols {
		if err := wb.text(sheet, i+1, 1, h); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := wb.f.SetColWidth(sheet, col, col, widths[i]); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	if err := wb.f.SetCellStyle(sheet, "A1", last+"1", wb.bold); err != nil {
		return err
	}
	return wb.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func (wb workbook) lines(p models.FinancementPlan) error {
	if err := wb.header(sheetLignes, []string{"Année", "Type d'année", "Financeur", "Nature", "Libellé", "Prévu (€)", "Réalisé (€)"},
		[]float64{12, 16, 24, 16, 40, 16, 16}); err != nil {
		return err
	}
	for i, l := range p.Lignes {
		row := i + 2
		for col, s := range []string{l.AnneeLabel(), models.LabelOf(models.TypesAnnee, l.TypeAnnee), l.FinanceurLabel(), l.NatureLabel(), l.Libelle} {
			if err := wb.text(sheetLignes, col+1, row, s); err != nil {
				return err
			}
		}
		if err := wb.amount(sheetLignes, 6, row, l.PrevuCentimes); err != nil {
			return err
		}
		if l.RealiseCentimes != nil {
			if err := wb.amount(sheetLignes, 7, row, *l.RealiseCentimes); err != nil {
				return err
			}
		}
	}
	return nil
}

// summary writes the year × funder table of planned amounts, its totals, and the chart.
func (wb workbook) summary(p models.FinancementPlan) error {
	cols := []string{"Année"}
	widths := []float64{14}
	for _, fu := range p.Funders {
		cols, widths = append(cols, fu.Label+" (€)"), append(widths, 18)
	}
	cols, widths = append(cols, "Total prévu (€)", "Total réalisé (€)"), append(widths, 18, 18)
	if err := wb.header(sheetSynthese, cols, widths); err != nil {
		return err
	}
	rows := append(append([]models.FigureRow{}, p.ByYear...), p.Total)
	for i, r := range rows {
		row := i + 2
		if err := wb.text(sheetSynthese, 1, row, r.Label); err != nil {
			return err
		}
		for j, c := range r.Cells {
			if err := wb.amount(sheetSynthese, j+2, row, c); err != nil {
				return err
			}
		}
		if err := wb.amount(sheetSynthese, len(p.Funders)+2, row, r.Prevu); err != nil {
			return err
		}
		if r.Known {
			if err := wb.amount(sheetSynthese, len(p.Funders)+3, row, r.Realise); err != nil {
				return err
			}
		}
	}
	if len(p.ByYear) == 0 || len(p.Funders) == 0 {
		return nil
	}
	last := len(p.ByYear) + 1
	ref := func(col, from, to int) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheetSynthese, colName(col), from, colName(col), to)
	}
	chart := &excelize.Chart{Type: excelize.ColStacked,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Montants prévus par année et par financeur"}}},
		Legend: excelize.ChartLegend{Position: "bottom"},
		Format: excelize.GraphicOptions{ScaleX: 1.4, ScaleY: 1.2}}
	for j := range p.Funders {
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$1", sheetSynthese, colName(j+2)),
			Categories: ref(1, 2, last), Values: ref(j+2, 2, last)})
	}
	return wb.f.AddChart(sheetSynthese, cellName(1, last+3), chart)
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// plan writes the plan's description, its figures and its communes with their shares.
func (wb workbook) plan(p models.FinancementPlan) error {
	if err := wb.f.SetColWidth(sheetPlan, "A", "A", 28); err != nil {
		return err
	}
	if err := wb.f.SetColWidth(sheetPlan, "B", "E", 22); err != nil {
		return err
	}
	info := [][2]string{{"Plan de financement", p.Titre}, {"Département", p.DepartementCode}, {"Portage", p.PortageLabel()},
		{"Clé de répartition", p.CleLabel()}, {"EPCI", p.EPCILabel()}, {"Convention", p.ConventionLabel()},
		{"Base du coût par élève", p.CostBasis}}
	row := 1
	for _, kv := range info {
		if err := wb.text(sheetPlan, 1, row, kv[0]); err != nil {
			return err
		}
		if err := wb.text(sheetPlan, 2, row, kv[1]); err != nil {
			return err
		}
		row++
	}
	for _, kv := range []struct {
		label string
		cents *int64
	}{{"Total prévu", &p.Total.Prevu}, {"Coût prévu par élève", p.CoutEleve}, {"Coût prévu par école", p.CoutEcole}} {
		if err := wb.text(sheetPlan, 1, row, kv.label); err != nil {
			return err
		}
		if kv.cents != nil {
			if err := wb.amount(sheetPlan, 2, row, *kv.cents); err != nil {
				return err
			}
		}
		row++
	}
	row++
	for i, h := range []string{"Commune", "Code INSEE", "Part de la clé", "Part du prévu (€)", "Part du réalisé (€)"} {
		if err := wb.text(sheetPlan, i+1, row, h); err != nil {
			return err
		}
	}
	if err := wb.f.SetCellStyle(sheetPlan, cellName(1, row), cellName(5, row), wb.bold); err != nil {
		return err
	}
	for _, c := range p.CommunesDetail {
		row++
		for i, s := range []string{c.Nom, c.CodeINSEE, c.Percent} {
			if err := wb.text(sheetPlan, i+1, row, s); err != nil {
				return err
			}
		}
		if err := wb.amount(sheetPlan, 4, row, c.SharePrevu); err != nil {
			return err
		}
		if err := wb.amount(sheetPlan, 5, row, c.ShareRealise); err != nil {
			return err
		}
	}
	return nil
}
