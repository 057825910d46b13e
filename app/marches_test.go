package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// The scope matrix's case of the markets: one bought by Bobigny, one by Melun, each created
// by the IA-DASEN of its département.
func init() {
	scopeCases[models.EntityMarche] = scopeCase{list: "/marches", exports: []string{"/marches.csv"}, api: "/api/v1/marches",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			r := must(m.s.CreateMarche(t.Context(), m.actors["ia"+dep], models.MarcheInput{Objet: "Marché Mq" + dep,
				Acheteur: "commune", Communes: []string{scopeCommune[dep]}, Procedure: "mapa"}))
			return scopeRecord{marker: "Marché Mq" + dep, page: "/marches/" + idStr(r.ID)}
		}}
	scopeCases[models.EntityCahier] = scopeCase{list: "/cahiers-des-charges", exports: []string{"/cahiers-des-charges.csv"},
		api: "/api/v1/cahiers-des-charges",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			r := must(m.s.CreateCahier(t.Context(), m.actors["ia"+dep], models.CahierInput{Titre: "Cahier Mq" + dep, Departement: dep}))
			return scopeRecord{marker: "Cahier Mq" + dep, page: "/cahiers-des-charges/" + idStr(r.ID)}
		}}
}

// TestMarcheGroupementPages: the IA-DASEN of the 94 creates a groupement de commandes of
// three communes through the form (a missing coordinator comes back beside its field),
// adds a lot, publishes, records two bids, opens the analysis, previews and confirms the
// award of lot 1: the écoles of the three communes carry the solution. The export and the
// API show the market; the 93's IA-DASEN and référent never reach it.
func TestMarcheGroupementPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ia := w.clients["ia94"]
		vendor := must(s.CreateOrganisation(t.Context(), w.sys, models.OrganisationInput{Nom: "Éditeur Val", Kind: models.OrgEditeurENT}))
		sol := must(s.CreateSolution(t.Context(), w.sys, models.SolutionInput{Produit: "ENT Val", Editeur: idStr(vendor.ID)}))
		form := url.Values{"objet": {"ENT des écoles du groupement"}, "acheteur": {"groupement"}, "communes": {"94033, 94046"},
			"procedure": {"ao_ouvert"}, "montant_estime": {"300 000"}}
		rec := ia.post("/marches", form)
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#marche-coordinateur-erreur").Text() == "" {
			t.Fatalf("sans coordonnatrice : %d", rec.Code)
		}
		form.Set("coordinateur", "94028")
		rec = ia.post("/marches", form)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
		}
		page := strings.Split(rec.Header().Get("Location"), "?")[0]
		steps := []struct {
			path string
			form url.Values
		}{
			{"/lots", url.Values{"numero": {"1"}, "intitule": {"Plateforme ENT"}}},
			{"/statut", url.Values{"statut": {"publie"}, "date": {"01/02/2013"}}},
			{"/offres", url.Values{"lot": {""}, "soumissionnaire_id": {idStr(vendor.ID)}, "solution": {idStr(sol.ID)}, "montant": {"250 000"}}},
			{"/offres", url.Values{"lot": {""}, "soumissionnaire": {"Autre éditeur"}, "montant": {"280 000,50"}}},
			{"/statut", url.Values{"statut": {"en_analyse"}}},
		}
		var lot string
		for i, st := range steps {
			st.form.Set("version", idStr(int64(i+1)))
			if st.form.Has("lot") {
				st.form.Set("lot", lot)
			}
			if rec := ia.post(page+st.path, st.form); rec.Code != http.StatusSeeOther {
				t.Fatalf("étape %d %s : %d %s", i, st.path, rec.Code, rec.Body.String())
			}
			if i == 0 {
				m := must(s.GetMarche(t.Context(), models.AcademieScope(), must(strconv.ParseInt(strings.TrimPrefix(page, "/marches/"), 10, 64))))
				lot = idStr(m.Lots[0].ID)
			}
		}
		bad := url.Values{"version": {"6"}, "lot": {lot}, "titulaire": {idStr(vendor.ID)}, "solution": {idStr(sol.ID)},
			"montant": {"12,345"}, "duree_mois": {"36"}, "date_debut": {"01/09/2013"}, "confirmer": {"1"}}
		if rec := ia.post(page+"/attribution", bad); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#attribution-montant-erreur").Text() == "" {
			t.Fatalf("montant ambigu : %d", rec.Code)
		}
		award := url.Values{"version": {"6"}, "lot": {lot}, "titulaire": {idStr(vendor.ID)}, "solution": {idStr(sol.ID)},
			"montant": {"250 000"}, "duree_mois": {"36"}, "date_debut": {"01/09/2013"}, "reconductions": {"1"}}
		rec = ia.post(page+"/attribution", award)
		d := doc(t, rec)
		previewed := d.Find("#tableau-apercu tbody tr").Length()
		if rec.Code != http.StatusOK || previewed < 10 {
			t.Fatalf("aperçu : %d, %d écoles", rec.Code, previewed)
		}
		confirm := url.Values{}
		d.Find("form input[type=hidden]").Each(func(_ int, sel *goquery.Selection) {
			confirm.Set(sel.AttrOr("name", ""), sel.AttrOr("value", ""))
		})
		if rec := ia.post(page+"/attribution", confirm); rec.Code != http.StatusSeeOther {
			t.Fatalf("attribution : %d %s", rec.Code, rec.Body.String())
		}
		d.Find("#tableau-apercu tbody tr td:nth-child(2)").Each(func(_ int, sel *goquery.Selection) {
			dep, err := s.GetDeploiement(t.Context(), models.AcademieScope(), sel.Text())
			if err != nil || dep.SolutionID == nil || *dep.SolutionID != sol.ID {
				t.Errorf("école %s : %+v %v", sel.Text(), dep, err)
			}
		})
		d = doc(t, ia.get(page))
		if !strings.Contains(d.Find("#statut").Text(), "Attribué") || !strings.Contains(d.Find("#attribution-lot-1").Text(), "Éditeur Val, solution ENT Val") {
			t.Fatalf("page du marché : %s", d.Find("main").Text())
		}
		checkMarcheReaders(t, w, page)
	})
}

