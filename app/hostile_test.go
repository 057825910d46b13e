package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// hostile are values an attacker or a clumsy user may put in any query parameter.
var hostile = []string{
	"' OR 1=1 --", "nom;DROP TABLE communes", strings.Repeat("x", 10000), "\xff\xfe", "<script>alert(1)</script>",
	"%", "_", `\`, "-1", "99999999999999999999", "0", " ", "93\x00",
}

// TestHostileQueries sends every hostile value in every parameter of every list, export and
// API route: the answer is a normal page or a 400 with a French message, never a 500, and the
// value is never echoed unescaped.
func TestHostileQueries(t *testing.T) {
	routes := map[string][]string{
		"/communes":        {"departement", "epci", "population", "q", "sort", "page", "per_page"},
		"/ecoles":          {"departement", "commune", "circonscription", "type", "statut", "ep", "q", "sort", "page", "per_page"},
		"/epci":            {"departement", "type", "q", "sort", "page", "per_page"},
		"/api/v1/communes": {"departement", "q", "sort", "page", "per_page"},
		"/api/v1/ecoles":   {"commune", "q", "sort", "page"},
		"/api/v1/epci":     {"type", "sort", "per_page"},
		"/communes.xlsx":   {"q", "sort"},
		"/ecoles.csv":      {"q", "sort", "departement"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for path, params := range routes {
			for _, p := range params {
				for _, v := range hostile {
					u := path + "?" + p + "=" + url.QueryEscape(v)
					rec := get(t, h, u)
					if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
						t.Errorf("%s=%.30q : statut %d", path+"?"+p, v, rec.Code)
					}
					if strings.Contains(rec.Body.String(), "<script>alert(1)</script>") {
						t.Errorf("%s : valeur renvoyée sans échappement", u[:min(len(u), 60)])
					}
					if rec.Code == http.StatusBadRequest && !strings.HasPrefix(path, "/api/") && !strings.Contains(rec.Body.String(), "invalide") {
						t.Errorf("%s=%.30q : 400 sans message français", path+"?"+p, v)
					}
				}
			}
		}
		// The tables are still there.
		if p, err := s.ListCommunes(t.Context(), models.AcademieScope(), models.CommuneFilter{}, models.PageRequest{}); err != nil || p.Total != 593 {
			t.Errorf("après les requêtes hostiles : %v, %d communes", err, p.Total)
		}
	})
}

func TestFilterErrorNextToField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		rec := get(t, h, "/ecoles?commune=abc&q="+strings.Repeat("é", 101))
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("statut %d", rec.Code)
		}
		d := doc(t, rec)
		// The commune is chosen by name or code: "abc" names none (app/places.go).
		if msg := d.Find("#filtre-commune-erreur").Text(); !strings.Contains(msg, "Aucune commune de votre périmètre ne correspond à « abc »") {
			t.Errorf("message du champ commune : %q", msg)
		}
		if msg := d.Find("#filtre-q-erreur").Text(); !strings.Contains(msg, "100 caractères au maximum") {
			t.Errorf("message du champ recherche : %q", msg)
		}
		if v, _ := d.Find("#filtre-commune").Attr("value"); v != "abc" {
			t.Errorf("la valeur saisie n'est pas conservée : %q", v)
		}
		checkPageRules(t, "/ecoles?commune=abc", d)
	})
}
