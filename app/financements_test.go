package app_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// finFixture is the world with a groupement of the 93 (Bobigny and Bondy, fixed shares)
// and a plan of Créteil (94), each with lines.
type finFixture struct {
	*world
	p93, p94 models.FinancementRow
	l93, l94 models.FinancementLigne
}

func newFinFixture(t *testing.T, s *models.Store) finFixture {
	t.Helper()
	fx := finFixture{world: newWorld(t, s, app.Config{})}
	ctx := t.Context()
	fx.p93 = must(s.CreateFinancement(ctx, fx.actors["ia93"], models.FinancementInput{Titre: "Groupement Bobigny-Bondy",
		Portage: models.PortageGroupement, Departement: "93", Communes: "93008 : 60\n93010 : 40", Cle: models.CleParts}))
	fx.p94 = must(s.CreateFinancement(ctx, fx.actors["pilote"], models.FinancementInput{Titre: "=HYPERLINK(\"http://x\")",
		Portage: models.PortageCommune, Departement: "94", Commune: "94028"}))
	lines := []models.LigneInput{
		{Annee: "2012", Financeur: "etat", Nature: "investissement", Prevu: "12 500,50", Realise: "12 000"},
		{Annee: "2013", Financeur: "commune", Nature: "fonctionnement", Prevu: "3 000"},
		{Annee: "2013", Financeur: "etat", Nature: "investissement", Prevu: "0,10"},
	}
	for i, in := range lines {
		l93 := must(s.AddLigne(ctx, fx.actors["pilote"], fx.p93.ID, in))
		l94 := must(s.AddLigne(ctx, fx.actors["pilote"], fx.p94.ID, in))
		if i == 0 {
			fx.l93, fx.l94 = l93, l94
		}
	}
	return fx
}

func TestFinancementScopeThroughEveryRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		ia93 := fx.clients["ia93"]
		p94, l94 := "/financements/"+idStr(fx.p94.ID), "/lignes/"+idStr(fx.l94.ID)
		for _, path := range []string{p94, p94 + ".xlsx", p94 + "/modifier", p94 + "/realises", p94 + l94 + "/modifier"} {
			if rec := ia93.get(path); rec.Code != http.StatusNotFound {
				t.Errorf("IA 93 GET %s : %d, attendu 404", path, rec.Code)
			}
		}
		line := url.Values{"annee": {"2014"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"1"}, "version": {"1"}}
		for _, path := range []string{p94, p94 + "/archiver", p94 + "/restaurer", p94 + "/lignes", p94 + l94, p94 + l94 + "/supprimer", p94 + "/realises",
			"/financements/" + idStr(fx.p93.ID) + l94} {
			if rec := ia93.post(path, line); rec.Code != http.StatusNotFound {
				t.Errorf("IA 93 POST %s : %d, attendu 404", path, rec.Code)
			}
		}
		if n := rows(doc(t, ia93.get("/financements")), "#tableau-financements"); n != 1 {
			t.Errorf("IA 93 voit %d plans, attendu 1", n)
		}
		if n := rows(doc(t, fx.clients["lecteur"].get("/financements")), "#tableau-financements"); n != 2 {
			t.Errorf("le lecteur voit %d plans, attendu 2", n)
		}
		var body struct {
			Total int64
			Items []struct {
				ID            int64
				PrevuCentimes int64 `json:"prevu_centimes"`
				Lignes        []struct{ ID int64 }
				Totaux        []struct {
					Annee         int
					Financeur     string
					PrevuCentimes int64 `json:"prevu_centimes"`
				}
			}
		}
		rec := ia93.get("/api/v1/financements")
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Total != 1 || len(body.Items) != 1 || body.Items[0].ID != fx.p93.ID {
			t.Fatalf("API vue de l'IA 93 : %s (%v)", rec.Body.String(), err)
		}
		if it := body.Items[0]; it.PrevuCentimes != 1550060 || len(it.Lignes) != 3 || len(it.Totaux) != 3 || it.Totaux[0].PrevuCentimes != 1250050 {
			t.Errorf("API : %+v", it)
		}
		for _, ext := range []string{".xlsx", ".csv"} {
			var data [][]string
			rec := ia93.get("/financements" + ext)
			if ext == ".xlsx" {
				_, data = readXLSX(t, ext, rec.Body.Bytes())
			} else {
				_, data = readCSV(t, ext, rec.Body.Bytes())
			}
			if len(data) != 1 || data[0][0] != idStr(fx.p93.ID) {
				t.Errorf("export %s de l'IA 93 : %v", ext, data)
			}
		}
	})
}

func TestFinancementReferentActualAmounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		bob := fx.clients["referent93"]
		p93 := "/financements/" + idStr(fx.p93.ID)
		if rec := bob.get("/financements/" + idStr(fx.p94.ID)); rec.Code != http.StatusNotFound {
			t.Errorf("référent de Bobigny sur Créteil : %d", rec.Code)
		}
		// The groupement Bobigny-Bondy is shared: its amounts are not the référent's.
		page := doc(t, bob.get(p93))
		if page.Find("#lien-realises").Length() != 0 || page.Find("#lien-modifier").Length() != 0 || page.Find("#formulaire-ligne").Length() != 0 ||
			!strings.Contains(page.Find("#plan-partage").Text(), "partagé entre 2 communes") {
			t.Errorf("page du référent sur un plan partagé : boutons inattendus")
		}
		// Bobigny's own plan, with the same lines: the référent enters its actual amounts.
		own, first := bobignyOwnPlan(t, s, fx)
		pown := "/financements/" + idStr(own)
		enterActualAmount(t, s, bob, own, first)
		referentWritesRefused(t, s, fx, pown, first.ID)
	})
}

// bobignyOwnPlan creates Bobigny's own plan, with three lines, and returns it and its
// first line.
func bobignyOwnPlan(t *testing.T, s *models.Store, fx finFixture) (int64, models.FinancementLigne) {
	t.Helper()
	own, err := s.CreateFinancement(t.Context(), fx.actors["pilote"], models.FinancementInput{Titre: "Bobigny seule",
		Portage: models.PortageCommune, Departement: "93", Commune: "93008"})
	if err != nil {
		t.Fatal(err)
	}
	var first models.FinancementLigne
	for i, in := range []models.LigneInput{
		{Annee: "2012", Financeur: "etat", Nature: "investissement", Prevu: "12 500,50", Realise: "12 000"},
		{Annee: "2013", Financeur: "commune", Nature: "fonctionnement", Prevu: "3 000"},
		{Annee: "2013", Financeur: "etat", Nature: "investissement", Prevu: "0,10"},
	} {
		l, err := s.AddLigne(t.Context(), fx.actors["pilote"], own.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = l
		}
	}
	return own.ID, first
}

