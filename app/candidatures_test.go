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

// The scope matrix's cases of the campaigns (one per département, by its IA-DASEN) and of
// the candidatures (one in Bobigny, one in Melun, in a campaign of the académie).
func init() {
	scopeCases[models.EntityCampagne] = scopeCase{list: "/campagnes", api: "/api/v1/campagnes",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			c := must(m.s.CreateCampagne(t.Context(), m.actors["ia"+dep], models.CampagneInput{Nom: "Campagne Mq" + dep,
				AnneeScolaire: "2011-2012", Departement: dep}))
			return scopeRecord{marker: "Campagne Mq" + dep, page: "/campagnes/" + idStr(c.ID)}
		}}
	scopeCases[models.EntityCandidature] = scopeCase{list: "/candidatures", exports: []string{"/candidatures.csv"},
		api: "/api/v1/candidatures",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			camp := must(m.s.CreateCampagne(t.Context(), m.sys, models.CampagneInput{Nom: "Sites pilotes " + dep, AnneeScolaire: "2011-2012"}))
			c := must(m.s.CreateCandidature(t.Context(), m.actors["ia"+dep], models.CandidatureInput{CampagneID: camp.ID,
				Titre: "Candidature Mq" + dep, Communes: []string{scopeCommune[dep]}}))
			return scopeRecord{marker: "Candidature Mq" + dep, page: "/candidatures/" + idStr(c.ID)}
		}}
}

// candidatureWorld is a world with a pilot wave, a campaign of the académie with the
// default criteria and a candidature of Melun proposing two écoles.
type candidatureWorld struct {
	*world
	vague, campagne, melun int64
	ecoles                 []string
	camp                   models.CampagneRow
}

func newCandidatureWorld(t *testing.T, s *models.Store) *candidatureWorld {
	t.Helper()
	w := &candidatureWorld{world: newWorld(t, s, app.Config{})}
	v := must(s.CreateVague(t.Context(), w.actors["pilote"], models.VagueInput{Nom: "Sites pilotes 2012",
		AnneeScolaire: "2011-2012", Pilote: true, OuverturePrevue: "09/01/2012"}))
	w.vague = v.ID
	w.camp = must(s.CreateCampagne(t.Context(), w.actors["pilote"], models.CampagneInput{Nom: "Sites pilotes 2012",
		AnneeScolaire: "2011-2012", VagueID: v.ID}))
	w.campagne = w.camp.ID
	for _, e := range must(s.CandidatureEcoleChoices(t.Context(), models.AcademieScope(), []string{"77288"}))[:3] {
		w.ecoles = append(w.ecoles, e.Value)
	}
	w.melun = must(s.CreateCandidature(t.Context(), w.actors["ia77"], models.CandidatureInput{CampagneID: w.campagne,
		Titre: "Melun, ville pilote", Communes: []string{"77288"}, Ecoles: w.ecoles[:2]})).ID
	return w
}

// notesForm is the scoring form with the same note for every criterion.
func (w *candidatureWorld) notesForm(version, note string) url.Values {
	f := url.Values{"version": {version}}
	for _, k := range w.camp.Criteres {
		f.Set("note_"+idStr(k.ID), note)
		f.Set("commentaire_"+idStr(k.ID), "Évalué sur dossier")
	}
	return f
}

// TestCandidatureScoringAndDecisionPages: the IA-DASEN of the 77 scores Melun through the
// form (a wrong note comes back beside its field), sees the score and the rank, and
// retains it: its two écoles, and only them, enter the pilot wave.
func TestCandidatureScoringAndDecisionPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newCandidatureWorld(t, s)
		ia := w.clients["ia77"]
		page := "/candidatures/" + idStr(w.melun)
		bad := w.notesForm("1", "4")
		bad.Set("note_"+idStr(w.camp.Criteres[0].ID), "9")
		rec := ia.post(page+"/notes", bad)
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#note-"+idStr(w.camp.Criteres[0].ID)+"-erreur").Text() == "" {
			t.Fatalf("note 9 : %d", rec.Code)
		}
		if rec := ia.post(page+"/notes", w.notesForm("1", "4")); rec.Code != http.StatusSeeOther {
			t.Fatalf("notes : %d %s", rec.Code, rec.Body.String())
		}
		d := doc(t, ia.get(page))
		if got := strings.TrimSpace(d.Find("#score").Text()); got != "4,0 / 5" {
			t.Fatalf("score affiché : %q", got)
		}
		if got := strings.TrimSpace(d.Find("#rang-academie").Text()); got != "1 / 1" {
			t.Fatalf("rang affiché : %q", got)
		}
		rec = ia.post(page+"/decision", url.Values{"version": {"2"}, "decision": {"retenue"}, "date": {"09/01/2012"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("décision : %d %s", rec.Code, rec.Body.String())
		}
		for i, uai := range w.ecoles {
			d, err := s.GetDeploiement(t.Context(), models.AcademieScope(), uai)
			switch {
			case i < 2 && (err != nil || d.Phase != "pilote" || d.VagueID == nil || *d.VagueID != w.vague):
				t.Fatalf("école proposée %s : %+v, %v", uai, d, err)
			case i == 2 && err == nil:
				t.Fatalf("école non proposée %s dans la vague : %+v", uai, d)
			}
		}
		if body := ia.get("/campagnes/" + idStr(w.campagne)).Body.String(); !strings.Contains(body, "Retenue") {
			t.Fatal("la campagne ne montre pas la décision")
		}
		csv := ia.get("/candidatures.csv?campagne=" + idStr(w.campagne)).Body.String()
		if !strings.Contains(csv, "Melun, ville pilote;77;Melun;;2;4;6 sur 6;1;1;Retenue;09/01/2012;") {
			t.Fatalf("export : %q", csv)
		}
	})
}

