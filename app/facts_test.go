package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// Facts the pages must not get wrong: a convention past its expiry is échue, a day has no
// time, a convention's page lists the plans that cover its communes, a commune's page says
// which adoption covers it, a référent enters amounts only on their own commune's plan.

// inForceLocale creates a local convention of commune under the 93's départementale, signed
// and in force from 01/09/2020, expiring on expiry.
func (fx convFixture) inForceLocale(t *testing.T, ref, commune, expiry string) int64 {
	t.Helper()
	ia := fx.clients["ia93"]
	id := fx.create(t, ia, url.Values{"type": {"locale"}, "reference": {ref}, "titre": {"ENT de " + commune},
		"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {commune}, "expiration": {expiry}, "renouvellement": {"avenant"}})
	fx.toSignature(t, ia, id)
	fx.signedParties(t, ia, id)
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "signee")
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "en_vigueur", "date", "01/09/2020")
	return id
}

// TestConventionPastExpiryThroughPages: Bobigny's convention "en vigueur" that expired on
// 31/08/2024 shows "Échue" on its page (with no move but none), in the registry's filter, the
// API and the count of communes without a convention in force, before the daily run records
// it; a move to "en vigueur" before the entry into force is refused with a 422.
func TestConventionPastExpiryThroughPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		bobigny := fx.inForceLocale(t, "CRE-93-2012-014", "93008", "31/08/2024")
		bondy := fx.inForceLocale(t, "CRE-93-2012-015", "93010", "31/08/2030")
		page := doc(t, ia.get(fx.path(bobigny, "")))
		if got := page.Find("#statut-convention").Text(); got != "Échue (expirée le 31/08/2024)" {
			t.Errorf("statut de la convention expirée : %q", got)
		}
		if page.Find("#echeance-passee").Length() != 1 || page.Find(`form[id^="transition-"]`).Length() != 0 {
			t.Errorf("page d'une convention expirée : explication %d, formulaires %d", page.Find("#echeance-passee").Length(),
				page.Find(`form[id^="transition-"]`).Length())
		}
		body := fx.move(t, ia, bobigny, http.StatusUnprocessableEntity, "vers", "resiliee", "date", "01/09/2024", "motif", "Trop tard")
		if !strings.Contains(body, "définitif") {
			t.Errorf("résiliation d'une convention échue : %s", errorTexts(body))
		}
		echueInListsAndExports(t, ia)
		// 39 communes in the 93, one in force (Bondy): 38 without, Bobigny among them.
		if txt := doc(t, ia.get("/")).Find("#alertes-conventions").Text(); !strings.Contains(txt, "38 communes sans convention en vigueur") {
			t.Errorf("accueil : %q", strings.Join(strings.Fields(txt), " "))
		}
		if txt := doc(t, ia.get("/conventions/alertes")).Find("#tableau-communes-sans-convention").Text(); !strings.Contains(txt, "Bobigny") || strings.Contains(txt, "Bondy") {
			t.Errorf("communes sans convention en vigueur : %q", strings.Join(strings.Fields(txt), " "))
		}
		expiryRecordedByDailyRun(t, s, fx, bobigny, bondy)
		inForceTooEarly(t, fx)
	})
}

