package app_test

import (
	"net/http"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// vnuJar is the W3C HTML checker (npm vnu-jar), installed by `make vendor`.
const vnuJar = "../node_modules/vnu-jar/build/dist/vnu.jar"

// TestW3CValidation renders the pages and runs the W3C Nu HTML checker on them: no error.
// Without Java or the checker the test skips, unless PILOTAGE_REQUIRE_W3C=1 (CI).
func TestW3CValidation(t *testing.T) {
	pages := []string{"/", "/departements", "/departements/94", "/communes", "/communes?departement=93&sort=-population",
		"/communes/93008", "/ecoles", "/ecoles?commune=abc", "/ecoles/0930388S", "/epci", "/epci/200057875", "/sources",
		"/mon-compte", "/nexiste-pas"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		h := newServer(t, s)
		for _, p := range pages {
			rec := get(t, h, p)
			if rec.Code >= 500 {
				t.Fatalf("%s : %d", p, rec.Code)
			}
			w3c.add(p, rec.Body.Bytes())
		}
		anon := newAnonymousServer(t, s, app.Config{})
		rec := get(t, anon, "/connexion")
		if rec.Code != http.StatusOK {
			t.Fatalf("/connexion : %d", rec.Code)
		}
		w3c.add("/connexion", rec.Body.Bytes())
		w3c.check()
	})
}
