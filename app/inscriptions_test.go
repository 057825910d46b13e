package app_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// The scope matrix's case of the registrations: an école registered to a session of the
// département (no circonscription) in the 93 and in the 77; the école's name is the marker
// (the lists across sessions never show names).
func init() {
	ecoles := map[string]string{"93": "0930180R", "77": "0770570B"}
	markers := map[string]string{"93": "EUGENE VARLIN", "77": "HELOISE"}
	scopeCases[models.EntityInscription] = scopeCase{list: "/formations/inscriptions", api: "/api/v1/inscriptions",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			f := inscriptionSession(t, m.s, m.sys, dep, "", "2031-2032", "10/01/2032", "5")
			must(m.s.Register(t.Context(), m.sys, f.ID, models.InscriptionInput{Kind: "ecole", UAI: ecoles[dep], Effectif: "3"}))
			return scopeRecord{marker: markers[dep], page: "/formations/" + idStr(f.ID) + "/inscriptions"}
		}}
}

// inscriptionSession creates an open session of the plan of year in dep (circonscription
// circ, "" for the département's), on day, with capacity.
func inscriptionSession(t *testing.T, s *models.Store, actor models.Actor, dep, circ, year, day, capacity string) models.FormationRow {
	t.Helper()
	ctx := t.Context()
	plan, err := s.CreatePlanFormation(ctx, actor, models.PlanFormationInput{AnneeScolaire: year, Departement: dep})
	if err != nil {
		t.Fatal(err)
	}
	return must(s.CreateFormation(ctx, actor, models.FormationInput{PlanID: plan.ID, ModuleID: 1, Public: "enseignants",
		Circonscription: circ, Lieu: "Salle des fêtes", Date: day, HeureDebut: "14h30", DureeMinutes: "180",
		Capacite: capacity, Statut: "ouverte"}))
}