// TestCandidatureRolesAndScope: the IA of the 93 does not see Melun (page, forms, export,
// API); the référent of Bobigny proposes for Bobigny, not for Montreuil, and does not score.
func TestCandidatureRolesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newCandidatureWorld(t, s)
		ia93, ref := w.clients["ia93"], w.clients["referent93"]
		page := "/candidatures/" + idStr(w.melun)
		for _, u := range []string{page, page + "/notes", page + "/decision", page + "/modifier"} {
			if rec := ia93.get(u); rec.Code != http.StatusNotFound {
				t.Errorf("IA 93, %s : %d", u, rec.Code)
			}
		}
		if rec := ia93.post(page+"/notes", w.notesForm("1", "5")); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 note Melun : %d", rec.Code)
		}
		for _, u := range []string{"/candidatures", "/candidatures.csv", "/api/v1/candidatures"} {
			if body := ia93.get(u).Body.String(); strings.Contains(body, "Melun, ville pilote") {
				t.Errorf("IA 93 voit Melun dans %s", u)
			}
		}
		if body := w.clients["pilote"].get("/candidatures.csv").Body.String(); !strings.Contains(body, "Melun, ville pilote") {
			t.Error("le pilote ne voit pas Melun dans l'export")
		}
		form := url.Values{"campagne": {idStr(w.campagne)}, "titre": {"Montreuil"}, "communes": {"93048"}}
		if rec := ref.post("/candidatures", form); rec.Code != http.StatusForbidden || doc(t, rec).Find("#refus").Length() != 1 {
			t.Fatalf("référent pour Montreuil : %d", rec.Code)
		}
		form.Set("titre", "Bobigny")
		form.Set("communes", "93008")
		rec := ref.post("/candidatures", form)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("référent pour Bobigny : %d %s", rec.Code, rec.Body.String())
		}
		bob := rec.Header().Get("Location")
		bob = bob[:strings.Index(bob, "?")]
		if rec := ref.get(bob + "/notes"); rec.Code != http.StatusForbidden {
			t.Fatalf("référent ouvre les notes : %d", rec.Code)
		}
		if rec := ref.post(bob+"/notes", w.notesForm("1", "5")); rec.Code != http.StatusForbidden {
			t.Fatalf("référent note : %d", rec.Code)
		}
		if rec := ref.post(bob+"/decision", url.Values{"version": {"1"}, "decision": {"retenue"}, "date": {"09/01/2012"}}); rec.Code != http.StatusForbidden {
			t.Fatalf("référent décide : %d", rec.Code)
		}
	})
}

// TestCandidatureDocumentPage: a PDF joins the candidature's file from its page.
func TestCandidatureDocumentPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newCandidatureWorld(t, s)
		page := "/candidatures/" + idStr(w.melun)
		rec := w.clients["ia77"].upload(page+"/documents", "dossier-melun.pdf", samplePDF("Dossier de Melun"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("dépôt : %d %s", rec.Code, rec.Body.String())
		}
		if d := doc(t, w.clients["ia77"].get(page)); !strings.Contains(d.Find("#tableau-documents").Text(), "dossier-melun.pdf") {
			t.Fatal("le document n'apparaît pas")
		}
	})
}

// TestCampagneForm: the new campaign form starts with the default criteria; a weight out
// of 1..100 comes back beside its row; a valid form creates the campaign.
func TestCampagneForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ia := w.clients["ia93"]
		if d := doc(t, ia.get("/campagnes/nouvelle")); d.Find(`input[name="critere_libelle"][value="Réseau et débit"]`).Length() != 1 {
			t.Fatal("critères par défaut absents")
		}
		form := url.Values{"nom": {"Pilotes 93"}, "annee_scolaire": {"2011-2012"}, "departement": {"93"}, "statut": {"ouverte"},
			"critere_id": {"", ""}, "critere_libelle": {"Équipement", "Réseau"}, "critere_poids": {"50", "500"}}
		rec := ia.post("/campagnes", form)
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#critere-libelle-2-erreur").Length() != 1 {
			t.Fatalf("poids 500 : %d", rec.Code)
		}
		form["critere_poids"] = []string{"50", "50"}
		if rec := ia.post("/campagnes", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
		}
		form.Set("departement", "94")
		if rec := ia.post("/campagnes", form); rec.Code != http.StatusForbidden {
			t.Fatalf("campagne du 94 par l'IA 93 : %d", rec.Code)
		}
	})
}
