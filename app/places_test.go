package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestSuggestions: the suggestions of the place fields find communes by name (accents and
// case aside), INSEE code or postcode, EPCI by name or SIREN and écoles by name or UAI,
// at most 20, within the caller's scope (and the département asked).
func TestSuggestions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		p, ia93 := fx.clients["pilote"], fx.clients["ia93"]
		suggested := func(c *formClient, path string) []string {
			t.Helper()
			rec, out := c.attrs(path, "[data-suggestion]", "data-suggestion")
			if strings.Contains(rec.Body.String(), "<html") {
				t.Errorf("%s : page entière au lieu d'un fragment", path)
			}
			return out
		}
		if got := suggested(p, "/suggestions/communes?q=creteil"); len(got) != 1 || got[0] != "Créteil (94028)" {
			t.Errorf("« creteil » : %v", got)
		}
		if got := suggested(p, "/suggestions/communes?q=CRÉTEIL"); len(got) != 1 {
			t.Errorf("« CRÉTEIL » : %v", got)
		}
		if got := suggested(p, "/suggestions/communes?q=94000"); len(got) != 1 || got[0] != "Créteil (94028)" {
			t.Errorf("code postal : %v", got)
		}
		if got := suggested(p, "/suggestions/communes?q=93008"); len(got) != 1 || got[0] != "Bobigny (93008)" {
			t.Errorf("code INSEE : %v", got)
		}
		// htmx sends the field under its own name, which "champ" gives.
		if got := suggested(p, "/suggestions/communes?champ=communes&communes=bob&departement=93"); len(got) != 1 || got[0] != "Bobigny (93008)" {
			t.Errorf("champ nommé : %v", got)
		}
		if got := suggested(p, "/suggestions/communes?q=saint"); len(got) != models.MaxSuggestions {
			t.Errorf("« saint » : %d suggestions, attendu %d", len(got), models.MaxSuggestions)
		}
		// Scoped: the IA of the 93 is offered the communes of the 93 only.
		if got := suggested(ia93, "/suggestions/communes?q=creteil"); len(got) != 0 {
			t.Errorf("IA 93, « creteil » : %v", got)
		}
		if got := suggested(ia93, "/suggestions/communes?q=bobi"); !slices.Equal(got, []string{"Bobigny (93008)"}) {
			t.Errorf("IA 93, « bobi » : %v", got)
		}
		if rec := ia93.get("/suggestions/communes?q=creteil"); !strings.Contains(rec.Body.String(), "Aucune suggestion") {
			t.Errorf("pas de message sans suggestion : %s", rec.Body.String())
		}
		if got := suggested(p, "/suggestions/epci?q=est%20ensemble"); len(got) != 1 || got[0] != "Est Ensemble (200057875)" {
			t.Errorf("EPCI : %v", got)
		}
		if got := suggested(ia93, "/suggestions/epci?q=200057875"); len(got) != 1 {
			t.Errorf("EPCI par SIREN : %v", got)
		}
		if got := suggested(p, "/suggestions/ecoles?q=0930388"); len(got) != 1 || !strings.HasSuffix(got[0], "(0930388S)") {
			t.Errorf("école par UAI : %v", got)
		}
		if rec := p.get("/suggestions/communes?q=" + url.QueryEscape(strings.Repeat("a", 300))); rec.Code != http.StatusBadRequest {
			t.Errorf("texte trop long : %d", rec.Code)
		}
		if rec := newFormClient(t, fx.h, "").get("/suggestions/communes?q=bob"); rec.Code == http.StatusOK {
			t.Errorf("anonyme : %d", rec.Code)
		}
	})
}

