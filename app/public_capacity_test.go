package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// The members of a body, the invitees of a meeting and the owners of actions act in a
// public capacity (README, « Personnes dans les instances, réunions et actions »): their
// name, function and organisation are shown to whoever reads the body, the meeting or the
// action; the contact's id and the link to its page only to whoever may read the contact;
// their email and phone never.

// publicFixture is an académie body with two members: Paul Durand, of a commune of the 77
// (outside the scope of the référent of Bobigny), and Claire Martin, of Bobigny. Its held
// meeting invites both; a decision of the meeting has an action owned by Paul Durand, and
// the meeting an action owned by Claire Martin.
type publicFixture struct {
	*world
	body                            models.InstanceRow
	reunion, decision               int64
	outside, inside                 models.Contact
	outsideOrg, insideOrg           string
	outsideAction                   int64
	outsideEmail, outsidePhone      string
	insideEmail, insidePhone        string
	outsideFunction, insideFunction string
}

func newPublicFixture(t *testing.T, s *models.Store) publicFixture {
	t.Helper()
	ctx := t.Context()
	fx := publicFixture{world: newWorld(t, s, app.Config{}),
		outsideEmail: "p.durand@acheres-77.fr", outsidePhone: "01 23 45 67 89", outsideFunction: "Maire adjoint au numérique",
		insideEmail: "c.martin@bobigny-93.fr", insidePhone: "01 98 76 54 32", insideFunction: "Référente numérique"}
	sys := fx.sys
	acheres := must(s.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgCommune, Commune: "77001"}))
	bobigny := must(s.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"}))
	fx.outsideOrg, fx.insideOrg = acheres.Nom, bobigny.Nom
	fx.outside = must(s.CreateContact(ctx, sys, models.ContactInput{OrganisationID: acheres.ID, Nom: "Durand", Prenom: "Paul",
		Fonction: fx.outsideFunction, Email: fx.outsideEmail, Telephone: fx.outsidePhone}))
	fx.inside = must(s.CreateContact(ctx, sys, models.ContactInput{OrganisationID: bobigny.ID, Nom: "Martin", Prenom: "Claire",
		Fonction: fx.insideFunction, Email: fx.insideEmail, Telephone: fx.insidePhone}))
	fx.body = must(s.CreateInstance(ctx, sys, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}))
	for _, c := range []int64{fx.outside.ID, fx.inside.ID} {
		if err := s.AddMember(ctx, sys, fx.body.ID, models.MemberInput{ContactID: c, Role: "membre"}); err != nil {
			t.Fatal(err)
		}
	}
	fx.reunion = fx.heldReunion(t, sys, fx.body.ID, "2024-03-12").ID
	fx.decision = fx.world.decision(t, sys, fx.reunion, "Généraliser l'ENT").ID
	fx.outsideAction = fx.action(t, sys, models.ActionInput{DecisionID: fx.decision, Titre: "Recenser les écoles",
		Responsable: "c" + idStr(fx.outside.ID), Echeance: "2031-06-30"}).ID
	fx.action(t, sys, models.ActionInput{ReunionID: fx.reunion, Titre: "Former les directeurs", Responsable: "c" + idStr(fx.inside.ID), Echeance: "2031-06-30"})
	return fx
}

// person is what a reader must see of a contact acting in a public capacity.
type person struct {
	id                  int64
	name, function, org string
	email, phone        string
	readable            bool // the reader may open /contacts/ID
}

// people is what the reader sees of the fixture's two contacts, with whether they may
// read each contact, as /contacts/ID answers it.
func (fx publicFixture) people(t *testing.T, reader string) []person {
	t.Helper()
	c := fx.clients[reader]
	out := []person{
		{id: fx.outside.ID, name: "Paul Durand", function: fx.outsideFunction, org: fx.outsideOrg, email: fx.outsideEmail, phone: fx.outsidePhone},
		{id: fx.inside.ID, name: "Claire Martin", function: fx.insideFunction, org: fx.insideOrg, email: fx.insideEmail, phone: fx.insidePhone},
	}
	for i := range out {
		switch code := c.get(contactPath(out[i].id, "")).Code; code {
		case http.StatusOK:
			out[i].readable = true
		case http.StatusNotFound:
		default:
			t.Fatalf("%s ouvre le contact %d : statut %d", reader, out[i].id, code)
		}
	}
	return out
}

