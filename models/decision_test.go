package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// decisionWorld is the governance world with one meeting per body.
type decisionWorld struct {
	govWorld
	rAcad, r77, r93 models.ReunionRow
}

func newDecisionWorld(t *testing.T, s *models.Store) decisionWorld {
	t.Helper()
	w := decisionWorld{govWorld: newGovWorld(t, s)}
	var err error
	if w.rAcad, err = s.CreateReunion(t.Context(), w.actors["pilote"], meeting(w.acad.ID, "2031-03-11")); err != nil {
		t.Fatal(err)
	}
	if w.r77, err = s.CreateReunion(t.Context(), w.actors["ia77"], meeting(w.b77.ID, "2031-03-12")); err != nil {
		t.Fatal(err)
	}
	if w.r93, err = s.CreateReunion(t.Context(), w.actors["ia93"], meeting(w.b93.ID, "2031-03-13")); err != nil {
		t.Fatal(err)
	}
	return w
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("erreur de validation attendue : %v", err)
	}
	out := map[string]string{}
	for _, fe := range verr.Errors {
		out[fe.Field] = fe.Msg
	}
	return out
}

func TestDecisionScopeAndWriteRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx := t.Context()
		d77, err := s.CreateDecision(ctx, w.actors["ia77"], models.DecisionInput{ReunionID: w.r77.ID, Texte: "Déployer l'ENT à Melun", Kind: models.DecisionOrientation, Departements: []string{"77"}})
		if err != nil {
			t.Fatal(err)
		}
		dAcad, err := s.CreateDecision(ctx, w.actors["amif"], models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Adopter la charte", Kind: models.DecisionValidation, Academie: true})
		if err != nil {
			t.Fatal(err)
		}
		ia93 := w.actors["ia93"]
		if _, err := s.GetDecision(ctx, ia93.Scope, d77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit une décision du 77 : %v", err)
		}
		if _, err := s.GetDecision(ctx, ia93.Scope, dAcad.ID); err != nil {
			t.Errorf("IA 93 ne voit pas une décision académique : %v", err)
		}
		if _, err := s.UpdateDecision(ctx, ia93, d77.ID, d77.Version, models.DecisionInput{ReunionID: w.r77.ID, Texte: "x", Kind: models.DecisionArbitrage}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie une décision du 77 : %v", err)
		}
		if err := s.ArchiveDecision(ctx, ia93, d77.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 archive une décision du 77 : %v", err)
		}
		page, err := s.ListDecisions(ctx, ia93.Scope, models.DecisionFilter{}, models.PageRequest{})
		if err != nil || page.Total != 1 || page.Items[0].ID != dAcad.ID {
			t.Errorf("IA 93 voit %+v (%v), attendu la seule décision académique", page.Items, err)
		}
		// Write rules: whoever writes the meeting's body.
		in := models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Texte", Kind: models.DecisionInformation}
		for name, want := range map[string]bool{"admin": true, "pilote": true, "amif": true, "ia93": false, "ien": false, "lecteur": false, "bobigny": false} {
			_, err := s.CreateDecision(ctx, w.actors[name], in)
			if want && err != nil || !want && !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s sur une réunion académique : %v (attendu autorisé=%v)", name, err, want)
			}
		}
		if _, err := s.CreateDecision(ctx, w.actors["ia77"], models.DecisionInput{ReunionID: w.r77.ID, Texte: "ok", Kind: models.DecisionArbitrage}); err != nil {
			t.Errorf("IA 77 ne décide pas pour son co-pilotage : %v", err)
		}
		if _, err := s.CreateDecision(ctx, ia93, models.DecisionInput{ReunionID: w.r77.ID, Texte: "ok", Kind: models.DecisionArbitrage}); err == nil {
			t.Errorf("IA 93 décide pour le co-pilotage du 77")
		}
	})
}

func TestDecisionValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		_, err := s.CreateDecision(t.Context(), w.actors["pilote"], models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "  ", Kind: "inconnu",
			Departements: []string{"75"}, Communes: "93008, 99999"})
		got := fieldsOf(t, err)
		for _, f := range []string{"texte", "type", "departements", "communes"} {
			if got[f] == "" {
				t.Errorf("pas d'erreur sur %s : %v", f, got)
			}
		}
		_, err = s.CreateDecision(t.Context(), w.actors["pilote"], models.DecisionInput{ReunionID: w.rAcad.ID, Texte: strings.Repeat("é", 10000), Kind: models.DecisionArbitrage})
		if got := fieldsOf(t, err); !strings.Contains(got["texte"], "dépasser") {
			t.Errorf("10 000 caractères acceptés : %v", got)
		}
		if _, err = s.CreateDecision(t.Context(), w.actors["pilote"], models.DecisionInput{Texte: "x", Kind: models.DecisionArbitrage}); fieldsOf(t, err)["reunion"] == "" {
			t.Errorf("décision sans réunion acceptée")
		}
	})
}

