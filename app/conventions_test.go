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

// convFixture is the world with organisations to be parties, and the tree cadre →
// départementales 93 and 94, created through the forms by the pilote.
type convFixture struct {
	*world
	rectorat, bobigny, form int64 // organisations
	cadre, dep93, dep94     int64
}

func newConvFixture(t *testing.T, s *models.Store) convFixture {
	t.Helper()
	fx := convFixture{world: newWorld(t, s, app.Config{})}
	for _, o := range []struct {
		dst *int64
		in  models.OrganisationInput
	}{
		{&fx.rectorat, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat de Créteil"}},
		{&fx.bobigny, models.OrganisationInput{Kind: models.OrgCommune, Nom: "Mairie de Bobigny", Commune: "93008"}},
		{&fx.form, models.OrganisationInput{Kind: models.OrgAutre, Nom: "=HYPERLINK(\"http://x\") Association"}},
	} {
		*o.dst = must(s.CreateOrganisation(t.Context(), fx.sys, o.in)).ID
	}
	p := fx.clients["pilote"]
	fx.cadre = fx.create(t, p, url.Values{"type": {"cadre"}, "reference": {"CRE-AC-2011-001"}, "titre": {"Convention cadre ENT 1D"}})
	fx.dep93 = fx.create(t, p, url.Values{"type": {"departementale"}, "reference": {"CRE-93-2012-001"}, "titre": {"Convention départementale 93"},
		"departement": {"93"}, "parent": {idStr(fx.cadre)}})
	fx.dep94 = fx.create(t, p, url.Values{"type": {"departementale"}, "reference": {"CRE-94-2012-001"}, "titre": {"Convention départementale 94"},
		"departement": {"94"}, "parent": {idStr(fx.cadre)}})
	return fx
}

// newLocaleFixture is the convention world with Bobigny's local convention CRE-93-2012-014,
// a draft: the fixture, the client of the IA 93 who wrote it, and the convention's id.
func newLocaleFixture(t *testing.T, s *models.Store) (convFixture, *formClient, int64) {
	t.Helper()
	fx := newConvFixture(t, s)
	return fx, fx.clients["ia93"], fx.locale(t, "CRE-93-2012-014")
}

// create posts the convention form and returns the new convention's id.
func (fx convFixture) create(t *testing.T, c *formClient, form url.Values) int64 {
	t.Helper()
	rec := c.post("/conventions", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("création %v : %d %s", form, rec.Code, errorTexts(rec.Body.String()))
	}
	return locationID(t, rec.Header().Get("Location"))
}

func locationID(t *testing.T, loc string) int64 {
	t.Helper()
	return idAfter(t, loc, "/conventions/")
}

// errorTexts keeps the French errors of a page, for failure messages.
func errorTexts(body string) string {
	var out []string
	for _, part := range strings.Split(body, `class="fr-error-text"`)[1:] {
		if i := strings.Index(part, "</p>"); i > 0 {
			out = append(out, part[:i])
		}
	}
	for _, part := range strings.Split(body, `role="alert"`)[1:] {
		if i := strings.Index(part, "</p>"); i > 0 {
			out = append(out, part[:i])
		}
	}
	return strings.Join(out, " | ")
}

// locale creates a local convention of Bobigny under the 93's départementale, as the IA 93.
func (fx convFixture) locale(t *testing.T, ref string) int64 {
	t.Helper()
	return fx.create(t, fx.clients["ia93"], url.Values{"type": {"locale"}, "reference": {ref}, "titre": {"Convention ENT de Bobigny"},
		"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"93008"}, "expiration": {"31/08/2030"}, "renouvellement": {"avenant"}})
}

func (fx convFixture) path(id int64, rest string) string { return "/conventions/" + idStr(id) + rest }

// move posts a transition and checks its status code.
func (fx convFixture) move(t *testing.T, c *formClient, id int64, want int, fields ...string) string {
	t.Helper()
	form := withFields(url.Values{}, fields...)
	rec := c.post(fx.path(id, "/statut"), form)
	if rec.Code != want {
		t.Fatalf("transition %v : %d, attendu %d %s", form, rec.Code, want, errorTexts(rec.Body.String()))
	}
	return rec.Body.String()
}

// signedParties adds the Rectorat and the Mairie de Bobigny as parties, both signed.
func (fx convFixture) signedParties(t *testing.T, c *formClient, id int64) {
	t.Helper()
	for _, org := range []int64{fx.rectorat, fx.bobigny} {
		if rec := c.post(fx.path(id, "/parties"), url.Values{"organisation": {idStr(org)}, "signataire": {"Signataire " + idStr(org)},
			"fonction": {"Maire"}, "date_signature": {"02/04/2012"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("partie : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
	}
}

// toSignature moves a convention from brouillon to "à la signature".
func (fx convFixture) toSignature(t *testing.T, c *formClient, id int64) {
	t.Helper()
	fx.move(t, c, id, http.StatusSeeOther, "vers", "negociation")
	fx.move(t, c, id, http.StatusSeeOther, "vers", "deliberation", "date", "15/03/2012")
	fx.move(t, c, id, http.StatusSeeOther, "vers", "signature")
}

func TestConventionHierarchyThroughForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		// The form suggests a reference of the IA's département.
		rec := ia.get("/conventions/nouveau?type=locale")
		if rec.Code != http.StatusOK {
			t.Fatalf("formulaire : %d", rec.Code)
		}
		d := doc(t, rec)
		if ref := d.Find("#convention-reference").AttrOr("value", ""); !strings.HasPrefix(ref, "CRE-93-") {
			t.Errorf("référence proposée : %q", ref)
		}
		if d.Find(`#convention-parent option[value="`+idStr(fx.dep93)+`"]`).Length() != 1 ||
			d.Find(`#convention-parent option[value="`+idStr(fx.dep94)+`"]`).Length() != 0 {
			t.Errorf("conventions parentes proposées à l'IA 93 : %s", d.Find("#convention-parent").Text())
		}
		id := fx.locale(t, "CRE-93-2012-014")
		cv, err := s.GetConvention(t.Context(), models.AcademieScope(), id)
		if err != nil || cv.ParentID == nil || *cv.ParentID != fx.dep93 || len(cv.Communes) != 1 || cv.Communes[0].CodeINSEE != "93008" {
			t.Fatalf("convention locale : %+v %v", cv, err)
		}
		// A locale under the 94's départementale is refused with a French message: for the IA
		// of the 93, the 94's convention is not in the list (it does not see it); for the pilote,
		// a locale hangs under its own département's.
		rec = ia.post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-015"}, "titre": {"Mauvais parent"},
			"departement": {"93"}, "parent": {idStr(fx.dep94)}, "communes": {"93008"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#convention-parent-erreur").Text(), "dans la liste") {
			t.Errorf("locale sous la départementale du 94 (IA 93) : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if rec := fx.clients["pilote"].post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-015"}, "titre": {"Mauvais parent"},
			"departement": {"93"}, "parent": {idStr(fx.dep94)}, "communes": {"93008"}}); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(doc(t, rec).Find("#convention-parent-erreur").Text(), "son propre département") {
			t.Errorf("locale sous la départementale du 94 (pilote) : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if v := doc(t, rec).Find("#convention-titre").AttrOr("value", ""); v != "Mauvais parent" {
			t.Errorf("titre saisi non conservé : %q", v)
		}
		// A départementale without the cadre, a locale of a commune of another département.
		rec = fx.clients["pilote"].post("/conventions", url.Values{"type": {"departementale"}, "reference": {"CRE-77-2012-001"}, "titre": {"77"}, "departement": {"77"}})
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#convention-parent-erreur").Length() != 1 {
			t.Errorf("départementale sans cadre : %d", rec.Code)
		}
		rec = ia.post("/conventions", url.Values{"type": {"locale"}, "reference": {"CRE-93-2012-016"}, "titre": {"Créteil"},
			"departement": {"93"}, "parent": {idStr(fx.dep93)}, "communes": {"94028"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#convention-communes-erreur").Text(), "94028") {
			t.Errorf("commune d'un autre département : %d", rec.Code)
		}
		// The tree: cadre → départementale 93 → Bobigny.
		d = doc(t, fx.clients["pilote"].get("/conventions/arbre"))
		if d.Find(`#arbre-conventions > ul > li > ul > li > ul > li a[href="/conventions/`+idStr(id)+`"]`).Length() != 1 {
			t.Errorf("arbre : %s", d.Find("#arbre-conventions").Text())
		}
		// The page shows the hierarchy both ways.
		if got := doc(t, ia.get(fx.path(fx.dep93, ""))).Find("#conventions-rattachees").Text(); !strings.Contains(got, "CRE-93-2012-014") {
			t.Errorf("conventions rattachées : %q", got)
		}
	})
}

func TestConventionWorkflowThroughPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx, ia, id := newLocaleFixture(t, s)
		choices := annexTwoEcoles(t, s, fx, ia, id)
		signThroughPages(t, s, fx, ia, id)
		inForceWithAvenants(t, fx, ia, id, choices[2].UAI)
		// The end: échue, then nothing more.
		fx.move(t, ia, id, http.StatusSeeOther, "vers", "echue")
		body := fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "resiliee", "date", "01/01/2018", "motif", "x")
		if !strings.Contains(body, "définitif") {
			t.Errorf("après échue : %s", errorTexts(body))
		}
		// Résiliation: from "signée", with a reason.
		id2 := fx.locale(t, "CRE-93-2012-020")
		fx.toSignature(t, ia, id2)
		fx.signedParties(t, ia, id2)
		fx.move(t, ia, id2, http.StatusSeeOther, "vers", "signee")
		body = fx.move(t, ia, id2, http.StatusUnprocessableEntity, "vers", "resiliee", "date", "01/06/2013")
		if !strings.Contains(body, `id="transition-resiliee-motif-erreur"`) {
			t.Errorf("résiliation sans motif : %s", errorTexts(body))
		}
		fx.move(t, ia, id2, http.StatusSeeOther, "vers", "resiliee", "date", "01/06/2013", "motif", "Changement de solution")
		// En vigueur → résiliée.
		id3 := fx.locale(t, "CRE-93-2012-021")
		fx.toSignature(t, ia, id3)
		fx.signedParties(t, ia, id3)
		fx.move(t, ia, id3, http.StatusSeeOther, "vers", "signee")
		fx.move(t, ia, id3, http.StatusSeeOther, "vers", "en_vigueur", "date", "01/09/2012")
		fx.move(t, ia, id3, http.StatusSeeOther, "vers", "resiliee", "date", "01/06/2013", "motif", "Fusion de communes")
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id3); cv.Statut != models.StatutResiliee || cv.MotifResiliation != "Fusion de communes" {
			t.Errorf("résiliation : %s %q", cv.Statut, cv.MotifResiliation)
		}
	})
}

