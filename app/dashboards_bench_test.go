package app_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// BenchmarkDashboards serves the home page and the dashboards (départements, the charter's
// coverage, the conventions' alerts) on the national synthetic territory of
// BenchmarkNational, for one role of each kind of scope: the académie (administrator), a
// whole département (IA-DASEN of the synthetic 31), a circonscription (IEN) and a commune
// (référent of Bobigny).
func BenchmarkDashboards(b *testing.B) {
	pages := []struct{ name, url string }{
		{"accueil", "/"},
		{"departements", "/departements"},
		{"couverture", "/chartes/couverture"},
		{"alertes", "/conventions/alertes"},
	}
	roles := []struct {
		name string
		in   models.UserInput
	}{
		{"administrateur", models.UserInput{Role: models.RoleAdmin}},
		{"ia31", models.UserInput{Role: models.RoleIA, Departement: "31"}},
		{"ien", models.UserInput{Role: models.RoleIEN, Circonscription: "0940920P"}},
		{"referent", models.UserInput{Role: models.RoleReferent, Communes: []string{"93008"}}},
	}
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			h := newAnonymousServer(b, s, app.Config{})
			for _, r := range roles {
				in := r.in
				in.Email, in.Nom = r.name+"@bench.ac-creteil.fr", "Banc "+r.name
				cookie := signIn(b, s, in)
				signed := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
					req.Header.Set("Cookie", cookie)
					h.ServeHTTP(w, req)
				})
				for _, p := range pages {
					benchPage(b, signed, r.name+"/"+p.name, p.url)
				}
			}
			benchDashboardStore(b, s)
		})
	}
}

// benchDashboardStore times the store calls of the dashboards alone, without the page
// around them, for a scope of each kind: what the database costs.
func benchDashboardStore(b *testing.B, s *models.Store) {
	ctx := context.Background()
	scopes := map[string]models.Scope{
		"academie":        models.AcademieScope(),
		"departement":     {Kind: models.ScopeDepartement, Departements: []string{"31"}},
		"circonscription": {Kind: models.ScopeCirconscription, Circonscriptions: []string{"0940920P"}},
		"communes":        {Kind: models.ScopeCommunes, Communes: []string{"93008"}},
	}
	calls := map[string]func(models.Scope) error{
		"alertes": func(sc models.Scope) error {
			_, err := s.ConventionAlertesOf(ctx, sc, models.AlertesSettings{})
			return err
		},
		"alertes-compteurs": func(sc models.Scope) error {
			_, err := s.ConventionAlertesCounts(ctx, sc, models.AlertesSettings{})
			return err
		},
		"communes-sans-convention": func(sc models.Scope) error {
			_, err := s.ListCommunesSansConvention(ctx, sc, "", models.PageRequest{}, nil)
			return err
		},
		"couverture": func(sc models.Scope) error {
			_, err := s.CoverageOf(ctx, sc)
			return err
		},
		"non-couvertes": func(sc models.Scope) error {
			_, err := s.ListUncovered(ctx, sc, "", models.PageRequest{})
			return err
		},
		"perimetre": func(sc models.Scope) error {
			_, err := s.SummarizeScope(ctx, sc)
			return err
		},
	}
	for _, scope := range slices.Sorted(maps.Keys(scopes)) {
		for _, call := range slices.Sorted(maps.Keys(calls)) {
			b.Run("store/"+scope+"/"+call, func(b *testing.B) {
				for b.Loop() {
					if err := calls[call](scopes[scope]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
