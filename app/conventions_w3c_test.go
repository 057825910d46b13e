package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestW3CConventionPages renders the pages of conventions (registry, tree, archives, form,
// a convention at each stage, the annex, forms sent back with errors, the conflict page) and
// runs the W3C Nu HTML checker on them: no error. Skipped without Java or the checker,
// unless PILOTAGE_REQUIRE_W3C=1.
func TestW3CConventionPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newConvFixture(t, s)
		ia, p := fx.clients["ia93"], fx.clients["pilote"]
		draft := fx.locale(t, "CRE-93-2012-014")
		choices, err := s.AnnexChoices(t.Context(), models.AcademieScope(), draft)
		if err != nil || len(choices) < 3 {
			t.Fatalf("écoles : %v", err)
		}
		if rec := ia.post(fx.path(draft, "/annexe"), url.Values{"ecoles": {choices[0].UAI}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("annexe : %d", rec.Code)
		}
		if rec := ia.post(fx.path(draft, "/parties"), url.Values{"organisation": {idStr(fx.rectorat)}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("partie : %d", rec.Code)
		}
		signed := fx.locale(t, "CRE-93-2012-015")
		if rec := ia.post(fx.path(signed, "/annexe"), url.Values{"ecoles": {choices[0].UAI}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("annexe : %d", rec.Code)
		}
		fx.toSignature(t, ia, signed)
		fx.signedParties(t, ia, signed)
		fx.move(t, ia, signed, http.StatusSeeOther, "vers", "signee")
		if rec := ia.post(fx.path(signed, "/avenants"), url.Values{"objet": {"extension_annexe"}, "ecoles": {choices[1].UAI}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("avenant : %d", rec.Code)
		}
		archived := fx.locale(t, "CRE-93-2012-016")
		if rec := ia.post(fx.path(archived, "/archiver"), nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage : %d", rec.Code)
		}
		for _, path := range []string{
			"/conventions", "/conventions?statut=signee&type=locale", "/conventions/arbre", "/conventions/archives",
			"/conventions/nouveau", "/conventions/nouveau?type=locale&departement=93",
			fx.path(draft, ""), fx.path(draft, "/modifier"), fx.path(draft, "/annexe"), fx.path(signed, ""),
			fx.path(fx.cadre, ""), fx.path(fx.dep93, ""), "/conventions?fait=archivage&archivee=" + idStr(archived),
		} {
			rec := ia.get(path)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s : %d", path, rec.Code)
			}
			w3c.add(path, rec.Body.Bytes())
		}
		rec := ia.get("/conventions?statut=inconnu&commune=x")
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("filtre invalide : %d", rec.Code)
		}
		w3c.add("filtre invalide", rec.Body.Bytes())
		for _, post := range []struct {
			path string
			form url.Values
		}{
			{"/conventions", url.Values{"type": {"locale"}, "titre": {""}, "expiration": {"31/02/2012"}, "departement": {"93"}}},
			{fx.path(draft, "/statut"), url.Values{"vers": {"signee"}}},
			{fx.path(draft, "/parties"), url.Values{"organisation": {"0"}, "date_signature": {"31/02/2012"}}},
			{fx.path(draft, "/annexe"), url.Values{"ecoles": {"0940001A"}}},
			{fx.path(signed, "/statut"), url.Values{"vers": {"resiliee"}}},
			{fx.path(signed, "/avenants"), url.Values{"objet": {"extension_annexe"}}},
		} {
			rec := ia.post(post.path, post.form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("POST %s avec erreurs : %d", post.path, rec.Code)
			}
			w3c.add("POST "+post.path, rec.Body.Bytes())
		}
		// The conflict page.
		rec = p.post(fx.path(draft, ""), url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {"x"}, "departement": {"93"},
			"parent": {idStr(fx.dep93)}, "communes": {"93008"}, "version": {"0"}})
		if rec.Code != http.StatusConflict {
			t.Fatalf("conflit : %d", rec.Code)
		}
		w3c.add("conflit", rec.Body.Bytes())
		w3c.check()
	})
}