// echueInListsAndExports checks the registry's status filter, the API and the exports
// of the IA 93 (ia) show Bobigny échue and Bondy in force.
func echueInListsAndExports(t *testing.T, ia *formClient) {
	t.Helper()
	registry := func(query string) []string {
		var out []string
		doc(t, ia.get("/conventions?type=locale&"+query)).Find("#tableau-conventions tbody tr").Each(func(_ int, r *goquery.Selection) {
			out = append(out, strings.Join(strings.Fields(r.Text()), " "))
		})
		return out
	}
	if got := registry("statut=en_vigueur"); len(got) != 1 || !strings.Contains(got[0], "CRE-93-2012-015") {
		t.Errorf("registre, en vigueur : %q", got)
	}
	if got := registry("statut=echue"); len(got) != 1 || !strings.Contains(got[0], "CRE-93-2012-014") || !strings.Contains(got[0], "Échue") {
		t.Errorf("registre, échues : %q", got)
	}
	var api struct {
		Items []struct {
			Reference string `json:"reference"`
			Statut    string `json:"statut"`
			DateFin   string `json:"date_fin"`
		} `json:"items"`
	}
	if err := json.Unmarshal(ia.get("/api/v1/conventions?type=locale&sort=reference").Body.Bytes(), &api); err != nil || len(api.Items) != 2 ||
		api.Items[0].Statut != "echue" || api.Items[0].DateFin != "2024-08-31" || api.Items[1].Statut != "en_vigueur" {
		t.Errorf("API : %+v (%v)", api.Items, err)
	}
	for _, ext := range []string{".csv", ".xlsx"} {
		var data [][]string
		if rec := ia.get("/conventions" + ext + "?type=locale&statut=echue"); ext == ".csv" {
			_, data = readCSV(t, ext, rec.Body.Bytes())
		} else {
			_, data = readXLSX(t, ext, rec.Body.Bytes())
		}
		if len(data) != 1 || !slices.Contains(data[0], "CRE-93-2012-014") || !slices.Contains(data[0], "Échue") {
			t.Errorf("export %s des échues : %v", ext, data)
		}
	}
}

// expiryRecordedByDailyRun runs the daily expiry: the timeline of bobigny says who and why,
// the page no longer explains; bondy stays in force.
func expiryRecordedByDailyRun(t *testing.T, s *models.Store, fx convFixture, bobigny, bondy int64) {
	t.Helper()
	ia := fx.clients["ia93"]
	// The daily run records it: the timeline says who and why, the page no longer explains.
	if moved, err := s.ExpireConventions(t.Context()); err != nil || !slices.Equal(moved, []string{"CRE-93-2012-014"}) {
		t.Fatalf("échéance quotidienne : %v (%v)", moved, err)
	}
	page := doc(t, ia.get(fx.path(bobigny, "")))
	if txt := page.Find("#tableau-chronologie").Text(); !strings.Contains(txt, "système (échéance quotidienne)") || !strings.Contains(txt, "Échue automatiquement") {
		t.Errorf("chronologie : %q", strings.Join(strings.Fields(txt), " "))
	}
	if page.Find("#echeance-passee").Length() != 0 || page.Find("#statut-convention").Text() != "Échue (expirée le 31/08/2024)" {
		t.Errorf("après l'enregistrement : %q", page.Find("#statut-convention").Text())
	}
	if got := doc(t, ia.get(fx.path(bondy, ""))).Find("#statut-convention").Text(); got != "En vigueur" {
		t.Errorf("Bondy : %q", got)
	}
}

// inForceTooEarly checks "En vigueur" before the day of entry into force is refused: 422,
// the message beside the date, the status unchanged.
func inForceTooEarly(t *testing.T, fx convFixture) {
	t.Helper()
	ia := fx.clients["ia93"]
	// "En vigueur" before the day of entry into force: 422, the message beside the date.
	id := fx.create(t, ia, url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-016"}, "titre": {"ENT de Pantin"},
		"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93055"}, "expiration": {"31/08/2035"}, "renouvellement": {"avenant"}})
	fx.toSignature(t, ia, id)
	fx.signedParties(t, ia, id)
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "signee")
	later := time.Now().AddDate(0, 3, 0).Format("02/01/2006")
	body := fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "en_vigueur", "date", later)
	d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if msg := d.Find("#transition-en_vigueur-date-erreur").Text(); !strings.Contains(msg, "n'entre en vigueur que le "+later) {
		t.Errorf("en vigueur avant la date : %q", msg)
	}
	if got := d.Find("#statut-convention").Text(); got != "Signée" {
		t.Errorf("statut après le refus : %q", got)
	}
}

