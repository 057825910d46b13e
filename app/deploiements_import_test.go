package app_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// statusCSV is a French status file: a header and one line per école "UAI;phase;date".
func statusCSV(lines ...string) []byte {
	return []byte("UAI;Phase;Date d'effet\r\n" + strings.Join(lines, "\r\n") + "\r\n")
}

// importPreview uploads a status file and returns the preview page.
func importPreview(t *testing.T, fc *formClient, name string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	return fc.upload("/deploiements/import", name, content)
}

// previewCount reads a counter of the preview page.
func previewCount(t *testing.T, rec *httptest.ResponseRecorder, id string) string {
	t.Helper()
	return strings.TrimSpace(doc(t, rec).Find("#" + id).Text())
}

// importConfirm sends the preview's confirmation form.
func importConfirm(t *testing.T, fc *formClient, preview *httptest.ResponseRecorder) *httptest.ResponseRecorder {
	t.Helper()
	lot, ok := doc(t, preview).Find(`#confirmer-import input[name="lot"]`).Attr("value")
	if !ok {
		t.Fatalf("pas de bouton de confirmation : %s", preview.Body.String())
	}
	return fc.post("/deploiements/import/confirmer", url.Values{"lot": {lot}})
}

// TestDeploiementImportPreviewIsApplied: the preview counts what the confirmation does
// (created, changed, unchanged), and re-importing the same file changes nothing.
func TestDeploiementImportPreviewIsApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 4)
		setPhase(t, s, w.actors["pilote"], "pilote", m[0], m[1])
		pilote := w.clients["pilote"]
		file := statusCSV(m[0]+";Ouvert;03/09/2012", m[1]+";pilote;", m[2]+";en déploiement;2012-09-03", m[3]+";;")
		rec := importPreview(t, pilote, "etat.csv", file)
		if rec.Code != http.StatusOK {
			t.Fatalf("aperçu : %d %s", rec.Code, rec.Body.String())
		}
		got := previewCount(t, rec, "nb-creees") + "/" + previewCount(t, rec, "nb-modifiees") + "/" + previewCount(t, rec, "nb-inchangees") + "/" + previewCount(t, rec, "nb-refusees")
		if got != "2/1/1/0" {
			t.Fatalf("aperçu : %s", got)
		}
		if !strings.Contains(doc(t, rec).Find("#import-modifiees").Text(), "Phase : Pilote → Ouvert") {
			t.Fatalf("avant → après absent : %s", doc(t, rec).Find("#import-modifiees").Text())
		}
		before := auditCount(t, w)
		done := importConfirm(t, pilote, rec)
		if done.Code != http.StatusSeeOther {
			t.Fatalf("confirmation : %d %s", done.Code, done.Body.String())
		}
		page := pilote.get(done.Header().Get("Location"))
		if msg := doc(t, page).Find("#import-fait").Text(); !strings.Contains(msg, "2 écoles créées, 1 modifiée, 1 inchangée") {
			t.Fatalf("message : %q", msg)
		}
		if n := auditCount(t, w) - before; n != 3 {
			t.Fatalf("%d événements d'audit, 3 attendus", n)
		}
		if d := must(s.GetDeploiement(t.Context(), w.actors["pilote"].Scope, m[0])); d.Phase != "ouvert" || d.DatePhase.Format("02/01/2006") != "03/09/2012" {
			t.Fatalf("déploiement : %+v", d)
		}
		// The same file again: everything unchanged, nothing written.
		rec = importPreview(t, pilote, "etat.csv", file)
		if got := previewCount(t, rec, "nb-inchangees"); got != "4" {
			t.Fatalf("réimport : %s inchangées", got)
		}
		before = auditCount(t, w)
		if done := importConfirm(t, pilote, rec); done.Code != http.StatusSeeOther || !strings.Contains(done.Header().Get("Location"), "inchangees=4") {
			t.Fatalf("réimport : %d %s", done.Code, done.Header().Get("Location"))
		}
		if n := auditCount(t, w) - before; n != 0 {
			t.Fatalf("réimport : %d événements d'audit", n)
		}
	})
}

// TestDeploiementImportRejected: a bad row rejects the whole file (no confirmation, nothing
// written), with "ligne N, colonne X : …"; an IA of the 93 cannot import a 94 école, by
// the page, a forged confirmation or the command line's function.
func TestDeploiementImportRejected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 2)
		v94 := ecolesIn(t, s, models.EcoleFilter{Departement: "94"}, 1)[0]
		ia93 := w.clients["ia93"]
		rec := importPreview(t, ia93, "etat.csv", statusCSV(m[0]+";ouvert;", m[1]+";fermé;"))
		refus := doc(t, rec).Find("#refus").Text()
		if rec.Code != http.StatusOK || !strings.Contains(refus, "ligne 3, colonne Phase : phase inconnue : « fermé »") ||
			doc(t, rec).Find("#confirmer-import").Length() != 0 {
			t.Fatalf("ligne fautive : %d %q", rec.Code, refus)
		}
		rec = importPreview(t, ia93, "etat.csv", statusCSV(m[0]+";ouvert;", v94+";ouvert;"))
		if refus := doc(t, rec).Find("#refus").Text(); !strings.Contains(refus, "ligne 3, colonne UAI : École hors de votre périmètre") {
			t.Fatalf("école du 94 : %q", refus)
		}
		// A forged lot naming the 94 école: refused by the data layer.
		imp := &seeds.DeploiementsImport{Edits: []models.DeploiementEdit{{UAI: m[0], Phase: "ouvert"}, {UAI: v94, Phase: "ouvert"}},
			Lines: []int{2, 3}, Versions: map[string]int{}}
		lot := must(app.EncodeLotForTest(imp))
		if done := ia93.post("/deploiements/import/confirmer", url.Values{"lot": {lot}}); done.Code != http.StatusForbidden {
			t.Fatalf("lot forgé : %d", done.Code)
		}
		if done := ia93.post("/deploiements/import/confirmer", url.Values{"lot": {"pas-un-lot"}}); done.Code != http.StatusBadRequest {
			t.Fatalf("lot illisible : %d", done.Code)
		}
		// The command line's function, as the IA of the 93.
		_, _, err := seeds.ImportDeploiementsFile(t.Context(), s, w.actors["ia93"], bytes.NewReader(statusCSV(m[0]+";ouvert;", v94+";ouvert;")), -1, false)
		if err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, w); n != 0 {
			t.Fatalf("%d événements d'audit : un import refusé a écrit", n)
		}
	})
}