// checkMarcheReaders checks the export, the API and who reaches the market.
func checkMarcheReaders(t *testing.T, w *world, page string) {
	t.Helper()
	csv := w.clients["pilote"].get("/marches.csv?departement=94&acheteur=groupement").Body.String()
	if !strings.Contains(csv, "ENT des écoles du groupement;94;Groupement de commandes;Créteil;") {
		t.Errorf("export : %s", csv)
	}
	var api struct {
		Total int64 `json:"total"`
		Items []struct {
			Communes []string `json:"communes"`
			Lots     []struct {
				MontantAttribue *int64 `json:"montant_attribue_centimes"`
			} `json:"lots"`
		} `json:"items"`
	}
	if err := json.Unmarshal(w.clients["ia94"].get("/api/v1/marches?statut=attribue").Body.Bytes(), &api); err != nil || api.Total != 1 ||
		len(api.Items[0].Communes) != 3 || *api.Items[0].Lots[0].MontantAttribue != 25000000 {
		t.Errorf("API : %+v %v", api, err)
	}
	carte := doc(t, w.clients["pilote"].get("/marches/carte"))
	if got := strings.Join(carte.Find("#tableau-carte tbody td").Map(func(_ int, s *goquery.Selection) string { return s.Text() }), "|"); !strings.HasPrefix(got, "94|ENT Val|1|3|") {
		t.Errorf("carte : %q", got)
	}
	if doc(t, w.clients["ia93"].get("/marches/carte")).Find("#carte-vide").Length() != 1 {
		t.Errorf("carte du 93 : le marché du 94 y figure")
	}
	for _, who := range []string{"ia93", "referent93"} {
		if rec := w.clients[who].get(page); rec.Code != http.StatusNotFound {
			t.Errorf("%s lit le marché du 94 : %d", who, rec.Code)
		}
		if rec := w.clients[who].post(page+"/statut", url.Values{"version": {"7"}, "statut": {"sans_suite"}}); rec.Code != http.StatusNotFound {
			t.Errorf("%s change le statut : %d", who, rec.Code)
		}
	}
	if rec := w.clients["lecteur"].post(page+"/lots", url.Values{"version": {"7"}, "numero": {"2"}, "intitule": {"X"}}); rec.Code != http.StatusForbidden {
		t.Errorf("un lecteur ajoute un lot : %d", rec.Code)
	}
}

