package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkFormations serves the training pages on the national synthetic territory with a
// national training year (5,000 sessions, 100,000 registrations, their attendance and
// answers), on each engine: the session list, the coverage of the écoles opened (by
// default by département for the académie, by circonscription for the whole country and
// for a département), and the aggregated evaluations. Target: under 30 ms.
//
//	go test -run '^$' -bench BenchmarkFormations -benchtime 20x ./app
func BenchmarkFormations(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			start := time.Now()
			if err := seeds.LoadSyntheticFormations(context.Background(), s, 5000, 100000); err != nil {
				b.Fatal(err)
			}
			if err := s.Optimize(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s : année de formation synthétique chargée en %s", e.Name, time.Since(start).Round(time.Millisecond))
			h := newServer(b, s)
			benchPage(b, h, "sessions", "/formations")
			benchPage(b, h, "couverture", "/formations/couverture")
			benchPage(b, h, "couverture-circonscriptions", "/formations/couverture?par=circonscription")
			benchPage(b, h, "couverture-94", "/formations/couverture?departement=94")
			benchPage(b, h, "couverture-13", "/formations/couverture?departement=13")
			benchPage(b, h, "evaluations", "/formations/evaluations")
		})
	}
}
