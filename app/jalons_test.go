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

// The scope matrix's cases of the milestones (a milestone of Bobigny, one of Melun) and of
// the baselines (frozen by the IA-DASEN of each département).
func init() {
	scopeCases[models.EntityJalon] = scopeCase{list: "/jalons", exports: []string{"/jalons.csv"}, api: "/api/v1/jalons",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			j := must(m.s.CreateJalon(t.Context(), m.sys, models.JalonInput{Titre: "Jalon Mq" + dep, Niveau: models.NiveauCommune,
				Commune: scopeCommune[dep], DatePrevue: "01/09/2013"}))
			return scopeRecord{marker: "Jalon Mq" + dep, page: "/jalons/" + idStr(j.ID)}
		}}
	scopeCases[models.EntityReference] = scopeCase{list: "/references", api: "/api/v1/references",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			r := must(m.s.FreezeReference(t.Context(), m.actors["ia"+dep], "Référence Mq"+dep, ""))
			return scopeRecord{marker: "Référence Mq" + dep, page: "/references/" + idStr(r.ID)}
		}}
}

// TestJalonPages: the list flags the late milestones, the form answers French errors with
// the values typed (422), a milestone of another département is a 404, the exports and the
// API follow the list's filter.
func TestJalonPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ia := w.clients["ia93"]
		rec := ia.post("/jalons", url.Values{"titre": {"Comité de suivi"}, "niveau": {"departement"}, "departement": {"93"}, "date_prevue": {"31/02/2013"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Date invalide") ||
			!strings.Contains(rec.Body.String(), "Comité de suivi") {
			t.Fatalf("formulaire invalide : %d", rec.Code)
		}
		rec = ia.post("/jalons", url.Values{"titre": {"Comité de suivi"}, "niveau": {"commune"}, "commune": {"Bobigny"}, "date_prevue": {"01/03/2013"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
		}
		page := ia.get("/jalons?retard=1")
		d := doc(t, page)
		if page.Code != http.StatusOK || !strings.Contains(d.Find("#tableau-jalons").Text(), "Comité de suivi") ||
			d.Find("#tableau-jalons .fr-badge--error").Length() != 1 {
			t.Fatalf("liste des jalons en retard : %d", page.Code)
		}
		id := strings.TrimPrefix(strings.Split(rec.Header().Get("Location"), "?")[0], "/jalons/")
		if rec := w.clients["ia77"].get("/jalons/" + id); rec.Code != http.StatusNotFound {
			t.Fatalf("IA 77 : %d", rec.Code)
		}
		if rec := w.clients["ia77"].post("/jalons/"+id+"/archiver", nil); rec.Code != http.StatusNotFound {
			t.Fatalf("IA 77 archive : %d", rec.Code)
		}
		if rec := w.clients["lecteur"].post("/jalons", url.Values{"titre": {"X"}, "niveau": {"academie"}, "date_prevue": {"01/01/2013"}}); rec.Code != http.StatusForbidden {
			t.Fatalf("lecteur : %d", rec.Code)
		}
		if rec := ia.get("/jalons.csv?retard=1"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Comité de suivi") {
			t.Fatalf("export : %d", rec.Code)
		}
		if rec := ia.get("/api/v1/jalons?statut=atteint"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"total":0`) {
			t.Fatalf("API : %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestPrepareMeetingJalons: "Préparer la prochaine réunion" of a body of the 93 lists the
// late milestone of the 93, not the 94's.
func TestPrepareMeetingJalons(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ctx := t.Context()
		body := must(s.CreateInstance(ctx, w.actors["ia93"], models.InstanceInput{Nom: "Co-pilotage 93", Kind: models.InstanceCopilotage, Departement: "93"}))
		must(s.CreateJalon(ctx, w.sys, models.JalonInput{Titre: "Convention de Bobigny", Niveau: models.NiveauCommune, Commune: "93008", DatePrevue: "01/03/2013"}))
		must(s.CreateJalon(ctx, w.sys, models.JalonInput{Titre: "Convention de Créteil", Niveau: models.NiveauCommune, Commune: "94028", DatePrevue: "01/03/2013"}))
		rec := w.clients["ia93"].get("/instances/" + idStr(body.ID) + "/preparer")
		table := doc(t, rec).Find("#tableau-jalons-a-suivre").Text()
		if rec.Code != http.StatusOK || !strings.Contains(table, "Convention de Bobigny") || !strings.Contains(table, "En retard") ||
			strings.Contains(rec.Body.String(), "Convention de Créteil") {
			t.Fatalf("préparer : %d %q", rec.Code, table)
		}
	})
}

// TestChronologiePages: the timeline is an SVG with its title and description and the same
// data as tables; a baseline of another département is a 404; a bad filter a 400.
func TestChronologiePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ctx := t.Context()
		must(s.CreateJalon(ctx, w.sys, models.JalonInput{Titre: "Ouverture des sites pilotes", Niveau: models.NiveauAcademie, DatePrevue: "09/01/2012"}))
		ref := must(s.FreezeReference(ctx, w.actors["pilote"], "Plan initial", ""))
		ref94 := must(s.FreezeReference(ctx, w.actors["ia94"], "Plan du 94", ""))
		rec := w.clients["ia93"].get("/chronologie?reference=" + idStr(ref.ID))
		d := doc(t, rec)
		svg := d.Find(`svg[role="img"]#chrono-svg`)
		if rec.Code != http.StatusOK || svg.Find("title#chrono-titre").Length() != 1 || svg.Find("desc#chrono-desc").Length() != 1 ||
			!strings.Contains(d.Find("#tableau-chronologie-jalons").Text(), "Ouverture des sites pilotes") {
			t.Fatalf("chronologie : %d", rec.Code)
		}
		if rec := w.clients["ia93"].get("/chronologie?reference=" + idStr(ref94.ID)); rec.Code != http.StatusNotFound {
			t.Fatalf("référence du 94 pour l'IA 93 : %d", rec.Code)
		}
		if rec := w.clients["ia93"].get("/chronologie?departement=xyz"); rec.Code != http.StatusBadRequest {
			t.Fatalf("filtre invalide : %d", rec.Code)
		}
		if rec := w.clients["pilote"].get("/chronologie/ouvertures?reference=" + idStr(ref.ID)); rec.Code != http.StatusOK {
			t.Fatalf("ouvertures : %d %s", rec.Code, rec.Body.String())
		}
		if rec := w.clients["ia93"].get("/references/" + idStr(ref.ID) + "?mode=plan&departement=93"); rec.Code != http.StatusOK ||
			doc(t, rec).Find("#resume-comparaison").Length() != 1 {
			t.Fatalf("comparaison : %d", rec.Code)
		}
	})
}
