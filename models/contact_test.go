package models_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// contactWorld is a small programme: organisations in 93 and 77, a shared one, an EPCI,
// and the actors of each role.
type contactWorld struct {
	s                                        *models.Store
	bobigny, acheres, rectorat, amif, estEns int64 // organisation ids
	admin, pilote, ia93, ia77, ien, amifA    models.Actor
	referent, referentEPCI, lecteur          models.Actor
}

// newOrganisation creates an organisation through the organisations' data layer.
func newOrganisation(t *testing.T, s *models.Store, in models.OrganisationInput) int64 {
	t.Helper()
	row, err := s.CreateOrganisation(t.Context(), models.SystemActor("test"), in)
	if err != nil {
		t.Fatalf("organisation %+v : %v", in, err)
	}
	return row.ID
}

func newContactWorld(t *testing.T, s *models.Store) contactWorld {
	t.Helper()
	w := contactWorld{s: s}
	w.bobigny = newOrganisation(t, s, models.OrganisationInput{Kind: models.OrgCommune, Commune: "93008"})
	w.acheres = newOrganisation(t, s, models.OrganisationInput{Kind: models.OrgCommune, Commune: "77001"})
	w.rectorat = newOrganisation(t, s, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat de Créteil"})
	w.amif = newOrganisation(t, s, models.OrganisationInput{Kind: models.OrgAMIF, Nom: "AMIF"})
	w.estEns = newOrganisation(t, s, models.OrganisationInput{Kind: models.OrgEPCI, EPCI: "200057875"})
	a := worldActors(t, s)
	w.admin, w.pilote, w.ia93, w.ia77, w.ien, w.amifA = a["admin"], a["pilote"], a["ia93"], a["ia77"], a["ien"], a["amif"]
	w.referent, w.referentEPCI, w.lecteur = a["bobigny"], a["estensemble"], a["lecteur"]
	return w
}

// contact creates a contact as the admin.
func (w contactWorld) contact(t *testing.T, in models.ContactInput) models.Contact {
	t.Helper()
	c, err := w.s.CreateContact(t.Context(), w.admin, in)
	if err != nil {
		t.Fatalf("contact %+v : %v", in, err)
	}
	return c
}

func listIDs(t *testing.T, s *models.Store, actor models.Actor, f models.ContactFilter) []int64 {
	t.Helper()
	p, err := s.ListContacts(t.Context(), actor, f, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range p.Items {
		ids = append(ids, r.ID)
	}
	if int(p.Total) != len(ids) {
		t.Errorf("total %d pour %d lignes", p.Total, len(ids))
	}
	return ids
}

func TestContactScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		c93 := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin", Prenom: "Claire", Email: "c.martin@bobigny.fr"})
		c77 := w.contact(t, models.ContactInput{OrganisationID: w.acheres, Nom: "Durand", Prenom: "Paul", Email: "p.durand@acheres.fr"})
		shared := w.contact(t, models.ContactInput{OrganisationID: w.rectorat, Nom: "Leroy", Fonction: "DANE"})
		epci := w.contact(t, models.ContactInput{OrganisationID: w.estEns, Nom: "Nguyen"})

		cases := []struct {
			name  string
			actor models.Actor
			want  []int64
		}{
			{"pilote", w.pilote, []int64{c77.ID, shared.ID, c93.ID, epci.ID}},
			{"ia93", w.ia93, []int64{shared.ID, c93.ID, epci.ID}},
			{"ia77", w.ia77, []int64{c77.ID, shared.ID}},
			{"référent Bobigny", w.referent, []int64{shared.ID, c93.ID, epci.ID}},
			{"lecteur", w.lecteur, []int64{c77.ID, shared.ID, c93.ID, epci.ID}},
			{"portée vide", models.Actor{Role: models.RolePilote}, nil},
		}
		for _, tc := range cases {
			got := listIDs(t, s, tc.actor, models.ContactFilter{})
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s : %v, attendu %v", tc.name, got, tc.want)
			}
			var each []int64
			if err := s.EachContact(ctx, tc.actor, models.ContactFilter{}, func(r models.ContactRow) error {
				each = append(each, r.ID)
				return nil
			}); err != nil || !slices.Equal(each, tc.want) {
				t.Errorf("%s : export %v (%v), attendu %v", tc.name, each, err, tc.want)
			}
		}

		// The IA of 93 reaches nothing of the 77 contact, by any function.
		id := c77.ID
		if _, err := s.GetContact(ctx, w.ia93, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("GetContact : %v", err)
		}
		if _, err := s.ViewContact(ctx, w.ia93, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ViewContact : %v", err)
		}
		if _, err := s.UpdateContact(ctx, w.ia93, id, 1, models.ContactInput{OrganisationID: w.bobigny, Nom: "Volé"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("UpdateContact : %v", err)
		}
		if err := s.ArchiveContact(ctx, w.ia93, id); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ArchiveContact : %v", err)
		}
		// Nor does a lecteur's refusal reveal that it exists elsewhere.
		if err := s.ArchiveContact(ctx, w.lecteur, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ArchiveContact inexistant par le lecteur : %v", err)
		}
		if got := listIDs(t, s, w.ia93, models.ContactFilter{OrganisationID: w.acheres}); len(got) != 0 {
			t.Errorf("filtre sur une organisation hors périmètre : %v", got)
		}
		// Filters.
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Departement: "93"}); !slices.Equal(got, []int64{c93.ID, epci.ID}) {
			t.Errorf("département 93 : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Q: "bobigny"}); !slices.Equal(got, []int64{c93.ID}) {
			t.Errorf("recherche par organisation : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Q: "dane"}); !slices.Equal(got, []int64{shared.ID}) {
			t.Errorf("recherche par fonction : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Q: "CLAIRE"}); !slices.Equal(got, []int64{c93.ID}) {
			t.Errorf("recherche par prénom : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Q: "%%"}); len(got) != 0 {
			t.Errorf("recherche sans lettre : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Q: "martin@bobigny"}); len(got) != 0 {
			t.Errorf("la recherche ne porte pas sur l'adresse : %v", got)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{Sort: "-organisation"}); len(got) != 4 || got[0] != shared.ID {
			t.Errorf("tri par organisation décroissant : %v", got)
		}
	})
}

func TestContactWriteRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		orgs := map[string]int64{"bobigny": w.bobigny, "acheres": w.acheres, "rectorat": w.rectorat, "amif": w.amif, "est-ensemble": w.estEns}
		actors := map[string]models.Actor{"admin": w.admin, "pilote": w.pilote, "ia93": w.ia93, "ia77": w.ia77, "ien": w.ien,
			"amif": w.amifA, "referent": w.referent, "referent-epci": w.referentEPCI, "lecteur": w.lecteur}
		// Who may write the contacts of which organisation.
		may := map[string][]string{
			"admin":         {"bobigny", "acheres", "rectorat", "amif", "est-ensemble"},
			"pilote":        {"bobigny", "acheres", "rectorat", "amif", "est-ensemble"},
			"ia93":          {"bobigny", "est-ensemble"},
			"ia77":          {"acheres"},
			"ien":           nil,
			"amif":          {"bobigny", "acheres", "amif", "est-ensemble"},
			"referent":      {"bobigny"},
			"referent-epci": {"bobigny", "est-ensemble"},
			"lecteur":       nil,
		}
		existing := map[string]models.Contact{}
		for org, id := range orgs {
			existing[org] = w.contact(t, models.ContactInput{OrganisationID: id, Nom: "Existant " + org})
		}
		for name, actor := range actors {
			choices, err := s.ContactOrganisationChoices(ctx, actor)
			if err != nil {
				t.Fatal(err)
			}
			if len(choices) != len(may[name]) {
				t.Errorf("%s : %d organisations proposées, attendu %d (%v)", name, len(choices), len(may[name]), choices)
			}
			for org, id := range orgs {
				allowed := slices.Contains(may[name], org)
				c, err := s.CreateContact(ctx, actor, models.ContactInput{OrganisationID: id, Nom: "Nouveau " + name})
				switch {
				case allowed && err != nil:
					t.Errorf("%s crée un contact de %s : %v", name, org, err)
				case !allowed && err == nil:
					t.Errorf("%s a créé un contact de %s (n° %d)", name, org, c.ID)
				case !allowed && !errors.Is(err, models.ErrForbidden) && fieldMessage(err, "organisation") == "":
					t.Errorf("%s crée un contact de %s : %v, attendu un refus", name, org, err)
				}
				ex := existing[org]
				row, gerr := s.GetContact(ctx, actor, ex.ID)
				_, uerr := s.UpdateContact(ctx, actor, ex.ID, row.Version, models.ContactInput{OrganisationID: id, Nom: ex.Nom, Fonction: "modifiée par " + name})
				switch {
				case allowed && uerr != nil:
					t.Errorf("%s modifie un contact de %s : %v", name, org, uerr)
				case !allowed && gerr == nil && !errors.Is(uerr, models.ErrForbidden):
					t.Errorf("%s modifie un contact visible de %s : %v, attendu ErrForbidden", name, org, uerr)
				case !allowed && gerr != nil && !errors.Is(uerr, models.ErrNotFound):
					t.Errorf("%s modifie un contact invisible de %s : %v, attendu ErrNotFound", name, org, uerr)
				}
				if ok, err := s.ContactWritable(ctx, actor, row); gerr == nil && (err != nil || ok != allowed) {
					t.Errorf("%s, ContactWritable(%s) = %v (%v), attendu %v", name, org, ok, err, allowed)
				}
			}
		}
		// Moving a contact to an organisation the actor may not write is refused on the field.
		c := existing["bobigny"]
		row, _ := s.GetContact(ctx, w.ia93, c.ID)
		_, err := s.UpdateContact(ctx, w.ia93, c.ID, row.Version, models.ContactInput{OrganisationID: w.rectorat, Nom: c.Nom})
		if msg := fieldMessage(err, "organisation"); !strings.Contains(msg, "ne pouvez pas") {
			t.Errorf("déplacement vers le Rectorat : %v", err)
		}
		_, err = s.UpdateContact(ctx, w.ia93, c.ID, row.Version, models.ContactInput{OrganisationID: w.acheres, Nom: c.Nom})
		if msg := fieldMessage(err, "organisation"); !strings.Contains(msg, "inconnue") {
			t.Errorf("déplacement hors périmètre : %v", err)
		}
		if err := s.ArchiveContact(ctx, w.referent, existing["rectorat"].ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("archivage par le référent d'un contact partagé : %v", err)
		}
	})
}