// TestPagesShowDaysWithoutTime: the days of a convention (signature, entry into force,
// expiry, avenant) and a member's mandate are printed as days, never "à 01:00"/"à 02:00".
func TestPagesShowDaysWithoutTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		id := fx.inForceLocale(t, "CRE-93-2012-014", "93008", "15/02/2027")
		if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"prolongation"}, "nouvelle_expiration": {"15/02/2029"},
			"date_signature": {"03/03/2016"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("avenant : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		// The sections holding days only (the timeline and the history hold timestamps).
		d := doc(t, ia.get(fx.path(id, "")))
		days := d.Find("#fiche-convention, #etat-convention, #tableau-parties, #tableau-avenants").Text()
		for _, bad := range []string{"à 01:00", "à 02:00", "à 00:00"} {
			if strings.Contains(days, bad) {
				t.Errorf("la page de la convention contient %q : %q", bad, strings.Join(strings.Fields(days), " "))
			}
		}
		for _, day := range []string{"15/02/2027", "15/02/2029", "01/09/2020", "02/04/2012", "03/03/2016"} {
			if !strings.Contains(days, day) {
				t.Errorf("la page de la convention ne montre pas le %s", day)
			}
		}
		// The alerts (and the preparation of a meeting) print the day a convention expires.
		soon := time.Now().AddDate(0, 0, 45).Format("02/01/2006")
		fx.inForceLocale(t, "CRE-93-2012-015", "93010", soon)
		for _, path := range []string{"/conventions?type=locale", "/conventions/alertes"} {
			body := ia.get(path).Body.String()
			if !strings.Contains(body, soon) {
				t.Errorf("%s ne montre pas le %s", path, soon)
			}
			for _, day := range []string{"15/02/2029", soon} {
				if strings.Contains(body, day+" à") {
					t.Errorf("%s : %s avec une heure", path, day)
				}
			}
		}
		// A body's members: "membre depuis le 01/05/2011", without a time.
		ctx, pilote := t.Context(), fx.actors["pilote"]
		body, err := s.CreateInstance(ctx, pilote, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil})
		if err != nil {
			t.Fatal(err)
		}
		contact, err := s.CreateContact(ctx, pilote, models.ContactInput{OrganisationID: fx.rectorat, Nom: "Martin", Prenom: "Camille", Fonction: "DANE"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AddMember(ctx, pilote, body.ID, models.MemberInput{ContactID: contact.ID, Role: "membre", Debut: "01/05/2011", Fin: "31/08/2027"}); err != nil {
			t.Fatal(err)
		}
		rec := fx.clients["pilote"].get("/instances/" + idStr(body.ID))
		members := doc(t, rec).Find("#tableau-membres").Text()
		if !strings.Contains(members, "01/05/2011") || !strings.Contains(members, "31/08/2027") {
			t.Errorf("membres : %q", strings.Join(strings.Fields(members), " "))
		}
		for _, bad := range []string{"à 01:00", "à 02:00", "à 00:00"} {
			if strings.Contains(rec.Body.String(), "01/05/2011 "+bad) || strings.Contains(members, bad) {
				t.Errorf("membre depuis le 01/05/2011 %s", bad)
			}
		}
	})
}

// TestConventionPageListsPlansCoveringItsCommunes: Bobigny's convention page lists the plan
// of Bobigny attached to the département's convention, saying how it covers it.
func TestConventionPageListsPlansCoveringItsCommunes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		if got := doc(t, ia.get(fx.path(id, ""))).Find("#section-financements .section__contenu > p + p").Text(); !strings.Contains(got, "Aucun plan") {
			t.Errorf("sans plan : %q", got)
		}
		rec := ia.post("/financements", url.Values{"titre": {"ENT des écoles de Bobigny"}, "portage": {"commune"}, "departement": {"93"},
			"commune": {"93008"}, "convention": {idStr(fx.dep93)}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("plan : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		got := strings.Join(strings.Fields(doc(t, ia.get(fx.path(id, ""))).Find("#liste-financements").Text()), " ")
		if !strings.Contains(got, "ENT des écoles de Bobigny") || !strings.Contains(got, "Rattaché à la convention parente CRE-93-2012-001 ; plan de la commune de Bobigny.") {
			t.Errorf("plans de la convention de Bobigny : %q", got)
		}
	})
}

