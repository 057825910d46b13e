package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func init() {
	scopeCases[models.EntityDeploiement] = scopeCase{list: "/deploiements?phase=pilote", exports: []string{"/deploiements.csv?phase=pilote"},
		api: "/api/v1/deploiements?phase=pilote",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			uai := ecolesIn(t, m.s, models.EcoleFilter{Commune: scopeCommune[dep]}, 1)[0]
			setPhase(t, m.s, m.sys, "pilote", uai)
			e := must(m.s.GetEcole(t.Context(), models.AcademieScope(), uai))
			return scopeRecord{marker: e.Nom, page: "/deploiements/" + uai}
		}}
}

// ecolesIn returns the UAI of the first n écoles matching f (all of them when n is 0).
func ecolesIn(t *testing.T, s *models.Store, f models.EcoleFilter, n int) []string {
	t.Helper()
	p := must(s.ListEcoles(t.Context(), models.AcademieScope(), f, models.PageRequest{Size: models.MaxPageSize}))
	var out []string
	for _, e := range p.Items {
		out = append(out, e.UAI)
	}
	if n > 0 {
		if len(out) < n {
			t.Fatalf("%+v : %d écoles, %d attendues", f, len(out), n)
		}
		out = out[:n]
	}
	return out
}

// setPhase puts the écoles in phase through the one write path.
func setPhase(t *testing.T, s *models.Store, actor models.Actor, phase string, uais ...string) {
	t.Helper()
	edits := make([]models.DeploiementEdit, len(uais))
	for i, u := range uais {
		edits[i] = models.DeploiementEdit{UAI: u, Phase: phase, DateEffet: time.Date(2012, 1, 9, 0, 0, 0, 0, time.UTC)}
	}
	must(s.ChangeDeploiements(t.Context(), actor, edits, models.DeploiementGuard{}))
}

// auditCount counts the audit events of the deployments.
func auditCount(t *testing.T, w *world) int64 {
	t.Helper()
	return must(w.s.ListAudit(t.Context(), w.actors["admin"], models.AuditFilter{Entity: "deploiement"}, models.PageRequest{Size: 1})).Total
}

// TestDeploiementsListScope: the IA of the 93 sees, counts, exports and reads through the
// API the écoles of the 93 only; the filters select.
func TestDeploiementsListScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m93 := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 2)
		c94 := ecolesIn(t, s, models.EcoleFilter{Commune: "94028"}, 1)
		setPhase(t, s, w.sys, "ouvert", m93...)
		setPhase(t, s, w.sys, "ouvert", c94...)
		ia := w.clients["ia93"]
		list := ia.get("/deploiements?phase=ouvert")
		if list.Code != http.StatusOK {
			t.Fatalf("liste : %d %s", list.Code, errorTexts(list.Body.String()))
		}
		body := list.Body.String()
		if !strings.Contains(body, "/deploiements/"+m93[0]) || strings.Contains(body, "/deploiements/"+c94[0]) {
			t.Errorf("liste de l'IA 93 : périmètre non respecté")
		}
		if n := strings.TrimSpace(doc(t, list).Find(`[role="status"] strong`).First().Text()); n != "2" {
			t.Errorf("total de la liste : %q, attendu 2", n)
		}
		for _, u := range []string{"/deploiements.csv?phase=ouvert", "/api/v1/deploiements?phase=ouvert", "/deploiements.xlsx"} {
			rec := ia.get(u)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), c94[0]) {
				t.Errorf("%s : %d ou école du 94 présente", u, rec.Code)
			}
		}
		if rec := ia.get("/api/v1/deploiements?phase=ouvert"); !strings.Contains(rec.Body.String(), `"total":2`) {
			t.Errorf("API : %s", rec.Body.String())
		}
		if rec := ia.get("/deploiements/" + c94[0]); rec.Code != http.StatusNotFound {
			t.Errorf("fiche d'une école du 94 pour l'IA 93 : %d", rec.Code)
		}
		pil := w.clients["pilote"]
		for q, want := range map[string]string{"commune=Montreuil&phase=ouvert": "2", "departement=94&phase=ouvert": "1",
			"commune=93048&phase=aucun": "", "q=" + m93[0]: "1"} {
			rec := pil.get("/deploiements?" + q)
			n := strings.TrimSpace(doc(t, rec).Find(`[role="status"] strong`).First().Text())
			if rec.Code != http.StatusOK || (want != "" && n != want) {
				t.Errorf("filtre %s : %d, %q résultats, attendu %q", q, rec.Code, n, want)
			}
		}
		if rec := pil.get("/deploiements?phase=inconnue"); rec.Code != http.StatusBadRequest {
			t.Errorf("phase inconnue : %d", rec.Code)
		}
	})
}

