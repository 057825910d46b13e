package app_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// alertesWorld is a cadre, the départementales of the 93 and the 94 and one local convention
// in each, in force and expiring within 30 days, and form clients for several roles.
type alertesWorld struct {
	clients          map[string]*formClient
	bobigny, creteil models.ConventionRow
}

func newAlertesWorld(t *testing.T, s *models.Store) alertesWorld {
	t.Helper()
	h := newAnonymousServer(t, s, app.Config{})
	w := alertesWorld{clients: map[string]*formClient{}}
	for name, in := range map[string]models.UserInput{
		"admin":   {Role: models.RoleAdmin},
		"pilote":  {Role: models.RolePilote},
		"ia93":    {Role: models.RoleIA, Departement: "93"},
		"ia77":    {Role: models.RoleIA, Departement: "77"},
		"lecteur": {Role: models.RoleLecteur},
	} {
		in.Email, in.Nom = name+"@ac-creteil.fr", "Compte "+name
		w.clients[name] = newFormClient(t, h, signIn(t, s, in))
	}
	ctx, sys := t.Context(), models.SystemActor("test")
	create := func(in models.ConventionInput) models.ConventionRow {
		c, err := s.CreateConvention(ctx, sys, in)
		if err != nil {
			t.Fatalf("%s : %v", in.Reference, err)
		}
		return c
	}
	soon := time.Now().AddDate(0, 0, 30).Format("02/01/2006")
	cadre := create(models.ConventionInput{Kind: "cadre", Reference: "CRE-AC-2011-001", Titre: "Cadre"})
	d93 := create(models.ConventionInput{Kind: "departementale", Reference: "CRE-93-2012-001", Titre: "93", Departement: "93", ParentID: cadre.ID})
	d94 := create(models.ConventionInput{Kind: "departementale", Reference: "CRE-94-2012-001", Titre: "94", Departement: "94", ParentID: cadre.ID})
	w.bobigny = create(models.ConventionInput{Kind: "locale", Reference: "CRE-93-2012-002", Titre: "ENT à Bobigny <script>alert(1)</script>",
		Departement: "93", ParentID: d93.ID, Communes: "93008", DateExpiration: soon})
	w.creteil = create(models.ConventionInput{Kind: "locale", Reference: "CRE-94-2012-002", Titre: "ENT à Créteil",
		Departement: "94", ParentID: d94.ID, Communes: "94028", DateExpiration: soon})
	for _, c := range []models.ConventionRow{w.bobigny, w.creteil} {
		for _, kind := range []string{models.OrgDSDEN, models.OrgCommune} {
			in := models.OrganisationInput{Kind: kind, Nom: "DSDEN " + c.Departement(), Departement: c.Departement()}
			if kind == models.OrgCommune {
				in = models.OrganisationInput{Kind: kind, Commune: c.Communes[0].CodeINSEE}
			}
			o, err := s.CreateOrganisation(ctx, sys, in)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SaveConventionParty(ctx, sys, c.ID, 0, models.PartyInput{OrganisationID: o.ID, Nom: "Signataire", Date: "02/04/2012"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []string{"negociation", "deliberation", "signature", "signee", "en_vigueur"} {
			if _, err := s.TransitionConvention(ctx, sys, c.ID, models.TransitionInput{Vers: v, Date: "02/04/2012"}); err != nil {
				t.Fatalf("%s : %v", v, err)
			}
		}
	}
	return w
}

func TestConventionAlertesPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newAlertesWorld(t, s)
		ia93 := w.clients["ia93"]
		rec := ia93.get("/conventions/alertes")
		if rec.Code != http.StatusOK {
			t.Fatalf("alertes : %d", rec.Code)
		}
		d := doc(t, rec)
		if n := rows(d, "#tableau-echeances"); n != 1 || !strings.Contains(d.Find("#tableau-echeances").Text(), "CRE-93-2012-002") {
			t.Errorf("échéances de l'IA 93 : %d lignes : %s", n, d.Find("#tableau-echeances").Text())
		}
		if n := rows(d, "#tableau-departements-sans-convention"); n != 1 {
			t.Errorf("l'IA 93 voit %d départements", n)
		}
		// A window of 10 days leaves the convention out; a bad window is refused.
		if d := doc(t, ia93.get("/conventions/alertes?jours=10")); d.Find("#tableau-echeances").Length() != 0 {
			t.Error("fenêtre de 10 jours : la convention qui expire dans 30 jours est signalée")
		}
		if rec := ia93.get("/conventions/alertes?jours=abc"); rec.Code != http.StatusBadRequest {
			t.Errorf("jours=abc : %d", rec.Code)
		}
		home := doc(t, ia93.get("/"))
		if txt := home.Find("#alertes-conventions").Text(); !strings.Contains(txt, "1 arrive à échéance") {
			t.Errorf("accueil : %q", txt)
		}
		if txt := doc(t, w.clients["pilote"].get("/")).Find("#alertes-conventions").Text(); !strings.Contains(txt, "2 arrivent à échéance") {
			t.Errorf("accueil du pilote : %q", txt)
		}
	})
}

