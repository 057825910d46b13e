package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestExportRestitutionCommand: `pilotage export restitution -o dossier` creates the folder
// and writes the CSV files, datapackage.json and README.md; without -o it asks for one.
func TestExportRestitutionCommand(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t, true)
			dir := filepath.Join(t.TempDir(), "restitution")
			out, _, err := run(t, url, "export", "restitution", "-o", dir)
			if err != nil || !strings.Contains(out, "Données ouvertes écrites dans") {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, name := range []string{"datapackage.json", "README.md", "deploiements.csv", "usages-ecoles-mois.csv"} {
				if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
					t.Errorf("%s : %v", name, err)
				}
			}
			dp, _ := os.ReadFile(filepath.Join(dir, "datapackage.json"))
			if !strings.Contains(string(dp), `"name": "pilotage-ent-1d-creteil-`) || !strings.Contains(string(dp), "etalab-2.0") {
				t.Errorf("datapackage.json : %.300s", dp)
			}
			if _, errOut, err := run(t, url, "export", "restitution"); err == nil || !strings.Contains(errOut+err.Error(), "indiquez le dossier") {
				t.Errorf("sans dossier : %v %s", err, errOut)
			}
		})
	}
}
