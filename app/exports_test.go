package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

func TestExports(t *testing.T) {
	cases := []struct {
		path  string
		rows  int    // data rows expected
		first string // first cell of the first data row
	}{
		{"/communes.xlsx?departement=93", 39, "93001"},
		{"/communes.csv?departement=93", 39, "93001"},
		{"/ecoles.xlsx?departement=94&ep=REP%2B", 22, ""},
		{"/ecoles.csv", 2642, ""},
		{"/ecoles.xlsx", 2642, ""},
		{"/epci.xlsx?type=EPT", 7, ""},
		{"/epci.csv", 31, ""},
		{"/departements.xlsx", 3, "77"},
		{"/departements.csv", 3, "77"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, c := range cases {
			rec, ok := getOK(t, h, c.path, "Content-Disposition", "attachment; filename=")
			if !ok {
				continue
			}
			var header []string
			var data [][]string
			if strings.Contains(c.path, ".xlsx") {
				header, data = readXLSX(t, c.path, rec.Body.Bytes())
			} else {
				header, data = readCSV(t, c.path, rec.Body.Bytes())
			}
			if len(data) != c.rows {
				t.Errorf("%s : %d lignes, attendu %d", c.path, len(data), c.rows)
			}
			if len(header) == 0 || (header[0] != "Code INSEE" && header[0] != "UAI" && header[0] != "SIREN" && header[0] != "Code") {
				t.Errorf("%s : en-tête %v", c.path, header)
			}
			if c.first != "" && len(data) > 0 && data[0][0] != c.first {
				t.Errorf("%s : première cellule %q, attendu %q", c.path, data[0][0], c.first)
			}
		}
	})
}

// TestExportEqualsList checks that an export holds exactly the rows of the filtered list.
func TestExportEqualsList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		q := "?departement=93&type=primaire&sort=-eleves"
		d := doc(t, get(t, h, "/ecoles"+q+"&per_page=500"))
		var onScreen []string
		d.Find("#tableau-ecoles tbody tr").Each(func(_ int, tr *goquery.Selection) {
			onScreen = append(onScreen, strings.TrimSpace(tr.Find("td").Eq(1).Text()))
		})
		_, data := readXLSX(t, q, get(t, h, "/ecoles.xlsx"+q).Body.Bytes())
		if len(data) != len(onScreen) || len(data) != 77 {
			t.Fatalf("export %d lignes, écran %d, attendu 77", len(data), len(onScreen))
		}
		for i := range data {
			if data[i][0] != onScreen[i] {
				t.Fatalf("ligne %d : export %s, écran %s", i, data[i][0], onScreen[i])
			}
		}
	})
}

// readXLSX reads the first sheet of a workbook: its header row (the last frozen row, under
// the title block) and its data rows, raw (numbers and dates as stored).
func readXLSX(t *testing.T, name string, b []byte) ([]string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 64 << 20})
	if err != nil {
		t.Fatalf("%s : %v", name, err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s : %v", name, err)
	}
	h := xlsxHeaderRow(t, name, f, sheet)
	if len(rows) < h || len(rows[0]) == 0 || rows[0][0] == "" {
		t.Fatalf("%s : pas de titre ni d'en-tête (%d lignes, en-tête ligne %d)", name, len(rows), h)
	}
	// Numbers are real number cells.
	for col, hd := range rows[h-1] {
		if (hd == "Élèves" || hd == "Population" || hd == "Communes") && len(rows) > h {
			cell, _ := excelize.CoordinatesToCellName(col+1, h+1)
			if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s : colonne %s de type %v", name, hd, typ)
			}
		}
	}
	return rows[h-1], rows[h:]
}

// xlsxHeaderRow is the row of a sheet's header: the last frozen row, under the title block.
func xlsxHeaderRow(t *testing.T, name string, f *excelize.File, sheet string) int {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit < 2 {
		t.Fatalf("%s : ligne d'en-tête non figée sous le titre (%+v)", name, panes)
	}
	return panes.YSplit
}

func readCSV(t *testing.T, name string, b []byte) ([]string, [][]string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("%s : BOM absent", name)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})))
	r.Comma = ';'
	all, err := r.ReadAll()
	if err != nil || len(all) == 0 {
		t.Fatalf("%s : %v", name, err)
	}
	return all[0], all[1:]
}

