package seeds_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkImportDeploiements imports, on each engine, a status file of the 45,000
// synthetic écoles of the national territory (CSV: UAI, phase, date, opening dates), every
// row changing the école's deployment (the two versions of the file alternate): reading,
// preview and the all-or-nothing change through ChangeDeploiements. It reports the rows
// imported per second and the peak heap, for the import and for its dry run (preview only).
func BenchmarkImportDeploiements(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := e.Open(b, true)
			ctx := context.Background()
			if _, err := seeds.LoadSynthetic(ctx, s, seeds.SyntheticOptions{Communes: 35000, Ecoles: 45000}); err != nil {
				b.Fatal(err)
			}
			files, next := statusFiles(b, s), 0
			sys := models.SystemActor("bench")
			run := func(b *testing.B, dryRun bool) {
				var peak peakHeap
				stop := peak.watch()
				cpu0 := cpuTime()
				rows := 0
				for range b.N {
					imp, res, err := seeds.ImportDeploiementsFile(ctx, s, sys, strings.NewReader(files[next]), int64(len(files[next])), dryRun)
					if err != nil || len(imp.Rejected) > 0 || len(res.Unchanged) != 0 {
						b.Fatalf("import : %v (%d refusées, %d inchangées)", err, len(imp.Rejected), len(res.Unchanged))
					}
					rows += len(imp.Edits)
					if !dryRun {
						next = 1 - next
					}
				}
				b.StopTimer()
				stop()
				// The CPU time of the process: the figure that holds when other processes
				// share the cores (wall time then grows with the load).
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(peak.max.Load())/(1<<20), "peak-heap-MiB")
			}
			runtime.GC()
			b.Run("import", func(b *testing.B) { run(b, false) })
			runtime.GC()
			b.Run("dry-run", func(b *testing.B) { run(b, true) })
		})
	}
}

// statusFiles returns two status files of the 45,000 synthetic écoles, which differ from
// each other in every row (phase, date and opening dates).
func statusFiles(b *testing.B, s *models.Store) [2]string {
	var files [2]strings.Builder
	for i := range files {
		files[i].WriteString("UAI;Phase;Date d'effet;Ouverture prévue;Ouverture effective\n")
	}
	n := 0
	err := s.EachEcole(context.Background(), models.AcademieScope(), models.EcoleFilter{}, func(r models.EcoleRow) error {
		if r.DepartementCode == "77" || r.DepartementCode == "93" || r.DepartementCode == "94" {
			return nil
		}
		day := 1 + n%28
		fmt.Fprintf(&files[0], "%s;En déploiement;%02d/01/2031;%02d/09/2031;\n", r.UAI, day, day)
		fmt.Fprintf(&files[1], "%s;Ouvert;%02d/09/2032;;%02d/09/2032\n", r.UAI, day, day)
		n++
		return nil
	})
	if err != nil || n != 45000 {
		b.Fatalf("%d écoles synthétiques, %v", n, err)
	}
	return [2]string{files[0].String(), files[1].String()}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap samples the heap in use every 5 ms and keeps its maximum.
type peakHeap struct{ max atomic.Uint64 }

// watch starts the sampling; the function returned stops it.
func (p *peakHeap) watch() func() {
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > p.max.Load() {
					p.max.Store(m.HeapInuse)
				}
			}
		}
	}()
	return func() { close(done) }
}
