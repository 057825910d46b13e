package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkNationalDeploiements serves the deployment pages on the national synthetic
// territory (47,642 écoles, each with a deployment and two or three phase changes), on each
// engine: the list's first page and a deep page (by number, and by "Page suivante"), a
// filtered page, the progress by département and by commune, and the bulk change of 500
// écoles in one POST (their phase alternates, so that each request changes all 500).
//
//	go test -run '^$' -bench BenchmarkNationalDeploiements -benchtime 20x ./app
func BenchmarkNationalDeploiements(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			h := newServer(b, s)
			benchPage(b, h, "liste-page1", "/deploiements")
			benchPage(b, h, "liste-page900", "/deploiements?page=900")
			benchPage(b, h, "liste-page900-suivante", nextLink(b, h, "/deploiements?page=899"))
			benchPage(b, h, "liste-phase-ouvert-page50", "/deploiements?phase=ouvert&page=50")
			benchPage(b, h, "liste-tri-phase-page100", "/deploiements?sort=phase&page=100")
			benchPage(b, h, "avancement-departements", "/deploiements/avancement")
			benchPage(b, h, "avancement-communes-13", "/deploiements/avancement?niveau=commune&departement=13")
			benchPage(b, h, "api-page100", "/api/v1/deploiements?page=100")
			benchBulk(b, s, h)
		})
	}
}

// benchBulk times one POST of the bulk form changing the phase of 500 écoles.
func benchBulk(b *testing.B, s *models.Store, h http.Handler) {
	var uais []string
	p, err := s.ListDeploiements(context.Background(), models.AcademieScope(), models.DeploiementFilter{},
		models.PageRequest{Size: 500})
	if err != nil || len(p.Items) != 500 {
		b.Fatalf("écoles : %d, %v", len(p.Items), err)
	}
	for _, r := range p.Items {
		uais = append(uais, r.UAI)
	}
	page := get(b, h, "/deploiements")
	token := formCSRF(page.Body.String())
	phases := []string{"ouvert", "generalise"}
	i := 0
	b.Run("modification-500-ecoles", func(b *testing.B) {
		for b.Loop() {
			form := url.Values{"_csrf": {token}, "nouvelle_phase": {phases[i%2]}, "selection": uais}
			i++
			req := httptest.NewRequest(http.MethodPost, "/deploiements/modifier", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range page.Result().Cookies() {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				b.Fatalf("modification : %d %s", rec.Code, errorTexts(rec.Body.String()))
			}
		}
	})
}
