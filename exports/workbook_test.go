package exports_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/xuri/excelize/v2"
)

// TestWorkbookKinds: each kind is a number cell (text for Text) with its French number
// format, and the same value in CSV.
func TestWorkbookKinds(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata")
	}
	meeting := time.Date(2026, 3, 12, 13, 30, 0, 0, time.UTC) // 14:30 in Paris
	tests := []struct {
		name   string
		kind   exports.Kind
		in     any
		raw    string // the stored value
		format string // its number format
		csv    string
	}{
		{"integer", exports.Integer, 1234567, "1234567", "#,##0", "1234567"},
		{"integer pointer", exports.Integer, ptr(int64(-42)), "-42", "#,##0", "-42"},
		{"decimal", exports.Decimal, 1234.5, "1234.5", "#,##0.00", "1234,5"},
		{"euros from cents", exports.Euros, int64(1250050), "12500.5", `#,##0.00\ "€"`, "12500,50"},
		{"euros round", exports.Euros, int64(700), "7", `#,##0.00\ "€"`, "7,00"},
		{"percent", exports.Percent, 0.425, "0.425", `0.0\ %`, "42,5 %"},
		{"percent of a third", exports.Percent, 1.0 / 3, "0.333333333333333", `0.0\ %`, "33,3333 %"},
		{"date at midnight UTC stays its day", exports.Date, time.Date(2027, 8, 31, 0, 0, 0, 0, time.UTC), "46630", "dd/mm/yyyy", "31/08/2027"},
		{"date of a Paris evening", exports.Date, time.Date(2027, 8, 31, 23, 30, 0, 0, paris), "46630", "dd/mm/yyyy", "31/08/2027"},
		{"date and time in Paris", exports.DateTime, meeting, "46093.6041666678", "dd/mm/yyyy hh:mm", "12/03/2026 14:30"},
		{"time in Paris", exports.Time, meeting, "0.604166667824074", "hh:mm", "14:30"},
		{"midnight", exports.Time, time.Date(2026, 3, 11, 23, 0, 0, 0, time.UTC), "0", "hh:mm", "00:00"},
		{"text", exports.Text, "0930388S", "0930388S", "", "0930388S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := exports.Table{Sheet: "Types", Columns: []exports.Column{{Header: "Valeur", Kind: tt.kind}}}
			f, _ := buildXLSX(t, table, [][]any{{tt.in}})
			ref := cell(1, headerRow(t, f, "Types")+1)
			typ, _ := f.GetCellType("Types", ref)
			if tt.kind != exports.Text && typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("type = %v, want a number", typ)
			}
			if raw, _ := f.GetCellValue("Types", ref, excelize.Options{RawCellValue: true}); raw != tt.raw {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
			if got := numberFormat(t, f, "Types", ref); got != tt.format {
				t.Errorf("format = %q, want %q", got, tt.format)
			}
			if got := string(buildCSV(t, table, [][]any{{tt.in}})); got != "\uFEFFValeur\r\n"+tt.csv+"\r\n" {
				t.Errorf("CSV = %q, want %q", got, tt.csv)
			}
		})
	}
}

// TestWorkbookLayout: title block, frozen and filtered header, print setup and document
// properties, on a narrow and on a wide list.
func TestWorkbookLayout(t *testing.T) {
	wide := exports.Table{Sheet: "Large", Title: "Conventions en cours"}
	for i := range 12 {
		wide.Columns = append(wide.Columns, exports.Column{Header: "Colonne " + strconv.Itoa(i+1), Kind: exports.Integer})
	}
	tests := []struct {
		name        string
		table       exports.Table
		orientation string
		heading     string
	}{
		{"narrow", sampleTable, "portrait", "Liste des écoles"},
		{"wide", wide, "landscape", "Liste des écoles — Conventions en cours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := make([]any, len(tt.table.Columns))
			for i, c := range tt.table.Columns {
				row[i] = sampleValue(c.Kind)
			}
			f, _ := buildXLSX(t, tt.table, [][]any{row, row})
			sheet := f.GetSheetName(0)
			h := headerRow(t, f, sheet)
			checkTitleBlock(t, f, sheet, h, tt.heading)
			checkHeader(t, f, sheet, h, len(tt.table.Columns))
			checkPrintSetup(t, f, sheet, h, tt.orientation)
			last, _ := excelize.ColumnNumberToName(len(tt.table.Columns))
			if dim, _ := f.GetSheetDimension(sheet); !strings.HasPrefix(dim, "A1:") || !strings.HasSuffix(dim, strconv.Itoa(h+2)) || dim < "A1:"+last {
				t.Errorf("dimension = %q, want A1 to row %d and at least column %s", dim, h+2, last)
			}
			checkProperties(t, f)
		})
	}
}

