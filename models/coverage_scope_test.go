package models_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestCoverageCommuneByCommuneEqualsKept: the coverage of a scope made of communes,
// counted commune by commune (over its own écoles only), equals the figures kept for the
// département when the communes are all of it.
func TestCoverageCommuneByCommuneEqualsKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		actors := worldActors(t, s)
		pilote := actors["pilote"]
		v, err := s.CreateCharte(ctx, pilote, charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []models.AdoptionInput{
			{CharteVersionID: v.ID, Commune: "93008", Ref: "D1", Date: "01/01/2012"},
			{CharteVersionID: v.ID, EPCI: "200057875", CouvreMembres: true, Ref: "D2", Date: "01/01/2012"},
		} {
			if _, err := s.CreateAdoption(ctx, pilote, in); err != nil {
				t.Fatal(err)
			}
		}
		communes, err := s.ListCommunes(ctx, pilote.Scope, models.CommuneFilter{Departement: "93"}, models.PageRequest{Size: 100})
		if err != nil || communes.Total == 0 || int(communes.Total) != len(communes.Items) {
			t.Fatalf("communes du 93 : %d sur %d (%v)", len(communes.Items), communes.Total, err)
		}
		all := models.Scope{Kind: models.ScopeCommunes}
		for _, c := range communes.Items {
			all.Communes = append(all.Communes, c.CodeINSEE)
		}
		kept, err := s.CoverageOf(ctx, actors["ia93"].Scope)
		if err != nil {
			t.Fatal(err)
		}
		counted, err := s.CoverageOf(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept.Departements) != 1 || len(counted.Departements) != 1 || kept.Departements[0] != counted.Departements[0] {
			t.Errorf("couverture gardée %+v, comptée commune par commune %+v", kept.Departements, counted.Departements)
		}
		if d := kept.Departements[0]; d.CommunesCovered != 9 || d.ElevesCovered == 0 || d.ElevesCovered >= d.Eleves {
			t.Errorf("93 : %+v", d)
		}
	})
}
