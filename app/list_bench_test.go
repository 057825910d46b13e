package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkNationalLists serves the deep pages of the lists on the national synthetic
// territory (35,593 communes, 47,642 écoles, 30,000 decisions), on each engine, the way a
// user reaches them: by the number in the URL (a bookmark, "Dernière page"), and by
// following "Page suivante" from the page before (the link carries the cursor of the last
// row shown); and the first pages and the communes search for comparison.
//
//	go test -run '^$' -bench BenchmarkNationalLists -benchtime 50x ./app
func BenchmarkNationalLists(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			h := newServer(b, s)
			benchPage(b, h, "communes-page1", "/communes")
			benchPage(b, h, "communes-page700", "/communes?page=700")
			benchPage(b, h, "communes-page700-suivante", nextLink(b, h, "/communes?page=699"))
			benchPage(b, h, "communes-page700-population", "/communes?sort=-population&page=700")
			benchPage(b, h, "communes-page700-ecoles", "/communes?sort=ecoles&page=700")
			benchPage(b, h, "communes-derniere", "/communes?page=712")
			benchPage(b, h, "ecoles-page950", "/ecoles?page=950")
			benchPage(b, h, "ecoles-page950-suivante", nextLink(b, h, "/ecoles?page=949"))
			benchPage(b, h, "ecoles-page950-commune", "/ecoles?sort=commune&page=950")
			benchPage(b, h, "decisions-page1", "/decisions")
			benchPage(b, h, "decisions-page600", "/decisions?page=600")
			benchPage(b, h, "decisions-page600-suivante", nextLink(b, h, "/decisions?page=599"))
			benchPage(b, h, "conventions-page1", "/conventions")
			benchPage(b, h, "communes-saint", "/communes?q=saint")
			benchPage(b, h, "communes-saint-page3", "/communes?q=saint&page=3")
			benchPage(b, h, "api-ecoles-page100", "/api/v1/ecoles?page=100")
			benchStore(b, s)
		})
	}
}

// benchStore times the store calls alone (no session, template or HTTP): the SQL of the
// same pages.
func benchStore(b *testing.B, s *models.Store) {
	ctx, scope := context.Background(), models.AcademieScope()
	run := func(name string, fn func() error) {
		b.Run("store-"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("communes-page1", func() error {
		_, err := s.ListCommunes(ctx, scope, models.CommuneFilter{}, models.PageRequest{Number: 1})
		return err
	})
	run("communes-page700", func() error {
		_, err := s.ListCommunes(ctx, scope, models.CommuneFilter{}, models.PageRequest{Number: 700})
		return err
	})
	run("communes-saint", func() error {
		_, err := s.ListCommunes(ctx, scope, models.CommuneFilter{Q: "saint"}, models.PageRequest{Number: 1})
		return err
	})
	run("ecoles-page950", func() error {
		_, err := s.ListEcoles(ctx, scope, models.EcoleFilter{}, models.PageRequest{Number: 950})
		return err
	})
	run("decisions-page1", func() error {
		_, err := s.ListDecisions(ctx, scope, models.DecisionFilter{}, models.PageRequest{Number: 1})
		return err
	})
	run("decisions-page600", func() error {
		_, err := s.ListDecisions(ctx, scope, models.DecisionFilter{}, models.PageRequest{Number: 600})
		return err
	})
}

// nextLink returns the "Page suivante" link of a list page: what a user follows.
func nextLink(b *testing.B, h http.Handler, url string) string {
	b.Helper()
	rec := get(b, h, url)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s : %d", url, rec.Code)
	}
	href, ok := doc(b, rec).Find("a.fr-pagination__link--next").Attr("href")
	if !ok || !strings.Contains(href, "page=") {
		b.Fatalf("%s : pas de lien vers la page suivante", url)
	}
	return href
}