// TestMarcheAdhesionAlertesICS: the référent of Bobigny reads the groupement Bobigny takes
// part in and records Bobigny's adhesion, never Montreuil's; the market's calendar holds
// its key dates; the alerts page lists its deadline and refuses a wrong threshold.
func TestMarcheAdhesionAlertesICS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		m := must(s.CreateMarche(t.Context(), w.actors["ia93"], models.MarcheInput{Objet: "Groupement Bobigny Montreuil",
			Acheteur: "groupement", Coordinateur: "93008", Communes: []string{"93048"}, Procedure: "mapa",
			DatePublication: "01/02/2013", DateLimite: time.Now().AddDate(0, 0, 7).Format("02/01/2006")}))
		m = must(s.ChangeMarcheStatut(t.Context(), w.actors["ia93"], m.ID, m.Version, models.StatutMarcheInput{Statut: "publie"}))
		page, ref := "/marches/"+idStr(m.ID), w.clients["referent93"]
		if d := doc(t, ref.get(page)); d.Find("#commune-93008 form").Length() != 1 || d.Find("#commune-93048 form").Length() != 0 {
			t.Fatalf("formulaires d'adhésion du référent : %d %d", d.Find("#commune-93008 form").Length(), d.Find("#commune-93048 form").Length())
		}
		v := idStr(int64(m.Version))
		if rec := ref.post(page+"/adhesions", url.Values{"version": {v}, "commune": {"93048"}, "date": {"12/02/2013"}}); rec.Code != http.StatusForbidden {
			t.Errorf("adhésion de Montreuil par Bobigny : %d", rec.Code)
		}
		rec := ref.post(page+"/adhesions", url.Values{"version": {v}, "commune": {"93008"}, "date": {"31/02/2013"}})
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#adhesion-93008-date-erreur").Text() == "" {
			t.Errorf("date impossible : %d", rec.Code)
		}
		if rec := ref.post(page+"/adhesions", url.Values{"version": {v}, "commune": {"93008"}, "date": {"12/02/2013"}, "ref": {"DCM-12"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("adhésion de Bobigny : %d %s", rec.Code, rec.Body.String())
		}
		if got := doc(t, ref.get(page)).Find("#commune-93008").Text(); !strings.Contains(got, "12/02/2013") || !strings.Contains(got, "DCM-12") {
			t.Errorf("adhésion affichée : %q", got)
		}
		ics := ref.get(page + "/calendrier.ics").Body.String()
		if !strings.Contains(ics, "UID:marche-"+idStr(m.ID)+"-limite@") || !strings.Contains(ics, "DTSTART;VALUE=DATE:20130201") {
			t.Errorf("calendrier : %s", ics)
		}
		if got := doc(t, w.clients["ia93"].get("/marches/alertes")).Find("#alertes-limite").Text(); !strings.Contains(got, "Groupement Bobigny Montreuil") {
			t.Errorf("alertes : %q", got)
		}
		if got := doc(t, w.clients["ia77"].get("/marches/alertes")).Find("#alertes-limite").Text(); strings.Contains(got, "Groupement") {
			t.Errorf("alertes du 77 : %q", got)
		}
		if rec := w.clients["ia93"].get("/marches/alertes?limite=abc"); rec.Code != http.StatusBadRequest {
			t.Errorf("seuil invalide : %d", rec.Code)
		}
		// The DCE through the document mechanism: the IA-DASEN attaches it, the référent reads
		// it and may not attach one.
		if rec := ref.upload(page+"/documents", "dce.pdf", samplePDF("DCE")); rec.Code != http.StatusForbidden {
			t.Errorf("document déposé par le référent : %d", rec.Code)
		}
		if rec := w.clients["ia93"].upload(page+"/documents", "dce.pdf", samplePDF("DCE"), "description", "DCE"); rec.Code != http.StatusSeeOther {
			t.Fatalf("DCE : %d %s", rec.Code, rec.Body.String())
		}
		if got := doc(t, ref.get(page)).Find("#tableau-documents").Text(); !strings.Contains(got, "dce.pdf") {
			t.Errorf("documents lus par le référent : %q", got)
		}
		checkMarcheEdit(t, w, page)
	})
}

