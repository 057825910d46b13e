package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, u := range []string{"/healthz", "/readyz"} {
			if rec := get(t, h, u); rec.Code != http.StatusOK {
				t.Errorf("%s : %d", u, rec.Code)
			}
		}
		// The database goes away: the process is alive, not ready, and pages fail fast with 503.
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
			t.Errorf("/healthz sans base : %d", rec.Code)
		}
		if rec := get(t, h, "/readyz"); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("/readyz sans base : %d", rec.Code)
		}
		rec := get(t, h, "/communes")
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "momentanément indisponible") {
			t.Errorf("/communes sans base : %d", rec.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, u := range []string{"/", "/communes", "/nexiste-pas", "/communes?sort=zz", "/api/v1/communes"} {
			rec := get(t, h, u)
			hd := rec.Header()
			csp := hd.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s : CSP sans %q", u, want)
				}
			}
			if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") == "" || hd.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s : en-têtes %v", u, hd)
			}
			if hd.Get("Cache-Control") != "no-store" {
				t.Errorf("%s : Cache-Control %q", u, hd.Get("Cache-Control"))
			}
			if hd.Get("X-Request-Id") == "" {
				t.Errorf("%s : pas d'identifiant de requête", u)
			}
			if strings.Contains(rec.Body.String(), "<script>") {
				t.Errorf("%s : script en ligne", u)
			}
		}
	})
}

func TestStaticAssets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, u := range []string{"/static/css/app.css", "/static/js/app.js", "/static/vendor/dsfr/dsfr.min.css",
			"/static/vendor/htmx/htmx.min.js", "/static/vendor/dsfr/dsfr.module.min.js"} {
			rec := get(t, h, u)
			if rec.Code != http.StatusOK {
				t.Errorf("%s : %d (lancez « make vendor »)", u, rec.Code)
			}
			if !strings.Contains(rec.Header().Get("Cache-Control"), "max-age") {
				t.Errorf("%s : pas d'en-tête de cache", u)
			}
		}
	})
}
