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
	h := headerRow(t, f, sheet)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != h+len(sampleRows()) {
		t.Fatalf("rows = %d, want header row %d + %d", len(rows), h, len(sampleRows()))
	}
	want := []string{"Code INSEE", "Nom", "Effectif", "Taux", "Date d'ouverture", "Remarque"}
	if !slices.Equal(rows[h-1], want) {
		t.Errorf("header = %q", rows[h-1])
	}

	number := []excelize.CellType{excelize.CellTypeUnset, excelize.CellTypeNumber}
	text := []excelize.CellType{excelize.CellTypeInlineString, excelize.CellTypeSharedString}
	tests := []struct {
		col, row  int // row from the first data row, 0
		types     []excelize.CellType
		formatted string // as excelize formats it (English separators)
		raw       string
	}{
		{1, 0, text, "01001", "01001"},
		{1, 1, text, "0930388S", "0930388S"},
		{2, 0, text, "L'Abergement-Clémenciat", "L'Abergement-Clémenciat"},
		{2, 3, text, "a\uFFFDb", "a\uFFFDb"},
		{3, 0, number, "123", "123"},
		{3, 1, number, "4,567", "4567"},
		{3, 2, number, "", ""},
		{4, 0, number, "12.50", "12.5"},
		{4, 1, number, "1,234.50", "1234.5"},
		{4, 3, number, "0.25", "0.25"},
		{5, 0, number, "15/03/2024", "45366"},
		{5, 1, number, "31/12/1999", "36525"},
		{5, 2, number, "", ""},
		{5, 3, number, "", ""},
		{6, 0, text, "=1+1", "=1+1"},
		{6, 1, text, "+33 1 23", "+33 1 23"},
		{6, 2, text, "-5", "-5"},
	}
	for _, tt := range tests {
		ref := cell(tt.col, h+1+tt.row)
		t.Run(ref, func(t *testing.T) {
			typ, err := f.GetCellType(sheet, ref)
			if err != nil || !slices.Contains(tt.types, typ) {
				t.Errorf("type = %v (%v), want one of %v", typ, err, tt.types)
			}
			if got, _ := f.GetCellValue(sheet, ref); got != tt.formatted {
				t.Errorf("value = %q, want %q", got, tt.formatted)
			}
			raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			if raw != tt.raw {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("formula = %q, want none", formula)
			}
		})
	}

	checkSheetXML(t, data, h)
}

// checkSheetXML checks the sample sheet's XML: no formula, the autofilter from the header
// row h, the columns in ascending order.
func checkSheetXML(t *testing.T, data []byte, h int) {
	t.Helper()
	xml := zipEntry(t, data, "xl/worksheets/sheet1.xml")
	if strings.Contains(xml, "<f>") {
		t.Error("sheet XML contains a formula")
	}
	// excelize writes the autofilter reference with absolute coordinates.
	if ref := fmt.Sprintf(`<autoFilter ref="$A$%d:$F$%d"`, h, h+4); !strings.Contains(xml, ref) {
		t.Errorf("autofilter %s missing in sheet XML", ref)
	}
	cols := xml[strings.Index(xml, "<cols>"):strings.Index(xml, "</cols>")]
	for i := 1; i < 6; i++ {
		if strings.Index(cols, fmt.Sprintf(`min="%d"`, i)) > strings.Index(cols, fmt.Sprintf(`min="%d"`, i+1)) {
			t.Errorf("<col> elements not in ascending order: %s", cols)
			break
		}
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
			h := headerRow(t, f, tt.want)
			if rows, _ := f.GetRows(f.GetSheetName(0)); len(rows) != h || rows[h-1][0] != "Code INSEE" {
				t.Errorf("rows = %q, want the title block and the header only", rows)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	constructors := map[string]func(io.Writer, exports.Table) (exports.RowWriter, error){
		"xlsx": func(w io.Writer, t exports.Table) (exports.RowWriter, error) { return exports.NewXLSX(w, sampleDoc, t) },
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
			if _, err := newWriter(io.Discard, exports.Table{Columns: []exports.Column{{Header: "x", Kind: exports.Kind(42)}}}); err == nil {
				t.Error("no error for an unknown kind")
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

// TestXLSXDiscard: a discarded workbook writes nothing.
func TestXLSXDiscard(t *testing.T) {
	var buf bytes.Buffer
	rw, err := exports.NewXLSX(&buf, sampleDoc, sampleTable)
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.WriteRow(sampleRows()[0]...); err != nil {
		t.Fatal(err)
	}
	exports.Discard(rw)
	if buf.Len() != 0 {
		t.Errorf("%d bytes written", buf.Len())
	}
	if err := rw.Close(); err != exports.ErrClosed {
		t.Errorf("Close after Discard = %v", err)
	}
}
