package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkUsages serves the ENT usage pages on the national synthetic territory (45,000
// écoles) with twelve months of statistics (12 × 45,000 × 5 = 2.7 million rows, imported
// through the real import), on each engine: the académie (its départements, read from the
// kept monthly figures), a département (its circonscriptions), a département's communes
// (read from the rows) and the API. Target: the académie and département pages under 50 ms.
//
//	go test -run '^$' -bench BenchmarkUsages -benchtime 20x -timeout 60m ./app
func BenchmarkUsages(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			start := time.Now()
			if err := seeds.LoadSyntheticUsages(context.Background(), s, 12); err != nil {
				b.Fatal(err)
			}
			if err := s.Optimize(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s : 12 mois de statistiques synthétiques importés en %s", e.Name, time.Since(start).Round(time.Millisecond))
			h := newServer(b, s)
			benchPage(b, h, "academie", "/usages")
			benchPage(b, h, "departement", "/usages?departement=13")
			benchPage(b, h, "departement-eleves", "/usages?departement=13&profil=eleve")
			benchPage(b, h, "communes-13", "/usages?departement=13&niveau=circonscription")
			benchPage(b, h, "api-academie", "/api/v1/usages")
		})
	}
}
