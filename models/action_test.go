package models_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestActionScopeRulesValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx := t.Context()
		d77, err := s.CreateDecision(ctx, w.actors["ia77"], models.DecisionInput{ReunionID: w.r77.ID, Texte: "Former les directeurs", Kind: models.DecisionOrientation})
		if err != nil {
			t.Fatal(err)
		}
		a77, err := s.CreateAction(ctx, w.actors["ia77"], models.ActionInput{DecisionID: d77.ID, Titre: "Planifier les formations", Echeance: "15/03/2031"})
		if err != nil {
			t.Fatal(err)
		}
		if a77.InstanceID != w.b77.ID || a77.Statut != models.ActionAFaire || a77.EcheanceLabel() != "15/03/2031" {
			t.Errorf("action créée : %+v", a77)
		}
		aAcad, err := s.CreateAction(ctx, w.actors["amif"], models.ActionInput{ReunionID: w.rAcad.ID, Titre: "Relancer les communes",
			Responsable: "c" + itoa64(w.contacts[0])})
		if err != nil {
			t.Fatal(err)
		}
		if aAcad.ResponsableLabel() != "Claire Martin" {
			t.Errorf("responsable : %q", aAcad.ResponsableLabel())
		}
		ia93 := w.actors["ia93"]
		if _, err := s.GetAction(ctx, ia93.Scope, a77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit une action du 77 : %v", err)
		}
		if _, err := s.SetActionStatut(ctx, ia93, a77.ID, a77.Version, models.ActionFaite); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 change une action du 77 : %v", err)
		}
		if _, err := s.GetAction(ctx, ia93.Scope, aAcad.ID); err != nil {
			t.Errorf("IA 93 ne voit pas une action académique : %v", err)
		}
		if _, err := s.SetActionStatut(ctx, ia93, aAcad.ID, aAcad.Version, models.ActionFaite); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 change une action académique : %v", err)
		}
		if _, err := s.SetActionStatut(ctx, w.actors["lecteur"], aAcad.ID, aAcad.Version, models.ActionFaite); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("le lecteur change une action : %v", err)
		}
		if _, err := s.CreateAction(ctx, ia93, models.ActionInput{DecisionID: d77.ID, Titre: "x"}); err == nil {
			t.Errorf("IA 93 crée une action sur une décision du 77")
		}
		page, err := s.ListActions(ctx, ia93.Scope, models.ActionFilter{}, models.PageRequest{})
		if err != nil || page.Total != 1 {
			t.Errorf("IA 93 voit %d actions (%v), attendu 1", page.Total, err)
		}

		_, err = s.CreateAction(ctx, w.actors["pilote"], models.ActionInput{ReunionID: w.rAcad.ID, Titre: "", Echeance: "31/02/2012", Statut: "fini", Responsable: "u999999"})
		got := fieldsOf(t, err)
		for _, f := range []string{"titre", "echeance", "statut", "responsable"} {
			if got[f] == "" {
				t.Errorf("pas d'erreur sur %s : %v", f, got)
			}
		}
		if got := fieldsOf(t, func() error {
			_, err := s.CreateAction(ctx, w.actors["pilote"], models.ActionInput{Titre: "orpheline"})
			return err
		}()); got["origine"] == "" {
			t.Errorf("action sans réunion ni décision acceptée : %v", got)
		}
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestActionLostUpdateZeroValuesArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		a, err := s.CreateAction(ctx, pilote, models.ActionInput{ReunionID: w.rAcad.ID, Titre: "Rédiger la note", Echeance: "2031-04-01"})
		if err != nil {
			t.Fatal(err)
		}
		a2, err := s.UpdateAction(ctx, pilote, a.ID, a.Version, models.ActionInput{ReunionID: w.rAcad.ID, Titre: "Rédiger la note", Statut: models.ActionEnCours})
		if err != nil || a2.Echeance != nil || a2.Statut != models.ActionEnCours {
			t.Fatalf("échéance non effacée : %+v %v", a2, err)
		}
		_, err = s.SetActionStatut(ctx, w.actors["amif"], a.ID, a.Version, models.ActionFaite)
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("mise à jour perdue : %v", err)
		}
		if err := s.ArchiveAction(ctx, pilote, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetAction(ctx, pilote.Scope, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("action archivée visible : %v", err)
		}
		if err := s.RestoreAction(ctx, pilote, a.ID); err != nil {
			t.Fatal(err)
		}
		if cur, err := s.GetAction(ctx, pilote.Scope, a.ID); err != nil || cur.Statut != models.ActionEnCours {
			t.Errorf("action restaurée : %+v %v", cur, err)
		}
	})
}

