package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// ecolesOf returns n UAI of the écoles of the commune insee, in UAI order.
func ecolesOf(t *testing.T, s *models.Store, insee string, n int) []string {
	t.Helper()
	var out []string
	if err := models.RawDB(s).Table("ecoles").Where("code_insee = ?", insee).Order("uai").Limit(n).Pluck("uai", &out).Error; err != nil {
		t.Fatal(err)
	}
	if len(out) < n {
		t.Fatalf("%s : %d écoles, %d attendues", insee, len(out), n)
	}
	return out
}

func day(s string) time.Time {
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestChangeDeploiements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		montreuil := ecolesOf(t, s, "93048", 3)
		edits := func(phase, date string, uais ...string) []models.DeploiementEdit {
			var out []models.DeploiementEdit
			for _, u := range uais {
				out = append(out, models.DeploiementEdit{UAI: u, Phase: phase, DateEffet: day(date)})
			}
			return out
		}
		res, err := s.ChangeDeploiements(t.Context(), who["ia93"], edits("pilote", "09/01/2012", montreuil...), models.DeploiementGuard{})
		if err != nil || len(res.Created) != 3 {
			t.Fatalf("création : %+v, %v", res, err)
		}
		d, err := s.GetDeploiement(t.Context(), who["ia93"].Scope, montreuil[0])
		if err != nil || d.Phase != "pilote" || d.Version != 1 || d.DepartementCode != "93" {
			t.Fatalf("déploiement : %+v, %v", d, err)
		}
		// Opening the first école: one change, its history, the figures.
		guard := models.DeploiementGuard{Versions: map[string]int{montreuil[0]: 1}}
		res, err = s.ChangeDeploiements(t.Context(), who["pilote"], edits("ouvert", "03/09/2012", montreuil[0]), guard)
		if err != nil || len(res.Changed) != 1 {
			t.Fatalf("ouverture : %+v, %v", res, err)
		}
		if d, _ := s.GetDeploiement(t.Context(), who["pilote"].Scope, montreuil[0]); d.OuvertureEffective == nil ||
			d.OuvertureEffective.Format("02/01/2006") != "03/09/2012" {
			t.Fatalf("ouverture effective : %v", d.OuvertureEffective)
		}
		hist, err := s.DeploiementHistory(t.Context(), who["pilote"].Scope, montreuil[0])
		if err != nil || len(hist) != 2 || hist[1].Phase != "ouvert" || hist[1].DateEffet.Format("02/01/2006") != "03/09/2012" {
			t.Fatalf("historique : %+v, %v", hist, err)
		}
		// The same guard again is stale: nothing changes, the user is told who.
		_, err = s.ChangeDeploiements(t.Context(), who["ia93"], edits("abandonne", "01/10/2012", montreuil...), guard)
		var conflict *models.DeploiementConflictError
		if !errors.As(err, &conflict) || len(conflict.Ecoles) != 1 || !strings.HasPrefix(conflict.Ecoles[0].By, "Compte pilote") {
			t.Fatalf("conflit : %v", err)
		}
		if d, _ := s.GetDeploiement(t.Context(), who["pilote"].Scope, montreuil[1]); d.Phase != "pilote" {
			t.Fatalf("le conflit a écrit : %+v", d)
		}
		// A 77 école slipped into a 93 selection: forbidden, nothing written.
		melun := ecolesOf(t, s, "77288", 1)
		_, err = s.ChangeDeploiements(t.Context(), who["ia93"], edits("ouvert", "01/10/2012", montreuil[1], melun[0]), models.DeploiementGuard{})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("école du 77 : %v", err)
		}
		if _, err := s.GetDeploiement(t.Context(), who["ia93"].Scope, melun[0]); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("77 lu par l'IA du 93 : %v", err)
		}
		// An unknown UAI is a validation error; an IEN may not move a wave.
		_, err = s.ChangeDeploiements(t.Context(), who["pilote"], edits("ouvert", "01/10/2012", "0000000X"), models.DeploiementGuard{})
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("UAI inconnu : %v", err)
		}
		zero := int64(0)
		_, err = s.ChangeDeploiements(t.Context(), who["ien"], []models.DeploiementEdit{{UAI: montreuil[1], VagueID: &zero}}, models.DeploiementGuard{})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IEN et vague : %v", err)
		}
		var n int64
		models.RawDB(s).Table("chiffres_deploiements").Where("departement_code = '93' AND phase = 'pilote'").Select("nb_ecoles").Scan(&n)
		if n != 2 {
			t.Fatalf("chiffres : %d écoles pilotes, 2 attendues", n)
		}
		var events int64
		models.RawDB(s).Table("audit_events").Where("entity = 'deploiement'").Count(&events)
		if events != 4 {
			t.Fatalf("%d événements d'audit, 4 attendus", events)
		}
	})
}
