package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// The communes list puts "Émerainville" among the E's (French order), not after the Z's.
func TestCommunesFrenchOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, url := range []string{"/communes?departement=77&sort=nom&per_page=500", "/communes?departement=77&per_page=500"} {
			var names []string
			doc(t, get(t, h, url)).Find("#tableau-communes tbody tr").Each(func(_ int, r *goquery.Selection) {
				names = append(names, strings.TrimSpace(r.Find("td").First().Text()))
			})
			if len(names) != 500 {
				t.Fatalf("%s : %d lignes, 500 attendues", url, len(names))
			}
			found := 0
			for i, n := range names {
				if !strings.HasPrefix(n, "É") {
					continue
				}
				found++
				for j, other := range names {
					initial := models.SearchKey(other)[:1]
					if (j < i && initial > "e") || (j > i && initial < "e") {
						t.Fatalf("%s : %q (ligne %d) et %q (ligne %d) dans le désordre", url, n, i+1, other, j+1)
					}
				}
			}
			if found < 5 {
				t.Errorf("%s : %d communes en « É » dans la page, au moins 5 attendues (Émerainville, Égreville…)", url, found)
			}
			if i := slices.Index(names, "Émerainville"); i < 1 || !strings.HasPrefix(models.SearchKey(names[i-1]), "e") {
				t.Errorf("%s : Émerainville (ligne %d) ne suit pas un nom en E", url, i+1)
			}
		}
	})
}