// TestActionOverdueAndMine: with a fake clock (a Paris evening, already the next day in
// Paris but not in UTC), overdue = due before today and still open; Mes actions lists the
// user's actions, overdue first.
func TestActionOverdueAndMine(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			now := time.Date(2031, 3, 15, 23, 30, 0, 0, time.UTC) // 16/03 00:30 in Paris
			s := e.OpenWith(t, true, models.Options{Now: func() time.Time { return now }})
			w := newDecisionWorld(t, s)
			ctx, pilote := t.Context(), w.actors["pilote"]
			mine := "u" + itoa64(pilote.UserID)
			mk := func(titre, echeance, statut, owner string) models.ActionRow {
				t.Helper()
				a, err := s.CreateAction(ctx, pilote, models.ActionInput{ReunionID: w.rAcad.ID, Titre: titre, Echeance: echeance, Statut: statut, Responsable: owner})
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			later := mk("plus tard", "20/03/2031", "", mine)
			late := mk("en retard", "15/03/2031", models.ActionEnCours, mine)
			today := mk("aujourd'hui", "16/03/2031", "", mine)
			done := mk("faite", "01/03/2031", models.ActionFaite, mine)
			mk("d'un autre", "01/03/2031", "", "c"+itoa64(w.contacts[0]))
			page, err := s.MyActions(ctx, pilote, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			overdue := map[int64]bool{}
			for _, a := range page.Items {
				ids = append(ids, a.ID)
				overdue[a.ID] = a.Overdue
			}
			want := []int64{late.ID, today.ID, later.ID, done.ID}
			if len(ids) != 4 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] || ids[3] != want[3] {
				t.Errorf("Mes actions : %v, attendu %v", ids, want)
			}
			if !overdue[late.ID] || overdue[today.ID] || overdue[later.ID] || overdue[done.ID] {
				t.Errorf("retards : %v", overdue)
			}
			lp, err := s.ListActions(ctx, pilote.Scope, models.ActionFilter{Overdue: true}, models.PageRequest{})
			if err != nil || lp.Total != 2 {
				t.Errorf("actions en retard : %d (%v), attendu 2", lp.Total, err)
			}
			prep, err := s.PrepareMeeting(ctx, pilote.Scope, w.acad.ID)
			if err != nil || len(prep.Actions) != 4 || !prep.Actions[0].Overdue {
				t.Errorf("préparation : %d actions (%v)", len(prep.Actions), err)
			}
		})
	}
}