func TestContactMasking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		c := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin", Email: "c.martin@bobigny.fr",
			Telephone: "01 41 60 93 93", Notes: "Préfère être appelée le matin."})
		check := func(what string, r models.ContactRow, wantMasked bool) {
			t.Helper()
			hidden := r.Email == "" && r.Telephone == "" && r.Notes == ""
			if r.Masked != wantMasked || hidden != wantMasked {
				t.Errorf("%s : masqué %v, email %q, téléphone %q, notes %q", what, r.Masked, r.Email, r.Telephone, r.Notes)
			}
		}
		for _, tc := range []struct {
			actor  models.Actor
			masked bool
		}{{w.lecteur, true}, {w.pilote, false}, {w.referent, false}} {
			p, err := s.ListContacts(ctx, tc.actor, models.ContactFilter{}, models.PageRequest{})
			if err != nil || len(p.Items) != 1 {
				t.Fatalf("liste : %v %d", err, len(p.Items))
			}
			check("liste "+string(tc.actor.Role), p.Items[0], tc.masked)
			r, err := s.GetContact(ctx, tc.actor, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			check("fiche "+string(tc.actor.Role), r, tc.masked)
			if r, err = s.ViewContact(ctx, tc.actor, c.ID); err != nil {
				t.Fatal(err)
			}
			check("consultation "+string(tc.actor.Role), r, tc.masked)
			_ = s.EachContact(ctx, tc.actor, models.ContactFilter{}, func(r models.ContactRow) error {
				check("export "+string(tc.actor.Role), r, tc.masked)
				return nil
			})
		}
	})
}

