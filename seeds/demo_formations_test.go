package seeds_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestLoadDemoFormations: the demonstration's plans and sessions, loaded once however many
// times it runs: a plan per département, twelve sessions, one cancelled, one held in each
// département, one full.
func TestLoadDemoFormations(t *testing.T) {
	s := dbtest.Quickest().Open(t, true)
	ctx := t.Context()
	actor := models.SystemActor("démonstration")
	for range 2 {
		if err := seeds.LoadDemoFormations(ctx, s, actor); err != nil {
			t.Fatal(err)
		}
	}
	scope := models.AcademieScope()
	if plans, err := s.ListPlansFormation(ctx, scope, "", ""); err != nil || len(plans) != 3 {
		t.Fatalf("plans : %d, %v", len(plans), err)
	}
	statuts := map[string]int{}
	err := s.EachFormation(ctx, scope, models.FormationFilter{}, func(r models.FormationRow) error {
		statuts[r.Statut]++
		return nil
	})
	if err != nil || statuts["annulee"] != 1 || statuts["tenue"] != 3 || statuts["complete"] != 1 || len(statuts) != 5 {
		t.Fatalf("sessions : %v, %v", statuts, err)
	}
}
