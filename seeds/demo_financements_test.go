package seeds_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestLoadDemoFinancements: ten fictional plans with every portage, lines 2012–2016, and a
// second load creates nothing more.
func TestLoadDemoFinancements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, actor := t.Context(), models.SystemActor("démonstration")
		for range 2 {
			if err := seeds.LoadDemoFinancements(ctx, s, actor); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.ListFinancements(ctx, actor.Scope, models.FinancementFilter{}, models.PageRequest{Size: 50})
		if err != nil || page.Total != 10 {
			t.Fatalf("%d plans (%v), attendu 10", page.Total, err)
		}
		portages := map[string]int{}
		for _, p := range page.Items {
			portages[p.Portage]++
			if p.NbLignes < 10 {
				t.Errorf("%s : %d lignes", p.Titre, p.NbLignes)
			}
		}
		if portages[models.PortageCommune] == 0 || portages[models.PortageIntercommunalite] == 0 || portages[models.PortageGroupement] == 0 {
			t.Errorf("portages : %v", portages)
		}
		parts, err := s.ListFinancements(ctx, actor.Scope, models.FinancementFilter{Portage: models.PortageGroupement, Q: "Bondy"}, models.PageRequest{})
		if err != nil || parts.Total != 1 {
			t.Fatalf("groupement Bondy : %v", err)
		}
		p, err := s.GetFinancementPlan(ctx, actor.Scope, parts.Items[0].ID)
		if err != nil || p.CleRepartition != models.CleParts || len(p.CommunesDetail) != 3 || p.Total.Prevu == 0 {
			t.Errorf("groupement à parts fixes : %+v %v", p.Financement, err)
		}
	})
}