// checkHTML checks a table of people on a page: each name with its function, a link to
// the contact's page only when readable, no email, no phone, no "Contact n°".
func checkHTML(t *testing.T, reader, what string, d *goquery.Document, table string, people []person) {
	t.Helper()
	sel := d.Find(table)
	if sel.Length() != 1 {
		t.Fatalf("%s, %s : tableau %s absent", reader, what, table)
	}
	html, _ := goquery.OuterHtml(sel)
	text := sel.Text()
	for _, p := range people {
		if !strings.Contains(text, p.name) || !strings.Contains(text, p.function) || !strings.Contains(text, p.org) {
			t.Errorf("%s, %s : nom, fonction ou organisme de %s absents : %q", reader, what, p.name, text)
		}
		links := d.Find(`a[href="` + contactPath(p.id, "") + `"]`).Length()
		if p.readable && links == 0 {
			t.Errorf("%s, %s : pas de lien vers le contact lisible %s", reader, what, p.name)
		}
		if !p.readable && (links != 0 || strings.Contains(html, contactPath(p.id, ""))) {
			t.Errorf("%s, %s : lien vers le contact hors périmètre %s", reader, what, p.name)
		}
	}
	page, _ := d.Html()
	for _, p := range people {
		if strings.Contains(page, p.email) || strings.Contains(page, p.phone) {
			t.Errorf("%s, %s : courriel ou téléphone de %s affiché", reader, what, p.name)
		}
	}
	if strings.Contains(text, "Contact n°") {
		t.Errorf("%s, %s : « Contact n° » au lieu du nom : %q", reader, what, text)
	}
}

// noPrivate checks that a raw answer (JSON, export cells) holds no email and no phone.
func noPrivate(t *testing.T, reader, what, raw string, people []person) {
	t.Helper()
	for _, p := range people {
		if strings.Contains(raw, p.email) || strings.Contains(raw, p.phone) {
			t.Errorf("%s, %s : courriel ou téléphone de %s", reader, what, p.name)
		}
	}
}

type publicPersonJSON struct {
	ContactID    *int64 `json:"contact_id"`
	Nom          string `json:"nom"`
	Fonction     string `json:"fonction"`
	Organisation string `json:"organisation"`
}

// checkJSONPeople checks the people of an API answer: name, function, organisation, and
// contact_id present (and right) only when readable.
func checkJSONPeople(t *testing.T, reader, what string, got []publicPersonJSON, people []person) {
	t.Helper()
	if len(got) != len(people) {
		t.Fatalf("%s, %s : %d personnes, attendu %d : %+v", reader, what, len(got), len(people), got)
	}
	for _, p := range people {
		found := false
		for _, g := range got {
			if g.Nom != p.name {
				continue
			}
			found = true
			if g.Fonction != p.function || g.Organisation != p.org {
				t.Errorf("%s, %s : %s sans sa fonction ou son organisme : %+v", reader, what, p.name, g)
			}
			switch {
			case p.readable && (g.ContactID == nil || *g.ContactID != p.id):
				t.Errorf("%s, %s : contact_id de %s absent pour un contact lisible", reader, what, p.name)
			case !p.readable && g.ContactID != nil:
				t.Errorf("%s, %s : contact_id de %s (hors périmètre) exposé : %d", reader, what, p.name, *g.ContactID)
			}
		}
		if !found {
			t.Errorf("%s, %s : %s absent : %+v", reader, what, p.name, got)
		}
	}
}