// TestInscriptionPages: the IEN registers a participant and an école in their
// circonscription (403 on the département's session, 404 in another département), the
// waiting list is promoted on a cancellation, the attendance form round trip, the sign-in
// sheet and the attestation name the participant; the lecteur never sees the name on the
// pages, the export or the API.
func TestInscriptionPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ien, lecteur := w.clients["ien94"], w.clients["lecteur"]
		f := inscriptionSession(t, s, w.sys, "94", "0940920P", "2025-2026", "05/01/2026", "3")
		base := "/formations/" + idStr(f.ID)
		refusedField(t, ien.post(base+"/inscriptions", url.Values{"kind": {"participant"}, "fonction": {"PE"}}), "inscription-nom", "obligatoire", "")
		for _, form := range []url.Values{{"kind": {"participant"}, "nom": {"Camille Durand"}, "uai": {"0940354Z"}},
			{"kind": {"ecole"}, "uai": {"0940400Z"}, "effectif": {"2"}}, {"kind": {"participant"}, "nom": {"Alex Martin"}}} {
			if rec := ien.post(base+"/inscriptions", form); rec.Code != http.StatusSeeOther {
				t.Fatalf("inscription %v : %d %s", form, rec.Code, errorTexts(rec.Body.String()))
			}
		}
		dep := inscriptionSession(t, s, w.sys, "94", "", "2026-2027", "05/01/2027", "3")
		if rec := ien.post("/formations/"+idStr(dep.ID)+"/inscriptions", url.Values{"kind": {"participant"}, "nom": {"X"}}); rec.Code != http.StatusForbidden {
			t.Fatalf("IEN, session du département : %d", rec.Code)
		}
		other := inscriptionSession(t, s, w.sys, "93", "", "2026-2027", "05/01/2027", "3")
		if rec := ien.post("/formations/"+idStr(other.ID)+"/inscriptions", url.Values{"kind": {"participant"}, "nom": {"X"}}); rec.Code != http.StatusNotFound {
			t.Fatalf("IEN, session du 93 : %d", rec.Code)
		}
		rows := must(s.ListInscriptions(t.Context(), w.sys, f.ID))
		byName := map[string]models.InscriptionRow{}
		for _, r := range rows {
			byName[r.Label()] = r
		}
		ecole, durand, martin := rows[1], byName["Camille Durand"], byName["Alex Martin"]
		if ecole.Kind != "ecole" || martin.Statut != "attente" {
			t.Fatalf("inscriptions : %+v", rows)
		}
		if rec := ien.post(base+"/inscriptions/"+idStr(ecole.ID)+"/annuler", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("annulation : %d", rec.Code)
		}
		if d := doc(t, ien.get(base+"/inscriptions")); !strings.Contains(d.Find("#tableau-inscrits").Text(), "Alex Martin") {
			t.Fatalf("Alex Martin non promu : %s", d.Find("#tableau-inscrits").Text())
		}
		// Attendance: one form for the list, French errors, then the attestation.
		if rec := ien.get(base + "/presences"); rec.Code != http.StatusOK || doc(t, rec).Find(`input[name="presence-`+idStr(durand.ID)+`"]`).Length() != 3 {
			t.Fatalf("formulaire de présence : %d", rec.Code)
		}
		checkPresencePrefill(t, s, ien, w.sys, f.ID)
		rec := ien.post(base+"/presences", url.Values{"presence-" + idStr(durand.ID): {"present"}, "presence-" + idStr(martin.ID): {"peut-etre"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Choisissez présent, absent ou excusé") {
			t.Fatalf("présence invalide : %d", rec.Code)
		}
		rec = ien.post(base+"/presences", url.Values{"presence-" + idStr(durand.ID): {"present"}, "presence-" + idStr(martin.ID): {"excuse"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("présence : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if d := doc(t, ien.get(base+"/presences")); d.Find("#presence-"+idStr(durand.ID)+"-present").AttrOr("checked", "x") == "x" {
			t.Fatal("présence non reprise")
		}
		if rec := ien.get(base + "/emargement"); rec.Code != http.StatusOK || doc(t, rec).Find(".ligne-emargement").Length() != 2 ||
			!strings.Contains(rec.Body.String(), "Camille Durand") {
			t.Fatalf("émargement : %d", rec.Code)
		}
		attestation := base + "/inscriptions/" + idStr(durand.ID) + "/attestation"
		if rec := ien.get(attestation); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Camille Durand") {
			t.Fatalf("attestation : %d", rec.Code)
		}
		if rec := ien.get(base + "/inscriptions/" + idStr(martin.ID) + "/attestation"); rec.Code != http.StatusNotFound {
			t.Fatalf("attestation d'un excusé : %d", rec.Code)
		}
		checkInscriptionsReaders(t, ien, lecteur, f, attestation)
		if s.Dialect() == models.SQLite { // the markup is the engine's neither
			w3c := newW3CPages(t)
			for _, p := range []string{base + "/inscriptions", base + "/presences", base + "/emargement", attestation,
				base + "/inscriptions/import", "/formations/inscriptions"} {
				w3c.add(p, ien.get(p).Body.Bytes())
			}
			w3c.check()
		}
	})
}

// checkPresencePrefill: « tous présents » checks « Présent » for the two registered not
// marked yet, and saves nothing.
func checkPresencePrefill(t *testing.T, s *models.Store, ien *formClient, sys models.Actor, id int64) {
	t.Helper()
	prefill := doc(t, ien.get("/formations/"+idStr(id)+"/presences?tous=present"))
	if prefill.Find(`input[value="present"][checked]`).Length() != 2 || prefill.Find(`input[value="absent"][checked]`).Length() != 0 {
		t.Fatalf("pré-remplissage « tous présents » : %d cochés", prefill.Find(`input[value="present"][checked]`).Length())
	}
	for _, r := range must(s.ListInscriptions(t.Context(), sys, id)) {
		if r.Presence != "" {
			t.Fatalf("le pré-remplissage a enregistré : %+v", r)
		}
	}
}

// checkInscriptionsReaders: the lecteur reads counts, never names (pages, exports, API,
// attestation); the IEN's export of every registration has none either, their API has.
func checkInscriptionsReaders(t *testing.T, ien, lecteur *formClient, f models.FormationRow, attestation string) {
	t.Helper()
	base := "/formations/" + idStr(f.ID)
	for _, u := range []string{base + "/inscriptions", base + "/inscriptions.csv", base + "/emargement",
		"/api/v1/inscriptions?formation=" + idStr(f.ID), "/api/v1/inscriptions", "/formations/inscriptions",
		"/formations/inscriptions.csv?statut=inscrit"} {
		rec := lecteur.get(u)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Durand") {
			t.Errorf("lecteur, %s : %d, nom visible %v", u, rec.Code, strings.Contains(rec.Body.String(), "Durand"))
		}
	}
	if rec := lecteur.get(attestation); rec.Code != http.StatusNotFound {
		t.Errorf("lecteur, attestation : %d", rec.Code)
	}
	if rec := ien.get("/formations/inscriptions.csv?formation=" + idStr(f.ID)); rec.Code != http.StatusOK ||
		strings.Count(rec.Body.String(), "\n"+idStr(f.ID)+";") != 3 || strings.Contains(rec.Body.String(), "Durand") {
		t.Errorf("IEN, export de toutes les inscriptions : %d %s", rec.Code, rec.Body.String())
	}
	if rec := ien.get("/api/v1/inscriptions?formation=" + idStr(f.ID)); !strings.Contains(rec.Body.String(), "Durand") {
		t.Errorf("IEN, API : %s", rec.Body.String())
	}
}