// TestExportTitleBlockAndName: a list's workbook says what was exported, with which
// filters, in which scope and when; the file's name carries the filters.
func TestExportTitleBlockAndName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		cases := []struct {
			path, name string
			lines      []string
		}{
			{"/communes.xlsx?departement=93&population=10000-49999&q=saint", "communes-93-de-10-000-a-49-999-habitants-saint-",
				[]string{"Communes", "Filtres : Département : 93 ; Population : " + models.LabelOf(models.PopulationBands, "10000-49999") +
					" ; Recherche : saint",
					"Périmètre : Académie de Créteil (77, 93, 94)"}},
			{"/ecoles.xlsx", "ecoles-", []string{"Écoles", "Filtres : aucun, toute la liste", "Périmètre : Académie de Créteil (77, 93, 94)"}},
			{"/ecoles.csv?type=maternelle", "ecoles-ecole-maternelle-", nil},
		}
		for _, c := range cases {
			rec := get(t, h, c.path)
			disp := rec.Header().Get("Content-Disposition")
			if rec.Code != http.StatusOK || !strings.HasPrefix(disp, `attachment; filename="`+c.name) {
				t.Errorf("%s : statut %d, %q, attendu un nom commençant par %q", c.path, rec.Code, disp, c.name)
			}
			if c.lines == nil {
				continue
			}
			f := openWorkbook(t, rec.Body.Bytes())
			sheet := f.GetSheetName(0)
			for i, want := range c.lines {
				if got, _ := f.GetCellValue(sheet, "A"+strconv.Itoa(i+1)); got != want {
					t.Errorf("%s : ligne %d du titre %q, attendu %q", c.path, i+1, got, want)
				}
			}
			if got, _ := f.GetCellValue(sheet, "A"+strconv.Itoa(len(c.lines)+1)); !strings.HasPrefix(got, "Exporté le ") {
				t.Errorf("%s : date d'export %q", c.path, got)
			}
		}
	})
}

// sheetTable reads a sheet of a workbook: the row number of its header (under the title
// block), the header and the data rows, formatted as excelize shows them.
func sheetTable(t *testing.T, f *excelize.File, sheet string) (int, []string, [][]string) {
	t.Helper()
	h := xlsxHeaderRow(t, sheet, f, sheet)
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < h {
		t.Fatalf("%s : %d lignes, en-tête ligne %d (%v)", sheet, len(rows), h, err)
	}
	return h, rows[h-1], rows[h:]
}

// excelClock shows a raw Excel time (a fraction of a day) as "15:04"; "" when it is none.
func excelClock(raw string) string {
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || f < 0 || f >= 1 {
		return ""
	}
	minutes := int(f*24*60 + 0.5)
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// openWorkbook opens a downloaded workbook, closed when the test ends.
func openWorkbook(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// TestActionsExports: the actions list and "Mes actions" export in Excel and CSV exactly
// the rows on screen, in their order, with their due dates as dates; the file's name
// carries the filters.
func TestActionsExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		mine := fx.responsable("pilote")
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Bilan", Echeance: "01/04/2099", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Envoyer la charte", Echeance: "01/04/2012", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "=Autre", Responsable: fx.responsable("pilote2")})
		fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Du 77", Echeance: "01/04/2012"})
		p := fx.clients["pilote"]
		for _, c := range []struct {
			list, table, query, name string
			rows                     int
		}{
			{"/actions", "#tableau-actions", "", "actions-", 4},
			{"/actions", "#tableau-actions", "?retard=1", "actions-en-retard-seulement-", 2},
			{"/actions", "#tableau-actions", "?instance=" + idStr(fx.acad.ID), "actions-" + idStr(fx.acad.ID) + "-", 3},
			{"/mes-actions", "#tableau-mes-actions", "", "mes-actions-", 2},
		} {
			page := doc(t, p.get(c.list+c.query))
			var onScreen []string
			page.Find(c.table + " tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) {
				onScreen = append(onScreen, strings.TrimPrefix(a.AttrOr("href", ""), "/actions/"))
			})
			if href, _ := page.Find(`a[href^="` + c.list + `.xlsx"]`).Attr("href"); href != c.list+".xlsx"+c.query {
				t.Errorf("%s%s : lien d'export %q", c.list, c.query, href)
			}
			for _, ext := range []string{".xlsx", ".csv"} {
				rec := p.get(c.list + ext + c.query)
				if disp := rec.Header().Get("Content-Disposition"); rec.Code != http.StatusOK || !strings.Contains(disp, `filename="`+c.name) {
					t.Fatalf("%s%s%s : %d %q", c.list, ext, c.query, rec.Code, disp)
				}
				var data [][]string
				if ext == ".xlsx" {
					_, data = readXLSX(t, c.list+ext, rec.Body.Bytes())
				} else {
					_, data = readCSV(t, c.list+ext, rec.Body.Bytes())
				}
				var ids []string
				for _, row := range data {
					ids = append(ids, row[0])
				}
				if !slices.Equal(ids, onScreen) || len(ids) != c.rows {
					t.Errorf("%s%s%s : export %v, écran %v", c.list, ext, c.query, ids, onScreen)
				}
			}
		}
		// The due date is a date cell, "Envoyer la charte" overdue.
		rec := p.get("/mes-actions.xlsx")
		f := openWorkbook(t, rec.Body.Bytes())
		h, header, data := sheetTable(t, f, "Mes actions")
		due := slices.Index(header, "Échéance")
		if due < 0 || data[0][1] != "Envoyer la charte" || data[0][due] != "01/04/2012" || data[0][slices.Index(header, "En retard")] != "oui" {
			t.Fatalf("mes actions : %v %v", header, data)
		}
		ref, _ := excelize.CoordinatesToCellName(due+1, h+1)
		if raw, _ := f.GetCellValue("Mes actions", ref, excelize.Options{RawCellValue: true}); raw != "41000" {
			t.Errorf("échéance %q, attendu le numéro de série du 01/04/2012", raw)
		}
	})
}