// TestActionOwnerChangesStatut: the account responsible for an action may change its status
// even when its role writes no body (a lecteur, a référent), but nothing else of it; another
// account may not; the change is audited.
func TestActionOwnerChangesStatut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		for _, owner := range []string{"lecteur", "bobigny"} {
			actor := w.actors[owner]
			a, err := s.CreateAction(ctx, pilote, models.ActionInput{ReunionID: w.rAcad.ID, Titre: "Relancer " + owner, Responsable: "u" + itoa64(actor.UserID)})
			if err != nil {
				t.Fatal(err)
			}
			if models.CanWriteAction(actor, a) || !models.CanChangeActionStatut(actor, a) {
				t.Errorf("%s : règles %v %v", owner, models.CanWriteAction(actor, a), models.CanChangeActionStatut(actor, a))
			}
			if models.CanChangeActionStatut(w.actors["amif"], a) != true || models.CanChangeActionStatut(w.actors["ia93"], a) {
				t.Errorf("%s : règle des autres comptes", owner)
			}
			if _, err := s.SetActionStatut(ctx, w.actors["ia93"], a.ID, a.Version, models.ActionFaite); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("un autre compte change le statut : %v", err)
			}
			if _, err := s.UpdateAction(ctx, actor, a.ID, a.Version, models.ActionInput{ReunionID: w.rAcad.ID, Titre: "Autre titre"}); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s modifie le texte de son action : %v", owner, err)
			}
			if err := s.ArchiveAction(ctx, actor, a.ID); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s archive son action : %v", owner, err)
			}
			got, err := s.SetActionStatut(ctx, actor, a.ID, a.Version, models.ActionFaite)
			if err != nil || got.Statut != models.ActionFaite || got.Titre != a.Titre || got.Version != a.Version+1 {
				t.Fatalf("%s ferme son action : %+v %v", owner, got, err)
			}
			if _, err := s.SetActionStatut(ctx, actor, a.ID, a.Version, models.ActionEnCours); err == nil {
				t.Errorf("%s : version périmée acceptée", owner)
			}
			hist, err := s.History(ctx, models.SystemActor("test"), "action", itoa64(a.ID))
			if err != nil || len(hist) != 2 || hist[0].Action != "modification" || hist[0].Role != string(actor.Role) {
				t.Errorf("%s : journal %+v %v", owner, hist, err)
			}
		}
	})
}

// TestActionArchivesList: the archived actions of the scope that the caller may restore,
// last archived first; nothing for the roles that write no body nor outside the scope.
func TestActionArchivesList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		mk := func(actor models.Actor, reunion int64, titre string) models.ActionRow {
			t.Helper()
			a, err := s.CreateAction(ctx, actor, models.ActionInput{ReunionID: reunion, Titre: titre})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ArchiveAction(ctx, actor, a.ID); err != nil {
				t.Fatal(err)
			}
			return a
		}
		acad := mk(pilote, w.rAcad.ID, "Académique")
		a77 := mk(w.actors["ia77"], w.r77.ID, "Du 77")
		a93 := mk(w.actors["ia93"], w.r93.ID, "Du 93")
		ids := func(actor models.Actor) []int64 {
			t.Helper()
			page, err := s.ListArchivedActions(ctx, actor, models.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, a := range page.Items {
				out = append(out, a.ID)
			}
			return out
		}
		if got := ids(pilote); len(got) != 1 || got[0] != acad.ID {
			t.Errorf("pilote : %v", got)
		}
		if got := ids(w.actors["ia93"]); len(got) != 1 || got[0] != a93.ID {
			t.Errorf("IA 93 : %v", got)
		}
		if got := ids(w.actors["ia77"]); len(got) != 1 || got[0] != a77.ID {
			t.Errorf("IA 77 : %v", got)
		}
		for _, ro := range []string{"lecteur", "bobigny", "zero"} {
			if got := ids(w.actors[ro]); len(got) != 0 {
				t.Errorf("%s : %v", ro, got)
			}
		}
		if err := s.RestoreAction(ctx, w.actors["ia93"], a77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 restaure une action du 77 : %v", err)
		}
		if err := s.RestoreAction(ctx, w.actors["ia93"], acad.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 restaure une action académique : %v", err)
		}
		if err := s.RestoreAction(ctx, w.actors["ia93"], a93.ID); err != nil {
			t.Fatal(err)
		}
		if got := ids(w.actors["ia93"]); len(got) != 0 {
			t.Errorf("action restaurée encore aux archives : %v", got)
		}
		if err := s.RestoreAction(ctx, w.actors["ia93"], a93.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("restaurer une action vivante : %v", err)
		}
	})
}