// bulkValues is the form of a bulk change of the écoles uais (read at version 0 or vers).
func bulkValues(fields map[string]string, uais []string, vers map[string]string) url.Values {
	f := url.Values{}
	for k, v := range fields {
		f.Set(k, v)
	}
	for _, u := range uais {
		f.Add("selection", u)
		v := vers[u]
		if v == "" {
			v = "0"
		}
		f.Set("v_"+u, v)
	}
	return f
}

// TestDeploiementsBulk500: 500 écoles in one request, 500 audit events; a change of
// nothing is refused next to the field.
func TestDeploiementsBulk500(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		uais := ecolesIn(t, s, models.EcoleFilter{Departement: "93"}, 500)
		pil := w.clients["pilote"]
		rec := pil.post("/deploiements/modifier?departement=93", bulkValues(map[string]string{"nouvelle_phase": "etude"}, nil, nil))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("sélection vide : %d", rec.Code)
		}
		rec = pil.post("/deploiements/modifier?departement=93", bulkValues(map[string]string{"date_effet": "31/02/2012"}, uais[:2], nil))
		refusedField(t, rec, "date_effet", "Date invalide", "31/02/2012")
		start := time.Now()
		rec = pil.post("/deploiements/modifier?departement=93", bulkValues(map[string]string{"nouvelle_phase": "etude", "date_effet": "15/03/2012"}, uais, nil))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("500 écoles : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		t.Logf("500 écoles en %s", time.Since(start).Round(time.Millisecond))
		if n := auditCount(t, w); n != 500 {
			t.Errorf("%d événements d'audit, attendu 500", n)
		}
		page := pil.get(rec.Header().Get("Location"))
		if got := doc(t, page).Find("#notice").Text(); !strings.Contains(got, "500 écoles modifiées, 0 inchangée") {
			t.Errorf("notice : %q", got)
		}
	})
}

// TestDeploiementsBulkConflict: two overlapping bulk changes: the second, on "all the
// écoles matching the filter" read before the first, is told which écoles changed and
// applies nothing; its retry applies.
func TestDeploiementsBulkConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 0)
		setPhase(t, s, w.sys, "pilote", m...)
		pil, pil2 := w.clients["pilote"], w.clients["pilote2"]
		list := pil.get("/deploiements?commune=93048")
		readAt, _ := doc(t, list).Find(`input[name="lu_le"]`).Attr("value")
		time.Sleep(5 * time.Millisecond)
		rec := pil2.post("/deploiements/modifier?commune=93048", bulkValues(map[string]string{"nouvelle_phase": "ouvert"}, m[:2], map[string]string{m[0]: "1", m[1]: "1"}))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("première modification : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		before := auditCount(t, w)
		rec = pil.post("/deploiements/modifier?commune=93048", bulkValues(map[string]string{"nouvelle_phase": "abandonne", "tous": "1", "lu_le": readAt}, nil, nil))
		if rec.Code != http.StatusConflict {
			t.Fatalf("seconde modification : %d, attendu 409", rec.Code)
		}
		d := doc(t, rec)
		if n := d.Find("#tableau-conflits tbody tr").Length(); n != 2 || !strings.Contains(d.Find("#tableau-conflits").Text(), "Compte pilote2") {
			t.Errorf("conflits : %d lignes, %q", n, d.Find("#tableau-conflits").Text())
		}
		if auditCount(t, w) != before {
			t.Errorf("le conflit a écrit")
		}
		if got := must(s.GetDeploiement(t.Context(), models.AcademieScope(), m[0])).Phase; got != "ouvert" {
			t.Errorf("modification perdue : %s", got)
		}
		retry, _ := d.Find(`input[name="lu_le"]`).Attr("value")
		rec = pil.post("/deploiements/modifier?commune=93048", bulkValues(map[string]string{"nouvelle_phase": "abandonne", "tous": "1", "lu_le": retry}, nil, nil))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("nouvel essai : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
	})
}