// annexTwoEcoles puts two écoles of Bobigny in the annex of the convention id (one outside
// its communes is refused), and returns the écoles it may have.
func annexTwoEcoles(t *testing.T, s *models.Store, fx convFixture, ia *formClient, id int64) []models.AnnexChoice {
	t.Helper()
	// The annex: two écoles of Bobigny.
	choices, err := s.AnnexChoices(t.Context(), models.AcademieScope(), id)
	if err != nil || len(choices) < 3 {
		t.Fatalf("écoles de Bobigny : %d %v", len(choices), err)
	}
	if rec := ia.post(fx.path(id, "/annexe"), url.Values{"ecoles": {choices[0].UAI, choices[1].UAI}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("annexe : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	if rec := ia.post(fx.path(id, "/annexe"), url.Values{"ecoles": {"0940001A"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("annexe hors des communes : %d", rec.Code)
	}
	return choices
}

// signThroughPages takes the convention id to "signée" through the forms: a forbidden move
// and an invalid date first, then signature dates for every party.
func signThroughPages(t *testing.T, s *models.Store, fx convFixture, ia *formClient, id int64) {
	t.Helper()
	// A forbidden move: brouillon → signée.
	body := fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "signee")
	if !strings.Contains(body, "ne peut pas passer") || !strings.Contains(body, `id="statut-erreur"`) {
		t.Errorf("transition interdite sans explication : %s", errorTexts(body))
	}
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "negociation")
	body = fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "deliberation", "date", "31/02/2012")
	if !strings.Contains(body, `id="transition-deliberation-date-erreur"`) || !strings.Contains(body, `value="31/02/2012"`) {
		t.Errorf("date de délibération invalide : %s", errorTexts(body))
	}
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "deliberation", "date", "15/03/2012")
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "signature")
	// "Signée" needs every party's signature date.
	if rec := ia.post(fx.path(id, "/parties"), url.Values{"organisation": {idStr(fx.rectorat)}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("partie : %d", rec.Code)
	}
	if rec := ia.post(fx.path(id, "/parties"), url.Values{"organisation": {idStr(fx.bobigny)}, "signataire": {"Le maire"},
		"fonction": {"Maire"}, "date_signature": {"02/04/2012"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("partie : %d", rec.Code)
	}
	body = fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "signee")
	if !strings.Contains(body, "Rectorat de Créteil") || !strings.Contains(body, "date de signature") {
		t.Errorf("signée sans toutes les signatures : %s", errorTexts(body))
	}
	cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id)
	var rectoratParty int64
	for _, p := range cv.Parties {
		if p.OrganisationID == fx.rectorat {
			rectoratParty = p.ID
		}
	}
	if rec := ia.post(fx.path(id, "/parties/"+idStr(rectoratParty)), url.Values{"organisation": {idStr(fx.rectorat)},
		"signataire": {"Le recteur"}, "fonction": {"Recteur"}, "date_signature": {"31/02/2012"}}); rec.Code != http.StatusUnprocessableEntity ||
		doc(t, rec).Find("#partie-"+idStr(rectoratParty)+"-date-erreur").Length() != 1 {
		t.Errorf("date de signature invalide : %d", rec.Code)
	}
	if rec := ia.post(fx.path(id, "/parties/"+idStr(rectoratParty)), url.Values{"organisation": {idStr(fx.rectorat)},
		"signataire": {"Le recteur"}, "fonction": {"Recteur"}, "date_signature": {"05/04/2012"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("signature du recteur : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "signee")
}

// inForceWithAvenants puts the convention id in force (its date needed), then adds a
// prolongation and an extension of its annex with the école uai; the page shows them.
func inForceWithAvenants(t *testing.T, fx convFixture, ia *formClient, id int64, uai string) {
	t.Helper()
	// "En vigueur" needs its date.
	body := fx.move(t, ia, id, http.StatusUnprocessableEntity, "vers", "en_vigueur")
	if !strings.Contains(body, "entrée en vigueur est obligatoire") {
		t.Errorf("en vigueur sans date : %s", errorTexts(body))
	}
	fx.move(t, ia, id, http.StatusSeeOther, "vers", "en_vigueur", "date", "01/09/2012")
	// Avenants: a prolongation moves the expiry, an extension adds écoles.
	if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"prolongation"}, "nouvelle_expiration": {"31/08/2014"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("prolongation antérieure : %d", rec.Code)
	}
	if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"prolongation"}, "nouvelle_expiration": {"31/08/2032"}, "date_signature": {"01/06/2015"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("prolongation : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"extension_annexe"}}); rec.Code != http.StatusUnprocessableEntity ||
		doc(t, rec).Find("#avenant-ecoles-erreur").Length() != 1 {
		t.Errorf("extension sans école : %d", rec.Code)
	}
	if rec := ia.post(fx.path(id, "/avenants"), url.Values{"objet": {"extension_annexe"}, "ecoles": {uai}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("extension : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	page := doc(t, ia.get(fx.path(id, "")))
	if got := page.Find("#expiration-apres-avenants").Text(); !strings.Contains(got, "31/08/2032") || !strings.Contains(got, "prolongée") {
		t.Errorf("expiration après avenants : %q", got)
	}
	if got := page.Find("#tableau-annexe").Text(); !strings.Contains(got, "ajoutée par l'avenant n° 2") {
		t.Errorf("annexe après avenant : %q", got)
	}
	if n := page.Find("#tableau-chronologie tbody tr").Length(); n != 5 {
		t.Errorf("chronologie : %d lignes, attendu 5", n)
	}
}