// TestPreparationWorkbook: the workbook of "Préparer la prochaine réunion" names the next
// meeting (title, date, hours, place) and the last one in its title block, and holds the
// conventions of the body's territory that expire soon, as its page does, their dates as
// dates.
func TestPreparationWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newAlertesWorld(t, s)
		ia93, body := newBody93(t, s)
		if _, err := s.CreateReunion(t.Context(), ia93, models.ReunionInput{InstanceID: body.ID, Titre: "Co-pilotage de rentrée",
			Date: "07/09/2099", HeureDebut: "14:00", HeureFin: "16:30", Lieu: "DSDEN de Bobigny", Statut: models.ReunionPlanifiee}); err != nil {
			t.Fatal(err)
		}
		rec := w.clients["pilote"].get("/instances/" + idStr(body.ID) + "/preparer.xlsx")
		if disp := rec.Header().Get("Content-Disposition"); rec.Code != http.StatusOK || !strings.Contains(disp, `filename="preparation-co-pilotage-93-`) {
			t.Fatalf("classeur : %d %q", rec.Code, disp)
		}
		f := openWorkbook(t, rec.Body.Bytes())
		var block []string
		for r := 1; r <= 6; r++ {
			v, _ := f.GetCellValue("Préparation", "A"+strconv.Itoa(r))
			block = append(block, v)
		}
		want := "Prochaine réunion : Co-pilotage de rentrée, le 07/09/2099 de 14:00 à 16:30, DSDEN de Bobigny"
		if block[0] != "Préparer la prochaine réunion — Co-pilotage 93" || !slices.Contains(block, want) ||
			!slices.Contains(block, "Dernière réunion tenue : aucune réunion n'a encore été tenue") {
			t.Errorf("bloc de titre : %q, attendu %q", block, want)
		}
		h, header, data := sheetTable(t, f, "Préparation")
		var found bool
		for i, row := range data {
			if strings.Contains(strings.Join(row, "|"), "CRE-94") {
				t.Errorf("convention du 94 : %v", row)
			}
			if row[0] != "Convention qui arrive à échéance" || !strings.HasPrefix(row[2], "CRE-93-2012-002 — ") {
				continue
			}
			found = true
			date := slices.Index(header, "Date ou échéance")
			ref, _ := excelize.CoordinatesToCellName(date+1, h+1+i)
			raw, _ := f.GetCellValue("Préparation", ref, excelize.Options{RawCellValue: true})
			if n, err := strconv.Atoi(raw); err != nil || n < 40000 || row[date] != w.bobigny.DateExpiration.UTC().Format("02/01/2006") {
				t.Errorf("date d'expiration %q (%q) : une date sans heure attendue", row[date], raw)
			}
		}
		if !found {
			t.Errorf("convention qui expire absente : %v", data)
		}
	})
}

// newBody93 creates the co-pilotage of the 93 as its IA-DASEN, who is returned with it.
func newBody93(t *testing.T, s *models.Store) (models.Actor, models.InstanceRow) {
	t.Helper()
	ia93 := models.Actor{Name: "IA 93", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}}
	body, err := s.CreateInstance(t.Context(), ia93, models.InstanceInput{Nom: "Co-pilotage 93",
		Kind: models.InstanceCopilotage, Departement: "93"})
	if err != nil {
		t.Fatal(err)
	}
	return ia93, body
}
