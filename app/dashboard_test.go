package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// TestDashboardFiguresEqualLists: on the demonstration, every figure of the académie's
// dashboard and of each département's, for the pilote and for the IA of the 93, equals
// the list it links to (its total, or the total line of the coverage); the IA of the 93
// cannot open the 94's (404); the chart's bars are the rows of its data table.
func TestDashboardFiguresEqualLists(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	w := newWorld(t, s, app.Config{})
	pages := map[string][]string{"pilote": {"/tableau-de-bord", "/tableau-de-bord/77", "/tableau-de-bord/93", "/tableau-de-bord/94"},
		"ia93": {"/tableau-de-bord", "/tableau-de-bord/93"}}
	for name, paths := range pages {
		c := w.clients[name]
		for _, p := range paths {
			rec := c.get(p)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s, %s : %d", name, p, rec.Code)
			}
			d := doc(t, rec)
			if bars, rows := d.Find("#graphique-ouvertures rect").Length()/2, d.Find("#tableau-ouvertures tbody tr").Length(); bars != rows || rows == 0 {
				t.Errorf("%s, %s : %d barres pour %d lignes", name, p, bars, rows)
			}
			n := 0
			d.Find("a.chiffre").Each(func(_ int, a *goquery.Selection) {
				n++
				want, href := digits(a.Find("strong").Text()), a.AttrOr("href", "")
				if got := linkedTotal(t, c, href, a.Text()); got != want {
					t.Errorf("%s, %s : « %s » dit %d, %s en montre %d", name, p, strings.TrimSpace(a.Text()), want, href, got)
				}
			})
			if n < len(models.ConventionStatuts)+3 {
				t.Errorf("%s, %s : %d chiffres", name, p, n)
			}
		}
	}
	if rec := w.clients["ia93"].get("/tableau-de-bord/94"); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93, tableau de bord du 94 : %d", rec.Code)
	}
}

// linkedTotal is what the page at href counts: a list's total, or on the training's
// coverage the total of teachers trained or of écoles with nobody trained.
func linkedTotal(t *testing.T, c *formClient, href, label string) int {
	t.Helper()
	href, _, _ = strings.Cut(href, "#") // a browser does not send the fragment
	rec := c.get(href)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s : %d", href, rec.Code)
	}
	d := doc(t, rec)
	if !strings.HasPrefix(href, "/formations/couverture") {
		return listTotal(d)
	}
	cells := d.Find("#ligne-total td")
	if strings.Contains(label, "sans personne") {
		return digits(cells.Eq(4).Text())
	}
	return digits(cells.Eq(2).Text())
}

// TestDashboardWorkbook: the académie's workbook and the 93's (through
// /tableau-de-bord/93.xlsx) have the Synthèse, Déploiement and Conventions sheets, the
// rollout's total as a number; the IA of the 93 cannot download the 94's.
func TestDashboardWorkbook(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	w := newWorld(t, s, app.Config{})
	for _, p := range []string{"/tableau-de-bord.xlsx", "/tableau-de-bord/93.xlsx"} {
		f := fichesXLSX(t, w.clients["pilote"].get(p))
		if sheets := f.GetSheetList(); len(sheets) != 3 || sheets[0] != "Synthèse" || sheets[1] != "Déploiement" {
			t.Fatalf("%s : feuilles %v", p, sheets)
		}
		rows := must(f.GetRows("Déploiement"))
		last := rows[len(rows)-1]
		if len(last) < 5 || last[0] != "Total" {
			t.Errorf("%s : dernière ligne %v", p, last)
		}
		if typ, _ := f.GetCellType("Déploiement", "B"+strconv.Itoa(len(rows))); typ == excelize.CellTypeSharedString {
			t.Errorf("%s : le total des écoles est du texte", p)
		}
	}
	if rec := w.clients["ia93"].get("/tableau-de-bord/94.xlsx"); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93, classeur du 94 : %d", rec.Code)
	}
}