func TestContactConsultationLogged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		c := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin"})
		consultations := func() []models.AuditEvent {
			p, err := s.ListAudit(ctx, w.admin, models.AuditFilter{Entity: "contact", EntityID: strconv.FormatInt(c.ID, 10), Action: "consultation"}, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return p.Items
		}
		if _, err := s.GetContact(ctx, w.lecteur, c.ID); err != nil || len(consultations()) != 0 {
			t.Fatalf("GetContact ne journalise pas : %v %d", err, len(consultations()))
		}
		if _, err := s.ViewContact(ctx, w.lecteur, c.ID); err != nil {
			t.Fatal(err)
		}
		evs := consultations()
		if len(evs) != 1 || evs[0].Actor != w.lecteur.Name || evs[0].Role != "lecteur" || evs[0].RequestID != w.lecteur.RequestID {
			t.Fatalf("consultation journalisée : %+v", evs)
		}
		// A consultation outside the scope fails and logs nothing.
		if _, err := s.ViewContact(ctx, w.ia77, c.ID); !errors.Is(err, models.ErrNotFound) || len(consultations()) != 1 {
			t.Errorf("consultation hors périmètre : %v, %d événements", err, len(consultations()))
		}
		hist, err := s.ContactHistory(ctx, c.ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "creation" {
			t.Errorf("l'historique de la fiche ne montre que les modifications : %+v %v", hist, err)
		}
	})
}

func TestContactDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		first := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Lefèvre", Prenom: "Hélène", Email: "h.lefevre@bobigny.fr"})
		dup := func(in models.ContactInput) *models.DuplicateError {
			t.Helper()
			_, err := s.CreateContact(ctx, w.pilote, in)
			var de *models.DuplicateError
			if !errors.As(err, &de) {
				if err != nil {
					t.Fatalf("%+v : %v", in, err)
				}
				return nil
			}
			return de
		}
		de := dup(models.ContactInput{OrganisationID: w.rectorat, Nom: "Autre", Email: "H.Lefevre@Bobigny.FR "})
		if de == nil || len(de.Matches) != 1 || de.Matches[0].Contact.ID != first.ID || de.Matches[0].Reason != "même adresse électronique" {
			t.Fatalf("même adresse : %+v", de)
		}
		de = dup(models.ContactInput{OrganisationID: w.bobigny, Nom: "LEFEVRE", Prenom: "helene"})
		if de == nil || len(de.Matches) != 1 || de.Matches[0].Reason != "même nom dans la même organisation" {
			t.Fatalf("même nom : %+v", de)
		}
		if de := dup(models.ContactInput{OrganisationID: w.amif, Nom: "Lefèvre", Prenom: "Hélène"}); de != nil {
			t.Errorf("même nom dans une autre organisation : doublon signalé %+v", de)
		}
		// Confirmed, it is created.
		c, err := s.CreateContact(ctx, w.pilote, models.ContactInput{OrganisationID: w.bobigny, Nom: "Lefèvre", Prenom: "Hélène", ConfirmDuplicate: true})
		if err != nil || c.ID == 0 {
			t.Fatalf("création confirmée : %v", err)
		}
		// Archived contacts are no duplicates; contacts out of scope are not searched.
		if err := s.ArchiveContact(ctx, w.admin, first.ID); err != nil {
			t.Fatal(err)
		}
		if de := dup(models.ContactInput{OrganisationID: w.rectorat, Nom: "Encore", Email: "h.lefevre@bobigny.fr"}); de != nil {
			t.Errorf("contact archivé compté comme doublon : %+v", de)
		}
		w.contact(t, models.ContactInput{OrganisationID: w.acheres, Nom: "Secret", Email: "secret@acheres.fr"})
		if _, err := s.CreateContact(ctx, w.ia93, models.ContactInput{OrganisationID: w.bobigny, Nom: "X", Email: "secret@acheres.fr"}); err != nil {
			t.Errorf("un contact hors périmètre ne doit pas être révélé comme doublon : %v", err)
		}
	})
}

func TestContactValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		ok := models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin"}
		with := func(mod func(*models.ContactInput)) models.ContactInput {
			in := ok
			mod(&in)
			return in
		}
		cases := []struct {
			name, field, msg string
			in               models.ContactInput
		}{
			{"nom vide", "nom", "obligatoire", with(func(in *models.ContactInput) { in.Nom = "  " })},
			{"nom trop long", "nom", "100 caractères", with(func(in *models.ContactInput) { in.Nom = strings.Repeat("é", 101) })},
			{"10 000 caractères", "fonction", "200 caractères", with(func(in *models.ContactInput) { in.Fonction = strings.Repeat("a", 10000) })},
			{"notes trop longues", "notes", "2000 caractères", with(func(in *models.ContactInput) { in.Notes = strings.Repeat("n", 2001) })},
			{"UTF-8 invalide", "nom", "caractères invalides", with(func(in *models.ContactInput) { in.Nom = "Mar\xfftin" })},
			{"NUL", "prenom", "caractères invalides", with(func(in *models.ContactInput) { in.Prenom = "Jean\x00" })},
			{"caractère de contrôle dans le nom", "nom", "caractères invalides", with(func(in *models.ContactInput) { in.Nom = "A\x07B" })},
			{"adresse invalide", "email", "invalide", with(func(in *models.ContactInput) { in.Email = "pas-une-adresse" })},
			{"adresse avec nom", "email", "invalide", with(func(in *models.ContactInput) { in.Email = "Jean <jean@x.fr>" })},
			{"adresse sans domaine", "email", "invalide", with(func(in *models.ContactInput) { in.Email = "jean@localhost" })},
			{"adresse trop longue", "email", "254", with(func(in *models.ContactInput) { in.Email = strings.Repeat("a", 250) + "@x.fr" })},
			{"téléphone court", "telephone", "invalide", with(func(in *models.ContactInput) { in.Telephone = "01 43 93 70 0" })},
			{"téléphone avec tirets", "telephone", "invalide", with(func(in *models.ContactInput) { in.Telephone = "01-43-93-70-00" })},
			{"téléphone en lettres", "telephone", "invalide", with(func(in *models.ContactInput) { in.Telephone = "un deux trois" })},
			{"téléphone +33 0", "telephone", "invalide", with(func(in *models.ContactInput) { in.Telephone = "+33 0 1 43 93 70 00" })},
			{"sans organisation", "organisation", "Choisissez", with(func(in *models.ContactInput) { in.OrganisationID = 0 })},
			{"organisation inexistante", "organisation", "inconnue", with(func(in *models.ContactInput) { in.OrganisationID = 987654 })},
		}
		for _, tc := range cases {
			_, err := s.CreateContact(ctx, w.pilote, tc.in)
			if msg := fieldMessage(err, tc.field); !strings.Contains(msg, tc.msg) {
				t.Errorf("%s : %v, attendu « %s » sur %s", tc.name, err, tc.msg, tc.field)
			}
		}
		// Valid values are normalised.
		for typed, want := range map[string]string{
			"0143937000":        "01 43 93 70 00",
			"01.43.93.70.00":    "01 43 93 70 00",
			" 01 43 93 70 00 ":  "01 43 93 70 00",
			"+33 1 43 93 70 00": "+33 1 43 93 70 00",
			"+33143937000":      "+33 1 43 93 70 00",
			"+32 2 555 12 12":   "+32 2 555 12 12",
		} {
			if got, ok := models.NormalizePhone(typed); !ok || got != want {
				t.Errorf("NormalizePhone(%q) = %q, %v ; attendu %q", typed, got, ok, want)
			}
		}
		c, err := s.CreateContact(ctx, w.pilote, models.ContactInput{OrganisationID: w.bobigny, Nom: "  <script>alert(1)</script>  ",
			Email: " Jean.Martin@Bobigny.FR ", Telephone: "0141609393", Notes: "ligne 1\r\nligne 2"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Nom != "<script>alert(1)</script>" || c.Email != "jean.martin@bobigny.fr" || c.Telephone != "01 41 60 93 93" || c.Notes != "ligne 1\nligne 2" {
			t.Errorf("valeurs enregistrées : %+v", c)
		}
	})
}

func TestUpdateContactConflictAndZeroValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		c := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin", Fonction: "DGS", Email: "m@bobigny.fr",
			Telephone: "01 41 60 93 93", Notes: "note"})
		first := models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin", Fonction: "DGS adjoint", Email: "m@bobigny.fr", Telephone: "01 41 60 93 93"}
		if _, err := s.UpdateContact(ctx, w.pilote, c.ID, 1, first); err != nil {
			t.Fatal(err)
		}
		_, err := s.UpdateContact(ctx, w.ia93, c.ID, 1, models.ContactInput{OrganisationID: w.bobigny, Nom: "Écrasé"})
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.By != w.pilote.Name || !errors.Is(err, models.ErrConflict) {
			t.Fatalf("mise à jour périmée : %v", err)
		}
		if cur, ok := ce.Current.(models.ContactRow); !ok || cur.Fonction != "DGS adjoint" || cur.Version != 2 {
			t.Errorf("valeurs actuelles du conflit : %+v", ce.Current)
		}
		got, err := s.GetContact(ctx, w.pilote, c.ID)
		if err != nil || got.Nom != "Martin" || got.Fonction != "DGS adjoint" || got.Version != 2 {
			t.Errorf("la première modification doit rester : %+v %v", got, err)
		}
		hist, _ := s.ContactHistory(ctx, c.ID)
		if len(hist) != 2 || hist[0].Action != "modification" {
			t.Errorf("un seul événement de modification attendu : %+v", hist)
		}
		// Zero values persist: the phone, email, function and notes cleared.
		if _, err := s.UpdateContact(ctx, w.pilote, c.ID, 2, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetContact(ctx, w.pilote, c.ID)
		if got.Telephone != "" || got.Email != "" || got.Fonction != "" || got.Notes != "" || got.Version != 3 {
			t.Errorf("champs vidés non enregistrés : %+v", got)
		}
		hist, _ = s.ContactHistory(ctx, c.ID)
		changes := hist[0].ChangeList()
		if len(changes) != 3 {
			t.Errorf("changements journalisés : %+v", changes)
		}
		for _, ch := range changes {
			if ch.New != "effacé" || ch.Old != "" {
				t.Errorf("valeur personnelle au journal : %+v", ch)
			}
		}
	})
}

