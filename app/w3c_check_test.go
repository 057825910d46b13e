package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// w3cPages collects rendered pages and runs the W3C Nu HTML checker on them at once.
type w3cPages struct {
	t            *testing.T
	dir          string
	files, names []string
	skip         bool // no checker and not required: pages are kept, not checked
}

// newW3CPages returns a collector, or skips the test without Java or the checker (fails
// instead when PILOTAGE_REQUIRE_W3C=1, as in CI).
func newW3CPages(t *testing.T) *w3cPages {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil || !fileExists(vnuJar) {
		if os.Getenv("PILOTAGE_REQUIRE_W3C") == "1" {
			t.Fatal("java ou vnu.jar introuvable alors que PILOTAGE_REQUIRE_W3C=1 (make vendor, paquet default-jre-headless)")
		}
		t.Skip("java ou vnu.jar introuvable : validation W3C ignorée")
	}
	return &w3cPages{t: t, dir: t.TempDir()}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// add keeps one page under a name (its URL, say).
func (w *w3cPages) add(name string, body []byte) {
	f := filepath.Join(w.dir, "page"+strconv.Itoa(len(w.files))+".html")
	if err := os.WriteFile(f, body, 0o600); err != nil {
		w.t.Fatal(err)
	}
	w.files, w.names = append(w.files, f), append(w.names, name)
}

// check runs the checker on every page kept: no error.
func (w *w3cPages) check() {
	w.t.Helper()
	if w.skip {
		return
	}
	out, err := exec.Command("java", append([]string{"-jar", vnuJar, "--errors-only", "--format", "text"}, w.files...)...).CombinedOutput()
	if err != nil {
		report := string(out)
		for i := len(w.files) - 1; i >= 0; i-- {
			report = strings.ReplaceAll(report, "file:"+w.files[i], w.names[i])
			report = strings.ReplaceAll(report, w.files[i], w.names[i])
		}
		w.t.Errorf("le validateur W3C signale des erreurs :\n%s", report)
	}
}