// sampleValue is a value of the kind.
func sampleValue(k exports.Kind) any {
	switch k {
	case exports.Integer, exports.Euros:
		return 123456
	case exports.Decimal, exports.Percent:
		return 0.5
	case exports.Date, exports.DateTime, exports.Time:
		return time.Date(2026, 3, 12, 13, 30, 0, 0, time.UTC)
	}
	return "Créteil"
}

func checkTitleBlock(t *testing.T, f *excelize.File, sheet string, h int, heading string) {
	t.Helper()
	want := []string{heading, "Filtres : Département : 93 ; Recherche : jaurès", "Périmètre : Département 93 — Seine-Saint-Denis",
		"Exporté le 20/11/2026 à 14:05 (heure de Paris)"}
	for i, w := range want {
		if got, _ := f.GetCellValue(sheet, cell(1, i+1)); got != w {
			t.Errorf("title block line %d = %q, want %q", i+1, got, w)
		}
	}
	if h != len(want)+2 {
		t.Errorf("header row %d, want %d (title block and a blank row)", h, len(want)+2)
	}
	merged, _ := f.GetMergeCells(sheet)
	if len(merged) != len(want) || merged[0].GetStartAxis() != "A1" {
		t.Errorf("merged cells = %v", merged)
	}
	style, _ := f.GetCellStyle(sheet, "A1")
	if st, _ := f.GetStyle(style); st.Font == nil || !st.Font.Bold || st.Font.Size < 14 {
		t.Errorf("title not large and bold: %+v", st.Font)
	}
}

func checkHeader(t *testing.T, f *excelize.File, sheet string, h, cols int) {
	t.Helper()
	panes, _ := f.GetPanes(sheet)
	if panes.TopLeftCell != cell(1, h+1) || panes.XSplit != 0 {
		t.Errorf("panes = %+v, want frozen under row %d", panes, h)
	}
	style, _ := f.GetCellStyle(sheet, cell(1, h))
	if st, err := f.GetStyle(style); err != nil || st.Font == nil || !st.Font.Bold || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("header not bold and wrapped: %+v %v", st, err)
	}
	last, _ := excelize.ColumnNumberToName(cols)
	var filter bool
	for _, dn := range f.GetDefinedName() {
		filter = filter || dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "!$A$"+strconv.Itoa(h)+":$"+last+"$"+strconv.Itoa(h+2))
	}
	if !filter {
		t.Errorf("no autofilter on the header and the rows: %+v", f.GetDefinedName())
	}
	for i := 1; i <= cols; i++ {
		name, _ := excelize.ColumnNumberToName(i)
		header, _ := f.GetCellValue(sheet, cell(i, h))
		if w, _ := f.GetColWidth(sheet, name); w < float64(len([]rune(header)))/2 || w > 61 {
			t.Errorf("column %s (%q) width %v", name, header, w)
		}
	}
}

