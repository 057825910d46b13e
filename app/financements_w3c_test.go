package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestW3CFinancementPages renders the financing pages (the list, filtered and refused, a
// plan's page with its communes, lines, totals and chart, the forms, sent back with their
// errors and on a conflict, the référent's "montants réalisés") and runs the W3C Nu HTML
// checker on them: no error. Without Java or the checker the test skips, unless
// PILOTAGE_REQUIRE_W3C=1 (CI).
func TestW3CFinancementPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newFinFixture(t, s)
		p, bob := fx.clients["pilote"], fx.clients["referent93"]
		plan, line := "/financements/"+idStr(fx.p93.ID), "/lignes/"+idStr(fx.l93.ID)
		check := func(name string, want int, rec *httptest.ResponseRecorder) {
			if rec.Code != want {
				t.Fatalf("%s : %d, attendu %d", name, rec.Code, want)
			}
			w3c.add(name, rec.Body.Bytes())
		}
		for _, path := range []string{"/financements", "/financements?portage=groupement&departement=93", "/financements/nouveau",
			plan, plan + "/modifier", plan + line + "/modifier", plan + "/realises", plan + "?fait=creation",
			"/financements/" + idStr(fx.p94.ID)} {
			rec := p.get(path)
			check(path, http.StatusOK, rec)
		}
		// The référent enters the actual amounts of their own commune's plan (the groupement
		// is shared between two communes: they only read it).
		own, err := s.CreateFinancement(t.Context(), fx.actors["pilote"], models.FinancementInput{Titre: "Bobigny seule",
			Portage: models.PortageCommune, Departement: "93", Commune: "93008"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddLigne(t.Context(), fx.actors["pilote"], own.ID, models.LigneInput{Annee: "2012", TypeAnnee: "scolaire",
			Financeur: "commune", Nature: "investissement", Prevu: "1 000"}); err != nil {
			t.Fatal(err)
		}
		ownPlan := "/financements/" + idStr(own.ID)
		for _, path := range []string{plan, ownPlan, ownPlan + "/realises"} {
			rec := bob.get(path)
			check("référent "+path, http.StatusOK, rec)
		}
		rec := fx.clients["lecteur"].get("/financements/nouveau")
		check("lecteur /financements/nouveau", http.StatusForbidden, rec)
		rec = p.get("/financements?annee=12&commune=x")
		check("filtre refusé", http.StatusBadRequest, rec)
		key := idStr(fx.l93.ID)
		for _, post := range []struct {
			path string
			form url.Values
			want int
		}{
			{"/financements", url.Values{"titre": {""}, "portage": {"groupement"}, "departement": {"93"}, "cle": {"parts"}, "communes": {"93008 : 60"}}, http.StatusUnprocessableEntity},
			{plan + "/lignes", url.Values{"annee": {"2010"}, "financeur": {"x"}, "prevu": {"12,345"}}, http.StatusUnprocessableEntity},
			{plan + line, url.Values{"annee": {"2012"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"abc"}, "version": {"1"}}, http.StatusUnprocessableEntity},
			{plan + line, url.Values{"annee": {"2012"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"1"}, "version": {"99"}}, http.StatusConflict},
			{plan, url.Values{"titre": {"x"}, "portage": {"groupement"}, "departement": {"93"}, "cle": {"eleves"}, "communes": {"93008, 93010"}, "version": {"99"}}, http.StatusConflict},
			{plan + "/realises", url.Values{"realise-" + key: {"-1"}, "version-" + key: {"1"}}, http.StatusUnprocessableEntity},
		} {
			rec := p.post(post.path, post.form)
			check("POST "+post.path, post.want, rec)
		}
		w3c.check()
	})
}
