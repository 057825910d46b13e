package exports_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

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
	rw, err := exports.NewXLSX(&buf, sampleDoc, table)
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
	f := openXLSX(t, buf.Bytes())
	h := headerRow(t, f, "Grand")
	last := "A" + strconv.Itoa(h+rows)
	if v, _ := f.GetCellValue("Grand", last, excelize.Options{RawCellValue: true}); v != strconv.Itoa(rows) {
		t.Errorf("%s = %q, want %d", last, v, rows)
	}
	if panes, _ := f.GetPanes("Grand"); panes.TopLeftCell != "A"+strconv.Itoa(h+1) {
		t.Errorf("panes = %+v", panes)
	}
	if dim, _ := f.GetSheetDimension("Grand"); !strings.HasSuffix(dim, "B"+strconv.Itoa(h+rows)) && !strings.HasSuffix(dim, strconv.Itoa(h+rows)) {
		t.Errorf("dimension = %q", dim)
	}
	want := "'Grand'!$A$" + strconv.Itoa(h) + ":$B$" + strconv.Itoa(h+rows)
	var found bool
	for _, dn := range f.GetDefinedName() {
		found = found || dn.Name == "_xlnm._FilterDatabase" && dn.RefersTo == want
	}
	if !found {
		t.Errorf("autofilter %s not found in %+v", want, f.GetDefinedName())
	}
}
