package exports_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/xuri/excelize/v2"
)

// sampleTable has one column of each kind plus a free text column.
var sampleTable = exports.Table{
	Sheet: "Écoles",
	Title: "Liste des écoles",
	Columns: []exports.Column{
		{Header: "Code INSEE", Kind: exports.Text},
		{Header: "Nom", Kind: exports.Text, Width: 30},
		{Header: "Effectif", Kind: exports.Integer},
		{Header: "Taux", Kind: exports.Decimal},
		{Header: "Date d'ouverture", Kind: exports.Date},
		{Header: "Remarque", Kind: exports.Text},
	},
}

// sampleDoc describes the sample exports.
var sampleDoc = exports.Document{
	Title:   "Liste des écoles",
	Filters: []exports.Field{{Label: "Département", Value: "93"}, {Label: "Recherche", Value: "jaurès"}},
	Scope:   "Département 93 — Seine-Saint-Denis",
	At:      time.Date(2026, 11, 20, 13, 5, 0, 0, time.UTC),
}

func ptr[T any](v T) *T { return &v }

// day returns a date at midnight in Paris.
func day(y int, m time.Month, d int) time.Time {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.UTC
	}
	return time.Date(y, m, d, 0, 0, 0, 0, paris)
}

// sampleRows covers every accepted Go type and empty values.
func sampleRows() [][]any {
	return [][]any{
		{"01001", "L'Abergement-Clémenciat", 123, 12.5, day(2024, 3, 15), "=1+1"},
		{"0930388S", ptr("Créteil"), ptr(int64(4567)), ptr(1234.5), ptr(day(1999, 12, 31)), "+33 1 23"},
		{"97411", "Saint-Denis", (*int)(nil), (*float64)(nil), (*time.Time)(nil), "-5"},
		{"02A004", "a\xffb", int64(7), float32(0.25), time.Time{}, nil},
	}
}

// writeAll writes the rows through rw and closes it.
func writeAll(t testing.TB, rw exports.RowWriter, rows [][]any) {
	t.Helper()
	for i, r := range rows {
		if err := rw.WriteRow(r...); err != nil {
			t.Fatalf("WriteRow(%d): %v", i, err)
		}
	}
	if err := rw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// buildXLSX writes rows with NewXLSX and reopens the result with excelize.
func buildXLSX(t *testing.T, table exports.Table, rows [][]any) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	rw, err := exports.NewXLSX(&buf, sampleDoc, table)
	if err != nil {
		t.Fatalf("NewXLSX: %v", err)
	}
	writeAll(t, rw, rows)
	return openXLSX(t, buf.Bytes()), buf.Bytes()
}

// openXLSX reopens a workbook with excelize.
func openXLSX(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 1 << 30})
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// headerRow is the number of a sheet's header row: the last frozen row.
func headerRow(t testing.TB, f *excelize.File, sheet string) int {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit < 1 {
		t.Fatalf("%s: no frozen header (%+v, %v)", sheet, panes, err)
	}
	return panes.YSplit
}

// cell is the name of the cell at column col (from 1) and row.
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// numberFormat is the number format code of a cell ("" for General).
func numberFormat(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return builtinFormats[st.NumFmt]
}

// builtinFormats are the built-in number formats a test may meet.
var builtinFormats = map[int]string{0: "", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 14: "mm-dd-yy"}

// zipEntry returns the content of one part of an .xlsx package.
func zipEntry(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("zip: %v", err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(b)
}
