package seeds_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// bigEcolesFile returns n new écoles of the 94 (UAIs 0948000... unused by the reference data),
// the one at index bad (if any) with a wrong check letter.
func bigEcolesFile(n, bad int) (string, []string) {
	communes := []string{"94028", "94046", "94041", "94017", "94068", "94081"}
	var b strings.Builder
	b.WriteString(ecoleHeader)
	uais := make([]string, n)
	for i := range n {
		digits := fmt.Sprintf("0948%03d", i)
		uais[i] = uai(digits)
		code := uais[i]
		if i == bad {
			code = wrongUAI(digits)
		}
		fmt.Fprintf(&b, "%s;École n° %d;%s;public;%s;%d;%d;\n", code, i, []string{"maternelle", "elementaire", "primaire"}[i%3],
			communes[i%len(communes)], 50+i%300, 2+i%12)
	}
	return b.String(), uais
}

func importEcolesCtx(ctx context.Context, s *models.Store, data string, opts models.ImportOptions) (seeds.EcoleFile, models.ImportCounts, error) {
	return seeds.ImportEcolesFile(ctx, s, strings.NewReader(data), opts)
}

// newUAIs counts the écoles of the big file's UAI range.
func newUAIs(t *testing.T, s *models.Store) int64 {
	t.Helper()
	p, err := s.ListEcoles(t.Context(), models.AcademieScope(), models.EcoleFilter{Q: "0948"}, models.PageRequest{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func TestImportErrorMidFileLeavesDatabaseAsBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		if n := newUAIs(t, s); n != 0 {
			t.Fatalf("%d écoles déjà dans la plage de test", n)
		}
		data, uais := bigEcolesFile(1000, 600)
		_, counts, err := importEcoles(t, s, data, models.ImportOptions{})
		errs := fieldErrors(t, err)
		if len(errs) != 1 || errs[0].Line != 602 || errs[0].Field != "uai" {
			t.Errorf("erreurs %v, attendu la seule ligne 602, colonne uai", err)
		}
		if n := countEcoles(t, s); n != before || newUAIs(t, s) != 0 || counts != (models.ImportCounts{}) {
			t.Errorf("%d écoles après l'import refusé, %d avant (comptes %v)", n, before, counts)
		}
		absent(t, s, uais[0], uais[599], uais[999])

		// Without its bad row, the same file is valid.
		data, _ = bigEcolesFile(1000, -1)
		if _, counts, err := importEcoles(t, s, data, models.ImportOptions{}); err != nil || counts.Created != 1000 {
			t.Fatalf("fichier corrigé : %v, %v", counts, err)
		}
		if n := countEcoles(t, s); n != before+1000 {
			t.Errorf("%d écoles, attendu %d", n, before+1000)
		}
	})
}

// An import that dies while writing (here its context is cancelled after 300 rows were
// inserted) leaves no partial batch.
func TestImportCancelledMidWriteLeavesDatabaseAsBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		data, uais := bigEcolesFile(1000, -1)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		written := 0
		opts := models.ImportOptions{Progress: func(done, total int) {
			written = max(written, done)
			if done >= 300 {
				cancel()
			}
		}}
		_, _, err := importEcolesCtx(ctx, s, data, opts)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("import interrompu : %v, attendu context.Canceled", err)
		}
		if written < 300 || written >= 1000 {
			t.Fatalf("interrompu après %d lignes : le test n'interrompt pas l'écriture en cours", written)
		}
		if n := countEcoles(t, s); n != before || newUAIs(t, s) != 0 {
			t.Errorf("%d écoles après l'interruption, %d avant : lot partiel écrit", n, before)
		}
		absent(t, s, uais[0], uais[299])
	})
}

// Two imports of the same file at the same time (a double click) write each école once.
func TestImportSameFileConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		data, _ := bigEcolesFile(200, -1)
		var wg sync.WaitGroup
		counts := make([]models.ImportCounts, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				_, counts[i], errs[i] = importEcolesCtx(t.Context(), s, data, models.ImportOptions{})
			})
		}
		wg.Wait()
		created := 0
		for i := range 2 {
			if errs[i] == nil {
				created += counts[i].Created
			} else {
				t.Logf("import %d refusé : %v", i, errs[i])
			}
		}
		if errs[0] != nil && errs[1] != nil {
			t.Errorf("les deux imports ont échoué : %v / %v", errs[0], errs[1])
		}
		if created != 200 {
			t.Errorf("%d écoles annoncées créées par les imports réussis (%v), attendu 200", created, counts)
		}
		if n := countEcoles(t, s); n != before+200 || newUAIs(t, s) != 200 {
			t.Errorf("%d écoles, attendu %d", n, before+200)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, models.ErrConflict) {
				t.Errorf("import refusé par une erreur technique, attendu models.ErrConflict : %v", err)
			}
		}
	})
}