// TestCommunePageSaysWhichAdoptionCoversIt: Bobigny adopted v1; Est Ensemble adopted v2
// (in force) for its member communes: Bobigny's page and its adoptions say it is covered by
// Est Ensemble's adoption, as the coverage counts it.
func TestCommunePageSaysWhichAdoptionCoversIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, sys := t.Context(), models.SystemActor("test")
		h := newServer(t, s)
		var versions []int64
		for _, v := range []models.CharteInput{{Numero: "1", Date: "15/03/2011", Statut: models.CharteAdoptee},
			{Numero: "2", Date: "15/03/2014", Statut: models.CharteAdoptee}} {
			cv, err := s.CreateCharte(ctx, sys, v)
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, cv.ID)
		}
		for _, in := range []models.AdoptionInput{
			{CharteVersionID: versions[0], Commune: "93008", Ref: "DEL-2011-07", Date: "20/06/2011"},
			{CharteVersionID: versions[1], EPCI: "200057875", CouvreMembres: true, Ref: "EE-2015-03", Date: "12/03/2015"},
		} {
			if _, err := s.CreateAdoption(ctx, sys, in); err != nil {
				t.Fatal(err)
			}
		}
		want := "Couverte par l'adoption de l'EPT Est Ensemble pour ses communes membres, charte v2, délibération du 12/03/2015 (EE-2015-03)"
		d := doc(t, get(t, h, "/communes/93008"))
		if got := strings.Join(strings.Fields(d.Find("#couverture-charte").Text()), " "); !strings.Contains(got, want) || !strings.HasPrefix(got, "couverte") {
			t.Errorf("fiche de Bobigny : %q", got)
		}
		if n := d.Find("#adoptions-commune li").Length(); n != 2 {
			t.Errorf("fiche de Bobigny : %d adoptions", n)
		}
		list := doc(t, get(t, h, "/adoptions?commune=93008"))
		if n := rows(list, "#tableau-adoptions"); n != 2 || !strings.Contains(list.Find("#tableau-adoptions caption").Text(), want) {
			t.Errorf("adoptions de Bobigny : %d, légende %q", n, list.Find("#tableau-adoptions caption").Text())
		}
		if got := d.Find("#couverture-charte").Text(); strings.Contains(got, "non couverte") {
			t.Errorf("fiche de Bobigny : %q", got)
		}
	})
}

// TestFinancementReferentOfBobignyThroughRouter: the référent of Bobigny enters nothing on a
// plan shared between nine communes (403, and the page says who does), and on Bobigny's own
// plan, which stops at 2016-2017, adds the lines of the current and next school years.
func TestFinancementReferentOfBobignyThroughRouter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFinFixture(t, s)
		ctx, bob := t.Context(), fx.clients["referent93"]
		ee, own, eeLine, ownLine := bobignyPlansTo2016(t, s, fx.actors["pilote"])
		cur := models.SchoolYearOf(time.Now())
		line := url.Values{"annee": {strconv.Itoa(cur)}, "type_annee": {"scolaire"}, "financeur": {"commune"}, "nature": {"fonctionnement"}, "prevu": {"12 000"}}
		sharedPlanRefused(t, s, bob, ee, eeLine, line)
		// Bobigny's own plan: the actual amounts, and the current and next school years.
		ownPath := "/financements/" + idStr(own)
		d := doc(t, bob.get(ownPath))
		if d.Find("#plan-partage").Length() != 0 || d.Find("#lien-realises").Length() != 1 {
			t.Errorf("plan de Bobigny : lien des réalisés absent")
		}
		offered := offeredYears(d)
		if want := []string{strconv.Itoa(cur), strconv.Itoa(cur + 1)}; !slices.Equal(offered, want) {
			t.Errorf("années offertes au référent : %v, attendu %v", offered, want)
		}
		key := idStr(ownLine.ID)
		if rec := bob.post(ownPath+"/realises", url.Values{"realise-" + key: {"9 500"}, "version-" + key: {"1"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("réalisé du plan de Bobigny : %d", rec.Code)
		}
		for _, y := range []int{cur, cur + 1} {
			line.Set("annee", strconv.Itoa(y))
			if rec := bob.post(ownPath+"/lignes", line); rec.Code != http.StatusSeeOther {
				t.Errorf("ligne %d du plan de Bobigny : %d %s", y, rec.Code, errorTexts(rec.Body.String()))
			}
		}
		line.Set("annee", "2015")
		if rec := bob.post(ownPath+"/lignes", line); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(doc(t, rec).Find("#ligne-annee-erreur").Text(), "les autres années") {
			t.Errorf("ligne 2015 par le référent : %d", rec.Code)
		}
		if p, _ := s.GetFinancementPlan(ctx, models.AcademieScope(), own); len(p.Lignes) != 7 {
			t.Errorf("plan de Bobigny : %d lignes, attendu 7", len(p.Lignes))
		}
		// Whoever writes the plan is offered its first year to the next school year.
		offered = offeredYears(doc(t, fx.clients["pilote"].get(ownPath)))
		if len(offered) == 0 || offered[0] != "2012" || !slices.Contains(offered, strconv.Itoa(cur+1)) {
			t.Errorf("années offertes au pilote : %v", offered)
		}
	})
}

