package seeds_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkUsageImport imports, on each engine, 12 months × 5 profiles of ENT statistics
// for every école of a synthetic territory (seeds.LoadSyntheticUsages: one import per month
// through Store.ImportUsages, the kept monthly figures refreshed), the first run inserting,
// the next ones replacing every row. It reports rows imported per second. The territory
// has PILOTAGE_BENCH_USAGES_ECOLES écoles (default 4,500; the national scale of issue 14 is
// 45,000, that is 2.7 million rows per run).
func BenchmarkUsageImport(b *testing.B) {
	ecoles := 4500
	if v, err := strconv.Atoi(os.Getenv("PILOTAGE_BENCH_USAGES_ECOLES")); err == nil && v > 0 {
		ecoles = v
	}
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := e.Open(b, false)
			ctx := context.Background()
			if _, err := seeds.LoadSynthetic(ctx, s, seeds.SyntheticOptions{Communes: max(100, ecoles*35/45), Ecoles: ecoles}); err != nil {
				b.Fatal(err)
			}
			cpu0 := cpuTime()
			rows := 0
			for b.Loop() {
				if err := seeds.LoadSyntheticUsages(ctx, s, 12); err != nil {
					b.Fatal(err)
				}
				rows += ecoles * 12 * len(models.UsageProfils)
			}
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