// TestConventionCommunesByName: the convention form takes its communes by label, name or
// code, keeps a list of chosen communes with "Ajouter" and "Retirer" (without saving), and
// explains a name that designates no commune or several.
func TestConventionCommunesByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		ia := fx.clients["ia93"]
		base := func(ref string, communes ...string) url.Values {
			return url.Values{"type": {"locale"}, "reference": {ref}, "titre": {"Convention " + ref}, "departement": {"93"},
				"parent": {idStr(fx.dep93)}, "communes": communes, "renouvellement": {"avenant"}}
		}
		for i, communes := range [][]string{{"Bobigny (93008)"}, {"bobigny"}, {"93008"}, {"BOBIGNY", "93008, Pantin"}, {"93000"}} {
			ref := "CRE-93-2012-10" + idStr(int64(i))
			id := fx.create(t, ia, base(ref, communes...))
			cv, err := s.GetConvention(t.Context(), models.AcademieScope(), id)
			if err != nil || len(cv.Communes) == 0 || cv.Communes[0].CodeINSEE != "93008" {
				t.Errorf("%v : communes %+v (%v)", communes, cv.Communes, err)
			}
			if i == 3 && len(cv.Communes) != 2 {
				t.Errorf("%v : %d communes, attendu 2", communes, len(cv.Communes))
			}
		}
		// A name of no commune of the scope: the message next to the field, nothing saved.
		rec := ia.post("/conventions", base("CRE-93-2012-120", "Bobigny (93008)", "Créteil"))
		d := refusedField(t, rec, "convention-communes", "Aucune commune de votre périmètre ne correspond à « Créteil »", "Créteil")
		if d.Find(`#convention-communes-groupe input[type="hidden"][name="communes"][value="93008"]`).Length() != 1 ||
			!strings.Contains(d.Find("#convention-communes-choisis").Text(), "Bobigny (93008)") {
			t.Error("Bobigny n'est pas restée dans la liste des communes choisies")
		}
		// "Ajouter" and "Retirer" change the list without saving.
		form := base("CRE-93-2012-121", "93008", "pantin")
		form.Set("_ajouter", "communes")
		rec = ia.post("/conventions", form)
		d = doc(t, rec)
		if rec.Code != http.StatusOK || d.Find(`#convention-communes-choisis input[type="hidden"][name="communes"]`).Length() != 2 {
			t.Errorf("Ajouter : %d, %d communes", rec.Code, d.Find(`#convention-communes-choisis input[type="hidden"][name="communes"]`).Length())
		}
		if v, _ := d.Find("#convention-communes").Attr("value"); v != "" {
			t.Errorf("champ d'ajout non vidé : %q", v)
		}
		form = base("CRE-93-2012-121", "93008", "93055")
		form.Set("_retirer", "communes:93008")
		d = doc(t, ia.post("/conventions", form))
		if d.Find(`#convention-communes-choisis input[type="hidden"][name="communes"]`).Length() != 1 || d.Find(`input[type="hidden"][value="93055"]`).Length() != 1 {
			t.Error("Retirer : Bobigny toujours là")
		}
		if p, err := s.ListConventions(t.Context(), models.AcademieScope(), models.ConventionFilter{Q: "CRE-93-2012-121"}, models.PageRequest{}); err != nil || p.Total != 0 {
			t.Errorf("Ajouter ou Retirer a enregistré la convention (%v)", err)
		}
		// The form of an existing convention shows its communes by name.
		id := fx.locale(t, "CRE-93-2012-130")
		d = doc(t, ia.get(fx.path(id, "/modifier")))
		if !strings.Contains(d.Find("#convention-communes-choisis").Text(), "Bobigny (93008)") {
			t.Error("formulaire de modification : commune non nommée")
		}
		// The EPCI too, by name.
		id = fx.create(t, ia, func() url.Values {
			f := base("CRE-93-2012-131")
			f.Set("epci", "est ensemble")
			return f
		}())
		if cv, _ := s.GetConvention(t.Context(), models.AcademieScope(), id); cv.EPCISiren == nil || *cv.EPCISiren != "200057875" || len(cv.Communes) != 9 {
			t.Errorf("EPCI par son nom : %+v, %d communes", cv.EPCISiren, len(cv.Communes))
		}
	})
}

// TestListFiltersByName: the commune filters of the lists take a name, a label or a code;
// an ambiguous name is refused with the French message next to the field.
func TestListFiltersByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newConvFixture(t, s)
		p := fx.clients["pilote"]
		id := fx.locale(t, "CRE-93-2012-014")
		for _, q := range []string{"93008", "Bobigny (93008)", "bobigny", "BOBIGNY"} {
			path := "/conventions?commune=" + url.QueryEscape(q)
			d := page(t, p.get(path), path, http.StatusOK)
			if d.Find(`#tableau-conventions a[href="/conventions/`+idStr(id)+`"]`).Length() != 1 {
				t.Errorf("%s : convention de Bobigny absente", path)
			}
		}
		path := "/conventions?commune=" + url.QueryEscape("Marolles-en-Brie")
		d := page(t, p.get(path), path, http.StatusBadRequest)
		if msg := d.Find("#filtre-commune-erreur").Text(); !strings.Contains(msg, "Plusieurs communes s'appellent Marolles-en-Brie : précisez le code") {
			t.Errorf("nom ambigu : %q", msg)
		}
		d = page(t, p.get("/ecoles?commune=bobigny"), "/ecoles?commune=bobigny", http.StatusOK)
		if n := rows(d, "#tableau-ecoles"); n == 0 || strings.Contains(d.Find("#tableau-ecoles tbody").Text(), "Pantin") {
			t.Errorf("écoles de Bobigny : %d lignes", n)
		}
		if d.Find(`#filtre-commune[data-hx-get^="/suggestions/communes"]`).Length() != 1 {
			t.Error("filtre des écoles sans suggestions")
		}
		page(t, p.get("/financements?commune=creteil"), "/financements?commune=creteil", http.StatusOK)
		d = page(t, p.get("/adoptions?commune=creteil&epci=est+ensemble"), "/adoptions", http.StatusOK)
		if d.Find("#filtre-commune-erreur, #filtre-epci-erreur").Length() != 0 {
			t.Error("adoptions : nom refusé")
		}
	})
}

// TestOrganisationAndAdoptionCommuneByName: the organisation form and the charter's
// adoption form take their commune by name, label or code.
func TestOrganisationAndAdoptionCommuneByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		p := fx.clients["pilote"]
		rec := p.post("/organisations", url.Values{"type": {"commune"}, "commune": {"pantin"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("organisme de Pantin : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if o, _ := s.ListOrganisations(t.Context(), models.AcademieScope(), models.OrganisationFilter{Kind: models.OrgCommune, Q: "93055"}, models.PageRequest{}); o.Total != 1 {
			t.Errorf("organisme de Pantin : %d", o.Total)
		}
		rec = p.post("/organisations", url.Values{"type": {"commune"}, "commune": {"Marolles-en-Brie"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#organisation-commune-erreur").Text(), "précisez le code") {
			t.Errorf("organisme d'une commune ambiguë : %d", rec.Code)
		}
		v := charteCreatedID(t, p.post("/chartes", charteForm("statut", "adoptee")).Header().Get("Location"))
		if rec := p.post("/adoptions", adoptionForm(v, "commune", "Créteil (94028)")); rec.Code != http.StatusSeeOther {
			t.Errorf("adoption de Créteil : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		rec = p.post("/adoptions", adoptionForm(v, "commune", "Marolles-en-Brie"))
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#adoption-commune-erreur").Text(), "précisez le code") {
			t.Errorf("adoption d'une commune ambiguë : %d", rec.Code)
		}
	})
}
