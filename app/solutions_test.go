package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestSolutionPages: the pilote creates a solution through the form (an éditeur that is not
// an ENT vendor is refused beside the field); an IA-DASEN reads it but may not write it;
// the exports read back.
func TestSolutionPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ed := must(s.CreateOrganisation(t.Context(), w.sys, models.OrganisationInput{Kind: models.OrgEditeurENT, Nom: "Éditeur du test"}))
		rect := must(s.CreateOrganisation(t.Context(), w.sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat du test"}))
		form := url.Values{"produit": {"ENT du test"}, "editeur": {idStr(rect.ID)}, "version_produit": {"3.2"}, "federation": {"educonnect"}}
		p := w.clients["pilote"]
		rec := p.post("/solutions", form)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#solution-editeur-erreur").Text(), "Éditeur d'ENT") {
			t.Fatalf("éditeur invalide : %d", rec.Code)
		}
		if v, _ := doc(t, rec).Find("#solution-version").Attr("value"); v != "3.2" {
			t.Errorf("version non reprise : %q", v)
		}
		form.Set("editeur", idStr(ed.ID))
		if rec := w.clients["ia93"].post("/solutions", form); rec.Code != http.StatusForbidden {
			t.Errorf("solution créée par l'IA : %d", rec.Code)
		}
		rec = p.post("/solutions", form)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		loc := strings.Split(rec.Header().Get("Location"), "?")[0]
		page := w.clients["ia93"].get(loc)
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Éditeur du test") || strings.Contains(page.Body.String(), "bouton-archiver") {
			t.Errorf("fiche lue par l'IA : %d", page.Code)
		}
		if rec := w.clients["ia93"].get(loc + "/modifier"); rec.Code != http.StatusForbidden {
			t.Errorf("formulaire pour l'IA : %d", rec.Code)
		}
		for _, u := range []string{"/solutions", loc, loc + "/modifier", "/solutions/nouvelle"} {
			checkPageRules(t, u, doc(t, p.get(u)))
		}
		_, rows := readXLSX(t, "solutions", p.get("/solutions.xlsx").Body.Bytes())
		if len(rows) != 1 || rows[0][1] != "ENT du test" || rows[0][2] != "Éditeur du test" || rows[0][5] != "ÉduConnect" {
			t.Errorf("export : %v", rows)
		}
		rec = p.post(loc+"/archiver", nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage : %d", rec.Code)
		}
		if list := p.get(rec.Header().Get("Location")); strings.Contains(list.Body.String(), `href="`+loc+`"`) || !strings.Contains(list.Body.String(), "bouton-restaurer") {
			t.Errorf("liste après archivage")
		}
		if rec := p.post(loc+"/restaurer", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}
