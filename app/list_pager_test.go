package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// pagerLinks reads the pagination of a list page: its links by their class ("first",
// "prev", "next", "last") and the numbered links by page number.
func pagerLinks(d *goquery.Document) (map[string]string, map[string]string) {
	named, numbered := map[string]string{}, map[string]string{}
	d.Find("nav.fr-pagination a.fr-pagination__link[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		for _, kind := range []string{"first", "prev", "next", "last"} {
			if a.HasClass("fr-pagination__link--" + kind) {
				named[kind] = href
				return
			}
		}
		numbered[strings.TrimSpace(a.Text())] = href
	})
	return named, numbered
}

// rowKeys are the INSEE codes of the communes shown.
func rowKeys(d *goquery.Document) []string {
	var out []string
	d.Find("#tableau-communes tbody tr").Each(func(_ int, tr *goquery.Selection) {
		out = append(out, strings.TrimSpace(tr.Find("td").Eq(1).Text()))
	})
	return out
}

func query(t *testing.T, href string) url.Values {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// "Page suivante" and "Page précédente" carry the cursor of the last and first rows shown
// (and the numbered links around the current page); the first and last pages are linked
// by number. Following the links shows the same rows as the page numbers, and keeps the
// filters and the sort; sorting, filtering and exporting drop the cursor.
func TestPagerLinksCarryCursors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		base := "/communes?departement=77&sort=-population"
		open := func(href string) *goquery.Document {
			t.Helper()
			rec := get(t, h, href)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s : statut %d", href, rec.Code)
			}
			return doc(t, rec)
		}
		byNumber := func(n string) []string { return rowKeys(open(base + "&page=" + n)) }

		d := open(base)
		named, _ := pagerLinks(d)
		next := query(t, named["next"])
		if next.Get("page") != "2" || next.Get("apres") == "" || next.Get("departement") != "77" || next.Get("sort") != "-population" {
			t.Fatalf("lien « Page suivante » de la page 1 : %s", named["next"])
		}
		if last := query(t, named["last"]); last.Get("page") != "11" || last.Has("apres") || last.Has("avant") {
			t.Errorf("lien « Dernière page » : %s, attendu la page 11 par son numéro", named["last"])
		}

		// Page 2, then 3, by "Page suivante".
		d = open(named["next"])
		if got, want := rowKeys(d), byNumber("2"); !slices.Equal(got, want) || len(got) != 50 {
			t.Fatalf("page 2 par le curseur : %v, par son numéro : %v", got, want)
		}
		named, _ = pagerLinks(d)
		if prev := query(t, named["prev"]); prev.Get("page") != "1" || prev.Has("avant") {
			t.Errorf("retour à la page 1 : %s, attendu la page 1 par son numéro", named["prev"])
		}
		d = open(named["next"])
		page3 := rowKeys(d)
		if want := byNumber("3"); !slices.Equal(page3, want) {
			t.Fatalf("page 3 par le curseur : %v, par son numéro : %v", page3, want)
		}
		named, numbered := pagerLinks(d)
		if prev := query(t, named["prev"]); prev.Get("page") != "2" || prev.Get("avant") == "" {
			t.Errorf("lien « Page précédente » de la page 3 : %s", named["prev"])
		}
		for n, param := range map[string]string{"2": "avant", "4": "apres", "5": "apres"} {
			if q := query(t, numbered[n]); q.Get("page") != n || q.Get(param) == "" {
				t.Errorf("lien vers la page %s depuis la page 3 : %s, attendu un curseur %s", n, numbered[n], param)
			}
		}
		if got, want := rowKeys(open(named["prev"])), byNumber("2"); !slices.Equal(got, want) {
			t.Errorf("page 2 par « Page précédente » : %v, par son numéro : %v", got, want)
		}
		if got, want := rowKeys(open(numbered["5"])), byNumber("5"); !slices.Equal(got, want) {
			t.Errorf("page 5 par le lien numéroté : %v, par son numéro : %v", got, want)
		}

		// Sorting, filtering and exporting start again from the first page.
		d.Find("#tableau-communes thead a, #resultats a[download], form[role=search] a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if q := query(t, href); q.Has("page") || q.Has("apres") || q.Has("avant") {
				t.Errorf("lien %q garde la pagination : %s", strings.TrimSpace(a.Text()), href)
			}
		})
		if d.Find(`form[role=search] input[name="apres"], form[role=search] input[name="avant"]`).Length() > 0 {
			t.Error("le formulaire de filtres garde le curseur")
		}
	})
}

// A cursor that is malformed, altered or made for another sort or page is a French filter
// error on the list page (400), and one made for another list a French error page (400):
// never a 500. The API answers the same in JSON.
func TestBadCursorIsFrenchFilterError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		named, _ := pagerLinks(doc(t, get(t, h, "/communes?departement=77")))
		good := query(t, named["next"]).Get("apres")
		altered := []byte(good)
		altered[len(altered)/3] ^= 2
		ecoles, _ := pagerLinks(doc(t, get(t, h, "/ecoles")))
		otherList := query(t, ecoles["next"]).Get("apres")

		for name, href := range map[string]string{
			"illisible":     "/communes?departement=77&page=2&apres=%25%25%25",
			"altéré":        "/communes?departement=77&page=2&apres=" + url.QueryEscape(string(altered)),
			"autre tri":     "/communes?departement=77&sort=population&page=2&apres=" + good,
			"même page":     "/communes?departement=77&page=1&apres=" + good,
			"à rebours":     "/communes?departement=77&page=2&avant=" + good,
			"trop long":     "/communes?departement=77&page=2&apres=" + strings.Repeat("A", 3000),
			"décisions":     "/decisions?page=2&apres=abc",
			"fragment htmx": "/communes?departement=77&page=2&apres=abc",
		} {
			headers := []string{}
			if name == "fragment htmx" {
				headers = []string{"HX-Request: true", "HX-Target: resultats"}
			}
			rec := get(t, h, href, headers...)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("curseur %s : statut %d, attendu 400", name, rec.Code)
				continue
			}
			if !strings.Contains(rec.Body.String(), "Lien de pagination invalide") {
				t.Errorf("curseur %s : message absent\n%s", name, rec.Body.String())
			}
		}

		rec := get(t, h, "/communes?page=2&apres="+otherList)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "lien de pagination est invalide") {
			t.Errorf("curseur d'une autre liste : statut %d\n%s", rec.Code, rec.Body.String())
		}

		rec = get(t, h, "/api/v1/communes?departement=77&page=2&apres="+url.QueryEscape(string(altered)))
		var body struct {
			Fields map[string]string `json:"fields"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); rec.Code != http.StatusBadRequest || err != nil || body.Fields["apres"] == "" {
			t.Errorf("API, curseur altéré : statut %d, %s", rec.Code, rec.Body.String())
		}
		if rec := get(t, h, "/api/v1/communes?departement=77&page=2&apres="+good); rec.Code != http.StatusOK {
			t.Errorf("API, curseur valide : statut %d", rec.Code)
		}
	})
}
