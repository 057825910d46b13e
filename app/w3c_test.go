package app_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/models/dbtest"
)

// vnuJar is the W3C HTML checker (npm vnu-jar), installed by `make vendor`.
const vnuJar = "../node_modules/vnu-jar/build/dist/vnu.jar"

// TestW3CValidation renders the pages and runs the W3C Nu HTML checker on them: no error.
// Without Java or the checker the test skips, unless PILOTAGE_REQUIRE_W3C=1 (CI).
func TestW3CValidation(t *testing.T) {
	java, err := exec.LookPath("java")
	if _, statErr := os.Stat(vnuJar); err != nil || statErr != nil {
		if os.Getenv("PILOTAGE_REQUIRE_W3C") == "1" {
			t.Fatal("java ou vnu.jar introuvable alors que PILOTAGE_REQUIRE_W3C=1 (make vendor, paquet default-jre-headless)")
		}
		t.Skip("java ou vnu.jar introuvable : validation W3C ignorée")
	}
	pages := []string{"/", "/departements", "/departements/94", "/communes", "/communes?departement=93&sort=-population",
		"/communes/93008", "/ecoles", "/ecoles?commune=abc", "/ecoles/0930388S", "/epci", "/epci/200057875", "/sources",
		"/mon-compte", "/nexiste-pas"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		dir := t.TempDir()
		var files []string
		for i, p := range pages {
			rec := get(t, h, p)
			if rec.Code >= 500 {
				t.Fatalf("%s : %d", p, rec.Code)
			}
			f := filepath.Join(dir, "page-"+string(rune('a'+i))+".html")
			if err := os.WriteFile(f, rec.Body.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		anon := newAnonymousServer(t, s, app.Config{})
		rec := get(t, anon, "/connexion")
		if rec.Code != http.StatusOK {
			t.Fatalf("/connexion : %d", rec.Code)
		}
		login := filepath.Join(dir, "connexion.html")
		if err := os.WriteFile(login, rec.Body.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, login)
		out, err := exec.Command(java, append([]string{"-jar", vnuJar, "--errors-only", "--format", "text"}, files...)...).CombinedOutput()
		if err != nil {
			report := string(out)
			for i, p := range pages {
				report = strings.ReplaceAll(report, files[i], p)
			}
			t.Errorf("le validateur W3C signale des erreurs :\n%s", report)
		}
	})
}
