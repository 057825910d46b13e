package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestW3CGovernancePages renders the governance pages through the router as the pilote
// académique (lists, records, forms, forms sent back with errors, the preparation page,
// "Mes actions", the archived actions, "Mon agenda", the charter and its coverage; an
// action's page as its owner who does not write the body) and runs the W3C Nu HTML checker
// on them: no error. Without Java or the checker the test skips, unless PILOTAGE_REQUIRE_W3C=1 (CI).
func TestW3CGovernancePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w3c := newW3CPages(t)
		fx := newDecFixture(t, s)
		r := newW3CGovernanceRecords(t, s, fx)
		addW3CGovernancePages(t, w3c, fx, r)
		addW3CGovernanceRefusals(t, w3c, fx.clients["pilote"], r)
		w3c.check()
	})
}

// w3cGovernanceRecords are the records of TestW3CGovernancePages, by id: something on
// every page.
type w3cGovernanceRecords struct {
	instance, reunion, decision, action string
	contact, archived, owned            int64
	charte, charte2, adoption           string
}

// newW3CGovernanceRecords creates a member, an agenda item, a planned meeting, a decision
// and actions (one overdue, one archived, one of the lecteur), two charter versions and an
// adoption, and a document on the meeting and on the adoption.
func newW3CGovernanceRecords(t *testing.T, s *models.Store, fx decFixture) w3cGovernanceRecords {
	t.Helper()
	ctx, p := t.Context(), fx.clients["pilote"]
	sys := models.SystemActor("test")
	sys.Role = models.RoleAdmin

	// Something on every page: a member, an agenda item, a planned meeting, a decision
	// and actions (one overdue), a charter version and an adoption.
	org, err := s.CreateOrganisation(ctx, sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat"})
	if err != nil {
		t.Fatal(err)
	}
	contact, err := s.CreateContact(ctx, sys, models.ContactInput{OrganisationID: org.ID, Nom: "Martin", Prenom: "Claire"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMember(ctx, fx.pilote, fx.acad.ID, models.MemberInput{ContactID: contact.ID, Role: "president", Debut: "01/09/2011"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPoint(ctx, fx.pilote, fx.rAcad.ID, "Point d'étape", "Claire Martin"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateReunion(ctx, fx.pilote, models.ReunionInput{InstanceID: fx.acad.ID, Titre: "COPIL de printemps",
		Date: "2099-04-14", HeureDebut: "10:00", HeureFin: "12:00", Lieu: "Rectorat"}); err != nil {
		t.Fatal(err)
	}
	d := fx.decision(t, fx.pilote, fx.rAcad.ID, "Adopter la charte", "93")
	mine := fx.responsable("pilote")
	a := fx.action(t, fx.pilote, models.ActionInput{DecisionID: d.ID, Titre: "Envoyer la charte", Echeance: "01/04/2012", Responsable: mine})
	fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Bilan", Echeance: "01/04/2099", Responsable: "c" + idStr(contact.ID)})
	archived := fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Archivée", Responsable: mine})
	if err := s.ArchiveAction(ctx, fx.pilote, archived.ID); err != nil {
		t.Fatal(err)
	}
	owned := fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Relire", Responsable: fx.responsable("lecteur")})
	charte := charteCreatedID(t, p.post("/chartes", charteForm("statut", "adoptee", "securite", "# Titre\n\n- un\n- *deux*")).Header().Get("Location"))
	charte2 := charteCreatedID(t, p.post("/chartes", charteForm("numero", "2", "securite", "# Titre\n\n- un\n- trois")).Header().Get("Location"))
	if rec := p.post("/adoptions", adoptionForm(charte, "commune", "93008")); rec.Code != http.StatusSeeOther {
		t.Fatalf("adoption : %d", rec.Code)
	}
	adoption := ""
	doc(t, p.get("/adoptions")).Find(`a[href^="/adoptions/"][href$="/modifier"]`).EachWithBreak(func(_ int, l *goquery.Selection) bool {
		adoption = strings.TrimSuffix(strings.TrimPrefix(l.AttrOr("href", ""), "/adoptions/"), "/modifier")
		return false
	})
	if adoption == "" {
		t.Fatal("aucune adoption modifiable dans /adoptions")
	}

	instance, reunion := idStr(fx.acad.ID), idStr(fx.rAcad.ID)
	// Documents: one on the meeting, one on the adoption.
	for _, owner := range []string{"/reunions/" + reunion, "/adoptions/" + adoption} {
		if rec := p.upload(owner+"/documents", "Compte rendu signé.pdf", samplePDF("W3C"), "description", "Compte rendu signé"); rec.Code != http.StatusSeeOther {
			t.Fatalf("document sur %s : %d", owner, rec.Code)
		}
	}
	return w3cGovernanceRecords{instance: instance, reunion: reunion, decision: idStr(d.ID), action: idStr(a.ID),
		contact: contact.ID, archived: archived.ID, owned: owned.ID, charte: charte, charte2: charte2, adoption: adoption}
}

// addW3CGovernancePages adds the pages of the records as the pilote, an action's page as
// its owner who does not write the body, and "Mon agenda".
func addW3CGovernancePages(t *testing.T, w3c *w3cPages, fx decFixture, r w3cGovernanceRecords) {
	t.Helper()
	p := fx.clients["pilote"]
	instance, reunion, decision, action, charte, charte2, adoption := r.instance, r.reunion, r.decision, r.action, r.charte, r.charte2, r.adoption
	pages := []string{
		"/instances", "/instances?type=copil_academique", "/instances/nouveau", "/instances/" + instance,
		"/instances/" + instance + "/modifier", "/instances/" + instance + "/preparer",
		"/reunions", "/reunions/nouveau", "/reunions/nouveau?instance=" + instance, "/reunions/" + reunion, "/reunions/" + reunion + "/modifier",
		"/decisions", "/decisions?type=orientation", "/decisions/nouveau", "/decisions/nouveau?reunion=" + reunion,
		"/decisions/" + decision, "/decisions/" + decision + "/modifier",
		"/actions", "/actions?retard=1", "/actions/nouveau", "/actions/nouveau?decision=" + decision,
		"/actions/" + action, "/actions/" + action + "/modifier", "/mes-actions",
		"/actions/archives", "/actions?fait=archivage&id=" + idStr(r.archived),
		"/chartes", "/chartes/nouveau", "/chartes/" + charte, "/chartes/" + charte + "/modifier",
		"/chartes/diff?de=" + charte + "&a=" + charte2, "/chartes/couverture",
		"/adoptions", "/adoptions/nouveau", "/adoptions/" + adoption + "/modifier",
	}
	for _, path := range pages {
		rec := p.get(path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s : %d", path, rec.Code)
		}
		w3c.add(path, rec.Body.Bytes())
	}
	// The status form of an action's owner who does not write its body.
	if rec := fx.clients["lecteur"].get("/actions/" + idStr(r.owned)); rec.Code != http.StatusOK {
		t.Fatalf("action du lecteur : %d", rec.Code)
	} else {
		w3c.add("lecteur /actions/"+idStr(r.owned), rec.Body.Bytes())
	}
	// "Mon agenda": the link shown once, then the renew and revoke buttons.
	if rec := p.post("/mon-compte/agenda", nil); rec.Code != http.StatusOK {
		t.Fatalf("POST /mon-compte/agenda : %d", rec.Code)
	} else {
		w3c.add("POST /mon-compte/agenda", rec.Body.Bytes())
	}
	if rec := p.get("/mon-compte"); rec.Code != http.StatusOK {
		t.Fatalf("/mon-compte : %d", rec.Code)
	} else {
		w3c.add("/mon-compte (agenda actif)", rec.Body.Bytes())
	}
}

// addW3CGovernanceRefusals adds the lists with refused filters, and the forms and uploads
// sent back with their errors.
func addW3CGovernanceRefusals(t *testing.T, w3c *w3cPages, p *formClient, r w3cGovernanceRecords) {
	t.Helper()
	instance, reunion, charte, adoption := r.instance, r.reunion, r.charte, r.adoption
	// Filters refused, shown again as typed.
	for _, path := range []string{"/reunions?du=31/02/2012&statut=inconnu", "/decisions?du=31/02/2012&type=inconnu",
		"/actions?statut=inconnu", "/instances?type=inconnu"} {
		rec := p.get(path)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("%s : %d, attendu 400", path, rec.Code)
		}
		w3c.add(path, rec.Body.Bytes())
	}
	// Forms sent back with their errors next to the fields.
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{"/instances", url.Values{"nom": {""}, "type": {"inconnu"}}},
		{"/reunions", url.Values{"instance": {instance}, "date": {"31/02/2012"}, "heure_debut": {"16:00"}, "heure_fin": {"14:00"}}},
		{"/reunions/" + reunion + "/points", url.Values{"titre": {""}}},
		{"/instances/" + instance + "/membres", url.Values{"contact": {idStr(r.contact)}, "role": {"president"}, "debut": {"31/02/2012"}}},
		{"/decisions", url.Values{"reunion": {reunion}, "texte": {""}, "type": {"inconnu"}, "communes": {"99999"}}},
		{"/actions", url.Values{"reunion": {reunion}, "titre": {""}, "echeance": {"31/02/2012"}, "statut": {"inconnu"}}},
		{"/chartes", charteForm("numero", "", "date", "31/02/2012")},
		{"/adoptions", adoptionForm(charte, "commune", "", "deliberation_date", "31/02/2012")},
	} {
		rec := p.post(post.path, post.form)
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
			t.Fatalf("POST %s avec erreurs : %d", post.path, rec.Code)
		}
		w3c.add("POST "+post.path, rec.Body.Bytes())
	}
	// Documents refused, shown again with the message next to the file field.
	for _, owner := range []string{"/reunions/" + reunion, "/adoptions/" + adoption} {
		rec := p.upload(owner+"/documents", "faux.pdf", []byte("<html></html>"), "description", strings.Repeat("d", 300))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("POST %s/documents avec un faux PDF : %d", owner, rec.Code)
		}
		w3c.add("POST "+owner+"/documents", rec.Body.Bytes())
	}
}
