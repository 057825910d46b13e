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

// TestXLSXLarge writes more than excelize's 16 MiB in-memory chunk so the
// stream spills to a temporary file, and checks the layout survives it.
func TestXLSXLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large export")
	}
	const rows = 60000
	table := exports.Table{Sheet: "Grand", Columns: []exports.Column{
		{Header: "N°", Kind: exports.Integer},
		{Header: "Texte", Kind: exports.Text},
	}}
	long := strings.Repeat("Créteil ", 40)
	var buf bytes.Buffer
	rw, err := exports.NewXLSX(&buf, table)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		if err := rw.WriteRow(i, long); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf, excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	last := "A" + strconv.Itoa(rows+1)
	if v, _ := f.GetCellValue("Grand", last); v != strconv.Itoa(rows) {
		t.Errorf("%s = %q, want %d", last, v, rows)
	}
	if panes, _ := f.GetPanes("Grand"); !panes.Freeze || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v", panes)
	}
	want := "'Grand'!$A$1:$B$" + strconv.Itoa(rows+1)
	var found bool
	for _, dn := range f.GetDefinedName() {
		found = found || dn.Name == "_xlnm._FilterDatabase" && dn.RefersTo == want
	}
	if !found {
		t.Errorf("autofilter %s not found in %+v", want, f.GetDefinedName())
	}
}

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
			raw, _ := f.GetCellValue("Export", "A2", excelize.Options{RawCellValue: true})
			if raw != tt.raw {
				t.Errorf("raw = %q, want %q", raw, tt.raw)
			}
			if v, _ := f.GetCellValue("Export", "A2"); v != tt.csv {
				t.Errorf("formatted = %q, want %q", v, tt.csv)
			}
			if got := string(buildCSV(t, table, [][]any{{tt.in}})); got != "\uFEFFDate\r\n"+tt.csv+"\r\n" {
				t.Errorf("CSV = %q", got)
			}
		})
	}
}