// TestInscriptionImport: a French CSV list (BOM, « ; ») is previewed without writing, its
// faults reported by line, then applied all at once; an attendance list the same way.
func TestInscriptionImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ien := w.clients["ien94"]
		f := inscriptionSession(t, s, w.sys, "94", "0940920P", "2025-2026", "05/01/2026", "2")
		path := "/formations/" + idStr(f.ID) + "/inscriptions/import"
		bad := "\ufeffnom;fonction;uai;effectif;presence\nCamille Durand;PE;0940354Z;;\n;;0940400Z;1;\nSans École;;9999999X;;\n"
		rec := ien.upload(path, "liste.csv", []byte(bad), "mode", "inscriptions")
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#erreurs-lignes").Text(), "ligne 4, colonne uai") {
			t.Fatalf("liste fautive : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		good := "\ufeffnom;fonction;uai;effectif;presence\nCamille Durand;PE;0940354Z;;\n;;0940400Z;1;\nAlex Martin;;;;\n"
		rec = ien.upload(path, "liste.csv", []byte(good), "mode", "inscriptions")
		if rec.Code != http.StatusOK || !strings.Contains(doc(t, rec).Find("#resume-import").Text(), "1 sur liste d'attente") {
			t.Fatalf("aperçu : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if n := len(must(s.ListInscriptions(t.Context(), w.sys, f.ID))); n != 0 {
			t.Fatalf("l'aperçu a écrit %d inscriptions", n)
		}
		confirm := func(rec *httptest.ResponseRecorder, mode string) {
			t.Helper()
			lot := doc(t, rec).Find(`input[name="lot"]`).AttrOr("value", "")
			if rec := ien.post(path+"/confirmer", url.Values{"mode": {mode}, "lot": {lot}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("confirmation %s : %d %s", mode, rec.Code, errorTexts(rec.Body.String()))
			}
		}
		confirm(rec, "inscriptions")
		rec = ien.upload(path, "presences.csv", []byte("nom;uai;presence;effectif\nCamille Durand;;présent;\n;0940400Z;Absent;\n"), "mode", "presences")
		if rec.Code != http.StatusOK {
			t.Fatalf("aperçu des présences : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		confirm(rec, "presences")
		rows := must(s.ListInscriptions(t.Context(), w.sys, f.ID))
		if len(rows) != 3 || rows[0].Presence != "present" || rows[1].Presence != "absent" || rows[2].Statut != "attente" {
			t.Fatalf("après l'import : %+v", rows)
		}
	})
}