// TestDeploiementsBulkRefused: a 94 école slipped into the selection of the IA of the 93
// is refused (403) and nothing is applied; the IEN sets the phase of their écoles, not the
// wave.
func TestDeploiementsBulkRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 2)
		c94 := ecolesIn(t, s, models.EcoleFilter{Circonscription: "0940920P"}, 1)
		rec := w.clients["ia93"].post("/deploiements/modifier", bulkValues(map[string]string{"nouvelle_phase": "ouvert"}, append(m, c94...), nil))
		if rec.Code != http.StatusForbidden || !strings.Contains(doc(t, rec).Find("#refus").Text(), "rien n'a été modifié") {
			t.Fatalf("école du 94 glissée : %d", rec.Code)
		}
		if n := auditCount(t, w); n != 0 {
			t.Errorf("%d événements après un refus", n)
		}
		ien := w.clients["ien94"]
		page := ien.get("/deploiements")
		if doc(t, page).Find("#nouvelle_vague").Length() != 0 || doc(t, page).Find("#nouvelle_phase").Length() != 1 {
			t.Errorf("formulaire de l'IEN : la vague est proposée ou la phase manque")
		}
		rec = ien.post("/deploiements/modifier", bulkValues(map[string]string{"nouvelle_phase": "ouvert", "nouvelle_vague": "0"}, c94, nil))
		if rec.Code != http.StatusForbidden {
			t.Errorf("vague par l'IEN : %d", rec.Code)
		}
		rec = ien.post("/deploiements/modifier", bulkValues(map[string]string{"nouvelle_phase": "ouvert", "date_effet": "02/09/2013"}, c94, nil))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("phase par l'IEN : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if rec := w.clients["lecteur"].post("/deploiements/modifier", bulkValues(map[string]string{"nouvelle_phase": "ouvert"}, m, nil)); rec.Code != http.StatusForbidden {
			t.Errorf("lecteur : %d", rec.Code)
		}
	})
}

// TestDeploiementFiche: an école hors programme is put in the programme from its fiche; a
// stale save is a 409 with who changed it; the fiche commune and the fiche école show the
// derived state; the progress counts it.
func TestDeploiementFiche(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 0)
		pil := w.clients["pilote"]
		if got := doc(t, pil.get("/deploiements/"+m[0])).Find("#etat-deploiement").Text(); !strings.Contains(got, "Hors programme") {
			t.Errorf("fiche hors programme : %q", got)
		}
		form := url.Values{"version": {"0"}, "nouvelle_phase": {"ouvert"}, "date_effet": {"03/09/2012"}, "ouverture_prevue": {"01/09/2012"},
			"ouverture_effective": {"03/09/2012"}}
		if rec := pil.post("/deploiements/"+m[0], form); rec.Code != http.StatusSeeOther {
			t.Fatalf("inscription : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		d := doc(t, pil.get("/deploiements/"+m[0]))
		if d.Find("#tableau-phases tbody tr").Length() != 1 || !strings.Contains(d.Find("#etat-deploiement").Text(), "Ouvert") {
			t.Errorf("fiche : %q", d.Find("#etat-deploiement").Text())
		}
		if rec := w.clients["pilote2"].post("/deploiements/"+m[0], form); rec.Code != http.StatusConflict ||
			!strings.Contains(doc(t, rec).Find("#conflit").Text(), "Compte pilote") {
			t.Errorf("enregistrement périmé : %d", rec.Code)
		}
		form.Set("ouverture_prevue", "32/01/2012")
		form.Set("version", "1")
		refusedField(t, pil.post("/deploiements/"+m[0], form), "ouverture_prevue", "Date invalide", "32/01/2012")
		commune := doc(t, pil.get("/communes/93048")).Find("#etat-ent").Text()
		if !strings.Contains(commune, "Ouvert dans 1 école sur ") {
			t.Errorf("fiche commune : %q", commune)
		}
		if got := doc(t, pil.get("/ecoles/"+m[0])).Find("#etat-ent").Text(); !strings.Contains(got, "Ouvert") {
			t.Errorf("fiche école : %q", got)
		}
		for _, u := range []string{"/deploiements/avancement", "/deploiements/avancement?niveau=commune&departement=93",
			"/deploiements/avancement?niveau=epci", "/deploiements/avancement?niveau=circonscription&departement=93",
			"/deploiements/avancement.csv", "/deploiements/avancement.xlsx?niveau=commune"} {
			if rec := w.clients["ia93"].get(u); rec.Code != http.StatusOK {
				t.Errorf("%s : %d %s", u, rec.Code, errorTexts(rec.Body.String()))
			}
		}
		total := doc(t, pil.get("/deploiements/avancement?departement=93")).Find("#ligne-total").Text()
		if !strings.Contains(total, "1 (") {
			t.Errorf("avancement : %q", total)
		}
		if rec := w.clients["ien94"].get("/deploiements/avancement"); rec.Code != http.StatusOK {
			t.Errorf("avancement de l'IEN : %d", rec.Code)
		}
	})
}