func checkPrintSetup(t *testing.T, f *excelize.File, sheet string, h int, orientation string) {
	t.Helper()
	layout, err := f.GetPageLayout(sheet)
	if err != nil || *layout.Size != 9 || *layout.Orientation != orientation || layout.FitToWidth == nil || *layout.FitToWidth != 1 ||
		layout.FitToHeight == nil || *layout.FitToHeight != 0 {
		t.Errorf("page layout = size %v, %v, fit %v × %v (%v); want A4 (9), %s, 1 page wide", *layout.Size, *layout.Orientation,
			layout.FitToWidth, layout.FitToHeight, err, orientation)
	}
	if props, _ := f.GetSheetProps(sheet); props.FitToPage == nil || !*props.FitToPage {
		t.Error("fit to page not set")
	}
	var titles bool
	for _, dn := range f.GetDefinedName() {
		titles = titles || dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet && strings.HasSuffix(dn.RefersTo, "!$"+strconv.Itoa(h)+":$"+strconv.Itoa(h))
	}
	if !titles {
		t.Errorf("header row %d not repeated on every page: %+v", h, f.GetDefinedName())
	}
	hf, _ := f.GetHeaderFooter(sheet)
	if hf == nil || !strings.Contains(hf.OddFooter, "Liste des écoles") || !strings.Contains(hf.OddFooter, "Page &P / &N") {
		t.Errorf("footer = %+v", hf)
	}
}

func checkProperties(t *testing.T, f *excelize.File) {
	t.Helper()
	props, err := f.GetDocProps()
	if err != nil || props.Creator != "Pilotage ENT 1D" || props.LastModifiedBy != "Pilotage ENT 1D" || props.Language != "fr-FR" ||
		props.Title != "Liste des écoles" || props.Created != "2026-11-20T13:05:00Z" {
		t.Errorf("doc props = %+v (%v)", props, err)
	}
	if app, err := f.GetAppProps(); err != nil || app.Application != "Pilotage ENT 1D" {
		t.Errorf("app props = %+v (%v)", app, err)
	}
}