func TestPublicCapacityPeople(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newPublicFixture(t, s)

		// The rule itself: the référent of Bobigny may not read the 77 contact, may read
		// Bobigny's; the pilote and the lecteur (académie) read both.
		for reader, want := range map[string][2]bool{"referent93": {false, true}, "pilote": {true, true}, "lecteur": {true, true}} {
			ps := fx.people(t, reader)
			if ps[0].readable != want[0] || ps[1].readable != want[1] {
				t.Fatalf("%s : contacts lisibles %v %v, attendu %v", reader, ps[0].readable, ps[1].readable, want)
			}
		}

		for _, reader := range []string{"referent93", "lecteur", "pilote"} {
			c, people := fx.clients[reader], fx.people(t, reader)
			fx.checkPeoplePages(t, reader, c, people)
			checkPeopleAPI(t, reader, c, people)
			fx.checkPeopleExports(t, reader, c, people)
		}
	})
}

// checkPeoplePages checks the people of the pages reader (client c) sees: members,
// invitees, action owners, the preparation, an action and a decision.
func (fx publicFixture) checkPeoplePages(t *testing.T, reader string, c *formClient, people []person) {
	t.Helper()
	page := func(path string) *goquery.Document {
		t.Helper()
		rec := c.get(path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s, %s : statut %d", reader, path, rec.Code)
		}
		return doc(t, rec)
	}
	checkHTML(t, reader, "membres", page(instancePath(fx.body.ID, "")), "#tableau-membres", people)
	checkHTML(t, reader, "invités", page("/reunions/"+idStr(fx.reunion)), "#tableau-invites", people)
	checkHTML(t, reader, "actions", page("/actions"), "#tableau-actions", people)
	checkHTML(t, reader, "préparation", page(instancePath(fx.body.ID, "/preparer")), "#tableau-actions", people)
	checkHTML(t, reader, "action", page("/actions/"+idStr(fx.outsideAction)), "#fiche-action", people[:1])
	checkHTML(t, reader, "décision", page("/decisions/"+idStr(fx.decision)), "main", people[:1])
}

// checkPeopleAPI checks the people of the JSON API reader (client c) gets: the body's
// members, the meeting's invitees, the actions' owners, and no private field anywhere.
func checkPeopleAPI(t *testing.T, reader string, c *formClient, people []person) {
	t.Helper()
	var bodies struct {
		Items []struct {
			ID      int64              `json:"id"`
			Membres []publicPersonJSON `json:"membres"`
		} `json:"items"`
	}
	raw := getJSON(t, c, "/api/v1/instances", &bodies)
	noPrivate(t, reader, "API instances", raw, people)
	if len(bodies.Items) != 1 {
		t.Fatalf("%s : %d instances", reader, len(bodies.Items))
	}
	checkJSONPeople(t, reader, "API instances", bodies.Items[0].Membres, people)

	var meetings struct {
		Items []struct {
			Invites []publicPersonJSON `json:"invites"`
		} `json:"items"`
	}
	raw = getJSON(t, c, "/api/v1/reunions", &meetings)
	noPrivate(t, reader, "API réunions", raw, people)
	if len(meetings.Items) != 1 {
		t.Fatalf("%s : %d réunions", reader, len(meetings.Items))
	}
	checkJSONPeople(t, reader, "API réunions", meetings.Items[0].Invites, people)

	var actions struct {
		Items []struct {
			ID           int64  `json:"id"`
			Nom          string `json:"responsable"`
			Fonction     string `json:"responsable_fonction"`
			Organisation string `json:"responsable_organisation"`
			ContactID    *int64 `json:"responsable_contact_id"`
		} `json:"items"`
	}
	raw = getJSON(t, c, "/api/v1/actions", &actions)
	noPrivate(t, reader, "API actions", raw, people)
	var owners []publicPersonJSON
	for _, a := range actions.Items {
		owners = append(owners, publicPersonJSON{ContactID: a.ContactID, Nom: a.Nom, Fonction: a.Fonction, Organisation: a.Organisation})
	}
	checkJSONPeople(t, reader, "API actions", owners, people)
	noPrivate(t, reader, "API décisions", getJSON(t, c, "/api/v1/decisions", &struct{}{}), people)
}

