package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// govWorld is a database with one account per role, an académie body, a 77 body and a
// 93 body, and two contacts.
type govWorld struct {
	s        *models.Store
	actors   map[string]models.Actor
	acad     models.InstanceRow
	b77, b93 models.InstanceRow
	contacts []int64
}

func newGovWorld(t *testing.T, s *models.Store) govWorld {
	t.Helper()
	w := govWorld{s: s, actors: worldActors(t, s)}
	var err error
	if w.acad, err = s.CreateInstance(t.Context(), w.actors["pilote"], models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}); err != nil {
		t.Fatal(err)
	}
	if w.b77, err = s.CreateInstance(t.Context(), w.actors["ia77"], models.InstanceInput{Nom: "Co-pilotage 77", Kind: models.InstanceCopilotage, Departement: "77"}); err != nil {
		t.Fatal(err)
	}
	if w.b93, err = s.CreateInstance(t.Context(), w.actors["ia93"], models.InstanceInput{Nom: "Co-pilotage 93", Kind: models.InstanceCopilotage, Departement: "93"}); err != nil {
		t.Fatal(err)
	}
	org, err := s.CreateOrganisation(t.Context(), models.SystemActor("test"), models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat"})
	if err != nil {
		t.Fatal(err)
	}
	for _, nom := range []string{"Martin", "Durand"} {
		c, err := s.CreateContact(t.Context(), w.actors["admin"], models.ContactInput{OrganisationID: org.ID, Nom: nom, Prenom: "Claire"})
		if err != nil {
			t.Fatal(err)
		}
		w.contacts = append(w.contacts, c.ID)
	}
	return w
}

func TestInstanceScopeAndWriteRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newGovWorld(t, s)
		ctx := t.Context()
		ia93 := w.actors["ia93"]
		if _, err := s.GetInstance(ctx, ia93.Scope, w.b77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit l'instance du 77 : %v", err)
		}
		if _, err := s.GetInstance(ctx, ia93.Scope, w.acad.ID); err != nil {
			t.Errorf("IA 93 ne voit pas l'instance académique : %v", err)
		}
		page, err := s.ListInstances(ctx, ia93.Scope, models.InstanceFilter{}, models.PageRequest{})
		if err != nil || page.Total != 2 {
			t.Errorf("IA 93 voit %d instances (%v), attendu 2", page.Total, err)
		}
		if _, err := s.UpdateInstance(ctx, ia93, w.b77.ID, w.b77.Version, models.InstanceInput{Nom: "x", Kind: models.InstanceCopilotage, Departement: "77"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie le 77 : %v", err)
		}
		if err := s.ArchiveInstance(ctx, ia93, w.b77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 archive le 77 : %v", err)
		}
		// Write rule per role on the académie body and on the 93 body.
		for name, want := range map[string][2]bool{
			"admin": {true, false}, "pilote": {true, false}, "amif": {true, false}, "ia93": {false, true},
			"ia77": {false, false}, "ien": {false, false}, "bobigny": {false, false}, "lecteur": {false, false},
		} {
			a, ok := w.actors[name]
			if !ok {
				continue
			}
			for k, inst := range []models.InstanceRow{w.acad, w.b93} {
				if got := models.CanWriteInstance(a, inst.Instance); got != want[k] {
					t.Errorf("%s écrit %s : %v, attendu %v", name, inst.Nom, got, want[k])
				}
			}
		}
		if _, err := s.CreateInstance(ctx, ia93, models.InstanceInput{Nom: "Académique", Kind: models.InstanceCopil}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 crée une instance académique : %v", err)
		}
		if _, err := s.CreateInstance(ctx, w.actors["lecteur"], models.InstanceInput{Nom: "X", Kind: models.InstanceGTTechnique}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("un lecteur crée une instance : %v", err)
		}
	})
}

func TestInstanceValidationConflictArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newGovWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		_, err := s.CreateInstance(ctx, pilote, models.InstanceInput{Nom: " ", Kind: "inconnu", Departement: "99", Mandat: strings.Repeat("a", 10001)})
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("saisie invalide acceptée : %v", err)
		}
		fields := map[string]bool{}
		for _, fe := range verr.Errors {
			fields[fe.Field] = true
		}
		for _, f := range []string{"nom", "type", "departement", "mandat"} {
			if !fields[f] {
				t.Errorf("pas d'erreur sur %s : %v", f, verr)
			}
		}
		// Lost update: two edits from the same version, the second is refused.
		in := models.InstanceInput{Nom: "COPIL renommé", Kind: models.InstanceCopil, Mandat: "Piloter."}
		if _, err := s.UpdateInstance(ctx, pilote, w.acad.ID, w.acad.Version, in); err != nil {
			t.Fatal(err)
		}
		var ce *models.ConflictError
		if _, err := s.UpdateInstance(ctx, w.actors["amif"], w.acad.ID, w.acad.Version, models.InstanceInput{Nom: "Autre", Kind: models.InstanceCopil}); !errors.As(err, &ce) {
			t.Fatalf("mise à jour perdue : %v", err)
		}
		// Clearing the mandate is saved (zero value).
		cur, _ := s.GetInstance(ctx, pilote.Scope, w.acad.ID)
		if cur, err = s.UpdateInstance(ctx, pilote, w.acad.ID, cur.Version, models.InstanceInput{Nom: "COPIL renommé", Kind: models.InstanceCopil}); err != nil || cur.Mandat != "" {
			t.Fatalf("mandat non vidé : %q %v", cur.Mandat, err)
		}
		if err := s.ArchiveInstance(ctx, pilote, w.acad.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetInstance(ctx, pilote.Scope, w.acad.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("instance archivée encore visible : %v", err)
		}
		if err := s.RestoreInstance(ctx, pilote, w.acad.ID); err != nil {
			t.Fatal(err)
		}
		evs, err := s.History(ctx, models.SystemActor("test"), "instance", strconv.FormatInt(w.acad.ID, 10))
		if err != nil || len(evs) != 5 {
			t.Errorf("historique : %d événements (%v), attendu 5", len(evs), err)
		}
	})
}

func TestInstanceMembersAndCalendarToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newGovWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		err := s.AddMember(ctx, pilote, w.acad.ID, models.MemberInput{ContactID: w.contacts[0], Role: "president", Debut: "31/02/2012"})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Errors[0].Field != "debut" {
			t.Fatalf("31/02/2012 acceptée : %v", err)
		}
		if err := s.AddMember(ctx, pilote, w.acad.ID, models.MemberInput{ContactID: w.contacts[0], Role: "president", Debut: "2024-09-01"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMember(ctx, w.actors["ia93"], w.acad.ID, models.MemberInput{ContactID: w.contacts[1], Role: "membre"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 ajoute un membre à l'instance académique : %v", err)
		}
		members, err := s.ListMembers(ctx, pilote, w.acad.ID)
		if err != nil || len(members) != 1 || members[0].FullName() != "Claire Martin" {
			t.Fatalf("membres : %+v %v", members, err)
		}
		if err := s.RemoveMember(ctx, pilote, w.acad.ID, members[0].ID); err != nil {
			t.Fatal(err)
		}
		if members, _ = s.ListMembers(ctx, pilote, w.acad.ID); len(members) != 0 {
			t.Errorf("membre retiré encore listé")
		}
		token := w.acad.CalendarToken
		if len(token) < 20 {
			t.Fatalf("jeton de calendrier trop court : %q", token)
		}
		if _, err := s.InstanceByCalendarToken(ctx, w.acad.ID, token); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"", "faux", w.b93.CalendarToken} {
			if _, err := s.InstanceByCalendarToken(ctx, w.acad.ID, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("jeton %q accepté : %v", bad, err)
			}
		}
		if err := s.RenewCalendarToken(ctx, pilote, w.acad.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.InstanceByCalendarToken(ctx, w.acad.ID, token); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("ancien jeton encore accepté : %v", err)
		}
	})
}
