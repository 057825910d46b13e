package app_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/models/dbtest"
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
			rec := get(t, h, c.path)
			if rec.Code != http.StatusOK {
				t.Errorf("%s : statut %d", c.path, rec.Code)
				continue
			}
			disp := rec.Header().Get("Content-Disposition")
			if !strings.HasPrefix(disp, "attachment; filename=") {
				t.Errorf("%s : Content-Disposition %q", c.path, disp)
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
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s : ligne d'en-tête non figée (%+v)", name, panes)
	}
	// Numbers are real number cells.
	for col, h := range rows[0] {
		if (h == "Élèves" || h == "Population" || h == "Communes") && len(rows) > 1 {
			cell, _ := excelize.CoordinatesToCellName(col+1, 2)
			if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s : colonne %s de type %v", name, h, typ)
			}
		}
	}
	return rows[0], rows[1:]
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