func TestArchiveRestoreContact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		c := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Martin"})
		if err := s.ArchiveContact(ctx, w.lecteur, c.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("archivage par le lecteur : %v", err)
		}
		if err := s.ArchiveContact(ctx, w.ia93, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{}); len(got) != 0 {
			t.Errorf("contact archivé dans la liste : %v", got)
		}
		if _, err := s.GetContact(ctx, w.pilote, c.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("contact archivé lu : %v", err)
		}
		if _, err := s.UpdateContact(ctx, w.ia93, c.ID, 2, models.ContactInput{OrganisationID: w.bobigny, Nom: "Revenant"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("un formulaire ne ressuscite pas un contact archivé : %v", err)
		}
		if _, err := s.ListContacts(ctx, w.pilote, models.ContactFilter{Archived: true}, models.PageRequest{}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("archives lues par le pilote : %v", err)
		}
		if got := listIDs(t, s, w.admin, models.ContactFilter{Archived: true}); !slices.Equal(got, []int64{c.ID}) {
			t.Errorf("archives de l'admin : %v", got)
		}
		if r, err := s.ViewContact(ctx, w.admin, c.ID); err != nil || !r.Archived() {
			t.Errorf("l'admin voit la fiche archivée : %+v %v", r, err)
		}
		if err := s.RestoreContact(ctx, w.pilote, c.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("restauration par le pilote : %v", err)
		}
		if err := s.RestoreContact(ctx, w.admin, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := listIDs(t, s, w.pilote, models.ContactFilter{}); !slices.Equal(got, []int64{c.ID}) {
			t.Errorf("contact restauré absent : %v", got)
		}
		hist, _ := s.ContactHistory(ctx, c.ID)
		var actions []string
		for _, ev := range hist {
			actions = append(actions, ev.Action)
		}
		if !slices.Equal(actions, []string{"restauration", "archivage", "creation"}) {
			t.Errorf("historique : %v", actions)
		}
	})
}

// personalValues are the values of a person, in the forms the database could hold them.
var personalValues = []string{"Zéphyrine", "zephyrine", "Quintavalle-Brisebois", "quintavalle", "Brisebois",
	"zq@mairie-bobigny.fr", "zq.ancienne@mairie-bobigny.fr", "01 48 30 12 34", "0148301234", "06 12 34 56 78",
	"Cheffe de projet ENT", "Allergique aux réunions du lundi"}

// leaks returns the personal values found in a text.
func leaks(text string) []string {
	var out []string
	low := strings.ToLower(text)
	for _, v := range personalValues {
		if strings.Contains(low, strings.ToLower(v)) {
			out = append(out, v)
		}
	}
	return out
}

// allAuditText is the whole audit log, every column of every event, as text.
func allAuditText(t *testing.T, s *models.Store, admin models.Actor) string {
	t.Helper()
	var b strings.Builder
	err := s.EachAudit(t.Context(), admin, models.AuditFilter{}, func(ev models.AuditEvent) error {
		b.WriteString(ev.Actor + "|" + ev.Scope + "|" + ev.Entity + "|" + ev.EntityID + "|" + ev.Changes + "|" + ev.RequestID + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// allContactsText is every contact row, live and archived, as the admin reads them.
func allContactsText(t *testing.T, s *models.Store, admin models.Actor) string {
	t.Helper()
	var b strings.Builder
	for _, archived := range []bool{false, true} {
		err := s.EachContact(t.Context(), admin, models.ContactFilter{Archived: archived}, func(r models.ContactRow) error {
			js, _ := json.Marshal(r)
			b.Write(js)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// personFixture creates the person of personalValues with some history, and another one.
func personFixture(t *testing.T, s *models.Store, w contactWorld) (person, other models.Contact) {
	t.Helper()
	ctx := t.Context()
	person = w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Quintavalle", Prenom: "Zéphyrine",
		Fonction: "Cheffe de projet ENT", Email: "zq.ancienne@mairie-bobigny.fr", Telephone: "06 12 34 56 78"})
	if _, err := s.UpdateContact(ctx, w.referent, person.ID, 1, models.ContactInput{OrganisationID: w.bobigny,
		Nom: "Quintavalle-Brisebois", Prenom: "Zéphyrine", Fonction: "Cheffe de projet ENT", Email: "zq@mairie-bobigny.fr",
		Telephone: "0148301234", Notes: "Allergique aux réunions du lundi"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ViewContact(ctx, w.lecteur, person.ID); err != nil {
		t.Fatal(err)
	}
	other = w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Autrepersonne", Prenom: "Octave",
		Email: "octave@mairie-bobigny.fr", Telephone: "01 41 60 00 00"})
	return person, other
}

func TestContactAuditHoldsNoPersonalValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newContactWorld(t, s)
		personFixture(t, s, w)
		if found := leaks(allAuditText(t, s, w.admin)); len(found) > 0 {
			t.Errorf("données personnelles dans le journal d'audit avant tout effacement : %v", found)
		}
	})
}

func TestExportPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		person, other := personFixture(t, s, w)
		if _, err := s.ExportPerson(ctx, w.pilote, person.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("export par le pilote : %v", err)
		}
		if _, err := s.ExportPerson(ctx, w.admin, 987654); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("export d'un inconnu : %v", err)
		}
		exp, err := s.ExportPerson(ctx, w.admin, person.ID)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(exp)
		text := string(js)
		for _, want := range []string{"Quintavalle-Brisebois", "zq@mairie-bobigny.fr", "01 48 30 12 34", "Allergique", "Bobigny",
			`"code_insee":"93008"`, `"departement":"93"`,
			`"action":"creation"`, `"action":"modification"`, `"action":"consultation"`, "mission d'intérêt public"} {
			if !strings.Contains(text, want) {
				t.Errorf("export : %q absent\n%s", want, text)
			}
		}
		for _, other := range []string{"Autrepersonne", "Octave", "octave@", "01 41 60 00 00", `"id":` + strconv.FormatInt(other.ID, 10) + `,`} {
			if strings.Contains(text, other) {
				t.Errorf("export : %q d'une autre personne présent", other)
			}
		}
		if len(exp.Events) != 3 || exp.References == nil {
			t.Errorf("événements %d, références %v", len(exp.Events), exp.References)
		}
		// The export itself is logged.
		p, _ := s.ListAudit(ctx, w.admin, models.AuditFilter{Entity: "contact", EntityID: strconv.FormatInt(person.ID, 10), Action: "consultation"}, models.PageRequest{})
		if p.Total != 2 || !strings.Contains(p.Items[0].Changes, "Export RGPD") {
			t.Errorf("export non journalisé : %+v", p.Items)
		}
	})
}

func TestErasePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newContactWorld(t, s)
		person, other := personFixture(t, s, w)
		if err := s.ErasePerson(ctx, w.pilote, person.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("effacement par le pilote : %v", err)
		}
		if err := s.ArchiveContact(ctx, w.pilote, person.ID); err != nil {
			t.Fatal(err) // archived people are erasable too
		}
		if found := leaks(allContactsText(t, s, w.admin)); len(found) == 0 {
			t.Fatal("le test ne voit pas les données avant effacement")
		}
		if err := s.ErasePerson(ctx, w.admin, person.ID); err != nil {
			t.Fatal(err)
		}
		if found := leaks(allContactsText(t, s, w.admin)); len(found) > 0 {
			t.Errorf("données restées dans contacts : %v", found)
		}
		if found := leaks(allAuditText(t, s, w.admin)); len(found) > 0 {
			t.Errorf("données restées dans le journal d'audit : %v", found)
		}
		exp, err := s.ExportPerson(ctx, w.admin, person.ID)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(exp)
		if found := leaks(string(js)); len(found) > 0 {
			t.Errorf("données restées dans l'export : %v", found)
		}
		c := exp.Contact
		if c.Nom != models.AnonymisedName || c.Prenom != "" || c.Email != "" || c.Telephone != "" || c.Notes != "" || c.Fonction != "" || c.AnonymisedAt == nil {
			t.Errorf("fiche anonymisée : %+v", c)
		}
		last := exp.Events[len(exp.Events)-1] // the export's own consultation is logged after it
		if last.Action != "anonymisation" || !strings.Contains(string(js), models.ErasureRequested) {
			t.Errorf("anonymisation non journalisée : %+v", exp.Events)
		}
		// The other person is untouched; the erased one can no longer be edited; erasing again changes nothing.
		if r, err := s.GetContact(ctx, w.pilote, other.ID); err != nil || r.Email != "octave@mairie-bobigny.fr" {
			t.Errorf("autre personne : %+v %v", r, err)
		}
		if err := s.RestoreContact(ctx, w.admin, person.ID); err != nil {
			t.Fatal(err)
		}
		r, _ := s.GetContact(ctx, w.admin, person.ID)
		if _, err := s.UpdateContact(ctx, w.admin, person.ID, r.Version, models.ContactInput{OrganisationID: w.bobigny, Nom: "Quintavalle"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("modification d'une personne anonymisée : %v", err)
		}
		before, _ := s.ListAudit(ctx, w.admin, models.AuditFilter{Action: "anonymisation"}, models.PageRequest{})
		if err := s.ErasePerson(ctx, w.admin, person.ID); err != nil {
			t.Fatal(err)
		}
		after, _ := s.ListAudit(ctx, w.admin, models.AuditFilter{Action: "anonymisation"}, models.PageRequest{})
		if before.Total != 1 || after.Total != 1 {
			t.Errorf("anonymisations journalisées : %d puis %d", before.Total, after.Total)
		}
	})
}

