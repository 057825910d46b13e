package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// contactsFixture is the world with organisations in 93 and 77 and a shared one; its
// clients and the administrator's actor are named for short.
type contactsFixture struct {
	*world
	admin, pilote, ia93, ien, lecteur *formClient
	adminActor                        models.Actor
	bobigny, acheres, rectorat        int64
}

func newContactsFixture(t *testing.T, s *models.Store) contactsFixture {
	t.Helper()
	w := newWorld(t, s, app.Config{})
	org := func(in models.OrganisationInput) int64 { return must(s.CreateOrganisation(t.Context(), w.sys, in)).ID }
	return contactsFixture{world: w,
		bobigny:  org(models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"}),
		acheres:  org(models.OrganisationInput{Kind: models.OrgCommune, Commune: "77001"}),
		rectorat: org(models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat de Créteil"}),
		admin:    w.clients["admin"], pilote: w.clients["pilote"], ia93: w.clients["ia93"], ien: w.clients["ien94"],
		lecteur: w.clients["lecteur"], adminActor: w.actors["admin"],
	}
}

// contactValues is a filled contact form.
func contactValues(org int64, kv ...string) url.Values {
	return withFields(url.Values{"organisation": {strconv.FormatInt(org, 10)}}, kv...)
}

func (fx contactsFixture) create(t *testing.T, org int64, kv ...string) int64 {
	t.Helper()
	return createdAt(t, fx.pilote.post("/contacts", contactValues(org, kv...)), "/contacts/")
}

func contactPath(id int64, suffix string) string {
	return "/contacts/" + strconv.FormatInt(id, 10) + suffix
}

func TestContactsScopeHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		c77 := fx.create(t, fx.acheres, "nom", "Durand", "prenom", "Paul", "email", "p.durand@acheres.fr")
		c93 := fx.create(t, fx.bobigny, "nom", "Martin", "email", "c.martin@bobigny.fr")
		shared := fx.create(t, fx.rectorat, "nom", "Leroy")

		// The IA of 93 gets 404 on everything about the 77 contact.
		for _, rec := range map[string]*httptest.ResponseRecorder{
			"fiche":       fx.ia93.get(contactPath(c77, "")),
			"formulaire":  fx.ia93.get(contactPath(c77, "/modifier")),
			"modifier":    fx.ia93.post(contactPath(c77, ""), contactValues(fx.bobigny, "nom", "Volé", "version", "1")),
			"archiver":    fx.ia93.post(contactPath(c77, "/archiver"), nil),
			"export RGPD": fx.admin.get(contactPath(987654, "/rgpd.json")),
		} {
			if rec.Code != http.StatusNotFound {
				t.Errorf("statut %d, attendu 404", rec.Code)
			}
		}
		for _, path := range []string{"/contacts", "/contacts.csv", "/contacts.xlsx", "/api/v1/contacts", "/contacts?organisation=" + strconv.FormatInt(fx.acheres, 10)} {
			rec := fx.ia93.get(path)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Durand") || strings.Contains(rec.Body.String(), "acheres.fr") {
				t.Errorf("%s : %d, le contact de 77 ne doit pas apparaître", path, rec.Code)
			}
		}
		var api struct {
			Total int64
			Items []struct{ ID int64 }
		}
		if err := json.Unmarshal(fx.ia93.get("/api/v1/contacts").Body.Bytes(), &api); err != nil || api.Total != 2 || len(api.Items) != 2 {
			t.Errorf("API de l'IA 93 : %+v %v", api, err)
		}
		if s, _ := fx.s.GetContact(t.Context(), fx.adminActor, c77); s.Nom != "Durand" {
			t.Errorf("le contact de 77 a changé : %+v", s)
		}
		// A shared contact is visible but not writable by the IA: no button, 403 on the form.
		d := page(t, fx.ia93.get(contactPath(shared, "")), "fiche partagée", http.StatusOK)
		if d.Find("#lien-modifier, #bouton-archiver").Length() != 0 {
			t.Error("boutons de modification sur un contact que l'IA ne peut modifier")
		}
		if rec := fx.ia93.post(contactPath(shared, ""), contactValues(fx.rectorat, "nom", "Leroy", "version", "1")); rec.Code != http.StatusForbidden {
			t.Errorf("modification d'un contact partagé par l'IA : %d", rec.Code)
		}
		if rec := fx.ia93.get(contactPath(c93, "/modifier")); rec.Code != http.StatusOK {
			t.Errorf("formulaire d'un contact du 93 par l'IA : %d", rec.Code)
		}
	})
}

func TestContactsMaskingHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Martin", "prenom", "Claire", "email", "c.martin@bobigny.fr",
			"telephone", "01 41 60 93 93", "notes", "Joignable le matin")
		secret := []string{"c.martin@bobigny.fr", "01 41 60 93 93", "Joignable"}
		noSecret := func(what string, body []byte) {
			t.Helper()
			for _, v := range secret {
				if strings.Contains(string(body), v) {
					t.Errorf("%s : %q visible par le lecteur", what, v)
				}
			}
		}
		d := page(t, fx.lecteur.get("/contacts"), "/contacts", http.StatusOK)
		if d.Find("#donnees-masquees").Length() != 1 || !strings.Contains(d.Find("#tableau-contacts").Text(), "Martin") {
			t.Error("liste du lecteur : avertissement ou contact absent")
		}
		noSecret("liste", fx.lecteur.get("/contacts").Body.Bytes())
		rec := fx.lecteur.get(contactPath(id, ""))
		d = page(t, rec, "fiche", http.StatusOK)
		if d.Find("#coordonnees-masquees").Length() != 1 {
			t.Error("fiche du lecteur : coordonnées non signalées masquées")
		}
		noSecret("fiche", rec.Body.Bytes())
		for _, ext := range []string{".csv", ".xlsx"} {
			rec := fx.lecteur.get("/contacts" + ext)
			var header []string
			var rows [][]string
			if ext == ".csv" {
				header, rows = readCSV(t, ext, rec.Body.Bytes())
			} else {
				header, rows = readXLSX(t, ext, rec.Body.Bytes())
			}
			if len(rows) != 1 || slices.Contains(header, "Adresse électronique") || slices.Contains(header, "Téléphone") {
				t.Errorf("export %s du lecteur : %v %v", ext, header, rows)
			}
			for _, row := range rows {
				noSecret("export "+ext, []byte(strings.Join(row, "|")))
			}
		}
		rec = fx.lecteur.get("/api/v1/contacts")
		noSecret("API", rec.Body.Bytes())
		if body := rec.Body.String(); strings.Contains(body, `"email"`) || strings.Contains(body, `"telephone"`) || !strings.Contains(body, `"donnees_masquees":true`) {
			t.Errorf("API du lecteur : %s", body)
		}
		// The pilote sees them, in the list and the export.
		if body := fx.pilote.get("/contacts").Body.String(); !strings.Contains(body, "c.martin@bobigny.fr") || !strings.Contains(body, "01 41 60 93 93") {
			t.Error("le pilote ne voit pas les coordonnées")
		}
		header, rows := readXLSX(t, "pilote", fx.pilote.get("/contacts.xlsx").Body.Bytes())
		if col := slices.Index(header, "Adresse électronique"); col < 0 || rows[0][col] != "c.martin@bobigny.fr" {
			t.Errorf("export du pilote : %v %v", header, rows)
		}
		if body := fx.pilote.get("/api/v1/contacts").Body.String(); !strings.Contains(body, `"email":"c.martin@bobigny.fr"`) {
			t.Errorf("API du pilote : %s", body)
		}
	})
}

func TestContactsConsultationLoggedHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Martin")
		consultations := func() []models.AuditEvent {
			p, err := s.ListAudit(t.Context(), fx.adminActor, models.AuditFilter{Entity: "contact", EntityID: strconv.FormatInt(id, 10), Action: "consultation"}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}
		d := page(t, fx.lecteur.get(contactPath(id, "")), "fiche", http.StatusOK)
		if evs := consultations(); len(evs) != 1 || evs[0].Role != "lecteur" || evs[0].RequestID == "" {
			t.Fatalf("consultation du lecteur : %+v", evs)
		}
		if strings.Contains(d.Find("#historique").Parent().Text(), "Consultation") {
			t.Error("l'historique de la fiche liste les consultations")
		}
		page(t, fx.pilote.get(contactPath(id, "/modifier")), "formulaire", http.StatusOK)
		if n := len(consultations()); n != 2 {
			t.Errorf("le formulaire affiche les données : consultation attendue (%d)", n)
		}
		fx.pilote.get("/contacts")
		if n := len(consultations()); n != 2 {
			t.Errorf("la liste ne journalise pas de consultation par fiche (%d)", n)
		}
	})
}

func TestContactsFormValidationHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		d := page(t, fx.pilote.get("/contacts/nouveau?organisation="+strconv.FormatInt(fx.bobigny, 10)), "/contacts/nouveau", http.StatusOK)
		if !strings.Contains(d.Find("#finalite").Text(), "mission d'intérêt public") || !strings.Contains(d.Find("#finalite").Text(), "3 ans") {
			t.Errorf("finalité absente du formulaire : %q", d.Find("#finalite").Text())
		}
		if v, _ := d.Find("#contact-organisation option[selected]").Attr("value"); v != strconv.FormatInt(fx.bobigny, 10) {
			t.Errorf("organisation présélectionnée : %q", v)
		}
		if d.Find("#contact-organisation option").Length() != 4 {
			t.Errorf("options d'organisation : %d", d.Find("#contact-organisation option").Length())
		}
		long := strings.Repeat("x", 10000)
		cases := []struct {
			name, field, value, msg, kept string
		}{
			{"nom vide", "nom", "", "Le nom est obligatoire.", ""},
			{"adresse invalide", "email", "pas-une-adresse", "Adresse électronique invalide", "pas-une-adresse"},
			{"téléphone invalide", "telephone", "12345", "Numéro de téléphone invalide", "12345"},
			{"téléphone en lettres", "telephone", "01 ab 93 70 00", "Numéro de téléphone invalide", "01 ab 93 70 00"},
			{"10 000 caractères", "nom", long, "100 caractères", long},
			{"fonction trop longue", "fonction", long, "200 caractères", long},
			{"UTF-8 invalide", "nom", "Mar\xfftin", "caractères invalides", "Mar\uFFFDtin"},
			{"notes trop longues", "notes", strings.Repeat("n", 2001), "2000 caractères", strings.Repeat("n", 2001)},
		}
		for _, tc := range cases {
			form := contactValues(fx.bobigny, "nom", "Martin", "prenom", "Claire")
			form.Set(tc.field, tc.value)
			d := page(t, fx.pilote.post("/contacts", form), tc.name, http.StatusUnprocessableEntity)
			if got := d.Find("#contact-" + tc.field + "-erreur").Text(); !strings.Contains(got, tc.msg) {
				t.Errorf("%s : message %q, attendu %q", tc.name, got, tc.msg)
			}
			kept, _ := d.Find("#contact-" + tc.field).Attr("value")
			if tc.field == "notes" {
				kept = d.Find("#contact-notes").Text()
			}
			if kept != tc.kept {
				t.Errorf("%s : valeur %q non conservée (%d caractères)", tc.name, tc.value, len(kept))
			}
			if v, _ := d.Find("#contact-prenom").Attr("value"); v != "Claire" {
				t.Errorf("%s : prénom saisi perdu (%q)", tc.name, v)
			}
		}
		if p, _ := s.ListContacts(t.Context(), fx.adminActor, models.ContactFilter{}, models.PageRequest{}); p.Total != 0 {
			t.Fatalf("%d contacts créés par des formulaires invalides", p.Total)
		}
		// HTML is stored as typed and shown escaped.
		id := fx.create(t, fx.bobigny, "nom", "Martin", "fonction", `<script>alert("x")</script>`, "notes", "<b>gras</b>\nligne 2")
		rec := fx.pilote.get(contactPath(id, ""))
		d = page(t, rec, "fiche", http.StatusOK)
		body := rec.Body.String()
		if strings.Contains(body, `<script>alert`) || strings.Contains(body, "<b>gras") || !strings.Contains(body, "&lt;script&gt;") {
			t.Error("balises de l'utilisateur non échappées")
		}
		if !strings.Contains(d.Find("#fiche-contact").Text(), `<script>alert("x")</script>`) {
			t.Error("fonction non affichée telle que saisie")
		}
		// Roles that write no contact: a page that says so, and 403 on a valid post.
		for name, fc := range map[string]*formClient{"lecteur": fx.lecteur, "ien": fx.ien} {
			d := page(t, fc.get("/contacts/nouveau"), name, http.StatusForbidden)
			if d.Find("#aucune-organisation").Length() != 1 || d.Find("#contact-nom").Length() != 0 {
				t.Errorf("%s : formulaire proposé", name)
			}
			if rec := fc.post("/contacts", contactValues(fx.bobigny, "nom", "Intrus")); rec.Code != http.StatusForbidden {
				t.Errorf("%s : création %d, attendu 403", name, rec.Code)
			}
			if page(t, fc.get("/contacts"), name, http.StatusOK).Find("#lien-nouveau-contact").Length() != 0 {
				t.Errorf("%s : bouton « Nouveau contact »", name)
			}
		}
		// An organisation outside the IA's scope is refused next to the field.
		d = page(t, fx.ia93.post("/contacts", contactValues(fx.acheres, "nom", "Intrus")), "organisation hors périmètre", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#contact-organisation-erreur").Text(), "inconnue") {
			t.Errorf("organisation hors périmètre : %q", d.Find("#contact-organisation-erreur").Text())
		}
	})
}

func TestContactsDuplicatesHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		first := fx.create(t, fx.bobigny, "nom", "Lefèvre", "prenom", "Hélène", "email", "h.lefevre@bobigny.fr")
		for name, form := range map[string]url.Values{
			"même adresse": contactValues(fx.rectorat, "nom", "Autre", "email", "H.LEFEVRE@bobigny.fr"),
			"même nom":     contactValues(fx.bobigny, "nom", "LEFEVRE", "prenom", "helene"),
		} {
			d := page(t, fx.pilote.post("/contacts", form), name, http.StatusUnprocessableEntity)
			warning := d.Find("#doublons")
			if href, _ := warning.Find("a").Attr("href"); href != contactPath(first, "") || !strings.Contains(warning.Text(), "Hélène Lefèvre") {
				t.Errorf("%s : avertissement %q", name, warning.Text())
			}
			if d.Find("#confirmer-doublon").Length() != 1 {
				t.Errorf("%s : case de confirmation absente", name)
			}
			if v, _ := d.Find("#contact-nom").Attr("value"); v != form.Get("nom") {
				t.Errorf("%s : saisie perdue", name)
			}
			form.Set("confirmer_doublon", "oui")
			createdAt(t, fx.pilote.post("/contacts", form), "/contacts/")
		}
	})
}

func TestContactsLostUpdateHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Martin", "telephone", "01 41 60 93 93", "fonction", "DGS")
		version := func(fc *formClient) string {
			d := page(t, fc.get(contactPath(id, "/modifier")), "formulaire", http.StatusOK)
			v, _ := d.Find("input[name=version]").Attr("value")
			return v
		}
		vPilote, vIA := version(fx.pilote), version(fx.ia93)
		if vPilote != "1" || vIA != "1" {
			t.Fatalf("versions %q %q", vPilote, vIA)
		}
		rec := fx.pilote.post(contactPath(id, ""), contactValues(fx.bobigny, "nom", "Martin", "fonction", "DGS adjointe", "telephone", "01 41 60 93 93", "version", vPilote))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("première modification : %d\n%s", rec.Code, rec.Body.String())
		}
		d := page(t, fx.ia93.post(contactPath(id, ""), contactValues(fx.bobigny, "nom", "Écrasé", "version", vIA)), "modification périmée", http.StatusConflict)
		if !strings.Contains(d.Find("#conflit").Text(), "Compte pilote") || !strings.Contains(d.Find("#tableau-conflit").Text(), "Écrasé") {
			t.Errorf("page de conflit : %q", d.Find("#conflit").Text())
		}
		if v, _ := d.Find("input[name=version]").Attr("value"); v != "2" {
			t.Errorf("le formulaire de conflit repart de la version actuelle : %q", v)
		}
		c, _ := s.GetContact(t.Context(), fx.adminActor, id)
		if c.Nom != "Martin" || c.Fonction != "DGS adjointe" {
			t.Errorf("la première modification doit rester : %+v", c)
		}
		hist, _ := s.ContactHistory(t.Context(), id)
		if len(hist) != 2 || hist[0].Action != "modification" {
			t.Errorf("un seul événement de modification attendu : %d", len(hist))
		}
		// A missing version never overwrites; zero values persist (the phone cleared).
		if rec := fx.pilote.post(contactPath(id, ""), contactValues(fx.bobigny, "nom", "Martin")); rec.Code != http.StatusConflict {
			t.Errorf("sans version : %d", rec.Code)
		}
		rec = fx.pilote.post(contactPath(id, ""), contactValues(fx.bobigny, "nom", "Martin", "fonction", "DGS adjointe", "telephone", "", "version", "2"))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != contactPath(id, "?fait=modification") {
			t.Fatalf("effacement du téléphone : %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if c, _ := s.GetContact(t.Context(), fx.adminActor, id); c.Telephone != "" || c.Version != 3 {
			t.Errorf("téléphone vidé non enregistré : %+v", c)
		}
		if !strings.Contains(page(t, fx.pilote.get(contactPath(id, "?fait=modification")), "fiche", http.StatusOK).Find("#historique").Parent().Text(), "effacé") {
			t.Error("historique : le téléphone effacé n'apparaît pas")
		}
	})
}

func TestContactsArchiveRestoreHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Martin")
		if rec := fx.lecteur.post(contactPath(id, "/archiver"), nil); rec.Code != http.StatusForbidden {
			t.Errorf("archivage par le lecteur : %d", rec.Code)
		}
		rec := fx.ia93.post(contactPath(id, "/archiver"), nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/contacts?fait=archivage" {
			t.Fatalf("archivage : %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if page(t, fx.pilote.get("/contacts?fait=archivage"), "liste", http.StatusOK).Find("#tableau-contacts tbody tr").Length() != 0 {
			t.Error("contact archivé dans la liste")
		}
		if rec := fx.pilote.get(contactPath(id, "")); rec.Code != http.StatusNotFound {
			t.Errorf("fiche archivée pour le pilote : %d", rec.Code)
		}
		if rec := fx.pilote.get("/contacts?archives=oui"); rec.Code != http.StatusForbidden {
			t.Errorf("archives pour le pilote : %d", rec.Code)
		}
		if page(t, fx.admin.get("/contacts?archives=oui"), "archives", http.StatusOK).Find("#tableau-contacts tbody tr").Length() != 1 {
			t.Error("archives de l'admin : contact absent")
		}
		d := page(t, fx.admin.get(contactPath(id, "")), "fiche archivée", http.StatusOK)
		if d.Find("#bouton-restaurer").Length() != 1 || d.Find("#lien-modifier").Length() != 0 {
			t.Error("fiche archivée : bouton de restauration absent ou modification proposée")
		}
		if rec := fx.pilote.post(contactPath(id, "/restaurer"), nil); rec.Code != http.StatusForbidden {
			t.Errorf("restauration par le pilote : %d", rec.Code)
		}
		if rec := fx.admin.post(contactPath(id, "/restaurer"), nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("restauration : %d", rec.Code)
		}
		page(t, fx.pilote.get(contactPath(id, "")), "fiche restaurée", http.StatusOK)
	})
}

func TestContactsRGPDHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Quintavalle", "prenom", "Zéphyrine", "email", "zq@mairie-bobigny.fr",
			"telephone", "01 48 30 12 34", "notes", "Allergique aux réunions du lundi")
		other := fx.create(t, fx.bobigny, "nom", "Autrepersonne", "email", "octave@mairie-bobigny.fr")
		fx.lecteur.get(contactPath(id, ""))

		if rec := fx.pilote.get(contactPath(id, "/rgpd.json")); rec.Code != http.StatusForbidden {
			t.Errorf("export RGPD par le pilote : %d", rec.Code)
		}
		rec := fx.admin.get(contactPath(id, "/rgpd.json"))
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("export RGPD : %d %v", rec.Code, rec.Header())
		}
		var exp struct {
			Contact struct {
				ID    int64
				Email string
			}
			Journal []struct{ Action string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &exp); err != nil || exp.Contact.ID != id || exp.Contact.Email != "zq@mairie-bobigny.fr" || len(exp.Journal) != 2 {
			t.Errorf("export RGPD : %+v %v", exp, err)
		}
		if body := rec.Body.String(); strings.Contains(body, "Autrepersonne") || strings.Contains(body, "octave@") {
			t.Error("l'export RGPD contient une autre personne")
		}

		d := page(t, fx.admin.post(contactPath(id, "/effacer"), nil), "effacement sans confirmation", http.StatusUnprocessableEntity)
		if !strings.Contains(d.Find("#refus").Text(), "cochez la case") {
			t.Errorf("refus : %q", d.Find("#refus").Text())
		}
		if rec := fx.pilote.post(contactPath(id, "/effacer"), url.Values{"confirmer": {"oui"}}); rec.Code != http.StatusForbidden {
			t.Errorf("effacement par le pilote : %d", rec.Code)
		}
		rec = fx.admin.post(contactPath(id, "/effacer"), url.Values{"confirmer": {"oui"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != contactPath(id, "?fait=effacement") {
			t.Fatalf("effacement : %d %s", rec.Code, rec.Header().Get("Location"))
		}
		d = page(t, fx.admin.get(contactPath(id, "?fait=effacement")), "fiche effacée", http.StatusOK)
		if !strings.Contains(d.Find("h1").Text(), models.AnonymisedName) || d.Find("#formulaire-effacement").Length() != 0 {
			t.Errorf("fiche effacée : %q", d.Find("h1").Text())
		}
		gone := []string{"Quintavalle", "Zéphyrine", "zq@mairie-bobigny.fr", "01 48 30 12 34", "0148301234", "Allergique"}
		var audit strings.Builder
		if err := s.EachAudit(t.Context(), fx.adminActor, models.AuditFilter{}, func(ev models.AuditEvent) error {
			audit.WriteString(ev.Changes + ev.EntityID + ev.Actor + "\n")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		everything := audit.String() + fx.admin.get("/contacts.csv").Body.String() + fx.admin.get("/contacts.csv?archives=oui").Body.String() +
			fx.admin.get(contactPath(id, "/rgpd.json")).Body.String() + fx.admin.get(contactPath(id, "")).Body.String()
		for _, v := range gone {
			if strings.Contains(everything, v) {
				t.Errorf("%q reste après l'effacement", v)
			}
		}
		if !strings.Contains(fx.admin.get("/contacts.csv").Body.String(), "octave@mairie-bobigny.fr") {
			t.Error("l'autre personne a disparu")
		}
		if rec := fx.admin.get(contactPath(id, "/modifier")); rec.Code != http.StatusForbidden {
			t.Errorf("modification d'une personne effacée : %d", rec.Code)
		}
		_ = other
	})
}

func TestContactsStalePageHTTP(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			now := time.Date(2031, 1, 10, 10, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			s := e.OpenWith(t, true, models.Options{Now: clock})
			fx := newContactsFixture(t, s)
			old := fx.create(t, fx.bobigny, "nom", "Ancien")
			now = now.AddDate(3, 6, 0)
			// Three years and a half later, the sessions have long expired: sign in again.
			fx.admin = newFormClient(t, fx.h, signIn(t, s, models.UserInput{Email: "admin@ac-creteil.fr"}))
			fx.pilote = newFormClient(t, fx.h, signIn(t, s, models.UserInput{Email: "pilote@ac-creteil.fr"}))
			recent := fx.create(t, fx.bobigny, "nom", "Récent")

			d := page(t, fx.admin.get("/contacts/a-revoir"), "/contacts/a-revoir", http.StatusOK)
			rows := d.Find("#tableau-contacts-a-revoir tbody tr")
			if rows.Length() != 1 || !strings.Contains(rows.Text(), "Ancien") {
				t.Errorf("contacts à revoir : %q", rows.Text())
			}
			d = page(t, fx.admin.get("/contacts/a-revoir?anciennete=1an"), "un an", http.StatusOK)
			if d.Find("#tableau-contacts-a-revoir tbody tr").Length() != 1 {
				t.Error("un an : un contact attendu")
			}
			d = page(t, fx.admin.get("/contacts/a-revoir?anciennete=n%27importe"), "durée invalide", http.StatusBadRequest)
			if !strings.Contains(d.Find("#filtre-anciennete-erreur").Text(), "Durée invalide") {
				t.Errorf("durée invalide : %q", d.Find("#filtre-anciennete-erreur").Text())
			}
			if rec := fx.pilote.get("/contacts/a-revoir"); rec.Code != http.StatusForbidden {
				t.Errorf("revue par le pilote : %d", rec.Code)
			}
			_ = old
			_ = recent
		})
	}
}

func TestContactsListHTMX(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		fx.create(t, fx.bobigny, "nom", "Martin", "fonction", "Maire")
		fx.create(t, fx.rectorat, "nom", "Leroy", "fonction", "DANE")
		rec := fx.pilote.do(htmxRequest("/contacts?q=maire"))
		body := rec.Body.String()
		if rec.Code != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, "Martin") || strings.Contains(body, "Leroy") {
			t.Errorf("fragment htmx : %d\n%s", rec.Code, body)
		}
		d := page(t, fx.pilote.get("/contacts?sort=zzz"), "tri inconnu", http.StatusBadRequest)
		if !strings.Contains(d.Text(), "Tri inconnu") {
			t.Error("tri inconnu non signalé")
		}
		if rec := fx.pilote.get("/api/v1/contacts?organisation=abc"); rec.Code != http.StatusBadRequest {
			t.Errorf("API, filtre invalide : %d", rec.Code)
		}
	})
}

