package app_test

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkCreteil serves the écoles list (filtered, page 50) and the écoles export on the
// académie's reference data, and the decisions register and the charter's coverage on the
// demonstration's governance, on each database engine.
func BenchmarkCreteil(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := e.OpenDemo(b)
			h := newServer(b, s)
			benchPage(b, h, "ecoles-page50", "/ecoles?statut=public&page=50")
			benchPage(b, h, "ecoles-departement-page5", "/ecoles?departement=93&type=maternelle&page=5")
			benchPage(b, h, "communes-recherche", "/communes?q=saint")
			benchPage(b, h, "decisions-filtre", "/decisions?territoire=93&page=1")
			benchPage(b, h, "chartes-couverture", "/chartes/couverture")
			benchExport(b, h, "ecoles-xlsx", "/ecoles.xlsx")
		})
	}
}

// BenchmarkNational does the same at national scale: the académie plus a synthetic
// territory of 35,000 communes and 45,000 écoles, with about 7,000 organisations and 21,000
// contacts, 275 bodies, 6,000 meetings, 30,000 decisions and actions, and adoptions covering
// about 40 % of the communes; and the searches of communes, écoles, EPCI and contacts.
func BenchmarkNational(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			h := newServer(b, s)
			benchPage(b, h, "ecoles-page50", "/ecoles?statut=public&page=50")
			benchPage(b, h, "ecoles-departement-page5", "/ecoles?departement=31&type=maternelle&page=2")
			// Searches: a frequent term (a twelfth of the synthetic names), a term of 2
			// characters (no trigram index), a term found nowhere, a rare term.
			benchPage(b, h, "communes-recherche", "/communes?q=saint&page=3")
			benchPage(b, h, "communes-recherche-court", "/communes?q=sa")
			benchPage(b, h, "communes-recherche-vide", "/communes?q=zzzz")
			benchPage(b, h, "communes-recherche-precise", "/communes?q=beaumont+45-7")
			benchPage(b, h, "ecoles-recherche", "/ecoles?q=villeneuve&page=2")
			benchPage(b, h, "ecoles-recherche-precise", "/ecoles?q=beaumont+45-7")
			benchPage(b, h, "epci-recherche", "/epci?q=synthetique+n+12")
			// The contacts through the API: the page itself lists the 7,000 organisations in its
			// filters, which costs more than the search.
			benchPage(b, h, "contacts-recherche", "/api/v1/contacts?q=durand&page=2")
			benchPage(b, h, "contacts-recherche-fonction", "/api/v1/contacts?q=affaires+scolaires")
			benchPage(b, h, "decisions-page50", "/decisions?page=50")
			benchPage(b, h, "decisions-filtre-page5", "/decisions?type=arbitrage&territoire=31&page=5")
			benchPage(b, h, "chartes-couverture", "/chartes/couverture")
			benchPage(b, h, "conventions-page10", "/conventions?page=10")
			benchPage(b, h, "conventions-filtre", "/conventions?departement=31&statut=en_vigueur")
			benchPage(b, h, "conventions-alertes", "/conventions/alertes")
			benchExport(b, h, "conventions-xlsx", "/conventions.xlsx?departement=31")
			benchFinancements(b, s, h)
			benchExport(b, h, "ecoles-xlsx", "/ecoles.xlsx")
			benchExport(b, h, "ecoles-csv", "/ecoles.csv")
		})
	}
}

func benchPage(b *testing.B, h http.Handler, name, url string) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if rec := get(b, h, url); rec.Code != http.StatusOK {
				b.Fatalf("%s : %d", url, rec.Code)
			}
		}
	})
}

// benchExport reports, besides time, the peak heap in use while the export runs.
func benchExport(b *testing.B, h http.Handler, name, url string) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
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
		var size int
		for b.Loop() {
			rec := get(b, h, url)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s : %d", url, rec.Code)
			}
			size = rec.Body.Len()
		}
		close(done)
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(size)/(1<<20), "file-MiB")
	})
}

// benchFinancements serves the financing plans list (a page, and filtered) and a plan's
// summary page and workbook, on the synthetic ~1,000 plans and ~10,000 lines.
func benchFinancements(b *testing.B, s *models.Store, h http.Handler) {
	plans, err := s.ListFinancements(context.Background(), models.AcademieScope(), models.FinancementFilter{Portage: models.PortageGroupement}, models.PageRequest{Size: 1})
	if err != nil || len(plans.Items) == 0 {
		b.Fatalf("aucun plan de financement synthétique (%v)", err)
	}
	plan := "/financements/" + strconv.FormatInt(plans.Items[0].ID, 10)
	benchPage(b, h, "financements-page10", "/financements?page=10")
	benchPage(b, h, "financements-filtre", "/financements?departement=31&annee=2013&portage=groupement")
	benchPage(b, h, "financement-synthese", plan)
	benchPage(b, h, "financement-xlsx", plan+".xlsx")
}