// checkMarcheEdit edits the groupement through its form: an error comes back beside its
// field, a stale version is a conflict, the référent may not open the form.
func checkMarcheEdit(t *testing.T, w *world, page string) {
	t.Helper()
	ia := w.clients["ia93"]
	d := doc(t, ia.get(page+"/modifier"))
	version := d.Find("input[name=version]").AttrOr("value", "")
	if !strings.Contains(d.Find("#marche-coordinateur").AttrOr("value", ""), "93008") || d.Find("#marche-communes-choisis input[name=communes]").AttrOr("value", "") != "93048" || version == "" {
		t.Fatalf("formulaire de modification : version %q", version)
	}
	form := url.Values{"version": {version}, "objet": {"Groupement élargi"}, "acheteur": {"groupement"}, "coordinateur": {"93008"},
		"communes": {"93048, 94028"}, "procedure": {"mapa"}}
	if rec := ia.post(page, form); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#marche-communes-erreur").Text() == "" {
		t.Errorf("communes de deux départements : %d", rec.Code)
	}
	form.Set("communes", "93048, 93010")
	if rec := ia.post(page, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("modification : %d %s", rec.Code, rec.Body.String())
	}
	if rec := ia.post(page, form); rec.Code != http.StatusConflict {
		t.Errorf("version périmée : %d", rec.Code)
	}
	if got := doc(t, ia.get(page)).Find("#tableau-communes").Text(); !strings.Contains(got, "Bondy") {
		t.Errorf("communes après modification : %q", got)
	}
	if rec := w.clients["referent93"].get(page + "/modifier"); rec.Code != http.StatusForbidden {
		t.Errorf("formulaire du référent : %d", rec.Code)
	}
}

// TestMarcheLotCahierPages: the IA-DASEN of the 93 creates the 93's cahier des charges and
// adds a version with its PDF through the forms (a missing number comes back beside its
// field); a market names it; on the lot's page an école of another commune is refused
// beside the écoles; removing the applied award asks for a confirmation that says the
// écoles keep their solution, then reverts them when asked; the personal agenda lists the
// market's key dates, and the 77's IA-DASEN reads neither the cahier nor the lot.
func TestMarcheLotCahierPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ctx, ia, actor := t.Context(), w.clients["ia93"], w.actors["ia93"]
		if rec := ia.post("/cahiers-des-charges", url.Values{"departement": {"93"}}); rec.Code != http.StatusUnprocessableEntity ||
			doc(t, rec).Find("#cahier-titre-erreur").Text() == "" {
			t.Fatalf("cahier sans titre : %d", rec.Code)
		}
		rec := ia.post("/cahiers-des-charges", url.Values{"titre": {"Cahier du 93"}, "departement": {"93"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("cahier : %d %s", rec.Code, rec.Body.String())
		}
		cahier := strings.Split(rec.Header().Get("Location"), "?")[0]
		if rec := ia.upload(cahier+"/versions", "cctp.pdf", samplePDF("CCTP"), "version", "1", "date", "01/09/2012", "resume", "Première"); rec.Code != http.StatusUnprocessableEntity ||
			doc(t, rec).Find("#version-numero-erreur").Text() == "" {
			t.Fatalf("version sans numéro : %d", rec.Code)
		}
		if rec := ia.upload(cahier+"/versions", "cctp.pdf", samplePDF("CCTP"), "version", "1", "numero", "1", "date", "01/09/2012", "resume", "Première"); rec.Code != http.StatusSeeOther {
			t.Fatalf("version : %d %s", rec.Code, rec.Body.String())
		}
		if got := doc(t, ia.get(cahier)).Find("#tableau-versions").Text(); !strings.Contains(got, "cctp.pdf") || !strings.Contains(got, "Première") {
			t.Errorf("versions : %q", got)
		}
		if rec := w.clients["ia77"].get(cahier); rec.Code != http.StatusNotFound {
			t.Errorf("cahier du 93 lu par l'IA du 77 : %d", rec.Code)
		}
		c := must(s.ListCahiers(ctx, actor.Scope, models.CahierFilter{}, models.PageRequest{})).Items[0]
		vendor, sol := marcheSolutionOf(t, w)
		m := must(s.CreateMarche(ctx, actor, models.MarcheInput{Objet: "ENT de Bobigny", Acheteur: "commune", Communes: []string{"93008"},
			Procedure: "mapa", DateLimite: time.Now().AddDate(0, 1, 0).Format("02/01/2006"), CahierVersionID: c.Versions[0].ID}))
		m = must(s.AddLot(ctx, actor, m.ID, m.Version, models.LotInput{Numero: "1", Intitule: "ENT"}))
		for _, st := range []string{"publie", "en_analyse"} {
			m = must(s.ChangeMarcheStatut(ctx, actor, m.ID, m.Version, models.StatutMarcheInput{Statut: st}))
		}
		m, _, err := s.AttribuerLot(ctx, actor, m.ID, m.Version, models.AttributionInput{LotID: m.Lots[0].ID, TitulaireID: vendor,
			SolutionID: sol, Montant: "1 000", DureeMois: "36", DateDebut: "01/09/2013"}, models.DeploiementGuard{})
		if err != nil {
			t.Fatal(err)
		}
		page := "/marches/" + idStr(m.ID)
		if got := doc(t, ia.get(page)).Find("#cahier-marche").Text(); got != "Cahier du 93 — version 1" {
			t.Errorf("cahier du marché : %q", got)
		}
		checkLotPage(t, w, m, page+"/lots/"+idStr(m.Lots[0].ID))
		token := must(s.NewUserCalendar(ctx, actor))
		if events := agendaEvents(t, w.h, "/agenda/"+token+".ics"); events["marche-"+idStr(m.ID)+"-limite@pilotage-ent-1d"] == nil {
			t.Errorf("agenda : pas de date limite du marché parmi %d événements", len(events))
		}
	})
}

