package models_test

import (
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestDeploiementList: the list holds the écoles of the scope with or without deployment,
// filtered and counted; the progress by département (kept figures) equals the one grouped
// by commune; the waves count their écoles; the commune's state is derived.
func TestDeploiementList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		who := worldActors(t, s)
		now := time.Now().UTC()
		db := models.RawDB(s)
		cible := 4
		v := models.Vague{Nom: "Vague 2013-2014", AnneeScolaire: "2013-2014", CibleEcoles: &cible, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := db.Omit("ID").Create(&v).Error; err != nil {
			t.Fatal(err)
		}
		m := ecolesOf(t, s, "93048", 3)
		prevue := day("02/09/2013")
		edits := []models.DeploiementEdit{
			{UAI: m[0], Phase: "ouvert", DateEffet: day("02/09/2013"), VagueID: &v.ID, OuverturePrevue: &prevue},
			{UAI: m[1], Phase: "en_deploiement", DateEffet: day("02/09/2013"), VagueID: &v.ID, OuverturePrevue: &prevue},
		}
		if _, err := s.ChangeDeploiements(ctx, who["pilote"], edits, models.DeploiementGuard{}); err != nil {
			t.Fatal(err)
		}
		ia := who["ia93"].Scope
		p, err := s.ListDeploiements(ctx, ia, models.DeploiementFilter{Commune: "93048", Phase: "ouvert"}, models.PageRequest{})
		if err != nil || p.Total != 1 || p.Items[0].UAI != m[0] || p.Items[0].VagueNom != "Vague 2013-2014" {
			t.Fatalf("filtre phase : %+v, %v", p, err)
		}
		late, err := s.ListDeploiements(ctx, ia, models.DeploiementFilter{Retard: true}, models.PageRequest{})
		if err != nil || late.Total != 1 || late.Items[0].UAI != m[1] || !late.Items[0].Late() {
			t.Fatalf("filtre retard : %+v, %v", late, err)
		}
		all, _ := s.ListDeploiements(ctx, ia, models.DeploiementFilter{Commune: "93048"}, models.PageRequest{})
		none, _ := s.ListDeploiements(ctx, ia, models.DeploiementFilter{Commune: "93048", Phase: models.PhaseNone}, models.PageRequest{})
		if none.Total != all.Total-2 {
			t.Errorf("hors programme : %d sur %d", none.Total, all.Total)
		}
		if p, _ := s.ListDeploiements(ctx, who["ia94"].Scope, models.DeploiementFilter{Commune: "93048"}, models.PageRequest{}); p.Total != 0 {
			t.Errorf("l'IA 94 voit %d écoles de Montreuil", p.Total)
		}
		for _, sort := range []string{"phase", "-ouverture", "commune"} {
			p, err := s.ListDeploiements(ctx, ia, models.DeploiementFilter{Sort: sort}, models.PageRequest{Number: 3})
			if err != nil || len(p.Items) == 0 {
				t.Errorf("tri %s : %v", sort, err)
			}
		}
		kept, err := s.DeploiementProgress(ctx, ia, "departement", "")
		if err != nil || len(kept.Rows) != 1 || kept.Total.Phases["ouvert"].Ecoles != 1 || kept.Total.Opened() != 1 {
			t.Fatalf("avancement par département : %+v, %v", kept, err)
		}
		byCommune, err := s.DeploiementProgress(ctx, ia, "commune", "93")
		if err != nil || byCommune.Total.Total != kept.Total.Total || byCommune.Total.Phases[models.PhaseNone] != kept.Total.Phases[models.PhaseNone] {
			t.Errorf("par commune %+v, par département %+v", byCommune.Total, kept.Total)
		}
		waves, err := s.VaguesProgress(ctx, ia, "")
		if err != nil || len(waves) != 1 || waves[0].Ecoles != 2 || waves[0].Ouvertes != 1 || waves[0].Share() != 0.25 {
			t.Errorf("vagues : %+v, %v", waves, err)
		}
		ent, err := s.CommuneENTOf(ctx, ia, "93048")
		if err != nil || ent.Ouvertes != 1 || ent.Ecoles != all.Total || len(ent.Vagues) != 1 {
			t.Errorf("état de la commune : %+v, %v", ent, err)
		}
		uais, err := s.MatchingEcoles(ctx, ia, models.DeploiementFilter{Commune: "93048", Phase: "en_deploiement"})
		if err != nil || len(uais) != 1 {
			t.Errorf("écoles du filtre : %v, %v", uais, err)
		}
	})
}

// TestSyntheticDeploiements: every école gets a deployment with its history, and the kept
// figures follow; a second call adds nothing.
func TestSyntheticDeploiements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		plan := func(i int, uai string, vagues, solutions []int64) (models.Deploiement, []models.DeploiementPhase) {
			d := models.Deploiement{Phase: "pilote", DatePhase: day("09/01/2012"), VagueID: &vagues[0], Version: 1}
			return d, []models.DeploiementPhase{{Phase: "candidate", DateEffet: day("01/10/2011")}, {Phase: "pilote", DateEffet: day("09/01/2012")}}
		}
		n, err := s.InsertSyntheticDeploiements(ctx, []models.Vague{{Nom: "V", AnneeScolaire: "2011-2012"}}, nil, plan)
		if err != nil || n < 2000 {
			t.Fatalf("%d déploiements, %v", n, err)
		}
		p, err := s.DeploiementProgress(ctx, models.AcademieScope(), "", "")
		if err != nil || p.Total.Phases["pilote"].Ecoles != int64(n) || p.Total.Phases[models.PhaseNone].Ecoles != 0 {
			t.Errorf("chiffres : %+v, %v", p.Total, err)
		}
		if again, err := s.InsertSyntheticDeploiements(ctx, nil, nil, plan); err != nil || again != 0 {
			t.Errorf("second appel : %d, %v", again, err)
		}
	})
}
