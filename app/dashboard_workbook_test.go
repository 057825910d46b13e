package app_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// dashboardSheets are the sheets of the dashboard workbook, in order.
var dashboardSheets = []string{"Synthèse", "Déploiement", "Ouvertures", "Glissement", "Conventions par statut", "Financement",
	"Usages", "Communes", "Écoles", "Conventions", "Formations", "Jalons", "Décisions", "Actions"}

// TestDashboardWorkbook, on both engines, with the demonstration and the ENT statistics
// sample imported: the académie's and the 93's workbooks have their sheets, native charts,
// numbers as numbers, dates as dates, no formula anywhere but the late milestones'
// conditional format (a constant), and totals equal to the pages (écoles and communes of the
// 93, planned financing); a lecteur's workbook holds no contact's or participant's name or
// email; the IA of the 93 cannot download the 94's.
func TestDashboardWorkbook(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		importUsageSample(t, s)
		w := newWorld(t, s, app.Config{})
		pilote := w.clients["pilote"]
		for _, p := range []string{"/tableau-de-bord.xlsx", "/tableau-de-bord/93.xlsx"} {
			rec := pilote.get(p)
			f := fichesXLSX(t, rec)
			if got := f.GetSheetList(); !slices.Equal(got, dashboardSheets) {
				t.Fatalf("%s : feuilles %v", p, got)
			}
			if n := chartParts(t, rec.Body.Bytes()); n < 5 {
				t.Errorf("%s : %d graphiques", p, n)
			}
			checkNoFormula(t, f)
			checkNumberCell(t, f, "Synthèse", "Écoles", 1)
			checkNumberCell(t, f, "Déploiement", "Total", 1)
			checkNumberCell(t, f, "Financement", "Total", 1)
			checkNumberCell(t, f, "Usages", "Total", 4)
			checkLateMilestones(t, f)
		}
		f := fichesXLSX(t, pilote.get("/tableau-de-bord/93.xlsx"))
		for sheet, list := range map[string]string{"Écoles": "/deploiements?departement=93", "Communes": "/communes?departement=93"} {
			if got, want := dataRows(t, f, sheet), listTotal(doc(t, pilote.get(list))); got != want || want == 0 {
				t.Errorf("feuille %s : %d lignes, la liste %s en compte %d", sheet, got, list, want)
			}
		}
		page := doc(t, pilote.get("/tableau-de-bord/93"))
		planned := digits(page.Find("#chiffres-financement li").Eq(1).Find("strong").Text())
		if got := euroCents(t, f, "Financement", "Total", "Total prévu"); got != planned || planned == 0 {
			t.Errorf("financement prévu : classeur %d centimes, page %d", got, planned)
		}
		checkNoPersonalData(t, s, w, fichesXLSX(t, w.clients["lecteur"].get("/tableau-de-bord.xlsx")))
		if rec := w.clients["ia93"].get("/tableau-de-bord/94.xlsx"); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93, classeur du 94 : %d", rec.Code)
		}
	})
}

// importUsageSample imports the ENT statistics sample as the system.
func importUsageSample(t *testing.T, s *models.Store) {
	t.Helper()
	b, err := os.ReadFile("../seeds/testdata/one_statistiques_extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	uf, err := seeds.ReadUsagesFile(bytes.NewReader(b), int64(len(b)), "one_statistiques_extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportUsages(t.Context(), models.SystemActor("test"), uf); err != nil {
		t.Fatal(err)
	}
}

// chartParts counts the native charts of a workbook.
func chartParts(t *testing.T, b []byte) int {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			n++
		}
	}
	return n
}

// checkNoFormula fails on any cell holding a formula.
func checkNoFormula(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows := must(f.GetRows(sheet))
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fo, _ := f.GetCellFormula(sheet, cell); fo != "" {
					t.Fatalf("feuille %s, %s : formule %q", sheet, cell, fo)
				}
			}
		}
	}
}

// rowOf is the number (from 1) of the first row of sheet whose first cell is label.
func rowOf(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	for i, row := range must(f.GetRows(sheet)) {
		if len(row) > 0 && row[0] == label {
			return i + 1
		}
	}
	t.Fatalf("feuille %s : pas de ligne %q", sheet, label)
	return 0
}