// TestContactsW3C runs the W3C Nu HTML checker on the contacts pages (list, page, forms
// with errors, duplicates and conflict, review), as TestW3CValidation does for the others.
func TestContactsW3C(t *testing.T) {
	java, err := exec.LookPath("java")
	if _, statErr := os.Stat(vnuJar); err != nil || statErr != nil {
		t.Skip("java ou vnu.jar introuvable : validation W3C ignorée")
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newContactsFixture(t, s)
		id := fx.create(t, fx.bobigny, "nom", "Martin", "email", "m@bobigny.fr", "notes", "a\nb")
		pages := map[string]*httptest.ResponseRecorder{
			"liste":        fx.pilote.get("/contacts"),
			"liste-lect":   fx.lecteur.get("/contacts"),
			"fiche":        fx.pilote.get(contactPath(id, "")),
			"fiche-admin":  fx.admin.get(contactPath(id, "")),
			"fiche-lect":   fx.lecteur.get(contactPath(id, "")),
			"nouveau":      fx.pilote.get("/contacts/nouveau"),
			"nouveau-lect": fx.lecteur.get("/contacts/nouveau"),
			"erreurs":      fx.pilote.post("/contacts", contactValues(fx.bobigny, "email", "x", "notes", strings.Repeat("n", 2001))),
			"doublon":      fx.pilote.post("/contacts", contactValues(fx.bobigny, "nom", "Martin")),
			"conflit":      fx.pilote.post(contactPath(id, ""), contactValues(fx.bobigny, "nom", "Martin", "version", "0")),
			"a-revoir":     fx.admin.get("/contacts/a-revoir?anciennete=1j"),
		}
		dir := t.TempDir()
		var files []string
		for name, rec := range pages {
			if rec.Code >= 500 {
				t.Fatalf("%s : %d", name, rec.Code)
			}
			f := filepath.Join(dir, name+".html")
			if err := os.WriteFile(f, rec.Body.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		out, err := exec.Command(java, append([]string{"-jar", vnuJar, "--errors-only", "--format", "text"}, files...)...).CombinedOutput()
		if err != nil {
			t.Errorf("le validateur W3C signale des erreurs :\n%s", out)
		}
	})
}
