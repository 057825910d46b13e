package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestImportUsagesCommand: --dry-run writes nothing and tells what the import would do,
// with the rows skipped and their lines; the import writes, a second one replaces; a file
// with a fault lists it, fails and writes nothing; a missing column is named.
func TestImportUsagesCommand(t *testing.T) {
	sample, err := os.ReadFile("../../seeds/testdata/one_statistiques_extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t, true)
			s, err := models.Open(ctx, url, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			file := filepath.Join(t.TempDir(), "export-stats-accounts.csv")
			write := func(text string) {
				if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			imports := func() int {
				h, err := s.ListUsageImports(ctx, models.SystemActor("test"), 10)
				if err != nil {
					t.Fatal(err)
				}
				return len(h)
			}
			write(string(sample) + `"Projet ONE";"";"2025-11-01T00:00";"Élève";"1";"1";"1";"1"` + "\n")
			out, _, err := run(t, url, "import", "usages", "--dry-run", file)
			if err != nil || imports() != 0 || !strings.Contains(out, "Période(s) : 2, du 01/11/2025 au 01/12/2025.") ||
				!strings.Contains(out, "40 ligne(s) à importer pour 4 école(s) reconnue(s) (départements : 77, 93, 94).") ||
				!strings.Contains(out, "1 ligne(s) ignorée(s), structure sans UAI : lignes 42.") ||
				!strings.Contains(out, "Simulation (--dry-run), rien n'a été enregistré : 40 ligne(s) à importer, 0 remplaçant") {
				t.Fatalf("dry-run : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "import", "usages", file)
			if err != nil || imports() != 1 || !strings.Contains(out, "terminé : 40 ligne(s) importée(s), 0 remplacée(s).") {
				t.Fatalf("import : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "import", "usages", file)
			if err != nil || imports() != 2 || !strings.Contains(out, "terminé : 40 ligne(s) importée(s), 40 remplacée(s).") {
				t.Fatalf("second import : %v\n%s", err, out)
			}
			write(strings.Replace(string(sample), `"473"`, `"beaucoup"`, 1))
			_, errOut, err := run(t, url, "import", "usages", file)
			if err == nil || imports() != 2 || !strings.Contains(errOut, "ligne 5, colonne Connexions : « beaucoup » n'est pas un nombre entier") {
				t.Fatalf("fichier fautif : %v\n%s", err, errOut)
			}
			write(strings.Replace(string(sample), `;"Profil"`, "", 1))
			if _, _, err := run(t, url, "import", "usages", file); err == nil || !strings.Contains(err.Error(), "la colonne « Profil » est absente") {
				t.Fatalf("colonne absente : %v", err)
			}
		})
	}
}
