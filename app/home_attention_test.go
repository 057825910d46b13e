package app_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestHomeAttention: on the demonstration, the home page's « À traiter » tiles of every role
// equal the totals of the lists they link to (the same filter, the same scope); the
// sessions to close and the candidatures to decide only show for the roles concerned; a
// session whose day is past and whose attendance was not taken counts for the IEN; with
// the ENT statistics imported, the écoles opened to watch equal the usage page's list.
func TestHomeAttention(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	importUsageSample(t, s)
	w := newWorld(t, s, app.Config{})
	plan := must(s.CreatePlanFormation(t.Context(), w.sys, models.PlanFormationInput{AnneeScolaire: "2019-2020", Departement: "94"}))
	must(s.CreateFormation(t.Context(), w.sys, models.FormationInput{PlanID: plan.ID, ModuleID: 1, Public: "enseignants",
		Circonscription: "0940920P", Lieu: "École Pasteur", Date: "05/11/2019", HeureDebut: "9h", DureeMinutes: "60",
		Capacite: "10", Statut: "ouverte"}))
	tileCount := regexp.MustCompile(`^([\d  ]+) `)
	seen := map[string]bool{}
	for name, c := range w.clients {
		d := doc(t, c.get("/"))
		d.Find("#a-traiter li").Each(func(_ int, li *goquery.Selection) {
			id, a := li.AttrOr("id", ""), li.Find("a")
			href, text := a.AttrOr("href", ""), strings.TrimSpace(a.Text())
			want := 0
			if m := tileCount.FindStringSubmatch(text); m != nil {
				want = digits(m[1])
			}
			path, _, _ := strings.Cut(href, "#") // a browser does not send the fragment
			rec := c.get(path)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s, %s : %d", name, href, rec.Code)
			}
			got := listTotal(doc(t, rec))
			if strings.HasPrefix(href, "/usages") {
				got = digits(doc(t, rec).Find("#a-surveiller-total strong").Text())
			}
			if got != want {
				t.Errorf("%s, %s : la tuile dit %d (%q), la liste %d", name, id, want, text, got)
			}
			seen[name+" "+id] = want > 0
		})
	}
	for _, k := range []string{"lecteur sessions-a-clore", "amif candidatures-a-noter", "ien94 candidatures-a-noter"} {
		if _, ok := seen[k]; ok {
			t.Errorf("tuile inattendue : %s", k)
		}
	}
	for _, k := range []string{"ien94 sessions-a-clore", "pilote actions-en-retard", "pilote ecoles-a-surveiller", "ia94 ecoles-a-surveiller"} {
		if !seen[k] {
			t.Errorf("tuile absente ou vide : %s (%v)", k, seen)
		}
	}
}

// digits keeps the digits of a French number ("1 234").
func digits(s string) int {
	n, _ := strconv.Atoi(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s))
	return n
}

// listTotal is the number of results a list page announces (0: « Aucun résultat »).
func listTotal(d *goquery.Document) int {
	return digits(d.Find(`main p[role="status"] strong`).First().Text())
}
