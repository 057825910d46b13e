package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/ac-creteil/pilotage/views/fr"
)

func meeting(instanceID int64, date string) models.ReunionInput {
	return models.ReunionInput{InstanceID: instanceID, Date: date, HeureDebut: "14:00", HeureFin: "16:00", Lieu: "Rectorat, salle 1"}
}

func TestReunionScopeRulesAndValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newGovWorld(t, s)
		ctx := t.Context()
		if err := s.AddMember(ctx, w.actors["ia77"], w.b77.ID, models.MemberInput{ContactID: w.contacts[0], Role: "membre"}); err != nil {
			t.Fatal(err)
		}
		r77, err := s.CreateReunion(ctx, w.actors["ia77"], meeting(w.b77.ID, "2031-03-11"))
		if err != nil {
			t.Fatal(err)
		}
		_, invites, err := s.ReunionDetails(ctx, w.actors["ia77"], r77.ID)
		if err != nil || len(invites) != 1 || invites[0].ContactID != w.contacts[0] {
			t.Errorf("invités par défaut : %+v %v", invites, err)
		}
		ia93 := w.actors["ia93"]
		if _, err := s.GetReunion(ctx, ia93.Scope, r77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit une réunion du 77 : %v", err)
		}
		if _, err := s.UpdateReunion(ctx, ia93, r77.ID, r77.Version, meeting(w.b77.ID, "2031-03-12")); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie une réunion du 77 : %v", err)
		}
		if _, err := s.CreateReunion(ctx, ia93, meeting(w.b77.ID, "2031-03-12")); err == nil {
			t.Errorf("IA 93 planifie une réunion du 77")
		}
		if _, err := s.CreateReunion(ctx, ia93, meeting(w.acad.ID, "2031-03-12")); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 planifie une réunion académique : %v", err)
		}
		if _, err := s.CreateReunion(ctx, w.actors["amif"], meeting(w.acad.ID, "2031-03-12")); err != nil {
			t.Errorf("l'AMIF ne planifie pas une réunion académique : %v", err)
		}
		page, err := s.ListReunions(ctx, ia93.Scope, models.ReunionFilter{}, models.PageRequest{})
		if err != nil || page.Total != 1 {
			t.Errorf("IA 93 voit %d réunions (%v), attendu 1 (l'académique)", page.Total, err)
		}

		bad := models.ReunionInput{InstanceID: w.acad.ID, Titre: strings.Repeat("t", 10000), Date: "31/02/2012", HeureDebut: "16:00",
			HeureFin: "14:00", Visio: "javascript:alert(1)", Statut: "inconnu"}
		_, err = s.CreateReunion(ctx, w.actors["pilote"], bad)
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("saisie invalide acceptée : %v", err)
		}
		got := map[string]string{}
		for _, fe := range verr.Errors {
			got[fe.Field] = fe.Msg
		}
		for _, f := range []string{"titre", "date", "visio", "statut"} {
			if got[f] == "" {
				t.Errorf("pas d'erreur sur %s : %v", f, verr)
			}
		}
		bad.Date = "2031-03-12"
		if _, err = s.CreateReunion(ctx, w.actors["pilote"], bad); !errors.As(err, &verr) || !strings.Contains(verr.Error(), "fin") {
			t.Errorf("fin avant le début acceptée : %v", err)
		}
	})
}

func TestReunionLostUpdateSequenceArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newGovWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		r, err := s.CreateReunion(ctx, pilote, meeting(w.acad.ID, "2031-03-11"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Sequence != 0 || r.Debut.In(fr.Paris()).Hour() != 14 {
			t.Errorf("réunion créée : séquence %d, début %v", r.Sequence, r.Debut)
		}
		in := meeting(w.acad.ID, "2031-03-11")
		in.Lieu = "" // clearing the place is saved
		in.CompteRendu = "Compte rendu"
		r2, err := s.UpdateReunion(ctx, pilote, r.ID, r.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Lieu != "" || r2.Sequence != 1 || r2.CompteRendu != "Compte rendu" {
			t.Errorf("après modification : lieu %q, séquence %d", r2.Lieu, r2.Sequence)
		}
		in.CompteRendu = "Autre"
		r3, err := s.UpdateReunion(ctx, pilote, r.ID, r2.Version, in)
		if err != nil || r3.Sequence != 1 {
			t.Errorf("le compte rendu change la séquence : %d %v", r3.Sequence, err)
		}
		var ce *models.ConflictError
		if _, err := s.UpdateReunion(ctx, w.actors["amif"], r.ID, r.Version, meeting(w.acad.ID, "2031-03-13")); !errors.As(err, &ce) {
			t.Errorf("mise à jour perdue : %v", err)
		}
		if err := s.ArchiveReunion(ctx, pilote, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetReunion(ctx, pilote.Scope, r.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("réunion archivée visible : %v", err)
		}
		if err := s.RestoreReunion(ctx, pilote, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPoint(ctx, pilote, r.ID, "Budget", "M. Martin"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPoint(ctx, pilote, r.ID, "Calendrier", ""); err != nil {
			t.Fatal(err)
		}
		points, _, _ := s.ReunionDetails(ctx, pilote, r.ID)
		if err := s.MovePointUp(ctx, pilote, r.ID, points[1].ID); err != nil {
			t.Fatal(err)
		}
		points, _, _ = s.ReunionDetails(ctx, pilote, r.ID)
		if len(points) != 2 || points[0].Titre != "Calendrier" {
			t.Errorf("ordre du jour : %+v", points)
		}
		if err := s.RemovePoint(ctx, pilote, r.ID, points[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPoint(ctx, w.actors["ia93"], r.ID, "Point", ""); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 ajoute un point à une réunion académique : %v", err)
		}
	})
}

func TestMeetingWarnings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		d := func(v string) time.Time { x, _ := time.Parse("2006-01-02", v); return x }
		if _, err := s.ImportHolidays(ctx, []models.HolidayInput{
			{Nom: "Fête du travail", First: d("2031-05-01")},
			{Zone: "C", Nom: "Vacances d'hiver", First: d("2031-02-15"), Last: d("2031-03-02")},
		}, models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		paris := fr.Paris()
		for day, want := range map[string]string{
			"2031-03-11": "", "2031-03-15": "samedi", "2031-03-16": "dimanche",
			"2031-05-01": "jour férié", "2031-02-18": "vacances scolaires",
		} {
			start := time.Date(d(day).Year(), d(day).Month(), d(day).Day(), 14, 0, 0, 0, paris)
			ws, err := s.MeetingWarnings(ctx, start)
			if err != nil {
				t.Fatal(err)
			}
			joined := strings.Join(ws, " ")
			if (want == "" && len(ws) != 0) || (want != "" && !strings.Contains(joined, want)) {
				t.Errorf("%s : avertissements %q, attendu %q", day, ws, want)
			}
		}
	})
}
