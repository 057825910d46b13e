package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func charteInput(numero, statut string) models.CharteInput {
	return models.CharteInput{Numero: numero, Date: "15/03/2011", Statut: statut,
		Sections: map[string]string{"securite": "Les **mots de passe** sont personnels.", "perimetres": "La commune fournit le matériel."}}
}

func TestCharteWriteRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		for name, want := range map[string]bool{"admin": true, "pilote": true, "ia93": false, "amif": false,
			"bobigny": false, "ien": false, "lecteur": false, "zero": false} {
			_, err := s.CreateCharte(t.Context(), actors[name], charteInput("v-"+name, models.CharteProjet))
			if got := err == nil; got != want || (!want && !errors.Is(err, models.ErrForbidden)) {
				t.Errorf("%s : err = %v, écriture attendue %v", name, err, want)
			}
		}
		list, err := s.ListChartes(t.Context(), actors["lecteur"].Scope, true)
		if err != nil || len(list) != 2 || len(list[0].Sections) != 5 {
			t.Fatalf("lecteur lit %d versions (%v)", len(list), err)
		}
	})
}

func TestCharteValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pilote := worldActors(t, s)["pilote"]
		if _, err := s.CreateCharte(t.Context(), pilote, charteInput("1", models.CharteProjet)); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("é", models.MaxCharteSection+1)
		for name, tc := range map[string]struct {
			in    models.CharteInput
			field string
		}{
			"numéro vide": {charteInput(" ", models.CharteProjet), "numero"},
			"numéro pris": {charteInput("1", models.CharteProjet), "numero"},
			"date impossible": {func() models.CharteInput {
				in := charteInput("2", models.CharteProjet)
				in.Date = "31/02/2012"
				return in
			}(), "date"},
			"statut inconnu": {charteInput("2", "abrogee"), "statut"},
			"section longue": {func() models.CharteInput {
				in := charteInput("2", models.CharteProjet)
				in.Sections = map[string]string{"securite": long}
				return in
			}(), "securite"},
		} {
			_, err := s.CreateCharte(t.Context(), pilote, tc.in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) || verr.Errors[0].Field != tc.field {
				t.Errorf("%s : err = %v, attendu une erreur sur %s", name, err, tc.field)
			}
		}
	})
}

func TestCharteAdoptionReplacesPrevious(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pilote := worldActors(t, s)["pilote"]
		v1, err := s.CreateCharte(t.Context(), pilote, charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		v2, err := s.CreateCharte(t.Context(), pilote, charteInput("2", models.CharteProjet))
		if err != nil {
			t.Fatal(err)
		}
		in := charteInput("2", models.CharteAdoptee)
		if _, err := s.UpdateCharte(t.Context(), pilote, v2.ID, v2.Version, in); err != nil {
			t.Fatal(err)
		}
		old, _ := s.GetCharte(t.Context(), pilote.Scope, v1.ID)
		cur, err := s.CurrentCharte(t.Context())
		if old.Statut != models.CharteRemplacee || err != nil || cur.ID != v2.ID {
			t.Fatalf("v1 %s, courante %d (%v)", old.Statut, cur.ID, err)
		}
		h, err := s.History(t.Context(), models.SystemActor("test"), "charte", "1")
		if err != nil || len(h) != 2 {
			t.Fatalf("historique de v1 : %d événements (%v)", len(h), err)
		}
		// Lost update: a second save from the same form is refused.
		in.Numero = "2bis"
		_, err = s.UpdateCharte(t.Context(), pilote, v2.ID, v2.Version, in)
		var ce *models.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("mise à jour périmée : %v", err)
		}
	})
}
