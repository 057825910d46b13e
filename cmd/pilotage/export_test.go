package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// TestExportDashboardCommand: `pilotage export tableau-de-bord` writes the académie's
// workbook, `--departement 93` the département's (its title says so); an unknown
// département and a missing output file are refused in French.
func TestExportDashboardCommand(t *testing.T) {
	e := dbtest.Quickest()
	url := e.URL(t, true)
	dir := t.TempDir()
	for _, c := range []struct{ args []string }{{nil}, {[]string{"--departement", "93"}}} {
		file := filepath.Join(dir, "tdb"+strings.Join(c.args, "")+".xlsx")
		out, _, err := run(t, url, append([]string{"export", "tableau-de-bord", "-o", file}, c.args...)...)
		if err != nil || !strings.Contains(out, "Tableau de bord écrit dans") {
			t.Fatalf("%v : %v\n%s", c.args, err, out)
		}
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		title, _ := f.GetCellValue("Synthèse", "A1")
		if sheets := f.GetSheetList(); len(sheets) != 14 || sheets[0] != "Synthèse" || sheets[13] != "Actions" || (c.args != nil) != strings.Contains(title, "département 93") {
			t.Errorf("%v : feuilles %v, titre %q", c.args, sheets, title)
		}
		f.Close()
	}
	if _, errOut, err := run(t, url, "export", "tableau-de-bord", "--departement", "2X", "-o", filepath.Join(dir, "x.xlsx")); err == nil ||
		!strings.Contains(errOut+err.Error(), "département inconnu") {
		t.Errorf("département inconnu : %v %s", err, errOut)
	}
	if _, errOut, err := run(t, url, "export", "tableau-de-bord"); err == nil || !strings.Contains(errOut+err.Error(), "indiquez le fichier") {
		t.Errorf("sans fichier : %v %s", err, errOut)
	}
}
