package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestDashboardFiguresEqualLists: on the demonstration, every figure of the académie's
// dashboard and of each département's, for the pilote and for the IA of the 93, equals
// the list it links to (its total, or the total line of the coverage); the IA of the 93
// cannot open the 94's (404); the chart's bars are the rows of its data table, at every
// level of the breakdown; each figure of the académie's equals the sum of the three
// départements'; a wrong choice gets its French message next to its field.
func TestDashboardFiguresEqualLists(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	importUsageSample(t, s)
	w := newWorld(t, s, app.Config{})
	pages := map[string][]string{"pilote": {"/tableau-de-bord", "/tableau-de-bord/77", "/tableau-de-bord/93", "/tableau-de-bord/94",
		"/tableau-de-bord?par=epci", "/tableau-de-bord/93?par=commune"},
		"ia93": {"/tableau-de-bord", "/tableau-de-bord/93"}}
	sums := map[string][2]int{} // per figure: the académie's, the sum of the départements'
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
				if name == "pilote" && !strings.Contains(p, "?") {
					label := strings.TrimSpace(strings.Map(func(r rune) rune {
						if r >= '0' && r <= '9' || r == '\u202f' || r == '\u00a0' {
							return -1
						}
						return r
					}, a.Text()))
					sum := sums[label]
					sum[min(1, len(strings.TrimPrefix(p, "/tableau-de-bord")))] += want
					sums[label] = sum
				}
				if got := linkedTotal(t, c, href, a.Text()); got != want {
					t.Errorf("%s, %s : « %s » dit %d, %s en montre %d", name, p, strings.TrimSpace(a.Text()), want, href, got)
				}
			})
			if n < len(models.ConventionStatuts)+3 {
				t.Errorf("%s, %s : %d chiffres", name, p, n)
			}
		}
	}
	// The académie's own conventions (the agreement with the AMIF) have no département.
	if err := s.EachConvention(t.Context(), models.AcademieScope(), models.ConventionFilter{}, func(c models.ConventionRow) error {
		if label := strings.ToLower(c.StatutLabel()); c.Departement() == "" {
			sum := sums[label]
			sum[1]++
			sums[label] = sum
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for label, sum := range sums {
		if sum[0] != sum[1] && !strings.HasPrefix(label, "actions") {
			t.Errorf("« %s » : %d pour l'académie, %d pour la somme des départements", label, sum[0], sum[1])
		}
	}
	if len(sums) < len(models.ConventionStatuts)+5 {
		t.Errorf("%d chiffres comparés à la somme des départements", len(sums))
	}
	if rec := w.clients["ia93"].get("/tableau-de-bord/94"); rec.Code != http.StatusNotFound {
		t.Errorf("IA 93, tableau de bord du 94 : %d", rec.Code)
	}
	d := doc(t, w.clients["pilote"].get("/tableau-de-bord?par=canton&reference=999999"))
	if msg := d.Find("#filtre-par-erreur").Text(); !strings.Contains(msg, "Niveau inconnu") {
		t.Errorf("niveau inconnu : %q", msg)
	}
	if msg := d.Find("#filtre-reference-erreur").Text(); !strings.Contains(msg, "Référence inconnue") {
		t.Errorf("référence inconnue : %q", msg)
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
	if strings.HasPrefix(href, "/usages") {
		return digits(d.Find("#a-surveiller-total strong").Text())
	}
	if !strings.HasPrefix(href, "/formations/couverture") {
		return listTotal(d)
	}
	cells := d.Find("#ligne-total td")
	if strings.Contains(label, "sans personne") {
		return digits(cells.Eq(4).Text())
	}
	return digits(cells.Eq(2).Text())
}
