package seeds_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
)

// checkDemoCandidatures checks, in TestLoadDemo (the demonstration loaded twice), that the
// demonstration adds the campaign and its seven candidatures, scored and decided, once, and
// that the écoles of the retained ones are in the pilot wave.
func checkDemoCandidatures(t *testing.T, s *models.Store) {
	t.Helper()
	ctx := t.Context()
	scope := models.AcademieScope()
	camps, err := s.CampagneChoices(ctx, scope)
	if err != nil || len(camps) != 1 {
		t.Fatalf("campagnes : %v, %v", camps, err)
	}
	p, err := s.ListCandidatures(ctx, scope, models.CandidatureFilter{}, models.PageRequest{Size: 50})
	if err != nil || p.Total != 7 {
		t.Fatalf("candidatures : %d, %v", p.Total, err)
	}
	decisions := map[string]int{}
	for _, c := range p.Items {
		decisions[c.Decision]++
		if c.Decision != "retenue" {
			continue
		}
		for _, e := range c.Ecoles {
			d, err := s.GetDeploiement(ctx, scope, e.Code)
			if err != nil || d.VagueID == nil {
				t.Errorf("%s, école %s : %+v, %v", c.Titre, e.Code, d, err)
			}
		}
	}
	if decisions["retenue"] != 4 || decisions["liste_attente"] != 1 || decisions["refusee"] != 1 || decisions[""] != 1 {
		t.Fatalf("décisions : %v", decisions)
	}
}