// TestDeploiementImportRefusals: files too large, zip bombs, files that are no status file,
// readers and an IEN moving waves are refused with a French message, never a 500.
func TestDeploiementImportRefusals(t *testing.T) {
	// The refusals of a file are the HTTP layer's and the reader's: one engine is enough.
	// The limit of a file is set to 1 Mo (50 Mo by default), the same path with bodies that
	// do not cost a minute under the race detector.
	s := dbtest.Quickest().Open(t, true)
	const max = 1 << 20
	w := newWorld(t, s, app.Config{ImportMaxFileSize: max})
	pilote := w.clients["pilote"]
	big := append([]byte("uai;phase\n"), bytes.Repeat([]byte("0930001A;ouvert\n"), max/16+1)...)
	cases := []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"1 Mo", "etat.csv", big, "1 Mo au plus"},
		{"bombe", "etat.xlsx", must(seeds.DeploiementsZipBomb(260)), "dépasserait 256 Mo"},
		{"pdf", "etat.csv", samplePDF("x"), "ni un classeur Excel"},
		{"sans UAI", "etat.csv", []byte("ecole;phase\nx;ouvert\n"), "colonne UAI : colonne absente"},
		{"sans fichier", "", nil, "Choisissez un fichier"},
	}
	for _, c := range cases {
		rec := importPreview(t, pilote, c.file, c.content)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#import-refus").Text(), c.want) {
			t.Errorf("%s : %d %q", c.name, rec.Code, doc(t, rec).Find("#import-refus").Text())
		}
	}
	huge := append(big, bytes.Repeat([]byte("0930001A;ouvert\n"), 1<<20/16+1)...)
	if rec := importPreview(t, pilote, "etat.csv", huge); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Fichier trop volumineux") {
		t.Errorf("corps de plus de 2 Mo : %d", rec.Code)
	}
	if rec := w.clients["lecteur"].get("/deploiements/import"); rec.Code != http.StatusForbidden {
		t.Errorf("lecteur : %d", rec.Code)
	}
	ien := w.clients["ien94"]
	uai := ecolesIn(t, s, models.EcoleFilter{Circonscription: "0940920P"}, 1)[0]
	rec := importPreview(t, ien, "etat.csv", []byte("uai;phase;vague\n"+uai+";ouvert;Aucune\n"))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#import-refus").Text(), "pas leur vague ni leur solution") {
		t.Errorf("IEN et vague : %d %q", rec.Code, doc(t, rec).Find("#import-refus").Text())
	}
	rec = importPreview(t, ien, "etat.csv", []byte("uai;phase\n"+uai+";ouvert\n"))
	if previewCount(t, rec, "nb-creees") != "1" {
		t.Errorf("IEN, phase : %s", rec.Body.String())
	}
}

// TestDeploiementImportXLSXAndConflict: the template downloads and, filled, imports; an
// école changed between the preview and the confirmation refuses the whole import.
func TestDeploiementImportXLSXAndConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := ecolesIn(t, s, models.EcoleFilter{Commune: "93048"}, 2)
		pilote := w.clients["pilote"]
		tpl := pilote.get("/deploiements/import/modele.xlsx")
		if tpl.Code != http.StatusOK {
			t.Fatalf("modèle : %d", tpl.Code)
		}
		wb := must(excelize.OpenReader(bytes.NewReader(tpl.Body.Bytes())))
		for i, u := range m {
			_ = wb.SetCellValue("Écoles", "A"+string(rune('2'+i)), u)
		}
		var buf bytes.Buffer
		if err := wb.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rec := importPreview(t, pilote, "modele.xlsx", buf.Bytes())
		if previewCount(t, rec, "nb-creees") != "2" || previewCount(t, rec, "nb-refusees") != "0" {
			t.Fatalf("modèle rempli : %s", doc(t, rec).Find("main").Text())
		}
		setPhase(t, s, w.actors["ia93"], "etude", m[1])
		done := importConfirm(t, pilote, rec)
		if done.Code != http.StatusConflict || !strings.Contains(doc(t, done).Find("#import-refus").Text(), "1 école a été modifiée depuis l'aperçu") {
			t.Fatalf("conflit : %d %q", done.Code, doc(t, done).Find("#import-refus").Text())
		}
		if _, err := s.GetDeploiement(t.Context(), models.AcademieScope(), m[0]); err == nil {
			t.Fatal("le conflit a écrit")
		}
	})
}