func TestConventionModelsAndDraft(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newAlertesWorld(t, s)
		admin, ia93 := w.clients["admin"], w.clients["ia93"]
		pages := newW3CPagesOrNil(t)
		if rec := ia93.post("/admin/modeles", url.Values{"nom": {"M"}, "type": {"locale"}, "texte": {"x"}}); rec.Code != http.StatusForbidden {
			t.Errorf("modèle par un IA : %d", rec.Code)
		}
		rec := admin.post("/admin/modeles", url.Values{"nom": {""}, "type": {"locale"}, "texte": {"Bonjour {{inconnu}}"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("modèle invalide : %d", rec.Code)
		}
		d := doc(t, rec)
		if msg := d.Find("#modele-texte-erreur").Text(); !strings.Contains(msg, "{{inconnu}}") {
			t.Errorf("message du texte : %q", msg)
		}
		if v := d.Find("#modele-texte").Text(); v != "Bonjour {{inconnu}}" {
			t.Errorf("texte saisi perdu : %q", v)
		}
		pages.add("POST /admin/modeles (erreurs)", rec.Body.Bytes())
		texte := "# {{titre}}\n\nEntre {{ia_dasen}} et {{commune}}.\n\n[lien](javascript:alert(1))\n\n{{liste_ecoles}}\n"
		if rec := admin.post("/admin/modeles", url.Values{"nom": {"Locale type"}, "type": {"locale"}, "texte": {texte}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("modèle : %d", rec.Code)
		}
		list := admin.get("/admin/modeles")
		if rows(doc(t, list), "#tableau-modeles") != 1 {
			t.Fatal("le modèle n'est pas listé")
		}
		pages.add("/admin/modeles", list.Body.Bytes())
		pages.add("/admin/modeles/nouveau", admin.get("/admin/modeles/nouveau").Body.Bytes())
		// The draft: placeholders replaced, the convention's title escaped, javascript: dropped.
		id := idStr(w.bobigny.ID)
		rec = ia93.get("/conventions/" + id + "/projet")
		if rec.Code != http.StatusOK {
			t.Fatalf("projet : %d", rec.Code)
		}
		body := rec.Body.String()
		d = doc(t, rec)
		if h1 := d.Find("#projet h1").Text(); !strings.Contains(h1, "ENT à Bobigny <script>") {
			t.Errorf("titre du projet : %q", h1)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "javascript:alert") {
			t.Error("le projet contient un script ou un lien javascript:")
		}
		if !strings.Contains(d.Find("#projet").Text(), "Entre Signataire") || !strings.Contains(d.Find("#projet").Text(), "Bobigny.") {
			t.Errorf("champs non remplacés : %s", d.Find("#projet").Text())
		}
		pages.add("/conventions/:id/projet", rec.Body.Bytes())
		md := ia93.get("/conventions/" + id + "/projet?format=md")
		if md.Code != http.StatusOK || !strings.Contains(md.Header().Get("Content-Disposition"), "CRE-93-2012-002.md") {
			t.Errorf("projet en Markdown : %d %q", md.Code, md.Header().Get("Content-Disposition"))
		}
		if rec := w.clients["ia77"].get("/conventions/" + id + "/projet"); rec.Code != http.StatusNotFound {
			t.Errorf("projet hors périmètre : %d", rec.Code)
		}
		alerts := ia93.get("/conventions/alertes")
		pages.add("/conventions/alertes", alerts.Body.Bytes())
		pages.add("/ (alertes)", ia93.get("/").Body.Bytes())
		pages.check()
	})
}

// newW3CPagesOrNil is newW3CPages, or a collector that checks nothing when the checker is
// missing and not required (the functional checks still run).
func newW3CPagesOrNil(t *testing.T) *w3cPages {
	if !fileExists(vnuJar) {
		return &w3cPages{t: t, dir: t.TempDir(), skip: true}
	}
	return newW3CPages(t)
}

// TestConventionDocuments: the signed PDF of a convention, uploaded from its page, is
// downloaded by whoever sees the convention, never by another département's IA; a file that
// is not a PDF is refused with the message next to the field.
func TestConventionDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newAlertesWorld(t, s)
		ia93, page := w.clients["ia93"], "/conventions/"+idStr(w.bobigny.ID)
		if rec := ia93.upload(page+"/documents", "../../etc/passwd", []byte("root:x:0:0")); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(doc(t, rec).Find("#documents").Parent().Text(), "n'est pas un PDF") {
			t.Fatalf("faux PDF : %d", rec.Code)
		}
		if rec := ia93.upload(page+"/documents", "Convention signée.pdf", samplePDF("convention"), "description", "Convention signée"); rec.Code != http.StatusSeeOther {
			t.Fatalf("dépôt : %d", rec.Code)
		}
		link, ok := doc(t, ia93.get(page)).Find(`a[href^="/documents/"]`).Attr("href")
		if !ok {
			t.Fatal("le document n'est pas listé sur la page de la convention")
		}
		if rec := ia93.get(link); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
			t.Errorf("téléchargement : %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		if rec := w.clients["ia77"].get(link); rec.Code != http.StatusNotFound {
			t.Errorf("téléchargement par l'IA 77 : %d", rec.Code)
		}
		if rec := w.clients["ia77"].upload(page+"/documents", "x.pdf", samplePDF("x")); rec.Code != http.StatusNotFound {
			t.Errorf("dépôt par l'IA 77 : %d", rec.Code)
		}
		if rec := w.clients["lecteur"].upload(page+"/documents", "x.pdf", samplePDF("x")); rec.Code != http.StatusForbidden {
			t.Errorf("dépôt par le lecteur : %d", rec.Code)
		}
		// An avenant's document, added from the convention's page and listed there.
		a, err := s.CreateAvenant(t.Context(), models.SystemActor("test"), w.bobigny.ID, models.AvenantInput{Objet: models.AvenantProlongation,
			NouvelleExpiration: "31/08/2099"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateAvenant(t.Context(), models.SystemActor("test"), w.creteil.ID, models.AvenantInput{Objet: models.AvenantAutre})
		if err != nil {
			t.Fatal(err)
		}
		if rec := ia93.upload(page+"/documents", "a.pdf", samplePDF("a"), "avenant", idStr(other.ID)); rec.Code != http.StatusUnprocessableEntity ||
			doc(t, rec).Find("#document-avenant-erreur").Length() != 1 {
			t.Errorf("avenant d'une autre convention : %d", rec.Code)
		}
		if rec := ia93.upload(page+"/documents", "Avenant 1 signé.pdf", samplePDF("avenant"), "avenant", idStr(a.ID)); rec.Code != http.StatusSeeOther {
			t.Fatalf("dépôt de l'avenant : %d", rec.Code)
		}
		d := doc(t, ia93.get(page))
		if txt := d.Find("#tableau-documents").Text(); !strings.Contains(txt, "Avenant 1 signé.pdf") || !strings.Contains(txt, "Avenant n° 1") {
			t.Errorf("documents de la convention : %s", txt)
		}
		if rec := w.clients["ia77"].get("/avenants/" + idStr(a.ID)); rec.Code != http.StatusNotFound {
			t.Errorf("avenant vu par l'IA 77 : %d", rec.Code)
		}
		if rec := ia93.get("/avenants/" + idStr(a.ID)); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), page) {
			t.Errorf("adresse de l'avenant : %d %s", rec.Code, rec.Header().Get("Location"))
		}
		// 50 Mo: 413 before the body is read, and the server goes on serving.
		if rec := ia93.upload(page+"/documents", "enorme.pdf", bytes.Repeat([]byte("A"), 50<<20)); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("50 Mo : %d", rec.Code)
		}
		if rec := ia93.get(page); rec.Code != http.StatusOK {
			t.Errorf("après le refus de 50 Mo : %d", rec.Code)
		}
		pages := newW3CPagesOrNil(t)
		pages.add(page+" (documents)", ia93.get(page).Body.Bytes())
		pages.add("POST "+page+"/documents (avenant refusé)", ia93.upload(page+"/documents", "a.pdf", samplePDF("a"), "avenant", idStr(other.ID)).Body.Bytes())
		pages.check()
	})
}

// TestPreparationShowsConventionDeadlines: "Préparer la prochaine réunion" of the 93's
// co-pilotage lists the 93's conventions expiring soon, not the 94's.
func TestPreparationShowsConventionDeadlines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newAlertesWorld(t, s)
		_, body := newBody93(t, s)
		rec := w.clients["pilote"].get("/instances/" + idStr(body.ID) + "/preparer")
		if rec.Code != http.StatusOK {
			t.Fatalf("préparation : %d", rec.Code)
		}
		txt := doc(t, rec).Find("#liste-echeances-conventions").Text()
		if !strings.Contains(txt, "CRE-93-2012-002") || strings.Contains(txt, "CRE-94") {
			t.Errorf("échéances des conventions du 93 : %q", txt)
		}
	})
}