func TestStaleContactsPurge(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ck := &clock{}
			ck.Set(time.Date(2031, 1, 10, 10, 0, 0, 0, time.UTC))
			s := e.OpenWith(t, true, models.Options{Now: ck.Now})
			ctx := t.Context()
			w := newContactWorld(t, s)
			old := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Ancien", Email: "ancien@bobigny.fr"})
			touched := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Revu"})
			archived := w.contact(t, models.ContactInput{OrganisationID: w.rectorat, Nom: "Archivé", Telephone: "01 57 02 60 00"})
			if err := s.ArchiveContact(ctx, w.admin, archived.ID); err != nil {
				t.Fatal(err)
			}
			ck.Set(time.Date(2033, 6, 1, 10, 0, 0, 0, time.UTC))
			if _, err := s.UpdateContact(ctx, w.admin, touched.ID, 1, models.ContactInput{OrganisationID: w.bobigny, Nom: "Revu", Fonction: "Maire adjoint"}); err != nil {
				t.Fatal(err)
			}
			recent := w.contact(t, models.ContactInput{OrganisationID: w.bobigny, Nom: "Récent"})
			ck.Set(time.Date(2034, 3, 1, 10, 0, 0, 0, time.UTC)) // 3 years and 7 weeks after the first contacts

			if _, err := s.ListStaleContacts(ctx, w.pilote, models.DefaultContactRetention, models.PageRequest{}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("revue par le pilote : %v", err)
			}
			if _, err := s.PurgeStaleContacts(ctx, w.pilote, models.DefaultContactRetention, false); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("purge par le pilote : %v", err)
			}
			p, err := s.ListStaleContacts(ctx, w.admin, models.DefaultContactRetention, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range p.Items {
				ids = append(ids, r.ID)
			}
			if want := []int64{old.ID, archived.ID}; !slices.Equal(ids, want) || p.Total != 2 {
				t.Fatalf("contacts à revoir : %v, attendu %v", ids, want)
			}
			// A shorter period takes more.
			if p, _ := s.ListStaleContacts(ctx, w.admin, 180*24*time.Hour, models.PageRequest{}); p.Total != 4 {
				t.Errorf("6 mois : %d contacts", p.Total)
			}

			auditBefore := len(allAuditText(t, s, w.admin))
			rep, err := s.PurgeStaleContacts(ctx, models.SystemActor("purge"), models.DefaultContactRetention, true)
			if err != nil || len(rep.Due) != 2 || rep.Anonymised != 0 {
				t.Fatalf("simulation : %+v %v", rep, err)
			}
			if r, _ := s.GetContact(ctx, w.admin, old.ID); r.Nom != "Ancien" || r.Email != "ancien@bobigny.fr" {
				t.Errorf("la simulation a modifié : %+v", r)
			}
			if len(allAuditText(t, s, w.admin)) != auditBefore {
				t.Error("la simulation a écrit dans le journal")
			}

			rep, err = s.PurgeStaleContacts(ctx, models.SystemActor("purge"), models.DefaultContactRetention, false)
			if err != nil || rep.Anonymised != 2 {
				t.Fatalf("purge : %+v %v", rep, err)
			}
			for id, wantAnon := range map[int64]bool{old.ID: true, archived.ID: true, touched.ID: false, recent.ID: false} {
				exp, err := s.ExportPerson(ctx, w.admin, id)
				if err != nil {
					t.Fatal(err)
				}
				if (exp.Contact.AnonymisedAt != nil) != wantAnon || (wantAnon && (exp.Contact.Nom != models.AnonymisedName || exp.Contact.Email != "" || exp.Contact.Telephone != "")) {
					t.Errorf("contact n° %d : %+v, anonymisé attendu %v", id, exp.Contact, wantAnon)
				}
				if wantAnon && !strings.Contains(lastChange(exp), "conservation") {
					t.Errorf("motif de l'anonymisation n° %d : %+v", id, exp.Events)
				}
			}
			if rep, _ := s.PurgeStaleContacts(ctx, models.SystemActor("purge"), models.DefaultContactRetention, false); rep.Anonymised != 0 || len(rep.Due) != 0 {
				t.Errorf("seconde purge : %+v", rep)
			}
		})
	}
}

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"3ans": models.DefaultContactRetention, "3 ans": models.DefaultContactRetention, "1an": 365 * 24 * time.Hour,
		"36mois": models.DefaultContactRetention, "26280h": models.DefaultContactRetention, "1095j": models.DefaultContactRetention,
		"30 jours": 30 * 24 * time.Hour,
	} {
		if got, err := models.ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %v, %v ; attendu %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "0ans", "-3ans", "1h", "3 siècles", "99999999ans", "\xffans"} {
		if got, err := models.ParseRetention(in); err == nil {
			t.Errorf("ParseRetention(%q) = %v, attendu une erreur", in, got)
		}
	}
}

// lastChange is the last change of the last event of an export.
func lastChange(exp models.PersonExport) string {
	ev := exp.Events[len(exp.Events)-1]
	return ev.Changes[len(ev.Changes)-1].New
}