// TestDecisionTerritoriesInAuthorScope: an IA-DASEN of the 93 tags its decisions with its
// département and its communes only; the académie, the 77 and Melun (77288) are field
// errors, on creation and on edit, and nothing is written. The académie's scope tags
// anything.
func TestDecisionTerritoriesInAuthorScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, ia93 := t.Context(), w.actors["ia93"]
		in := func(academie bool, deps []string, communes string) models.DecisionInput {
			return models.DecisionInput{ReunionID: w.r93.ID, Texte: "Étendre l'ENT", Kind: models.DecisionOrientation,
				Academie: academie, Departements: deps, Communes: communes}
		}
		refused := []struct {
			name, field, want string
			in                models.DecisionInput
		}{
			{"département 77", "departements", "Hors de votre périmètre (département 93) : département 77.", in(false, []string{"93", "77"}, "")},
			{"académie", "departements", "Hors de votre périmètre (département 93) : toute l'académie.", in(true, nil, "")},
			{"Melun", "communes", "Communes hors de votre périmètre (département 93) : Melun (77288).", in(false, []string{"93"}, "93008, 77288")},
			{"Créteil et Melun", "communes", "Melun (77288), Créteil (94028).", in(false, nil, "77288 94028")},
		}
		for _, c := range refused {
			_, err := s.CreateDecision(ctx, ia93, c.in)
			if got := fieldsOf(t, err)[c.field]; !strings.Contains(got, c.want) {
				t.Errorf("%s : erreur %q sur %s, attendu %q", c.name, got, c.field, c.want)
			}
		}
		if page, err := s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{}); err != nil || page.Total != 0 {
			t.Fatalf("%d décisions enregistrées malgré les refus (%v)", page.Total, err)
		}

		d, err := s.CreateDecision(ctx, ia93, in(false, []string{"93"}, "93008 93048"))
		if err != nil {
			t.Fatalf("territoires du 93 refusés : %v", err)
		}
		if got := d.TerritoiresLabel(); got != "Département 93, Bobigny (93008), Montreuil (93048)" {
			t.Errorf("territoires : %q", got)
		}
		for _, c := range refused {
			if _, err := s.UpdateDecision(ctx, ia93, d.ID, d.Version, c.in); fieldsOf(t, err)[c.field] == "" {
				t.Errorf("modification avec %s acceptée : %v", c.name, err)
			}
		}
		if cur, err := s.GetDecision(ctx, ia93.Scope, d.ID); err != nil || cur.Version != d.Version || cur.TerritoiresLabel() != d.TerritoiresLabel() {
			t.Errorf("décision changée par une modification refusée : %+v (%v)", cur, err)
		}

		// The académie's scope tags any territory, on an académie meeting.
		acad, err := s.CreateDecision(ctx, w.actors["pilote"], models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Généraliser",
			Kind: models.DecisionOrientation, Academie: true, Departements: []string{"77", "93"}, Communes: "77288"})
		if err != nil || acad.TerritoiresLabel() != "Académie, Département 77, Département 93, Melun (77288)" {
			t.Errorf("pilote académique : %q (%v)", acad.TerritoiresLabel(), err)
		}
	})
}

func TestDecisionLostUpdateZeroValuesArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newDecisionWorld(t, s)
		ctx, pilote := t.Context(), w.actors["pilote"]
		d, err := s.CreateDecision(ctx, pilote, models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Généraliser", Kind: models.DecisionOrientation,
			Academie: true, Departements: []string{"93", "77"}, Communes: "93008"})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.TerritoiresLabel(); got != "Académie, Département 77, Département 93, Bobigny (93008)" {
			t.Errorf("territoires : %q", got)
		}
		page, err := s.ListDecisions(ctx, pilote.Scope, models.DecisionFilter{Territoire: "93008"}, models.PageRequest{})
		if err != nil || page.Total != 1 {
			t.Errorf("filtre commune : %d (%v)", page.Total, err)
		}
		// Zero values: clearing every territory.
		d2, err := s.UpdateDecision(ctx, pilote, d.ID, d.Version, models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Généraliser", Kind: models.DecisionOrientation})
		if err != nil || len(d2.Territoires) != 0 || d2.Version != d.Version+1 {
			t.Fatalf("territoires non effacés : %+v %v", d2.Territoires, err)
		}
		// Lost update: the stale version is refused and nothing changes.
		_, err = s.UpdateDecision(ctx, w.actors["amif"], d.ID, d.Version, models.DecisionInput{ReunionID: w.rAcad.ID, Texte: "Écrasé", Kind: models.DecisionArbitrage})
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("mise à jour perdue : %v", err)
		}
		if cur, _ := s.GetDecision(ctx, pilote.Scope, d.ID); cur.Texte != "Généraliser" {
			t.Errorf("texte écrasé : %q", cur.Texte)
		}
		// Archive, then restore.
		if err := s.ArchiveDecision(ctx, w.actors["ia93"], d.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("IA 93 archive une décision académique : %v", err)
		}
		if err := s.ArchiveDecision(ctx, pilote, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDecision(ctx, pilote.Scope, d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("décision archivée encore visible : %v", err)
		}
		if page, _ := s.ListDecisions(ctx, pilote.Scope, models.DecisionFilter{}, models.PageRequest{}); page.Total != 0 {
			t.Errorf("décision archivée listée")
		}
		if err := s.RestoreDecision(ctx, pilote, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetDecision(ctx, pilote.Scope, d.ID); err != nil {
			t.Errorf("décision restaurée invisible : %v", err)
		}
		var actions []string
		events, err := s.History(ctx, models.SystemActor("test"), "decision", strconv.FormatInt(d.ID, 10))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "restauration,archivage,modification,creation" {
			t.Errorf("historique : %v", actions)
		}
	})
}