// checkPeopleExports checks the exports reader (client c) downloads: no email, no phone,
// no link anywhere; the preparation workbook names the owners with their function and
// organisation.
func (fx publicFixture) checkPeopleExports(t *testing.T, reader string, c *formClient, people []person) {
	t.Helper()
	for _, path := range []string{"/instances.xlsx", "/instances.csv", "/reunions.xlsx", "/reunions.csv", "/decisions.xlsx", "/decisions.csv"} {
		header, data := exportRows(t, c, path)
		cells := strings.Join(header, "\n")
		for _, r := range data {
			cells += "\n" + strings.Join(r, "\n")
		}
		noPrivate(t, reader, path, cells, people)
		if strings.Contains(cells, "/contacts/") {
			t.Errorf("%s, %s : lien vers un contact", reader, path)
		}
	}
	_, data := exportRows(t, c, instancePath(fx.body.ID, "/preparer.xlsx"))
	var cells []string
	for _, r := range data {
		cells = append(cells, r...)
	}
	all := strings.Join(cells, "\n")
	noPrivate(t, reader, "préparation.xlsx", all, people)
	for _, p := range people {
		if want := p.name + " (" + p.function + ", " + p.org + ")"; !strings.Contains(all, want) {
			t.Errorf("%s, préparation.xlsx : responsable %q absent : %q", reader, want, data)
		}
	}
	if strings.Contains(all, "/contacts/") || strings.Contains(all, "Contact n°") {
		t.Errorf("%s, préparation.xlsx : lien ou numéro de contact : %q", reader, data)
	}
}

// TestPublicCapacityPresenceForm: the attendance buttons of a meeting's page address the
// invitee by their contact id; a writer who may not read that contact (here an IA-DASEN
// of the 93 whose invitee moved to a commune of the 77) sees the name, function and
// organisation, but gets no button, hence no id, and a note instead.
func TestPublicCapacityPresenceForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newPublicFixture(t, s)
		d := doc(t, fx.clients["pilote"].get("/reunions/"+idStr(fx.reunion)))
		for _, c := range []int64{fx.outside.ID, fx.inside.ID} {
			if d.Find(`#tableau-invites form[action$="/invites/`+idStr(c)+`"]`).Length() == 0 {
				t.Errorf("pilote : pas de bouton de présence pour le contact %d", c)
			}
		}
		ctx := t.Context()
		ia93 := fx.actors["ia93"]
		b93 := fx.copilotage(t, "93")
		if err := s.AddMember(ctx, ia93, b93.ID, models.MemberInput{ContactID: fx.inside.ID, Role: "membre"}); err != nil {
			t.Fatal(err)
		}
		r := must(s.CreateReunion(ctx, ia93, models.ReunionInput{InstanceID: b93.ID, Date: "2031-03-11", HeureDebut: "14:00", HeureFin: "16:00"}))
		if _, err := s.UpdateContact(ctx, models.SystemActor("test"), fx.inside.ID, fx.inside.Version, models.ContactInput{
			OrganisationID: fx.outside.OrganisationID, Nom: "Martin", Prenom: "Claire", Fonction: fx.insideFunction, Email: fx.insideEmail}); err != nil {
			t.Fatal(err)
		}
		rec := fx.clients["ia93"].get("/reunions/" + idStr(r.ID))
		if rec.Code != http.StatusOK {
			t.Fatalf("IA 93, réunion : %d", rec.Code)
		}
		d = doc(t, rec)
		cells := d.Find("#tableau-invites tbody td")
		if !strings.Contains(cells.Eq(0).Text(), "Claire Martin") || !strings.Contains(cells.Eq(0).Text(), fx.outsideOrg) {
			t.Errorf("IA 93 : invitée sans nom ni organisme : %q", cells.Eq(0).Text())
		}
		if d.Find("#tableau-invites form").Length() != 0 || strings.Contains(rec.Body.String(), contactPath(fx.inside.ID, "")) ||
			strings.Contains(rec.Body.String(), "/invites/"+idStr(fx.inside.ID)) || strings.Contains(rec.Body.String(), fx.insideEmail) {
			t.Errorf("IA 93 : identifiant ou courriel d'un contact hors périmètre sur la page de la réunion")
		}
		if !strings.Contains(cells.Eq(1).Text(), "hors de votre périmètre") {
			t.Errorf("IA 93 : pas d'explication à la place des boutons : %q", cells.Eq(1).Text())
		}
	})
}
