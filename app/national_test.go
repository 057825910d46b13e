package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// openNational opens a fresh database of the engine holding the académie and the national
// synthetic territory of the benchmarks (35,000 communes, 45,000 écoles, governance,
// conventions and financing plans), and logs how long loading it took.
func openNational(tb testing.TB, e dbtest.Engine) *models.Store {
	tb.Helper()
	s := e.Open(tb, true)
	start := time.Now()
	if _, err := seeds.LoadSynthetic(context.Background(), s, seeds.SyntheticOptions{Communes: 35000, Ecoles: 45000}); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s : territoire synthétique chargé en %s", e.Name, time.Since(start).Round(time.Millisecond))
	return s
}
