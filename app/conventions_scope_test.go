package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

func TestConventionScopeAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		c94 := fx.create(t, fx.clients["ia94"], url.Values{"type": {"locale"}, "reference": {"CRE-94-2012-007"}, "titre": {"Convention de Créteil"},
			"departement": {"94"}, "parent": {idStr(fx.dep94)}, "communes": {"94028"}})
		c93 := fx.locale(t, "CRE-93-2012-014")
		ia := fx.clients["ia93"]
		conventionOutOfIAScope(t, s, fx, c94)
		conventionAbsentForIA(t, fx, c94, c93)
		conventionReadOnlyRoles(t, fx, c93)
		// Archives: archived, then restored.
		p := fx.clients["pilote"]
		if rec := p.post(fx.path(fx.dep93, "/archiver"), nil); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("archiver une convention avec des conventions rattachées : %d", rec.Code)
		}
		if rec := ia.post(fx.path(c93, "/archiver"), nil); rec.Code != http.StatusSeeOther || ia.get(fx.path(c93, "")).Code != http.StatusNotFound {
			t.Fatalf("archivage : %d", rec.Code)
		}
		if d := doc(t, ia.get("/conventions/archives")); d.Find("#tableau-archives tbody tr").Length() != 1 {
			t.Errorf("archives : %s", d.Text())
		}
		if rec := ia.post(fx.path(c93, "/restaurer"), nil); rec.Code != http.StatusSeeOther || ia.get(fx.path(c93, "")).Code != http.StatusOK {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}

// conventionOutOfIAScope checks the IA 93 gets 404 on every page and form of the 94's
// convention c94, which stays as it was.
func conventionOutOfIAScope(t *testing.T, s *models.Store, fx convFixture, c94 int64) {
	t.Helper()
	ia := fx.clients["ia93"]
	for _, path := range []string{"", "/modifier", "/annexe"} {
		if rec := ia.get(fx.path(c94, path)); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 GET %s : %d, attendu 404", fx.path(c94, path), rec.Code)
		}
	}
	for path, form := range map[string]url.Values{
		"":                   {"type": {"locale"}, "reference": {"CRE-94-2012-007"}, "titre": {"pirate"}, "departement": {"94"}, "parent": {idStr(fx.dep94)}, "communes": {"94028"}, "version": {"1"}},
		"/statut":            {"vers": {"negociation"}},
		"/annexe":            {"ecoles": {"0940001A"}},
		"/parties":           {"organisation": {idStr(fx.rectorat)}},
		"/parties/1":         {"organisation": {idStr(fx.rectorat)}},
		"/parties/1/retirer": nil,
		"/avenants":          {"objet": {"autre"}},
		"/archiver":          nil,
		"/restaurer":         nil,
	} {
		if rec := ia.post(fx.path(c94, path), form); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 POST %s : %d, attendu 404", fx.path(c94, path), rec.Code)
		}
	}
	if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), c94); cv.Titre != "Convention de Créteil" || cv.Statut != models.StatutBrouillon {
		t.Errorf("convention du 94 modifiée : %+v", cv.Convention)
	}
}

// conventionAbsentForIA checks the 94's convention c94 is absent from the IA 93's list,
// exports and API, where their c93 is.
func conventionAbsentForIA(t *testing.T, fx convFixture, c94, c93 int64) {
	t.Helper()
	ia := fx.clients["ia93"]
	// Absent from the IA 93's list, export and API.
	d := doc(t, ia.get("/conventions"))
	if d.Find(`#tableau-conventions a[href="/conventions/`+idStr(c94)+`"]`).Length() != 0 || d.Find(`#tableau-conventions a[href="/conventions/`+idStr(c93)+`"]`).Length() != 1 {
		t.Errorf("registre de l'IA 93 : %s", d.Find("#tableau-conventions tbody").Text())
	}
	if n := rows(d, "#tableau-conventions"); n != 3 { // cadre, départementale 93, Bobigny
		t.Errorf("IA 93 voit %d conventions, attendu 3", n)
	}
	_, data := readCSV(t, "csv", ia.get("/conventions.csv").Body.Bytes())
	for _, row := range data {
		if row[1] == "CRE-94-2012-007" || row[1] == "CRE-94-2012-001" {
			t.Errorf("export de l'IA 93 avec une convention du 94 : %v", row)
		}
	}
	if len(data) != 3 {
		t.Errorf("export CSV de l'IA 93 : %d lignes", len(data))
	}
	rec := ia.get("/conventions.xlsx")
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte("CRE-94-2012-007")) {
		t.Errorf("export Excel de l'IA 93 : %d", rec.Code)
	}
	var api struct {
		Total int64
		Items []struct{ Reference string }
	}
	if err := json.Unmarshal(ia.get("/api/v1/conventions").Body.Bytes(), &api); err != nil || api.Total != 3 {
		t.Errorf("API de l'IA 93 : %+v %v", api, err)
	}
	for _, it := range api.Items {
		if strings.HasPrefix(it.Reference, "CRE-94") {
			t.Errorf("API de l'IA 93 : %s", it.Reference)
		}
	}
}

