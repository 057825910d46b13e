package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		cases := []struct {
			url, h1, contains string
		}{
			{"/", "Pilotage du déploiement des ENT du premier degré", "Seine-Saint-Denis"},
			{"/departements", "Départements", "93 — Seine-Saint-Denis"},
			{"/departements/94", "Val-de-Marne (94)", "Circonscription d&#39;inspection du 1er degré de Villejuif"},
			{"/communes", "Communes", "Achères-la-Forêt"},
			{"/communes/93008", "Bobigny", "Est Ensemble"},
			{"/ecoles", "Écoles", "0930388S"},
			{"/ecoles/0930388S", "ECOLE ELEMENTAIRE PUBLIQUE D&#39;ESTIENNE D&#39;ORVES", "Montreuil"},
			{"/epci", "EPCI et EPT", "Plaine Commune"},
			{"/epci/200057875", "Est Ensemble", "Bobigny"},
			{"/sources", "Sources des données", "Licence Ouverte"},
		}
		for _, c := range cases {
			rec, ok := getOK(t, h, c.url, "Content-Type", "text/html")
			if !ok {
				continue
			}
			d := doc(t, rec)
			if got := strings.TrimSpace(d.Find("h1").First().Text()); !strings.Contains(got, strings.ReplaceAll(c.h1, "&#39;", "'")) {
				t.Errorf("%s : h1 %q, attendu %q", c.url, got, c.h1)
			}
			if !strings.Contains(rec.Body.String(), c.contains) {
				t.Errorf("%s : %q absent", c.url, c.contains)
			}
			checkPageRules(t, c.url, d)
		}
	})
}

func TestListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		cases := []struct {
			url, table, count string
			rows              int
		}{
			{"/communes?departement=93", "#tableau-communes", "39 résultats", 39},
			{"/communes?departement=77&per_page=100", "#tableau-communes", "507 résultats", 100},
			{"/communes?q=creteil", "#tableau-communes", "Créteil", 1},
			{"/communes?epci=200057875", "#tableau-communes", "9 résultats", 9},
			{"/communes?population=50000-et-plus&departement=94", "#tableau-communes", "résultats", -1},
			{"/ecoles?commune=93008", "#tableau-ecoles", "résultats", -1},
			{"/ecoles?departement=93&ep=REP%2B", "#tableau-ecoles", "207 résultats", 50},
			{"/ecoles?departement=93&type=maternelle&page=9", "#tableau-ecoles", "403 résultats", 3},
			{"/ecoles?statut=prive", "#tableau-ecoles", "98 résultats", 50},
			{"/ecoles?q=0930388s", "#tableau-ecoles", "1 résultat", 1},
			{"/epci?type=EPT", "#tableau-epci", "7 résultats", 7},
			{"/epci?departement=93", "#tableau-epci", "résultats", -1},
			{"/communes?q=zzzzzz", "#tableau-communes", "Aucun résultat", 0},
		}
		for _, c := range cases {
			rec := get(t, h, c.url)
			if rec.Code != http.StatusOK {
				t.Errorf("%s : statut %d", c.url, rec.Code)
				continue
			}
			d := doc(t, rec)
			if !strings.Contains(d.Find("#resultats").Text(), c.count) {
				t.Errorf("%s : %q absent de %q", c.url, c.count, strings.TrimSpace(d.Find("#resultats p").First().Text()))
			}
			if n := rows(d, c.table); c.rows >= 0 && n != c.rows {
				t.Errorf("%s : %d lignes, attendu %d", c.url, n, c.rows)
			}
		}
	})
}

func TestSortLinksKeepFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		d := doc(t, get(t, h, "/communes?departement=93&sort=-population"))
		var found bool
		d.Find("#tableau-communes thead a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if !strings.Contains(href, "departement=93") {
				t.Errorf("lien de tri sans le filtre : %s", href)
			}
			if strings.Contains(href, "sort=population") {
				found = true
			}
		})
		if !found {
			t.Error("le second clic sur Population doit trier par ordre croissant")
		}
		first := strings.TrimSpace(d.Find("#tableau-communes tbody tr td a").First().Text())
		if first != "Saint-Denis" {
			t.Errorf("commune la plus peuplée du 93 : %q", first)
		}
		export, _ := d.Find("#resultats a[download]").First().Attr("href")
		if !strings.Contains(export, "departement=93") || !strings.Contains(export, "sort=-population") {
			t.Errorf("lien d'export sans les filtres : %s", export)
		}
	})
}

func TestHTMXFragment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		rec := get(t, h, "/communes?departement=94", "HX-Request: true", "HX-Target: resultats")
		if rec.Code != http.StatusOK {
			t.Fatalf("statut %d", rec.Code)
		}
		body := rec.Body.String()
		if strings.Contains(body, "<html") || strings.Contains(body, "fr-header") {
			t.Error("le fragment htmx contient la page entière")
		}
		if !strings.Contains(body, "<strong>47</strong> résultats") {
			t.Error("le fragment ne contient pas le décompte")
		}
		full := get(t, h, "/communes?departement=94")
		if !strings.Contains(full.Body.String(), "<html") {
			t.Error("sans htmx la page entière est attendue")
		}
	})
}

func TestNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, url := range []string{"/nexiste-pas", "/communes/99999", "/communes/abc", "/ecoles/0930388A",
			"/ecoles/xyz", "/epci/123", "/epci/999999999", "/departements/75", "/departements/zz"} {
			rec := get(t, h, url)
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s : statut %d, attendu 404", url, rec.Code)
			}
			if !strings.Contains(rec.Body.String(), "Page introuvable") {
				t.Errorf("%s : message français absent", url)
			}
		}
	})
}
