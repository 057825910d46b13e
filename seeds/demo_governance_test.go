package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// governanceCounts counts what the pilote académique sees of the governance scenario.
func governanceCounts(t *testing.T, s *models.Store, actor models.Actor) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	one := models.PageRequest{Size: 1}
	out := map[string]int64{}
	inst, err := s.ListInstances(ctx, actor.Scope, models.InstanceFilter{}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["instances"] = inst.Total
	reu, err := s.ListReunions(ctx, actor.Scope, models.ReunionFilter{}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["réunions"] = reu.Total
	dec, err := s.ListDecisions(ctx, actor.Scope, models.DecisionFilter{}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["décisions"] = dec.Total
	act, err := s.ListActions(ctx, actor.Scope, models.ActionFilter{}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["actions"] = act.Total
	late, err := s.ListActions(ctx, actor.Scope, models.ActionFilter{Overdue: true}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["actions en retard"] = late.Total
	ado, err := s.ListAdoptions(ctx, actor.Scope, models.AdoptionFilter{}, one)
	if err != nil {
		t.Fatal(err)
	}
	out["adoptions"] = ado.Total
	ch, err := s.ListChartes(ctx, actor.Scope, false)
	if err != nil {
		t.Fatal(err)
	}
	out["chartes"] = int64(len(ch))
	return out
}

func TestLoadDemoGovernance(t *testing.T) {
	ctx := context.Background()
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		pilote := piloteActor(t, s)
		first := governanceCounts(t, s, pilote)
		min := map[string]int64{"instances": 6, "réunions": 20, "décisions": 15, "actions": 18,
			"actions en retard": 2, "adoptions": 100, "chartes": 2}
		if first["actions en retard"] != 2 {
			t.Errorf("actions en retard : %d, attendu 2", first["actions en retard"])
		}
		for k, n := range min {
			if first[k] < n {
				t.Errorf("%s : %d, attendu au moins %d", k, first[k], n)
			}
		}
		// Everything the system loaded is visible to the pilote académique.
		if all := governanceCounts(t, s, models.SystemActor("test")); !mapsEqual(all, first) {
			t.Errorf("vu par le système %v, par le pilote %v", all, first)
		}

		cov, err := s.CoverageOf(ctx, pilote.Scope)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Version.Numero != "2" || cov.Total.CommunesCovered == 0 || cov.Total.ElevesCovered == 0 {
			t.Fatalf("couverture : version %q, %d communes, %d élèves", cov.Version.Numero, cov.Total.CommunesCovered, cov.Total.ElevesCovered)
		}
		t.Logf("démonstration : %v ; couverture v2 : %d/%d communes, %d/%d élèves", first,
			cov.Total.CommunesCovered, cov.Total.Communes, cov.Total.ElevesCovered, cov.Total.Eleves)
		if share := cov.Total.CommunesShare(); share < 0.3 || share > 0.6 {
			t.Errorf("part des communes couvertes : %v, attendu environ 40 %%", cov.Total.CommunesShare())
		}
		for _, d := range cov.Departements {
			if d.CommunesCovered == 0 {
				t.Errorf("département %+v sans commune couverte", d)
			}
		}
		chartes, err := s.ListChartes(ctx, pilote.Scope, false)
		if err != nil {
			t.Fatal(err)
		}
		statuts := map[string]string{}
		for _, v := range chartes {
			statuts[v.Numero] = v.Statut
		}
		if statuts["1"] != models.CharteRemplacee || statuts["2"] != models.CharteAdoptee {
			t.Errorf("statuts des versions : %v", statuts)
		}
		planned, err := s.ListReunions(ctx, pilote.Scope, models.ReunionFilter{Statut: models.ReunionPlanifiee}, models.PageRequest{Size: 10})
		if err != nil || planned.Total != 1 || !planned.Items[0].Debut.After(time.Now()) {
			t.Errorf("réunion planifiée à venir : %+v (%v)", planned.Items, err)
		}
	})
}

// piloteActor is the demonstration's pilote académique.
func piloteActor(t *testing.T, s *models.Store) models.Actor {
	t.Helper()
	u, err := s.FindUserByEmail(t.Context(), "pilote@demo.invalid")
	if err != nil {
		t.Fatal(err)
	}
	scope, err := s.UserScope(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	return models.ActorFor(u, scope, "test")
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestLoadSyntheticGovernance(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		if _, err := seeds.LoadSynthetic(ctx, s, seeds.SyntheticOptions{Communes: 500, Ecoles: 800}); err != nil {
			t.Fatal(err)
		}
		actor := models.SystemActor("test")
		first := governanceCounts(t, s, actor)
		// A small territory: 2 meetings per body (22 at the national scale of the benchmarks).
		if first["instances"] < 250 || first["réunions"] < 500 || first["décisions"] < 2500 || first["actions"] < 2500 || first["adoptions"] == 0 {
			t.Errorf("gouvernance synthétique : %v", first)
		}
		if err := seeds.LoadSyntheticGovernance(ctx, s, 500); err != nil {
			t.Fatal(err)
		}
		if again := governanceCounts(t, s, actor); !mapsEqual(first, again) {
			t.Errorf("second chargement différent :\n%v\n%v", first, again)
		}
		cov, err := s.CoverageOf(ctx, actor.Scope)
		if err != nil {
			t.Fatal(err)
		}
		if share := cov.Total.CommunesShare(); share < 0.3 || share > 0.5 {
			t.Errorf("part des communes couvertes : %v (%d/%d)", share, cov.Total.CommunesCovered, cov.Total.Communes)
		}
		p, err := s.ListDecisions(ctx, actor.Scope, models.DecisionFilter{Territoire: "31", Kind: models.DecisionArbitrage}, models.PageRequest{Number: 2, Size: 2})
		if err != nil || p.Total == 0 || len(p.Items) == 0 {
			t.Errorf("registre filtré : %d décisions (%v)", p.Total, err)
		}
	})
}
