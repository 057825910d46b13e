package app_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// TestFicheCommune: on the demonstration, the fiche of Bobigny tells its écoles (as many as
// the commune has), its conventions in force, the financing plans with the commune's
// share, the training of its écoles opened and whom to ask, in sections that match the
// module's own figures; the IA of the 94 and the référent of Bobigny for another commune
// get 404; the lecteur reads it without any person named.
func TestFicheCommune(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	w := newWorld(t, s, app.Config{})
	ctx := t.Context()
	commune := must(s.GetCommune(ctx, models.AcademieScope(), "93008"))
	ent := must(s.ListDeploiements(ctx, models.AcademieScope(), models.DeploiementFilter{Commune: "93008"}, models.PageRequest{Size: models.MaxPageSize}))
	hors := 0
	for _, e := range ent.Items {
		if !e.InProgramme() {
			hors++
		}
	}
	convs := must(s.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{Commune: "93008", Statut: models.StatutEnVigueur}, models.PageRequest{}))
	for _, name := range []string{"pilote", "ia93", "referent93", "lecteur"} {
		rec := w.clients[name].get("/communes/93008/fiche")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s : %d", name, rec.Code)
		}
		d := doc(t, rec)
		listed, others := d.Find("#tableau-fiche-ecoles tbody tr").Length(), digits(d.Find("#fiche-hors-programme").Text())
		if listed != len(ent.Items)-hors || others != hors || listed+others != commune.NbEcoles {
			t.Errorf("%s : %d écoles listées et %d hors programme, la commune en a %d dont %d hors programme", name, listed, others, commune.NbEcoles, hors)
		}
		if n := d.Find("#fiche-conventions + ul li").Length(); n != int(convs.Total) {
			t.Errorf("%s : %d conventions en vigueur, attendu %d", name, n, convs.Total)
		}
		for _, id := range []string{"#fiche-financement", "#fiche-formation", "#fiche-prochaine-etape", "#fiche-contacts"} {
			if d.Find(id).Length() != 1 {
				t.Errorf("%s : section %s absente", name, id)
			}
		}
		if strings.Contains(rec.Body.String(), "@") {
			t.Errorf("%s : une adresse électronique figure sur la fiche", name)
		}
	}
	for name, path := range map[string]string{"ia94": "/communes/93008/fiche", "referent93": "/communes/93048/fiche", "ien94": "/communes/93008/fiche"} {
		if rec := w.clients[name].get(path); rec.Code != http.StatusNotFound {
			t.Errorf("%s, %s : %d, attendu 404", name, path, rec.Code)
		}
	}
	if s.Dialect() == models.SQLite {
		w3c := newW3CPages(t)
		w3c.add("/communes/93008/fiche", w.clients["pilote"].get("/communes/93008/fiche").Body.Bytes())
		w3c.check()
	}
}

// TestFichesWorkbooks: the fiche of Bobigny as a workbook (one sheet, its écoles in the
// programme); the batch of the EPT Est Ensemble for the AMIF (a summary with one row per
// commune, then one sheet each, figures as numbers); the IA of the 93 asking for the 94
// gets a French refusal; a wrong INSEE code is named next to the field.
func TestFichesWorkbooks(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	w := newWorld(t, s, app.Config{})
	f := fichesXLSX(t, w.clients["pilote"].get("/communes/93008/fiche.xlsx"))
	if sheets := f.GetSheetList(); len(sheets) != 1 || !strings.HasPrefix(sheets[0], "93008 Bobigny") {
		t.Fatalf("feuilles de la fiche : %v", sheets)
	}
	codes := must(s.FicheCodes(t.Context(), models.AcademieScope(), models.FichesFilter{EPCI: "200057875"}))
	batch := fichesXLSX(t, w.clients["amif"].get("/communes/fiches.xlsx?epci=200057875"))
	if sheets := batch.GetSheetList(); len(codes) < 2 || len(sheets) != len(codes)+1 || sheets[0] != "Synthèse" {
		t.Fatalf("feuilles du lot : %v pour %d communes", sheets, len(codes))
	}
	rows := must(batch.GetRows("Synthèse"))
	var found int
	for i, r := range rows {
		if len(r) > 4 && slices.Contains(codes, r[1]) {
			found++
			if typ, _ := batch.GetCellType("Synthèse", "D"+strconv.Itoa(i+1)); typ == excelize.CellTypeSharedString {
				t.Errorf("population en texte : %v", r)
			}
		}
	}
	if found != len(codes) {
		t.Errorf("synthèse : %d communes sur %d", found, len(codes))
	}
	// The same batch as a ZIP: one workbook per commune, named after it, each one sheet.
	rec := w.clients["amif"].get("/communes/fiches.zip?epci=200057875")
	z, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil || rec.Code != http.StatusOK || len(z.File) != len(codes) {
		t.Fatalf("archive des fiches : %d, %v", rec.Code, err)
	}
	for i, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "fiche-"+codes[i]+"-") || !strings.HasSuffix(zf.Name, ".xlsx") {
			t.Errorf("fichier %d de l'archive : %s", i, zf.Name)
		}
		r, _ := zf.Open()
		one, err := excelize.OpenReader(r)
		if err != nil || len(one.GetSheetList()) != 1 || !strings.HasPrefix(one.GetSheetList()[0], codes[i]) {
			t.Errorf("%s : %v", zf.Name, err)
		}
	}
	if rec := w.clients["ia93"].get("/communes/fiches.zip?departement=94"); rec.Code != http.StatusBadRequest {
		t.Errorf("IA 93, archive des fiches du 94 : %d", rec.Code)
	}
	if rec := w.clients["ia93"].get("/communes/fiches.xlsx?departement=94"); rec.Code != http.StatusBadRequest ||
		!strings.Contains(doc(t, rec).Find("#filtre-departement-erreur").Text(), "Aucune commune de votre périmètre") {
		t.Errorf("IA 93, fiches du 94 : %d", rec.Code)
	}
	if rec := w.clients["pilote"].get("/communes/fiches?communes=93008,9300X"); rec.Code != http.StatusBadRequest ||
		!strings.Contains(doc(t, rec).Find("#fiches-communes-erreur").Text(), "« 9300X » n'est pas un code INSEE") {
		t.Errorf("code INSEE faux : %d", rec.Code)
	}
}

// fichesXLSX opens the workbook a request answered (200 required).
func fichesXLSX(t *testing.T, rec *httptest.ResponseRecorder) *excelize.File {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("classeur : %d %s", rec.Code, rec.Body.String())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}
