package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// govFixture is the world with an académie body, a 77 body, and a contact.
type govFixture struct {
	*world
	acad, b77 models.InstanceRow
	contact   int64
}

func newGovFixture(t *testing.T, s *models.Store) govFixture {
	t.Helper()
	fx := govFixture{world: newWorld(t, s, app.Config{})}
	ctx := t.Context()
	fx.acad = must(s.CreateInstance(ctx, fx.sys, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil, Mandat: "Piloter **le programme**."}))
	fx.b77 = must(s.CreateInstance(ctx, fx.actors["ia77"], models.InstanceInput{Nom: "Co-pilotage 77", Kind: models.InstanceCopilotage, Departement: "77"}))
	org := must(s.CreateOrganisation(ctx, fx.sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat"}))
	fx.contact = must(s.CreateContact(ctx, fx.sys, models.ContactInput{OrganisationID: org.ID, Nom: "Martin", Prenom: "Claire"})).ID
	return fx
}

func instancePath(id int64, suffix string) string {
	return "/instances/" + strconv.FormatInt(id, 10) + suffix
}

func TestInstancePagesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		pilote, ia93, lecteur := fx.clients["pilote"], fx.clients["ia93"], fx.clients["lecteur"]
		rec := pilote.get("/instances")
		if rec.Code != http.StatusOK || rows(doc(t, rec), "#tableau-instances") != 2 {
			t.Fatalf("liste : %d, %d lignes", rec.Code, rows(doc(t, rec), "#tableau-instances"))
		}
		rec = ia93.get("/instances")
		if rows(doc(t, rec), "#tableau-instances") != 1 {
			t.Errorf("IA 93 voit %d instances, attendu 1 (l'académique)", rows(doc(t, rec), "#tableau-instances"))
		}
		if rec := ia93.get(instancePath(fx.b77.ID, "")); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 ouvre l'instance du 77 : %d", rec.Code)
		}
		if rec := ia93.post(instancePath(fx.b77.ID, ""), url.Values{"nom": {"x"}, "type": {"gt_technique"}, "departement": {"77"}, "version": {"1"}}); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 modifie l'instance du 77 : %d", rec.Code)
		}
		rec = ia93.get(instancePath(fx.acad.ID, ""))
		if rec.Code != http.StatusOK || doc(t, rec).Find("#lien-modifier").Length() != 0 {
			t.Errorf("IA 93 sur l'instance académique : %d, bouton Modifier présent ?", rec.Code)
		}
		rec = pilote.get(instancePath(fx.acad.ID, ""))
		d := doc(t, rec)
		if d.Find("#texte-mandat strong").Text() != "le programme" || d.Find("#lien-modifier").Length() != 1 {
			t.Errorf("page de l'instance : mandat %q", d.Find("#texte-mandat").Text())
		}
		if !strings.Contains(d.Find("#lien-calendrier").Text(), "jeton="+fx.acad.CalendarToken) {
			t.Errorf("lien de calendrier absent")
		}
		// A role that writes no body gets the form closed, with an explanation (403), and
		// its POST is refused by the data layer.
		rec = lecteur.get("/instances/nouveau")
		if rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("lecteur, formulaire : %d", rec.Code)
		}
		if rec := lecteur.post("/instances", url.Values{"nom": {"X"}, "type": {"gt_technique"}}); rec.Code != http.StatusForbidden {
			t.Errorf("lecteur crée une instance : %d", rec.Code)
		}
	})
}

func TestInstanceFormsConflictMembersFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		pilote, amif := fx.clients["pilote"], fx.clients["amif"]
		instanceFormRefusesAndEscapes(t, pilote)
		// Lost update: both edit version 1.
		path := instancePath(fx.acad.ID, "")
		form := url.Values{"nom": {"COPIL"}, "type": {"copil_academique"}, "version": {"1"}}
		if rec := pilote.post(path, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d", rec.Code)
		}
		form.Set("nom", "COPIL bis")
		rec := amif.post(path, form)
		if rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("mise à jour perdue : %d", rec.Code)
		}
		// Members.
		rec = pilote.post(instancePath(fx.acad.ID, "/membres"), url.Values{"contact": {strconv.FormatInt(fx.contact, 10)}, "role": {"president"}, "debut": {"2012-02-31"}})
		if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#membre-debut-erreur").Text() == "" {
			t.Errorf("date impossible : %d", rec.Code)
		}
		rec = pilote.post(instancePath(fx.acad.ID, "/membres"), url.Values{"contact": {strconv.FormatInt(fx.contact, 10)}, "role": {"president"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("ajout de membre : %d", rec.Code)
		}
		if n := rows(doc(t, pilote.get(path)), "#tableau-membres"); n != 1 {
			t.Errorf("%d membres", n)
		}
		instanceFeedByToken(t, fx)
		// Archive.
		if rec := fx.clients["ia93"].post(instancePath(fx.acad.ID, "/archiver"), nil); rec.Code != http.StatusForbidden {
			t.Errorf("IA 93 archive l'instance académique : %d", rec.Code)
		}
		rec = pilote.post(instancePath(fx.acad.ID, "/archiver"), nil)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage : %d", rec.Code)
		}
		if doc(t, pilote.get(rec.Header().Get("Location"))).Find("#bouton-restaurer").Length() != 1 {
			t.Errorf("pas de bouton pour annuler l'archivage")
		}
		if rec := pilote.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("instance archivée : %d", rec.Code)
		}
		if rec := pilote.post(instancePath(fx.acad.ID, "/restaurer"), nil); rec.Code != http.StatusSeeOther {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}

// instanceFormRefusesAndEscapes checks the pilote's invalid form comes back with its
// errors, and script in a body's name and mandate is neutralised on its page.
func instanceFormRefusesAndEscapes(t *testing.T, pilote *formClient) {
	t.Helper()
	rec := pilote.post("/instances", url.Values{"nom": {""}, "type": {"gt_technique"}, "mandat": {strings.Repeat("m", 10001)}})
	d := doc(t, rec)
	if rec.Code != http.StatusUnprocessableEntity || d.Find("#instance-nom-erreur").Text() == "" || d.Find("#instance-mandat-erreur").Text() == "" {
		t.Fatalf("formulaire invalide : %d", rec.Code)
	}
	script := `<script>alert(1)</script>`
	rec = pilote.post("/instances", url.Values{"nom": {"GT " + script}, "type": {"gt_technique"},
		"mandat": {"Texte\n\n<script>alert(2)</script>\n\n[lien](javascript:alert(3))"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
	}
	loc := rec.Header().Get("Location")
	rec = pilote.get(loc)
	body, d := rec.Body.String(), doc(t, rec)
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)") ||
		d.Find(`a[href^="javascript"]`).Length() != 0 || !strings.Contains(d.Find("#texte-mandat").Text(), "Texte") {
		t.Errorf("script non neutralisé dans la page de l'instance")
	}
}

// instanceFeedByToken checks the académie body's calendar feed: the token is the
// credential, and renewing it kills the old link.
func instanceFeedByToken(t *testing.T, fx govFixture) {
	t.Helper()
	pilote := fx.clients["pilote"]
	// Feed: the token is the credential.
	anon := newFormClient(t, fx.h, "")
	if rec := anon.get(instancePath(fx.acad.ID, "/calendrier.ics?jeton=faux")); rec.Code != http.StatusNotFound {
		t.Errorf("flux avec un mauvais jeton : %d", rec.Code)
	}
	if rec := anon.get(instancePath(fx.acad.ID, "/calendrier.ics")); rec.Code != http.StatusNotFound {
		t.Errorf("flux sans jeton : %d", rec.Code)
	}
	feed := instancePath(fx.acad.ID, "/calendrier.ics?jeton="+fx.acad.CalendarToken)
	rec := anon.get(feed)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
		t.Fatalf("flux : %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := pilote.post(instancePath(fx.acad.ID, "/calendrier/renouveler"), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("renouvellement : %d", rec.Code)
	}
	if rec := anon.get(feed); rec.Code != http.StatusNotFound {
		t.Errorf("ancien lien encore valide : %d", rec.Code)
	}
}
