package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestUserCalendarTokenLifecycle: a personal feed token designates its account until it is
// renewed (the old one stops), revoked, or the account is disabled or archived; only its
// hash is stored; every change is audited.
func TestUserCalendarTokenLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		actors := worldActors(t, s)
		ia93, admin := actors["ia93"], actors["admin"]
		if cal, err := s.UserCalendarOf(ctx, ia93.UserID); err != nil || cal != nil {
			t.Fatalf("agenda avant création : %+v %v", cal, err)
		}
		first, err := s.NewUserCalendar(ctx, ia93)
		if err != nil || len(first) < 40 {
			t.Fatalf("création : %q %v", first, err)
		}
		u, err := s.UserByCalendarToken(ctx, first)
		if err != nil || u.ID != ia93.UserID {
			t.Fatalf("jeton : %+v %v", u, err)
		}
		cal, err := s.UserCalendarOf(ctx, ia93.UserID)
		if err != nil || cal == nil || cal.TokenHash == first || strings.Contains(cal.TokenHash, first) || len(cal.TokenHash) != 64 {
			t.Fatalf("le jeton doit être stocké haché (SHA-256) : %+v %v", cal, err)
		}
		for _, bad := range []string{"", "inconnu", first + "x", strings.ToUpper(first), cal.TokenHash} {
			if _, err := s.UserByCalendarToken(ctx, bad); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("jeton %q accepté : %v", bad, err)
			}
		}
		second, err := s.NewUserCalendar(ctx, ia93)
		if err != nil || second == first {
			t.Fatalf("renouvellement : %v", err)
		}
		if _, err := s.UserByCalendarToken(ctx, first); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("l'ancien jeton marche encore après renouvellement : %v", err)
		}
		if _, err := s.UserByCalendarToken(ctx, second); err != nil {
			t.Errorf("nouveau jeton refusé : %v", err)
		}
		if err := s.RevokeUserCalendar(ctx, ia93); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByCalendarToken(ctx, second); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("jeton révoqué accepté : %v", err)
		}
		if err := s.RevokeUserCalendar(ctx, ia93); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("révoquer sans lien : %v", err)
		}
		if _, err := s.NewUserCalendar(ctx, models.SystemActor("test")); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("agenda sans compte : %v", err)
		}
		calendarFollowsAccount(t, s, ia93, admin)
		checkCalendarAudit(t, s, ia93, admin)
	})
}

// calendarFollowsAccount checks a disabled account's feed answers nothing; re-enabled, it
// does again. An archived account's feed is deleted.
func calendarFollowsAccount(t *testing.T, s *models.Store, ia93, admin models.Actor) {
	t.Helper()
	ctx := t.Context()
	third, err := s.NewUserCalendar(ctx, ia93)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserActive(ctx, admin, ia93.UserID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByCalendarToken(ctx, third); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("compte désactivé : %v", err)
	}
	if err := s.SetUserActive(ctx, admin, ia93.UserID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByCalendarToken(ctx, third); err != nil {
		t.Errorf("compte réactivé : %v", err)
	}
	if err := s.ArchiveUser(ctx, admin, ia93.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByCalendarToken(ctx, third); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("compte archivé : %v", err)
	}
	if _, err := s.RestoreUser(ctx, admin, ia93.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByCalendarToken(ctx, third); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("le lien revient avec le compte restauré : %v", err)
	}
}

// checkCalendarAudit checks the audit log of the account: creation, renewal, revocation,
// creation.
func checkCalendarAudit(t *testing.T, s *models.Store, ia93, admin models.Actor) {
	t.Helper()
	ctx := t.Context()
	page, err := s.ListAudit(ctx, admin, models.AuditFilter{Entity: "utilisateur", EntityID: strconv.FormatInt(ia93.UserID, 10)}, models.PageRequest{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range page.Items {
		for _, ch := range ev.ChangeList() {
			if ch.Field == "agenda" {
				got = append(got, ev.Action+":"+ch.New)
			}
		}
	}
	if want := "agenda:créé|revocation:révoqué|agenda:nouveau lien|agenda:créé"; strings.Join(got, "|") != want {
		t.Errorf("journal : %q, attendu %q", strings.Join(got, "|"), want)
	}
}

// TestCalendarDueActions: the feed's actions are the account's own open actions with a due
// date, in its scope (exports.CalendarICS writes them as all-day events).
func TestCalendarDueActions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, pilote, ia93 := t.Context(), w.actors["pilote"], w.actors["ia93"]
		mine := "u" + itoa64(ia93.UserID)
		mk := func(actor models.Actor, reunion int64, titre, echeance, statut, owner string) models.ActionRow {
			t.Helper()
			a, err := s.CreateAction(ctx, actor, models.ActionInput{ReunionID: reunion, Titre: titre, Echeance: echeance, Statut: statut, Responsable: owner})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		due := mk(pilote, w.rAcad.ID, "Envoyer la note; vite", "20/03/2031", "", mine)
		mk(pilote, w.rAcad.ID, "Sans échéance", "", "", mine)
		mk(pilote, w.rAcad.ID, "Faite", "20/03/2031", models.ActionFaite, mine)
		mk(pilote, w.rAcad.ID, "D'un autre", "20/03/2031", "", "u"+itoa64(pilote.UserID))
		mk(w.actors["ia77"], w.r77.ID, "Hors périmètre", "20/03/2031", "", mine)
		own93 := mk(ia93, w.r93.ID, "Du 93", "21/03/2031", models.ActionEnCours, mine)
		got, err := s.DueActions(ctx, ia93)
		if err != nil || len(got) != 2 || got[0].ID != due.ID || got[1].ID != own93.ID {
			t.Fatalf("échéances : %+v %v", got, err)
		}
		if day := got[0].Echeance; day == nil || day.Format("2006-01-02") != "2031-03-20" || got[0].Titre != "Envoyer la note; vite" || got[0].Version != 1 {
			t.Errorf("échéance : %+v", got[0].Action)
		}
		if got, err := s.DueActions(ctx, models.SystemActor("test")); err != nil || len(got) != 0 {
			t.Errorf("échéances sans compte : %d %v", len(got), err)
		}
	})
}
