package seeds_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// A dry run writes nothing: it goes through on a database that refuses every write (SQLite
// opened read-only, PostgreSQL sessions read-only), and says what the import would do.
func TestImportDryRunWritesNothing(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t, true)
			rw, err := models.Open(t.Context(), url, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// 600 new écoles, and 25 known ones changed: more than one chunk of rows.
			data, _ := bigEcolesFile(600, -1)
			changed := 0
			err = rw.EachEcole(t.Context(), models.AcademieScope(), models.EcoleFilter{Departement: "94"}, func(r models.EcoleRow) error {
				if changed < 25 {
					data += r.UAI + ";" + r.Nom + " (renommée);" + r.Type + ";" + r.Statut + ";" + r.CodeINSEE + ";;;\n"
					changed++
				}
				return nil
			})
			rw.Close()
			if err != nil {
				t.Fatal(err)
			}

			ro, err := models.Open(t.Context(), dbtest.ReadOnlyURL(url), models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			before := countEcoles(t, ro)
			_, counts, err := importEcoles(t, ro, data, models.ImportOptions{DryRun: true})
			if err != nil || counts != (models.ImportCounts{Created: 600, Updated: 25}) {
				t.Fatalf("essai sur une base en lecture seule : %v, %v", counts, err)
			}
			if n := countEcoles(t, ro); n != before {
				t.Errorf("%d écoles après l'essai, %d avant", n, before)
			}
			// The real import is refused by the same database: the test does refuse writes.
			if _, _, err := importEcoles(t, ro, data, models.ImportOptions{}); err == nil {
				t.Error("import réel accepté par une base en lecture seule")
			}
		})
	}
}
