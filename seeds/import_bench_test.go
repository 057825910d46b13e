package seeds_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkImportEcoles imports, on each engine, a file of the 45,000 synthetic écoles of the
// national territory (seeds format) where every école changed (its pupils, and its name for
// one in ten): 45,000 updates an operation, the two versions of the file alternating. It
// reports the rows imported per second and the peak heap in use, for the import and for its
// dry run.
func BenchmarkImportEcoles(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := e.Open(b, true)
			ctx := context.Background()
			if _, err := seeds.LoadSynthetic(ctx, s, seeds.SyntheticOptions{Communes: 35000, Ecoles: 45000}); err != nil {
				b.Fatal(err)
			}
			files, next := changedEcolesFiles(b, s), 0
			run := func(b *testing.B, opts models.ImportOptions) {
				var peak atomic.Uint64
				done := make(chan struct{})
				go func() {
					var m runtime.MemStats
					for {
						select {
						case <-done:
							return
						case <-time.After(5 * time.Millisecond):
							runtime.ReadMemStats(&m)
							if m.HeapInuse > peak.Load() {
								peak.Store(m.HeapInuse)
							}
						}
					}
				}()
				rows := 0
				for range b.N {
					file, counts, err := seeds.ImportEcolesFile(ctx, s, strings.NewReader(files[next]), opts)
					if err != nil || counts.Updated != len(file.Rows) {
						b.Fatalf("import : %v, %v (%d lignes)", counts, err, len(file.Rows))
					}
					rows += len(file.Rows)
					if !opts.DryRun {
						next = 1 - next // the database now holds this file: import the other one
					}
				}
				b.StopTimer()
				close(done)
				b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			}
			runtime.GC()
			b.Run("import", func(b *testing.B) { run(b, models.ImportOptions{}) })
			runtime.GC()
			b.Run("dry-run", func(b *testing.B) { run(b, models.ImportOptions{DryRun: true}) })
		})
	}
}

// changedEcolesFiles returns two files of the synthetic écoles (those outside the académie)
// in the seeds format: both differ from the database, and from each other, in every row.
func changedEcolesFiles(b *testing.B, s *models.Store) [2]string {
	var files [2]strings.Builder
	for i := range files {
		files[i].WriteString("uai;nom;type;statut;code_insee;nb_eleves;nb_classes;education_prioritaire\n")
	}
	n := 0
	err := s.EachEcole(context.Background(), models.AcademieScope(), models.EcoleFilter{}, func(r models.EcoleRow) error {
		if r.DepartementCode == "77" || r.DepartementCode == "93" || r.DepartementCode == "94" {
			return nil
		}
		for i := range files {
			nom := r.Nom
			if n%10 == 0 {
				nom += fmt.Sprintf(" (version %d)", i+1)
			}
			fmt.Fprintf(&files[i], "%s;%s;%s;%s;%s;%d;%d;%s\n", r.UAI, nom, r.Type, r.Statut, r.CodeINSEE,
				*r.NbEleves+1+i, *r.NbClasses, r.EducationPrioritaire)
		}
		n++
		return nil
	})
	if err != nil || n != 45000 {
		b.Fatalf("%d écoles synthétiques, %v", n, err)
	}
	return [2]string{files[0].String(), files[1].String()}
}