// enterActualAmount has the référent of Bobigny (bob) enter the actual amount of the first
// line of their own plan: an ambiguous amount is refused and kept, then one is saved.
func enterActualAmount(t *testing.T, s *models.Store, bob *formClient, own int64, first models.FinancementLigne) {
	t.Helper()
	pown := "/financements/" + idStr(own)
	page := doc(t, bob.get(pown))
	if page.Find("#lien-realises").Length() != 1 || page.Find("#lien-modifier").Length() != 0 || page.Find("#plan-partage").Length() != 0 {
		t.Errorf("page du référent : boutons inattendus")
	}
	rec := bob.get(pown + "/realises")
	if rec.Code != http.StatusOK || doc(t, rec).Find("#formulaire-realises input[name^=realise-]").Length() != 3 {
		t.Fatalf("formulaire des réalisés : %d", rec.Code)
	}
	key := idStr(first.ID)
	rec = bob.post(pown+"/realises", url.Values{"realise-" + key: {"12,345"}, "version-" + key: {idStr(int64(first.Version))}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("réalisé ambigu : %d", rec.Code)
	}
	d := doc(t, rec)
	if msg := d.Find("#realise-" + key + "-erreur").Text(); !strings.Contains(msg, "ambigu") {
		t.Errorf("message : %q", msg)
	}
	if v, _ := d.Find("#realise-" + key).Attr("value"); v != "12,345" {
		t.Errorf("saisie non conservée : %q", v)
	}
	rec = bob.post(pown+"/realises", url.Values{"realise-" + key: {"11 999,99"}, "version-" + key: {idStr(int64(first.Version))}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("réalisés : %d %s", rec.Code, rec.Body.String())
	}
	if l, _ := s.GetLigne(t.Context(), models.AcademieScope(), own, first.ID); l.RealiseCentimes == nil || *l.RealiseCentimes != 1199999 {
		t.Errorf("réalisé : %+v", l)
	}
	if !strings.Contains(doc(t, bob.get(pown)).Find("#ligne-"+key).Text(), "11\u202f999,99\u202f€") {
		t.Errorf("montant mal affiché")
	}
}

// referentWritesRefused checks everything else is refused to the référent (403), and
// nothing changes: the shared plan's actual amounts and lines, the lines (first) of their
// own plan pown, the plans.
func referentWritesRefused(t *testing.T, s *models.Store, fx finFixture, pown string, first int64) {
	t.Helper()
	bob, p93 := fx.clients["referent93"], "/financements/"+idStr(fx.p93.ID)
	key := idStr(fx.l93.ID)
	if rec := bob.post(p93+"/realises", url.Values{"realise-" + key: {"1"}, "version-" + key: {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("référent saisit un réalisé du plan partagé : %d", rec.Code)
	}
	form := url.Values{"annee": {"2014"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"1"}, "version": {"2"}}
	for _, path := range []string{p93 + "/lignes", p93 + "/lignes/" + key, p93 + "/lignes/" + key + "/supprimer", p93 + "/archiver",
		pown + "/lignes/" + idStr(first), pown + "/lignes/" + idStr(first) + "/supprimer"} {
		if rec := bob.post(path, form); rec.Code != http.StatusForbidden {
			t.Errorf("référent POST %s : %d, attendu 403", path, rec.Code)
		}
	}
	if rec := bob.post(p93, url.Values{"titre": {"x"}, "portage": {"commune"}, "departement": {"93"}, "commune": {"93008"}, "version": {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("référent modifie le plan : %d", rec.Code)
	}
	if rec := fx.clients["lecteur"].post(p93+"/realises", url.Values{"realise-" + key: {"1"}, "version-" + key: {"2"}}); rec.Code != http.StatusForbidden {
		t.Errorf("lecteur saisit un réalisé : %d", rec.Code)
	}
	if p, _ := s.GetFinancementPlan(t.Context(), models.AcademieScope(), fx.p93.ID); len(p.Lignes) != 3 || p.Titre != "Groupement Bobigny-Bondy" {
		t.Errorf("plan changé : %d lignes, %q", len(p.Lignes), p.Titre)
	}
}

func TestFinancementFormsValidationAndConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		p := fx.clients["pilote"]
		rec := p.post("/financements", url.Values{"titre": {""}, "portage": {"groupement"}, "departement": {"93"}, "cle": {"parts"},
			"communes": {"93008 : 60\n93010 : 30"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("plan invalide : %d", rec.Code)
		}
		d := doc(t, rec)
		if !strings.Contains(d.Find("#plan-titre-erreur").Text(), "obligatoire") || !strings.Contains(d.Find("#plan-communes-erreur").Text(), "100 %") {
			t.Errorf("messages : %q %q", d.Find("#plan-titre-erreur").Text(), d.Find("#plan-communes-erreur").Text())
		}
		p60, _ := d.Find("#plan-communes-part-93008").Attr("value")
		p30, _ := d.Find("#plan-communes-part-93010").Attr("value")
		if p60 != "60" || p30 != "30" || !strings.Contains(d.Find("#plan-communes-choisis").Text(), "Bobigny (93008)") {
			t.Errorf("communes saisies non conservées : %q %q %q", p60, p30, d.Find("#plan-communes-choisis").Text())
		}
		rec = p.post("/financements", url.Values{"titre": {"Bondy seule"}, "portage": {"commune"}, "departement": {"93"}, "commune": {"93010"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d", rec.Code)
		}
		plan := strings.TrimSuffix(rec.Header().Get("Location"), "?fait=creation")
		rec = p.post(plan+"/lignes", url.Values{"annee": {"2012"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"12,345"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("ligne invalide : %d", rec.Code)
		}
		d = doc(t, rec)
		if msg := d.Find("#ligne-prevu-erreur").Text(); msg != "Montant ambigu : écrivez 12 345 ou 12,35." {
			t.Errorf("message : %q", msg)
		}
		if v, _ := d.Find("#ligne-prevu").Attr("value"); v != "12,345" {
			t.Errorf("montant saisi non conservé : %q", v)
		}
		if rec := p.post(plan+"/lignes", url.Values{"annee": {"2012"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"0"}, "realise": {"0"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("ligne à 0 : %d", rec.Code)
		}
		// Lost update of the plan: the second save of the same version gets the conflict page.
		form := url.Values{"titre": {"Groupement Bobigny-Bondy"}, "portage": {"groupement"}, "departement": {"93"}, "cle": {"eleves"},
			"communes": {"93008, 93010"}, "version": {idStr(int64(fx.p93.Version))}}
		path := "/financements/" + idStr(fx.p93.ID)
		if rec := p.post(path, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d %s", rec.Code, rec.Body.String())
		}
		form.Set("titre", "Écrasant")
		rec = fx.clients["pilote2"].post(path, form)
		if rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("mise à jour perdue : %d", rec.Code)
		}
		// Lost update of a line.
		lform := url.Values{"annee": {"2012"}, "type_annee": {"scolaire"}, "financeur": {"etat"}, "nature": {"investissement"}, "prevu": {"1"},
			"version": {idStr(int64(fx.l93.Version))}}
		lpath := path + "/lignes/" + idStr(fx.l93.ID)
		if rec := p.post(lpath, lform); rec.Code != http.StatusSeeOther {
			t.Fatalf("ligne modifiée : %d", rec.Code)
		}
		if rec := fx.clients["pilote2"].post(lpath, lform); rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("ligne, mise à jour perdue : %d", rec.Code)
		}
		if rec := p.get(lpath + "/modifier"); rec.Code != http.StatusOK || doc(t, rec).Find(`#formulaire-ligne input[name="version"]`).Length() != 1 {
			t.Errorf("formulaire de ligne : %d", rec.Code)
		}
		if rec := p.post(path+"/archiver", nil); rec.Code != http.StatusSeeOther || p.get(path).Code != http.StatusNotFound {
			t.Errorf("archivage : %d", rec.Code)
		}
		if rec := p.post(path+"/restaurer", nil); rec.Code != http.StatusSeeOther || p.get(path).Code != http.StatusOK {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}

func TestFinancementPageAndExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		p := fx.clients["pilote"]
		checkPlanPage(t, p, fx.p93.ID)
		checkFinancementExportsEqualList(t, p)
		checkPlanWorkbook(t, p, fx.p94)
	})
}

// checkPlanPage checks the page of the plan id: totals, lines, the chart and table by
// year, and the communes' shares.
func checkPlanPage(t *testing.T, p *formClient, id int64) {
	t.Helper()
	d := doc(t, p.get("/financements/"+idStr(id)))
	if got := d.Find("#total-prevu").Text(); got != "15\u202f500,60\u202f€" {
		t.Errorf("total prévu : %q", got)
	}
	if n := rows(d, "#tableau-lignes"); n != 3 {
		t.Errorf("%d lignes affichées", n)
	}
	if d.Find("#graphique-annees rect").Length() != 3 || rows(d, "#tableau-annees") != 3 {
		t.Errorf("graphique ou tableau par année incomplet")
	}
	shares := d.Find("#tableau-communes tbody tr").Map(func(_ int, r *goquery.Selection) string { return r.Find("td").Last().Prev().Text() })
	if !slices.Equal(shares, []string{"9\u202f300,36\u202f€", "6\u202f200,24\u202f€"}) {
		t.Errorf("parts des communes : %q", shares)
	}
}

// checkFinancementExportsEqualList checks the list's exports equal the filtered list.
func checkFinancementExportsEqualList(t *testing.T, p *formClient) {
	t.Helper()
	for _, query := range []string{"", "?departement=94", "?portage=groupement", "?commune=93010", "?annee=2013", "?q=bobigny", "?epci=200057875"} {
		var onScreen []string
		doc(t, p.get("/financements"+query)).Find("#tableau-financements tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) {
			onScreen = append(onScreen, strings.TrimPrefix(a.AttrOr("href", ""), "/financements/"))
		})
		for _, ext := range []string{".xlsx", ".csv"} {
			rec := p.get("/financements" + ext + query)
			var data [][]string
			if ext == ".xlsx" {
				_, data = readXLSX(t, query, rec.Body.Bytes())
			} else {
				_, data = readCSV(t, query, rec.Body.Bytes())
			}
			var ids []string
			for _, r := range data {
				ids = append(ids, r[0])
			}
			if !slices.Equal(ids, onScreen) {
				t.Errorf("%s%s : export %v, écran %v", ext, query, ids, onScreen)
			}
		}
	}
	if rec := p.get("/financements?annee=12"); rec.Code != http.StatusBadRequest {
		t.Errorf("année invalide : %d", rec.Code)
	}
}

// checkPlanWorkbook checks the plan's workbook: lines, a year × funder summary with a
// native chart, the plan, with amounts and shares as numbers.
func checkPlanWorkbook(t *testing.T, p *formClient, plan models.FinancementRow) {
	t.Helper()
	rec := p.get("/financements/" + idStr(plan.ID) + ".xlsx")
	if rec.Code != http.StatusOK {
		t.Fatalf("classeur : %d", rec.Code)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Lignes", "Synthèse", "Plan"}) {
		t.Errorf("feuilles : %v", got)
	}
	hl, _, lines := sheetTable(t, f, "Lignes")
	hs, _, summary := sheetTable(t, f, "Synthèse")
	if len(lines) != 3 || len(summary) != 3 { // 3 lines; 2 years + total
		t.Errorf("lignes %d, synthèse %d", len(lines), len(summary))
	}
	amount := "F" + strconv.Itoa(hl+1)
	if typ, _ := f.GetCellType("Lignes", amount); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("montant de type %v", typ)
	}
	if v, _ := f.GetCellValue("Lignes", amount, excelize.Options{RawCellValue: true}); v != "12500.5" {
		t.Errorf("montant : %q", v)
	}
	if st, _ := f.GetCellStyle("Lignes", amount); st == 0 {
		t.Errorf("montant sans format €")
	}
	if v, _ := f.GetCellValue("Synthèse", "D"+strconv.Itoa(hs+3), excelize.Options{RawCellValue: true}); v != "15500.6" {
		t.Errorf("total de la synthèse : %q (%v)", v, summary)
	}
	title, _ := f.GetCellValue("Plan", "A1")
	formula, _ := f.GetCellFormula("Plan", "A1")
	if typ, _ := f.GetCellType("Plan", "A1"); !strings.HasPrefix(title, "Plan de financement — "+plan.Titre+" — ") || formula != "" || typ == excelize.CellTypeFormula {
		t.Errorf("titre commençant par = : %q, formule %q", title, formula)
	}
	// The share of the key is a percentage, a number: not the text "60 %".
	hp, header, communes := sheetTable(t, f, "Plan")
	part := "C" + strconv.Itoa(hp+1)
	raw, _ := f.GetCellValue("Plan", part, excelize.Options{RawCellValue: true})
	if share, err := strconv.ParseFloat(raw, 64); header[2] != "Part de la clé" || err != nil || share <= 0 || share > 1 {
		t.Errorf("part de la clé %q (%v) : %v", raw, err, communes)
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 1 {
		t.Errorf("%d graphiques dans le classeur, attendu 1", charts)
	}
}