// bobignyPlansTo2016 creates the plan shared by Est Ensemble's communes and Bobigny's own,
// each with a line a year from 2012 to 2016, and returns them and their last lines.
func bobignyPlansTo2016(t *testing.T, s *models.Store, pilote models.Actor) (ee, own int64, eeLine, ownLine models.FinancementLigne) {
	t.Helper()
	ctx := t.Context()
	eePlan, err := s.CreateFinancement(ctx, pilote, models.FinancementInput{Titre: "Est Ensemble, ENT mutualisé",
		Portage: models.PortageIntercommunalite, Departement: "93", EPCI: "200057875", Cle: models.CleEleves})
	if err != nil {
		t.Fatal(err)
	}
	ownPlan, err := s.CreateFinancement(ctx, pilote, models.FinancementInput{Titre: "ENT des écoles de Bobigny",
		Portage: models.PortageCommune, Departement: "93", Commune: "93008"})
	if err != nil {
		t.Fatal(err)
	}
	for y := 2012; y <= 2016; y++ {
		in := models.LigneInput{Annee: strconv.Itoa(y), TypeAnnee: "scolaire", Financeur: "commune", Nature: "fonctionnement", Prevu: "10 000"}
		if eeLine, err = s.AddLigne(ctx, pilote, eePlan.ID, in); err != nil {
			t.Fatal(err)
		}
		if ownLine, err = s.AddLigne(ctx, pilote, ownPlan.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return eePlan.ID, ownPlan.ID, eeLine, ownLine
}

// sharedPlanRefused checks the référent of Bobigny (bob) enters nothing on the shared plan
// ee (its line eeLine; a new line line), and the page says who enters its amounts.
func sharedPlanRefused(t *testing.T, s *models.Store, bob *formClient, ee int64, eeLine models.FinancementLigne, line url.Values) {
	t.Helper()
	ctx := t.Context()
	// The shared plan: nothing, and the page says who enters its amounts.
	eePath := "/financements/" + idStr(ee)
	d := doc(t, bob.get(eePath))
	if got := d.Find("#plan-partage").Text(); got != "Ce plan est partagé entre 9 communes : seuls les pilotes et l'IA-DASEN en saisissent les montants réalisés." {
		t.Errorf("plan partagé : %q", got)
	}
	if d.Find("#lien-realises").Length() != 0 || d.Find("#formulaire-ligne form").Length() != 0 {
		t.Errorf("plan partagé : formulaires offerts au référent")
	}
	key := idStr(eeLine.ID)
	if rec := bob.post(eePath+"/realises", url.Values{"realise-" + key: {"9 000"}, "version-" + key: {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("réalisé d'un plan partagé : %d", rec.Code)
	}
	if rec := bob.get(eePath + "/realises"); !strings.Contains(doc(t, rec).Find("#formulaire-ferme").Text(), "partagé entre 9 communes") {
		t.Errorf("formulaire des réalisés d'un plan partagé : %q", doc(t, rec).Find("#formulaire-ferme").Text())
	}
	if rec := bob.post(eePath+"/lignes", line); rec.Code != http.StatusForbidden {
		t.Errorf("ligne d'un plan partagé : %d", rec.Code)
	}
	if l, _ := s.GetLigne(ctx, models.AcademieScope(), ee, eeLine.ID); l.RealiseCentimes != nil {
		t.Errorf("réalisé enregistré sur le plan partagé : %v", *l.RealiseCentimes)
	}
}

// offeredYears lists the years the line form of a plan's page offers.
func offeredYears(d *goquery.Document) []string {
	var offered []string
	d.Find("#ligne-annee option").Each(func(_ int, o *goquery.Selection) {
		if v := o.AttrOr("value", ""); v != "" {
			offered = append(offered, v)
		}
	})
	return offered
}
