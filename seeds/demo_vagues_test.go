package seeds_test

import (
	"errors"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestLoadDemoPlan: the plan puts the pilot écoles in the pilot wave with their history;
// a second load changes nothing, not even what a user changed in between.
func TestLoadDemoPlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		actor := models.SystemActor("démonstration")
		if _, err := s.CreateOrganisation(ctx, actor, models.OrganisationInput{Nom: "Éditeur d'ENT fictif (démonstration)", Kind: models.OrgEditeurENT}); err != nil {
			t.Fatal(err)
		}
		if err := seeds.LoadDemoPlan(ctx, s, actor); err != nil {
			t.Fatal(err)
		}
		vagues, err := s.ListVagueRows(ctx, models.AcademieScope(), models.VagueFilter{}, models.PageRequest{})
		if err != nil || vagues.Total != 5 {
			t.Fatalf("vagues : %+v, %v", vagues, err)
		}
		pilot := vagues.Items[0]
		if pilot.Nom != "Sites pilotes 2012" || !pilot.Pilote || pilot.NbEcoles != 13 || pilot.NbOuvertes != 12 || pilot.NbCommunes != 4 {
			t.Errorf("vague pilote : %+v", pilot)
		}
		total := int64(0)
		for _, v := range vagues.Items {
			total += v.NbEcoles
		}
		if total < 60 || total > 120 {
			t.Errorf("%d écoles dans le plan", total)
		}
		montreuil := demoMontreuil(t, s, pilot.ID)
		hist, err := s.DeploiementHistory(ctx, models.AcademieScope(), montreuil)
		if err != nil || len(hist) != 3 || hist[2].Phase != "ouvert" || hist[2].DateEffet.Format("02/01/2006") != "03/09/2012" {
			t.Errorf("historique de %s : %+v, %v", montreuil, hist, err)
		}
		events := auditCount(t, s)
		if err := seeds.LoadDemoPlan(ctx, s, actor); err != nil {
			t.Fatal(err)
		}
		again, err := s.ListVagueRows(ctx, models.AcademieScope(), models.VagueFilter{}, models.PageRequest{})
		if err != nil || again.Total != 5 || again.Items[0].VagueFigures != pilot.VagueFigures {
			t.Errorf("second chargement : %+v, %v", again, err)
		}
		if n := auditCount(t, s); n != events {
			t.Errorf("second chargement : %d événements, %d avant", n, events)
		}
		sols, err := s.ListSolutions(ctx, models.AcademieScope())
		if err != nil || len(sols) != 1 || sols[0].EditeurID == nil || sols[0].Federation != "sso_academique_educonnect" {
			t.Errorf("solutions : %+v, %v", sols, err)
		}
	})
}

// demoMontreuil returns the first école of Montreuil in the pilot wave, checking that
// four of them are there and four of the wave 2013-2014 are still being deployed.
func demoMontreuil(t *testing.T, s *models.Store, pilot int64) string {
	t.Helper()
	ctx := t.Context()
	ecoles, err := s.ListEcoles(ctx, models.AcademieScope(), models.EcoleFilter{Commune: "93048", Statut: "public", Sort: "uai"}, models.PageRequest{Size: 13})
	if err != nil || len(ecoles.Items) != 13 {
		t.Fatalf("écoles de Montreuil : %v", err)
	}
	inPilot, pending := 0, 0
	for i, e := range ecoles.Items {
		d, err := s.GetDeploiement(ctx, models.AcademieScope(), e.UAI)
		switch {
		case i == 12 && !errors.Is(err, models.ErrNotFound):
			t.Errorf("%s hors du plan : %+v, %v", e.UAI, d, err)
		case i == 12:
		case err != nil:
			t.Fatalf("%s : %v", e.UAI, err)
		case d.VagueID != nil && *d.VagueID == pilot:
			inPilot++
		case d.Phase == "en_deploiement":
			pending++
		}
	}
	if inPilot != 4 || pending != 4 {
		t.Fatalf("Montreuil : %d pilotes, %d en déploiement", inPilot, pending)
	}
	return ecoles.Items[0].UAI
}

// auditCount is the number of events of the audit log.
func auditCount(t *testing.T, s *models.Store) int64 {
	t.Helper()
	p, err := s.ListAudit(t.Context(), models.SystemActor("test"), models.AuditFilter{}, models.PageRequest{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}