// conventionReadOnlyRoles checks the IA 94 may not create in the 93, and read-only roles
// get 403 on every write to c93 and on the form.
func conventionReadOnlyRoles(t *testing.T, fx convFixture, c93 int64) {
	t.Helper()
	// The IA 94 may not create in the 93; read-only roles get 403 on writes.
	rec := fx.clients["ia94"].post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-099"}, "titre": {"x"},
		"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}})
	if rec.Code != http.StatusForbidden && rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("IA 94 crée dans le 93 : %d", rec.Code)
	}
	for _, name := range []string{"lecteur", "amif"} {
		c := fx.clients[name]
		if rec := c.get(fx.path(c93, "")); rec.Code != http.StatusOK || doc(t, rec).Find("#lien-modifier").Length() != 0 {
			t.Errorf("%s sur la convention : %d, ou « Modifier » proposé", name, rec.Code)
		}
		rec := c.post("/conventions", url.Values{"type": {"departementale"}, "reference": {"CRE-77-2012-001"}, "titre": {"77"},
			"departement": {"77"}, "parent": {idStr(fx.cadre)}})
		if rec.Code != http.StatusForbidden || doc(t, rec).Find("#refus, #formulaire-ferme").Length() != 1 {
			t.Errorf("%s crée une convention : %d", name, rec.Code)
		}
		for path, form := range map[string]url.Values{
			"/statut":   {"vers": {"negociation"}},
			"/parties":  {"organisation": {idStr(fx.rectorat)}},
			"/annexe":   {"ecoles": {}},
			"/avenants": {"objet": {"autre"}},
			"/archiver": nil,
			"":          {"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {"x"}, "departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}, "version": {"1"}},
		} {
			if rec := c.post(fx.path(c93, path), form); rec.Code != http.StatusForbidden {
				t.Errorf("%s POST %s : %d, attendu 403", name, path, rec.Code)
			}
		}
		if rec := c.get("/conventions/nouveau"); rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("%s sur le formulaire : %d", name, rec.Code)
		}
	}
}

func TestConventionFormValidationAndConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		long := strings.Repeat("a", 10000)
		rec := ia.post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {""}, "objet": {long},
			"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}, "expiration": {"31/02/2012"}, "preavis": {"99"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("saisie invalide : %d", rec.Code)
		}
		d := doc(t, rec)
		for _, sel := range []string{"#convention-titre-erreur", "#convention-objet-erreur", "#convention-expiration-erreur", "#convention-preavis-erreur"} {
			if strings.TrimSpace(d.Find(sel).Text()) == "" {
				t.Errorf("pas de message %s", sel)
			}
		}
		if v := d.Find("#convention-objet").Text(); len(v) != 10000 {
			t.Errorf("objet saisi non conservé (%d caractères)", len(v))
		}
		if v := d.Find("#convention-expiration").AttrOr("value", ""); v != "31/02/2012" {
			t.Errorf("date saisie non conservée : %q", v)
		}
		id := fx.create(t, ia, url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {"<script>alert(1)</script>"},
			"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}})
		show := ia.get(fx.path(id, ""))
		if strings.Contains(show.Body.String(), "<script>alert(1)</script>") || !strings.Contains(show.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("titre non échappé")
		}
		// Duplicate reference.
		rec = ia.post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {"Doublon"},
			"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}})
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#convention-reference-erreur").Length() != 1 {
			t.Errorf("référence en double : %d", rec.Code)
		}
		// Lost update: two pilotes edit the same version.
		edit := doc(t, fx.clients["pilote"].get(fx.path(id, "/modifier")))
		version := edit.Find(`input[name="version"]`).AttrOr("value", "")
		form := func(titre string) url.Values {
			return url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-014"}, "titre": {titre}, "departement": {"93"},
				"parent": {idStr(fx.dep93)}, "communes": {"93008"}, "version": {version}}
		}
		if rec := fx.clients["pilote"].post(fx.path(id, ""), form("Convention de Bobigny")); rec.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		rec = fx.clients["pilote2"].post(fx.path(id, ""), form("Version écrasante"))
		if rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("mise à jour perdue : %d", rec.Code)
		}
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id); cv.Titre != "Convention de Bobigny" {
			t.Errorf("titre écrasé : %q", cv.Titre)
		}
		// Filters refused with their messages.
		if rec := ia.get("/conventions?statut=inconnu&commune=xx&echeance=12"); rec.Code != http.StatusBadRequest {
			t.Errorf("filtres invalides : %d", rec.Code)
		}
	})
}