// marcheSolutionOf creates a vendor and its ENT solution.
func marcheSolutionOf(t *testing.T, w *world) (int64, int64) {
	vendor := must(w.s.CreateOrganisation(t.Context(), w.sys, models.OrganisationInput{Nom: "Éditeur Est", Kind: models.OrgEditeurENT}))
	sol := must(w.s.CreateSolution(t.Context(), w.sys, models.SolutionInput{Produit: "ENT Est", Editeur: idStr(vendor.ID)}))
	return vendor.ID, sol.ID
}

// checkLotPage corrects the lot's écoles (refused: an école of the 77) and removes its
// award after the confirmation, reverting the écoles.
func checkLotPage(t *testing.T, w *world, m models.MarcheRow, lot string) {
	t.Helper()
	ia, v := w.clients["ia93"], idStr(int64(m.Version))
	if rec := w.clients["ia77"].get(lot); rec.Code != http.StatusNotFound {
		t.Errorf("lot lu par l'IA du 77 : %d", rec.Code)
	}
	d := doc(t, ia.get(lot))
	if d.Find("#ecoles-lot input:checked").Length() == 0 || d.Find("#form-retrait").Length() != 1 {
		t.Fatalf("page du lot : %s", d.Find("main").Text())
	}
	form := url.Values{"version": {v}, "numero": {"1"}, "intitule": {"ENT"}, "ecoles": {"0771234X"}}
	if rec := ia.post(lot, form); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#ecoles-erreur").Text() == "" {
		t.Errorf("école du 77 : %d", rec.Code)
	}
	rec := ia.post(lot+"/retrait", url.Values{"version": {v}})
	if d := doc(t, rec); rec.Code != http.StatusOK || !strings.Contains(d.Find("#effets-retrait").Text(), "gardent") {
		t.Fatalf("confirmation du retrait : %d %s", rec.Code, d.Find("main").Text())
	}
	if rec := w.clients["lecteur"].post(lot+"/retrait", url.Values{"version": {v}, "confirmer": {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("retrait par un lecteur : %d", rec.Code)
	}
	if rec := ia.post(lot+"/retrait", url.Values{"version": {v}, "confirmer": {"1"}, "revenir": {"1"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("retrait : %d %s", rec.Code, rec.Body.String())
	}
	n := 0
	d.Find("#ecoles-lot input").Each(func(_ int, sel *goquery.Selection) {
		if dep, err := w.s.GetDeploiement(t.Context(), models.AcademieScope(), sel.AttrOr("value", "")); err != nil || dep.SolutionID != nil {
			n++
		}
	})
	if got := doc(t, ia.get(marcheHrefOf(m))).Find("#statut").Text(); !strings.Contains(got, "En analyse") || n != 0 {
		t.Errorf("après le retrait : %q, %d écoles avec une solution", got, n)
	}
}

func marcheHrefOf(m models.MarcheRow) string { return "/marches/" + idStr(m.ID) }
