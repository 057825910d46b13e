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

// TestEvaluationPages: the IEN types answers one after the other on the session's page
// (French errors next to the fields, the mean hidden under 5 answers, then shown), the
// lecteur and the AMIF read the results and the aggregates but neither the answers nor the
// form; the aggregates and their export; the coverage page names its estimate, lists the
// école opened with nobody trained first, and exports.
func TestEvaluationPages(t *testing.T) {
	s := dbtest.Quickest().Open(t, true)
	w := newWorld(t, s, app.Config{})
	ien, lecteur, amif := w.clients["ien94"], w.clients["lecteur"], w.clients["amif"]
	f := inscriptionSession(t, s, w.sys, "94", "0940920P", "2025-2026", "05/01/2026", "10")
	page := "/formations/" + idStr(f.ID) + "/evaluations"
	refusedField(t, ien.post(page, url.Values{"satisfaction": {"9"}, "utilite": {"3"}}), "evaluation-satisfaction", "va de 1 à 5", "")
	answer := url.Values{"satisfaction": {"4"}, "utilite": {"5"}, "usage_classe": {"oui"}, "commentaire": {"Très concret"}}
	for i := range 5 {
		rec := ien.post(page, answer)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("réponse %d : %d %s", i+1, rec.Code, errorTexts(rec.Body.String()))
		}
		next, _, _ := strings.Cut(rec.Header().Get("Location"), "#") // a browser never sends the fragment
		d := doc(t, ien.get(next))
		mean := d.Find("#moyenne-satisfaction").Text()
		if shown := i+1 >= models.MinEvaluationAnswers; shown != (mean == "4,0") || d.Find("#fait").Length() != 1 ||
			d.Find(`#formulaire-evaluation input[name="satisfaction"]:checked`).Length() != 0 {
			t.Fatalf("après %d réponses : moyenne %q, fait %d, cochés %d", i+1, mean, d.Find("#fait").Length(), d.Find(`#formulaire-evaluation input[name="satisfaction"]:checked`).Length())
		}
	}
	for _, c := range []*formClient{lecteur, amif} {
		d := doc(t, c.get(page))
		if d.Find("#nb-reponses").Text() != "5" || d.Find("#formulaire-evaluation").Length() != 0 || strings.Contains(d.Text(), "Très concret") {
			t.Errorf("résultats lus sans les réponses : %s", d.Find("main").Text())
		}
		if rec := c.post(page, answer); rec.Code != http.StatusForbidden {
			t.Errorf("saisie refusée : %d", rec.Code)
		}
	}
	d := doc(t, lecteur.get("/formations/evaluations?par=circonscription&departement=94"))
	if row := d.Find("#tableau-evaluations tbody tr").First().Text(); !strings.Contains(row, "4,0") || !strings.Contains(row, "100,0 %") {
		t.Errorf("synthèse : %s", row)
	}
	if rec := lecteur.get("/formations/evaluations.csv?par=annee"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "2025-2026") {
		t.Errorf("export des évaluations : %d %s", rec.Code, rec.Body.String())
	}
	if rec := lecteur.get("/formations/evaluations?par=commune"); rec.Code != http.StatusBadRequest {
		t.Errorf("regroupement inconnu : %d", rec.Code)
	}
	checkCoveragePages(t, w)
}

// checkCoveragePages opens two écoles of Villejuif, one with a teacher trained.
func checkCoveragePages(t *testing.T, w *world) {
	t.Helper()
	ctx := t.Context()
	must(w.s.ChangeDeploiements(ctx, w.sys, []models.DeploiementEdit{{UAI: "0940354Z", Phase: "ouvert"},
		{UAI: "0940400Z", Phase: "generalise"}}, models.DeploiementGuard{}))
	f := inscriptionSession(t, w.s, w.sys, "94", "0940920P", "2024-2025", "05/02/2025", "10")
	r := must(w.s.Register(ctx, w.sys, f.ID, models.InscriptionInput{Kind: "participant", Nom: "Camille Durand", UAI: "0940354Z"}))
	if err := w.s.SetAttendance(ctx, w.sys, f.ID, map[int64]models.Attendance{r.ID: {Presence: "present"}}, true); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*formClient{w.clients["ien94"], w.clients["lecteur"]} {
		d := doc(t, c.get("/formations/couverture?par=commune"))
		first := d.Find("#tableau-ecoles tbody tr").First()
		if !strings.Contains(d.Find("#methode").Text(), "nombre de classes") || !strings.Contains(first.Text(), "0940400Z") ||
			first.HasClass("sans-formation") == false || strings.Contains(d.Text(), "Camille Durand") {
			t.Errorf("couverture : %s", d.Find("main").Text())
		}
	}
	// By default the académie sees its départements, each a link to its circonscriptions,
	// each a link to its communes; an IEN sees their circonscription and their département only.
	d := doc(t, w.clients["pilote"].get("/formations/couverture"))
	if d.Find(`#tableau-couverture a[href="/formations/couverture?departement=94"]`).Length() != 1 {
		t.Errorf("couverture de l'académie par département : %s", d.Find("#tableau-couverture").Text())
	}
	d = doc(t, w.clients["pilote"].get("/formations/couverture?departement=94"))
	if d.Find(`#tableau-couverture a[href="/formations/couverture?circonscription=0940920P&departement=94&par=commune"]`).Length() != 1 {
		t.Errorf("couverture du 94 par circonscription : %s", d.Find("#tableau-couverture").Text())
	}
	d = doc(t, w.clients["ien94"].get("/formations/couverture"))
	if d.Find("#filtre-departement option").Length() != 2 || d.Find("#filtre-circonscription option").Length() != 2 ||
		!strings.Contains(d.Find("#tableau-couverture tbody").Text(), "Villejuif") {
		t.Errorf("filtres de l'IEN : %s", d.Find("form").Text())
	}
	for _, u := range []string{"/formations/couverture.csv?par=vague", "/formations/couverture/ecoles.csv?departement=94"} {
		if rec := w.clients["amif"].get(u); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Total") &&
			!strings.Contains(rec.Body.String(), "0940400Z") {
			t.Errorf("%s : %d %s", u, rec.Code, rec.Body.String())
		}
	}
	if rec := w.clients["ia93"].get("/formations/couverture/ecoles.csv"); strings.Contains(rec.Body.String(), "0940400Z") {
		t.Error("IA 93 : école du 94 exportée")
	}
}