func TestConventionConcurrentSignature(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		fx.toSignature(t, ia, id)
		fx.signedParties(t, ia, id)
		a, b := fx.clients["pilote"], fx.clients["pilote2"]
		a.get("/conventions")
		b.get("/conventions")
		var wg sync.WaitGroup
		codes := make([]int, 2)
		bodies := make([]string, 2)
		for i, c := range []*formClient{a, b} {
			wg.Add(1)
			go func(i int, c *formClient) {
				defer wg.Done()
				rec := c.post(fx.path(id, "/statut"), url.Values{"vers": {"signee"}})
				codes[i], bodies[i] = rec.Code, rec.Body.String()
			}(i, c)
		}
		wg.Wait()
		ok, refused := 0, 0
		for i, code := range codes {
			switch {
			case code == http.StatusSeeOther:
				ok++
			case code == http.StatusUnprocessableEntity && strings.Contains(bodies[i], "Signée"):
				refused++
			default:
				t.Errorf("signature concurrente : %d %s", code, errorTexts(bodies[i]))
			}
		}
		if ok != 1 || refused != 1 {
			t.Errorf("signatures concurrentes : %v", codes)
		}
		cv, err := s.GetConvention(t.Context(), models.AcademieScope(), id)
		if err != nil || cv.Statut != models.StatutSignee {
			t.Fatalf("statut : %s %v", cv.Statut, err)
		}
		n := 0
		for _, tr := range cv.Transitions {
			if tr.Vers == models.StatutSignee {
				n++
			}
		}
		events, err := s.History(t.Context(), models.SystemActor("test"), "convention", idStr(id))
		if err != nil {
			t.Fatal(err)
		}
		audits := 0
		for _, e := range events {
			if e.Action == "transition" && strings.Contains(e.Changes, "Signée") {
				audits++
			}
		}
		if n != 1 || audits != 1 {
			t.Errorf("%d transitions et %d événements d'audit vers « signée », attendu 1 et 1", n, audits)
		}
	})
}

func TestConventionRegistryExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		fx.locale(t, "CRE-93-2012-015")
		choices, err := s.AnnexChoices(t.Context(), models.AcademieScope(), id)
		if err != nil || len(choices) < 3 {
			t.Fatalf("écoles : %v", err)
		}
		if rec := ia.post(fx.path(id, "/annexe"), url.Values{"ecoles": {choices[0].UAI, choices[1].UAI}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("annexe : %d", rec.Code)
		}
		fx.toSignature(t, ia, id)
		fx.signedParties(t, ia, id)
		if rec := ia.post(fx.path(id, "/parties"), url.Values{"organisation": {idStr(fx.form)}, "signataire": {"=1+1"}, "date_signature": {"03/04/2012"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("partie « = » : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		fx.move(t, ia, id, http.StatusSeeOther, "vers", "signee")
		if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"extension_annexe"}, "ecoles": {choices[2].UAI}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("avenant : %d", rec.Code)
		}
		for _, c := range []struct {
			query string
			rows  int
		}{{"", 4}, {"?type=locale", 2}, {"?q=2012-014", 1}, {"?commune=93008", 2}, {"?partie=" + idStr(fx.form), 1}, {"?statut=signee", 1}} {
			d := doc(t, ia.get("/conventions"+c.query))
			if n := rows(d, "#tableau-conventions"); n != c.rows {
				t.Errorf("registre%s : %d lignes, attendu %d", c.query, n, c.rows)
			}
			rec := ia.get("/conventions.xlsx" + c.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("xlsx%s : %d", c.query, rec.Code)
			}
			f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Conventions", "Avenants", "Annexe écoles", "Parties et signatures"}
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("feuilles : %v", got)
			}
			_, _, all := sheetTable(t, f, "Conventions")
			if len(all) != c.rows {
				t.Errorf("xlsx%s : %d conventions, attendu %d", c.query, len(all), c.rows)
			}
			_, csvRows := readCSV(t, c.query, ia.get("/conventions.csv"+c.query).Body.Bytes())
			if len(csvRows) != c.rows {
				t.Errorf("csv%s : %d lignes, attendu %d", c.query, len(csvRows), c.rows)
			}
			if c.query == "?q=2012-014" {
				checkConventionWorkbook(t, f)
			}
			f.Close()
		}
		// The API gives the details.
		var api struct {
			Total int64
			Items []struct {
				Reference string
				Parties   []struct{ Organisation string }
				Avenants  []struct{ Numero int }
				Annexe    []struct {
					UAI           string
					AvenantNumero *int `json:"avenant_numero"`
				}
			}
		}
		if err := json.Unmarshal(ia.get("/api/v1/conventions?q=2012-014").Body.Bytes(), &api); err != nil || api.Total != 1 || len(api.Items) != 1 {
			t.Fatalf("API : %+v %v", api, err)
		}
		if it := api.Items[0]; len(it.Parties) != 3 || len(it.Avenants) != 1 || len(it.Annexe) != 3 {
			t.Errorf("API détails : %+v", it)
		}
	})
}