// checkNumberCell fails unless the cell of column col (from 0) of the row label is a number.
func checkNumberCell(t *testing.T, f *excelize.File, sheet, label string, col int) {
	t.Helper()
	cell, _ := excelize.CoordinatesToCellName(col+1, rowOf(t, f, sheet, label))
	v := must(f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}))
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		t.Errorf("feuille %s, %s (%s) : %q n'est pas un nombre", sheet, cell, label, v)
	}
}

// dataRows counts the rows under the header of a list sheet (whose header starts with a
// cell the table names first).
func dataRows(t *testing.T, f *excelize.File, sheet string) int {
	t.Helper()
	rows := must(f.GetRows(sheet))
	for i, row := range rows {
		if len(row) > 1 && (row[0] == "UAI" || row[0] == "Code INSEE" || row[0] == "Identifiant") {
			return len(rows) - i - 1
		}
	}
	t.Fatalf("feuille %s : pas d'en-tête", sheet)
	return 0
}

// euroCents reads the amount of column header in the row label, in cents.
func euroCents(t *testing.T, f *excelize.File, sheet, label, header string) int {
	t.Helper()
	rows := must(f.GetRows(sheet))
	col := -1
	for _, row := range rows {
		if i := slices.Index(row, header); i >= 0 {
			col = i
			break
		}
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, rowOf(t, f, sheet, label))
	v, err := strconv.ParseFloat(must(f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})), 64)
	if err != nil || col < 0 {
		t.Fatalf("feuille %s, %s : %v", sheet, cell, err)
	}
	return int(v*100 + 0.5)
}

// checkLateMilestones: the milestones' planned days are dates (numbers with a date format)
// and the late ones are highlighted by a conditional format on the « En retard » column.
func checkLateMilestones(t *testing.T, f *excelize.File) {
	t.Helper()
	rows := must(f.GetRows("Jalons"))
	h := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 1 && r[0] == "Identifiant" })
	if h < 0 || h+1 >= len(rows) {
		t.Fatal("feuille Jalons : ni en-tête ni jalon")
	}
	cell := "B" + strconv.Itoa(h+2)
	if v := must(f.GetCellValue("Jalons", cell, excelize.Options{RawCellValue: true})); strings.Contains(v, "/") || v == "" {
		t.Errorf("Jalons %s : date %q écrite en texte", cell, v)
	}
	if shown := must(f.GetCellValue("Jalons", cell)); len(shown) != 10 || shown[2] != '/' && shown[2] != '-' {
		t.Errorf("Jalons %s : date affichée %q", cell, shown)
	}
	formats := must(f.GetConditionalFormats("Jalons"))
	found := false
	for _, opts := range formats {
		for _, o := range opts {
			found = found || o.Type == "formula" && strings.Contains(o.Criteria, `$G`) && strings.Contains(o.Criteria, `"oui"`)
		}
	}
	if !found {
		t.Errorf("Jalons : pas de mise en forme des jalons en retard (%v)", formats)
	}
}

// checkNoPersonalData fails when a contact's or a participant's full name or email is in
// the workbook.
func checkNoPersonalData(t *testing.T, s *models.Store, w *world, f *excelize.File) {
	t.Helper()
	var text strings.Builder
	for _, sheet := range f.GetSheetList() {
		for _, row := range must(f.GetRows(sheet)) {
			text.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	all := text.String()
	var personal []string
	if err := s.EachContact(t.Context(), w.actors["admin"], models.ContactFilter{}, func(c models.ContactRow) error {
		personal = append(personal, c.Email, strings.TrimSpace(c.Prenom+" "+c.Nom))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.EachInscriptionAll(t.Context(), w.actors["admin"], models.InscriptionFilter{}, func(r models.InscriptionRow) error {
		personal = append(personal, r.Email, r.Nom)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range personal {
		if len(p) < 6 || !strings.Contains(p, " ") && !strings.Contains(p, "@") {
			continue
		}
		checked++
		if strings.Contains(all, p) {
			t.Errorf("classeur du lecteur : donnée personnelle %q", p)
		}
	}
	if checked == 0 {
		t.Error("aucune donnée personnelle à chercher : la démonstration n'a ni contact ni participant")
	}
}
