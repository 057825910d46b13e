package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// usageConfirm sends the confirmation form of a statistics preview.
func usageConfirm(t *testing.T, fc *formClient, preview *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	t.Helper()
	d := doc(t, preview)
	lot, ok := d.Find(`#confirmer-import-usages input[name="lot"]`).Attr("value")
	if !ok {
		t.Fatalf("pas de bouton de confirmation : %s", preview.Body.String())
	}
	return fc.post("/usages/import/confirmer", url.Values{"lot": {lot}, "nom": {d.Find(`#confirmer-import-usages input[name="nom"]`).AttrOr("value", "")}})
}

// TestUsageImportJourney: an IA-DASEN of the 93 uploads the platform's export through the
// real router, sees the preview (the rows of the other départements and without UAI
// skipped, with their lines), confirms it, finds it in the history; the pilote re-imports
// the file (replacing); undoing the IA's import is refused until the pilote's is undone;
// the other roles neither import nor undo; a faulty file and an empty one are refused in
// French.
func TestUsageImportJourney(t *testing.T) {
	sample, err := os.ReadFile("../seeds/testdata/one_statistiques_extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	file := append(sample, `"Projet ONE";"";"2025-11-01T00:00";"Élève";"1";"1";"1";"1"`+"\n"...)
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ia93, pilote := w.clients["ia93"], w.clients["pilote"]
		pages := newW3CPagesOrNil(t)
		look := func(name string, rec *httptest.ResponseRecorder) {
			t.Helper()
			checkPageRules(t, name, doc(t, rec))
			pages.add(name, rec.Body.Bytes())
		}
		for who, code := range map[string]int{"ia93": 200, "pilote": 200, "lecteur": 403, "ien94": 403} {
			if rec := w.clients[who].get("/usages/import"); rec.Code != code {
				t.Fatalf("%s : formulaire %d, %d attendu", who, rec.Code, code)
			}
		}
		if rec := w.clients["ien94"].upload("/usages/import", "f.csv", file); rec.Code != http.StatusForbidden {
			t.Fatalf("aperçu d'un IEN : %d", rec.Code)
		}
		look("/usages/import", ia93.get("/usages/import"))
		rec := ia93.upload("/usages/import", "export-stats-accounts.csv", file)
		if rec.Code != http.StatusOK {
			t.Fatalf("aperçu : %d %s", rec.Code, rec.Body.String())
		}
		look("aperçu", rec)
		got := previewCount(t, rec, "periode") + "/" + previewCount(t, rec, "nb-lignes") + "/" + previewCount(t, rec, "nb-ecoles") + "/" +
			previewCount(t, rec, "nb-remplacees") + "/" + previewCount(t, rec, "nb-ignorees")
		if got != "de novembre 2025 à décembre 2025/20/2/0/21" {
			t.Fatalf("aperçu : %s", got)
		}
		skipped := doc(t, rec).Find("#lignes-ignorees tbody").Text()
		for _, want := range []string{"structure sans UAI", "42", "Projet ONE", "hors de votre département", "12 à 21, 32 à 41", "0940164T École élémentaire Irène Joliot-Curie A"} {
			if !strings.Contains(skipped, want) {
				t.Fatalf("lignes ignorées : %q sans %q", skipped, want)
			}
		}
		done := usageConfirm(t, ia93, rec)
		if done.Code != http.StatusSeeOther {
			t.Fatalf("confirmation : %d %s", done.Code, done.Body.String())
		}
		hist, err := s.ListUsageImports(t.Context(), w.actors["ia93"], 10)
		if err != nil || len(hist) != 1 || hist[0].Lignes != 20 || hist[0].Fichier != "export-stats-accounts.csv" {
			t.Fatalf("historique : %+v %v", hist, err)
		}
		first := hist[0].ID
		page := ia93.get(done.Header().Get("Location"))
		if msg := doc(t, page).Find("#import-fait").Text(); !strings.Contains(msg, fmt.Sprintf("Import n° %d enregistré", first)) {
			t.Fatalf("message : %q", msg)
		}
		look("/usages/imports", page)
		if row := doc(t, page).Find(fmt.Sprintf("#import-%d", first)).Text(); !strings.Contains(row, "export-stats-accounts.csv") || !strings.Contains(row, "Annuler cet import") {
			t.Fatalf("ligne de l'historique : %q", row)
		}

		rec = pilote.upload("/usages/import", "export-stats-accounts.csv", sample)
		if n := previewCount(t, rec, "nb-remplacees"); n != "20" {
			t.Fatalf("réimport : %s remplacées", n)
		}
		if done := usageConfirm(t, pilote, rec); done.Code != http.StatusSeeOther {
			t.Fatalf("réimport : %d", done.Code)
		}
		second := first + 1
		if rec := ia93.get(fmt.Sprintf("/usages/imports/%d/annuler", first)); rec.Code != http.StatusOK || doc(t, rec).Find("#confirmer-annulation").Length() != 1 {
			t.Fatalf("page d'annulation : %d", rec.Code)
		}
		look("annulation", ia93.get(fmt.Sprintf("/usages/imports/%d/annuler", first)))
		rec = ia93.post(fmt.Sprintf("/usages/imports/%d/annuler", first), nil)
		if msg := doc(t, rec).Find("#annulation-refus").Text(); rec.Code != http.StatusConflict || !strings.Contains(msg, fmt.Sprintf("l'import n° %d", second)) {
			t.Fatalf("annulation d'un import remplacé depuis : %d %q", rec.Code, msg)
		}
		if rec := w.clients["ia94"].post(fmt.Sprintf("/usages/imports/%d/annuler", first), nil); rec.Code != http.StatusNotFound {
			t.Fatalf("annulation par l'IA 94 : %d", rec.Code)
		}
		if rec := w.clients["lecteur"].get("/usages/imports"); rec.Code != http.StatusForbidden {
			t.Fatalf("historique d'un lecteur : %d", rec.Code)
		}
		for _, step := range []struct {
			fc *formClient
			id int64
		}{{pilote, second}, {ia93, first}} {
			rec := step.fc.post(fmt.Sprintf("/usages/imports/%d/annuler", step.id), nil)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("annulation de %d : %d %s", step.id, rec.Code, rec.Body.String())
			}
		}
		page = pilote.get("/usages/imports")
		if row := doc(t, page).Find(fmt.Sprintf("#import-%d", first)).Text(); !strings.Contains(row, "annulé le") || !strings.Contains(row, "Compte ia93") {
			t.Fatalf("import annulé : %q", row)
		}

		rec = ia93.upload("/usages/import", "f.csv", []byte(strings.Replace(string(sample), `"473"`, `"-473"`, 1)))
		if msg := doc(t, rec).Find("#erreurs").Text(); !strings.Contains(msg, "ligne 5, colonne Connexions") || doc(t, rec).Find("#confirmer-import-usages").Length() != 0 {
			t.Fatalf("fichier fautif : %q", msg)
		}
		look("aperçu fautif", rec)
		rec = ia93.upload("/usages/import", "vide.csv", nil)
		if msg := doc(t, rec).Find("#import-refus").Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, "le fichier est vide") {
			t.Fatalf("fichier vide : %d %q", rec.Code, msg)
		}
		if rec := ia93.post("/usages/import/confirmer", url.Values{"lot": {"abc"}}); rec.Code != http.StatusBadRequest {
			t.Fatalf("lot illisible : %d", rec.Code)
		}
		pages.check()
	})
}

// TestUsageImportTooLarge refuses a file over 50 Mo in French, next to the form.
func TestUsageImportTooLarge(t *testing.T) {
	s := dbtest.Quickest().Open(t, true)
	w := newWorld(t, s, app.Config{})
	big := make([]byte, seeds.MaxUsagesFileSize+1)
	rec := w.clients["pilote"].upload("/usages/import", "gros.csv", big)
	if msg := doc(t, rec).Find("#import-refus").Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, "50 Mo au plus") {
		t.Fatalf("fichier de plus de 50 Mo : %d %q", rec.Code, msg)
	}
}