// checkConventionWorkbook checks the cells of the workbook of one signed convention with an
// extension avenant: numbers as numbers, dates as dates, a name starting with "=" as text.
func checkConventionWorkbook(t *testing.T, f *excelize.File) {
	t.Helper()
	_, header, _ := sheetTable(t, f, "Conventions")
	col := func(sheet, name string, row int) string { // row: the data row, from 1
		h, hs, _ := sheetTable(t, f, sheet)
		for i, hd := range hs {
			if hd == name {
				cell, _ := excelize.CoordinatesToCellName(i+1, h+row)
				return cell
			}
		}
		t.Fatalf("colonne %q absente de %s (%v)", name, sheet, header)
		return ""
	}
	for _, name := range []string{"Écoles de l'annexe", "Élèves de l'annexe", "Avenants", "Communes"} {
		cell := col("Conventions", name, 1)
		if typ, _ := f.GetCellType("Conventions", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s : type %v", name, typ)
		}
		if v, _ := f.GetCellValue("Conventions", cell, excelize.Options{RawCellValue: true}); v == "" || strings.Trim(v, "0123456789") != "" {
			t.Errorf("%s : %q n'est pas un nombre", name, v)
		}
	}
	for _, name := range []string{"Date de délibération", "Date de signature"} {
		cell := col("Conventions", name, 1)
		raw, _ := f.GetCellValue("Conventions", cell, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("Conventions", cell)
		styleID, _ := f.GetCellStyle("Conventions", cell)
		style, _ := f.GetStyle(styleID)
		if strings.Trim(raw, "0123456789.") != "" || style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != "dd/mm/yyyy" {
			t.Errorf("%s : %q (%q) n'est pas une date", name, raw, shown)
		}
	}
	if v, _ := f.GetCellValue("Conventions", col("Conventions", "Date de délibération", 1)); v != "15/03/2012" {
		t.Errorf("date de délibération affichée : %q", v)
	}
	ph, _, parties := sheetTable(t, f, "Parties et signatures")
	found := false
	for r, row := range parties {
		if len(row) > 1 && strings.HasPrefix(row[1], "=HYPERLINK") {
			found = true
			cell, _ := excelize.CoordinatesToCellName(2, ph+1+r)
			if formula, _ := f.GetCellFormula("Parties et signatures", cell); formula != "" {
				t.Errorf("nom « = » devenu formule : %q", formula)
			}
			if typ, _ := f.GetCellType("Parties et signatures", cell); typ == excelize.CellTypeNumber || typ == excelize.CellTypeFormula {
				t.Errorf("nom « = » de type %v", typ)
			}
		}
	}
	if !found || len(parties) != 3 {
		t.Errorf("parties : %v", parties)
	}
	_, _, annex := sheetTable(t, f, "Annexe écoles")
	_, _, avenants := sheetTable(t, f, "Avenants")
	if len(annex) != 3 || len(avenants) != 1 {
		t.Errorf("annexe %d lignes, avenants %d lignes", len(annex), len(avenants))
	}
	byAvenant := 0
	for _, row := range annex {
		if len(row) > 6 && row[6] == "1" {
			byAvenant++
		}
	}
	if byAvenant != 1 {
		t.Errorf("école ajoutée par l'avenant n° 1 : %d (%v)", byAvenant, annex)
	}
	elevesCell := col("Annexe écoles", "Élèves", 1)
	if typ, _ := f.GetCellType("Annexe écoles", elevesCell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("élèves de l'annexe : type %v", typ)
	}
}