// TestWorkbookSheets: a workbook of several sheets, each with its title block, its notes,
// its dimension, and a native chart with French titles.
func TestWorkbookSheets(t *testing.T) {
	var buf bytes.Buffer
	wb, err := exports.NewWorkbook(&buf, exports.Document{Title: "Plan de financement — Bobigny & Drancy", At: sampleDoc.At})
	if err != nil {
		t.Fatal(err)
	}
	first, err := wb.AddSheet(exports.Table{Sheet: "Synthèse", Columns: []exports.Column{
		{Header: "Année", Kind: exports.Text}, {Header: "Commune", Kind: exports.Euros}, {Header: "État", Kind: exports.Euros}}},
		exports.Field{Label: "Portage", Value: "groupement de commandes"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]any{{"2012-2013", 100000, 50000}, {"2013-2014", 80000, 0}, {"Total", 180000, 50000}} {
		if err := first.WriteRow(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := first.AddChart(exports.Chart{Title: "Montants prévus", Series: []int{1, 2}, Rows: 2, Stacked: true, Axis: "Montant"}); err != nil {
		t.Fatal(err)
	}
	second, err := wb.AddSheet(exports.Table{Sheet: "Lignes", Title: "Lignes", Columns: []exports.Column{{Header: "Libellé", Kind: exports.Text}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.WriteRow("trop tard", 1, 2); err != exports.ErrClosed {
		t.Errorf("write to a finished sheet = %v", err)
	}
	if err := second.WriteRow("Licences"); err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Synthèse" || got[1] != "Lignes" {
		t.Fatalf("sheets = %v", got)
	}
	h := headerRow(t, f, "Synthèse")
	if v, _ := f.GetCellValue("Synthèse", "A2"); v != "Portage : groupement de commandes" {
		t.Errorf("note = %q", v)
	}
	if v, _ := f.GetCellValue("Lignes", "A1"); v != "Plan de financement — Bobigny & Drancy — Lignes" {
		t.Errorf("second title = %q", v)
	}
	for sheet, want := range map[string]string{"Synthèse": "A1:H" + strconv.Itoa(h+3), "Lignes": "A1:H" + strconv.Itoa(headerRow(t, f, "Lignes")+1)} {
		if dim, _ := f.GetSheetDimension(sheet); dim != want {
			t.Errorf("%s: dimension %q, want %q", sheet, dim, want)
		}
	}
	if hf, _ := f.GetHeaderFooter("Lignes"); hf == nil || !strings.Contains(hf.OddFooter, "Bobigny && Drancy") {
		t.Errorf("footer = %+v ('&' must be doubled)", hf)
	}
	chart := strings.NewReplacer("&#39;", "'", "&#34;", `"`).Replace(zipEntry(t, buf.Bytes(), "xl/charts/chart1.xml"))
	for _, want := range []string{"Montants prévus", `<grouping val="stacked">`, `<varyColors val="0">`, "'Synthèse'!$B$" + strconv.Itoa(h),
		"'Synthèse'!$A$" + strconv.Itoa(h+1) + ":$A$" + strconv.Itoa(h+2), `formatCode="#,##0\ "€""`} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart lacks %s:\n%s", want, chart)
		}
	}
}

// TestXLSXDates: a date is the calendar day of the value in its own location, in XLSX as
// in CSV, whatever its time of day.
func TestXLSXDates(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata")
	}
	tests := []struct {
		name string
		in   any
		raw  string
		csv  string
	}{
		{"UTC midnight", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "45366", "15/03/2024"},
		{"late evening Paris", time.Date(2024, 3, 15, 23, 30, 0, 0, paris), "45366", "15/03/2024"},
		{"early morning Paris", ptr(time.Date(2024, 3, 15, 0, 30, 0, 0, paris)), "45366", "15/03/2024"},
		{"1er janvier 1900", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), "1", "01/01/1900"},
	}
	table := exports.Table{Columns: []exports.Column{{Header: "Date", Kind: exports.Date}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := buildXLSX(t, table, [][]any{{tt.in}})
			a := cell(1, headerRow(t, f, "Export")+1)
			raw, _ := f.GetCellValue("Export", a, excelize.Options{RawCellValue: true})
			if raw != tt.raw {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
			if v, _ := f.GetCellValue("Export", a); v != tt.csv {
				t.Errorf("formatted = %q, want %q", v, tt.csv)
			}
			if got := string(buildCSV(t, table, [][]any{{tt.in}})); got != "\uFEFFDate\r\n"+tt.csv+"\r\n" {
				t.Errorf("CSV = %q", got)
			}
		})
	}
}

// TestWorkbookWrappedRows: a text longer than its column wraps, and its row is made tall
// enough for it (neither Excel nor LibreOffice does on opening); short rows keep the
// default height.
func TestWorkbookWrappedRows(t *testing.T) {
	table := exports.Table{Sheet: "Textes", Columns: []exports.Column{{Header: "N°", Kind: exports.Integer},
		{Header: "Intitulé", Kind: exports.Text, Width: 20}}}
	f, _ := buildXLSX(t, table, [][]any{
		{1, "Court"},
		{2, "Bilan du déploiement des ENT dans les écoles pilotes de Seine-Saint-Denis"},
		{3, "Première ligne\nSeconde ligne"},
		{4, "ECOLE ELEMENTAIRE APPLICATION"},
	})
	h := headerRow(t, f, "Textes")
	if w, _ := f.GetColWidth("Textes", "B"); w != 20 {
		t.Errorf("width = %v, want the column's Width 20", w)
	}
	for i, want := range []float64{15, 60, 30, 30} {
		if got, _ := f.GetRowHeight("Textes", h+1+i); got != want {
			t.Errorf("row %d: height %v, want %v", i+1, got, want)
		}
	}
}

// TestWorkbookFooterTitle: a long title is cut in the footer (it would run over the date
// in the centre), after its first 59 characters, '&' still doubled.
func TestWorkbookFooterTitle(t *testing.T) {
	var buf bytes.Buffer
	title := "Écoles ouvertes & formation, sans personne formée d'abord (effectif enseignant estimé = classes + 1)"
	wb, err := exports.NewWorkbook(&buf, exports.Document{Title: title, At: sampleDoc.At})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := wb.AddSheet(exports.Table{Sheet: "Écoles", Columns: []exports.Column{{Header: "UAI", Kind: exports.Text}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.WriteRow("0940354Z"); err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
	hf, _ := openXLSX(t, buf.Bytes()).GetHeaderFooter("Écoles")
	want := "&L&8" + strings.ReplaceAll(string([]rune(title)[:59]), "&", "&&") + "…&C"
	if hf == nil || !strings.HasPrefix(hf.OddFooter, want) {
		t.Errorf("footer = %+v, want prefix %q", hf, want)
	}
}
