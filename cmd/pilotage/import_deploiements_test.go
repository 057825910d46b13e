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

// TestImportDeploiementsCommand: --dry-run writes nothing and tells what the import would
// do; the import writes; a rejected row lists "ligne N, colonne X : …", fails and writes
// nothing.
func TestImportDeploiementsCommand(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t, true)
			s, err := models.Open(ctx, url, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			page, err := s.ListEcoles(ctx, models.AcademieScope(), models.EcoleFilter{Commune: "93048"}, models.PageRequest{Size: 2})
			if err != nil || len(page.Items) < 2 {
				t.Fatalf("écoles : %v", err)
			}
			a, b := page.Items[0].UAI, page.Items[1].UAI
			file := filepath.Join(t.TempDir(), "etat.csv")
			write := func(text string) {
				if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			deployed := func() int {
				n := 0
				for _, u := range []string{a, b} {
					if _, err := s.GetDeploiement(ctx, models.AcademieScope(), u); err == nil {
						n++
					}
				}
				return n
			}
			write("UAI;Phase;Date d'effet\n" + a + ";Ouvert;03/09/2012\n" + b + ";pilote;09/01/2012\n")
			out, _, err := run(t, url, "import", "deploiements", "--dry-run", file)
			if err != nil || !strings.Contains(out, "Simulation (--dry-run), rien n'a été enregistré : 2 école(s) créée(s)") || deployed() != 0 {
				t.Fatalf("dry-run : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "import", "deploiements", file)
			if err != nil || !strings.Contains(out, "Import terminé : 2 école(s) créée(s), 0 modifiée(s)") || deployed() != 2 {
				t.Fatalf("import : %v\n%s", err, out)
			}
			write("UAI;Phase\n" + a + ";Généralisé\n" + b + ";fermée\n")
			_, errOut, err := run(t, url, "import", "deploiements", file)
			if err == nil || !strings.Contains(errOut, "ligne 3, colonne Phase : phase inconnue") {
				t.Fatalf("ligne refusée : %v\n%s", err, errOut)
			}
			if d, _ := s.GetDeploiement(ctx, models.AcademieScope(), a); d.Phase != "ouvert" {
				t.Fatalf("un import refusé a écrit : %+v", d)
			}
		})
	}
}
