package models_test

import (
	"fmt"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestEPCIChoicesBeyondMax: a filter lists the EPCI while they fit in a select (EPT last,
// by name), and none past models.MaxChoices, where it asks for a département first; the
// EPCI of one département are still listed then.
func TestEPCIChoicesBeyondMax(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		before, err := s.EPCIChoices(ctx, models.AcademieScope(), "")
		if err != nil || len(before) == 0 || len(before) > models.MaxChoices {
			t.Fatalf("EPCI de l'académie : %d choix (%v)", len(before), err)
		}
		in := make([]models.EPCIInput, 0, models.MaxChoices)
		for i := range models.MaxChoices {
			in = append(in, models.EPCIInput{Line: i + 2, Siren: fmt.Sprintf("2999%05d", i), Nom: fmt.Sprintf("CC Synthétique %03d", i), Type: "CC"})
		}
		if _, err := s.ImportEPCI(ctx, in, models.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		all, err := s.EPCIChoices(ctx, models.AcademieScope(), "")
		if err != nil || all != nil {
			t.Errorf("plus de %d EPCI : %d choix (%v), attendu aucun", models.MaxChoices, len(all), err)
		}
		dep, err := s.EPCIChoices(ctx, models.AcademieScope(), "93")
		if err != nil || len(dep) == 0 || len(dep) > len(before) {
			t.Errorf("EPCI du 93 : %d choix (%v)", len(dep), err)
		}
	})
}

// TestChoicesOfNarrowScopes: the filters of an IEN offer their département and their
// circonscription only, those of a référent their commune's département; the académie all.
func TestChoicesOfNarrowScopes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, who := t.Context(), worldActors(t, s)
		values := func(cs []models.Choice, err error) string {
			if err != nil {
				t.Fatal(err)
			}
			out := ""
			for _, c := range cs {
				out += c.Value + " "
			}
			return out
		}
		for name, want := range map[string]string{"ien": "94 ", "bobigny": "93 ", "ia77": "77 ", "pilote": "77 93 94 "} {
			if got := values(s.DepartementChoicesIn(ctx, who[name].Scope)); got != want {
				t.Errorf("départements de %s : %q, attendu %q", name, got, want)
			}
		}
		if got := values(s.CirconscriptionChoices(ctx, who["ien"].Scope, "94")); got != "0940920P " {
			t.Errorf("circonscriptions de l'IEN : %q", got)
		}
		if all, err := s.CirconscriptionChoices(ctx, who["pilote"].Scope, "94"); err != nil || len(all) < 10 {
			t.Errorf("circonscriptions du 94 : %d (%v)", len(all), err)
		}
	})
}
