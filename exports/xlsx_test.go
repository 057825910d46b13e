package exports_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/xuri/excelize/v2"
)

func TestXLSXRoundTrip(t *testing.T) {
	f, data := buildXLSX(t, sampleTable, sampleRows())
	sheet := f.GetSheetName(0)
	if sheet != "Écoles" {
		t.Errorf("sheet = %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(sampleRows()) {
		t.Fatalf("rows = %d, want %d", len(rows), 1+len(sampleRows()))
	}
	want := []string{"Code INSEE", "Nom", "Effectif", "Taux", "Date d'ouverture", "Remarque"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header = %q", rows[0])
	}

	number := []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}
	text := []excelize.CellType{excelize.CellTypeInlineString, excelize.CellTypeSharedString}
	tests := []struct {
		cell      string
		types     []excelize.CellType
		formatted string
		raw       string
	}{
		{"A2", text, "01001", "01001"},
		{"A3", text, "0930388S", "0930388S"},
		{"B2", text, "L'Abergement-Clémenciat", "L'Abergement-Clémenciat"},
		{"B5", text, "a\uFFFDb", "a\uFFFDb"},
		{"C2", number, "123", "123"},
		{"C3", number, "4567", "4567"},
		{"C4", number, "", ""},
		{"D2", number, "12.50", "12.5"},
		{"D3", number, "1,234.50", "1234.5"},
		{"D5", number, "0.25", "0.25"},
		{"E2", number, "15/03/2024", "45366"},
		{"E3", number, "31/12/1999", "36525"},
		{"E4", number, "", ""},
		{"E5", number, "", ""},
		{"F2", text, "=1+1", "=1+1"},
		{"F3", text, "+33 1 23", "+33 1 23"},
		{"F4", text, "-5", "-5"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			typ, err := f.GetCellType(sheet, tt.cell)
			if err != nil || !slices.Contains(tt.types, typ) {
				t.Errorf("type = %v (%v), want one of %v", typ, err, tt.types)
			}
			if got, _ := f.GetCellValue(sheet, tt.cell); got != tt.formatted {
				t.Errorf("value = %q, want %q", got, tt.formatted)
			}
			raw, _ := f.GetCellValue(sheet, tt.cell, excelize.Options{RawCellValue: true})
			if raw != tt.raw {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
			if formula, _ := f.GetCellFormula(sheet, tt.cell); formula != "" {
				t.Errorf("formula = %q, want none", formula)
			}
		})
	}

	xml := zipEntry(t, data, "xl/worksheets/sheet1.xml")
	if strings.Contains(xml, "<f>") {
		t.Error("sheet XML contains a formula")
	}
	// excelize writes the autofilter reference with absolute coordinates.
	if !strings.Contains(xml, `<autoFilter ref="$A$1:$F$5"`) {
		t.Errorf("autofilter missing in sheet XML:\n%s", xml)
	}
	if !strings.Contains(xml, `<c r="C2"><v>123</v></c>`) {
		t.Error("integer C2 not written as a bare number cell")
	}
	cols := xml[strings.Index(xml, "<cols>"):strings.Index(xml, "</cols>")]
	for i := 1; i < 6; i++ {
		if strings.Index(cols, fmt.Sprintf(`min="%d"`, i)) > strings.Index(cols, fmt.Sprintf(`min="%d"`, i+1)) {
			t.Errorf("<col> elements not in ascending order: %s", cols)
			break
		}
	}
}

func TestXLSXLayout(t *testing.T) {
	f, _ := buildXLSX(t, sampleTable, sampleRows())
	sheet := f.GetSheetName(0)
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want header row frozen at A2", panes)
	}
	var filter bool
	for _, dn := range f.GetDefinedName() {
		filter = filter || dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "!$A$1:$F$5")
	}
	if !filter {
		t.Errorf("no _FilterDatabase defined name: %+v", f.GetDefinedName())
	}
	style, _ := f.GetCellStyle(sheet, "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header A1 not bold: %+v %v", s, err)
	}
	widths := map[string]float64{"A": 12, "B": 30, "C": 10, "D": 8, "E": 18}
	for col, want := range widths {
		if got, _ := f.GetColWidth(sheet, col); got != want {
			t.Errorf("width %s = %v, want %v", col, got, want)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Creator != "Pilotage ENT 1D" || props.Language != "fr-FR" || props.Title != "Liste des écoles" {
		t.Errorf("doc props = %+v (%v)", props, err)
	}
}

func TestXLSXSheetName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "Export"},
		{"  ", "Export"},
		{"Écoles 2024/2025 [brouillon]", "Écoles 2024-2025 -brouillon-"},
		{"'Circo' d'Ivry", "’Circo’ d’Ivry"},
		{strings.Repeat("é", 40), strings.Repeat("é", 31)},
		{"Effectifs par circonscription 2024", "Effectifs par circonscription 2"},
		{"history", "history-"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			table := sampleTable
			table.Sheet = tt.in
			f, _ := buildXLSX(t, table, nil)
			if got := f.GetSheetName(0); got != tt.want {
				t.Errorf("sheet = %q, want %q", got, tt.want)
			}
			if rows, _ := f.GetRows(f.GetSheetName(0)); len(rows) != 1 {
				t.Errorf("rows = %d, want header only", len(rows))
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	constructors := map[string]func(io.Writer, exports.Table) (exports.RowWriter, error){
		"xlsx": exports.NewXLSX,
		"csv":  exports.NewCSV,
	}
	rows := []struct {
		name   string
		values []any
	}{
		{"too few values", []any{"01001", "Nom", 1, 1.5, nil}},
		{"too many values", []any{"01001", "Nom", 1, 1.5, nil, "", "extra"}},
		{"no values", nil},
		{"string in Integer", []any{"01001", "Nom", "12", 1.5, nil, ""}},
		{"string in Decimal", []any{"01001", "Nom", 1, "1,5", nil, ""}},
		{"string in Date", []any{"01001", "Nom", 1, 1.5, "15/03/2024", ""}},
	}
	for name, newWriter := range constructors {
		t.Run(name, func(t *testing.T) {
			if _, err := newWriter(io.Discard, exports.Table{Sheet: "Vide"}); err == nil {
				t.Error("no error for a table without columns")
			}
			var buf bytes.Buffer
			rw, err := newWriter(&buf, sampleTable)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if err := rw.WriteRow(r.values...); err == nil {
					t.Errorf("%s: no error", r.name)
				}
			}
			if err := rw.Close(); err != nil {
				t.Fatal(err)
			}
			if err := rw.WriteRow(sampleRows()[0]...); err != exports.ErrClosed {
				t.Errorf("WriteRow after Close = %v", err)
			}
			if err := rw.Close(); err != exports.ErrClosed {
				t.Errorf("second Close = %v", err)
			}
		})
	}
}
