package seeds_test

import (
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestDemoMarches: the demonstration has one market per département, the 77's a
// groupement de commandes of three communes with their délibérations, the 93's awarded
// (the écoles of Montreuil carry its solution); loading it again adds nothing.
func TestDemoMarches(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		if _, _, err := seeds.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		p, err := s.ListMarches(ctx, scope, models.MarcheFilter{}, models.PageRequest{Size: 50})
		if err != nil || p.Total != 3 {
			t.Fatalf("marchés : %d, %v", p.Total, err)
		}
		byDep := map[string]models.MarcheRow{}
		for _, m := range p.Items {
			byDep[m.DepartementCode] = m
		}
		// Each market follows a cahier des charges: the 94's its département's adaptation.
		for dep, want := range map[string]string{"77": "modèle académique", "93": "modèle académique", "94": "Val-de-Marne"} {
			if got := byDep[dep].CahierLabel; !strings.Contains(got, want) {
				t.Errorf("cahier des charges du marché du %s : %q", dep, got)
			}
		}
		cahiers, err := s.ListCahiers(ctx, scope, models.CahierFilter{}, models.PageRequest{})
		if err != nil || cahiers.Total != 2 {
			t.Fatalf("cahiers des charges : %d, %v", cahiers.Total, err)
		}
		g := byDep["77"]
		if g.Acheteur != "groupement" || len(g.Membres) != 3 || g.Coordinateur() != "Meaux" || g.Statut != "publie" {
			t.Fatalf("groupement du 77 : %+v", g)
		}
		for _, mb := range g.Membres {
			if mb.DeliberationDate == nil {
				t.Errorf("adhésion de %s sans délibération", mb.Nom)
			}
		}
		if m := byDep["94"]; m.Statut != "en_analyse" || len(m.Lots) != 1 || len(m.Lots[0].Offres) != 2 {
			t.Errorf("marché du 94 : %+v", m)
		}
		m := byDep["93"]
		if m.Statut != "attribue" || m.Lots[0].SolutionID == nil || m.MontantAttribue() != 16500000 {
			t.Fatalf("marché du 93 : %+v", m)
		}
		// Awarding the solution again would change no école: they all carry it.
		pv, err := s.PreviewAttribution(ctx, models.SystemActor("test"), m.ID, m.Lots[0].ID, *m.Lots[0].SolutionID)
		if err != nil || len(pv.Rows) == 0 || len(pv.Result.Unchanged) != len(pv.Rows) {
			t.Fatalf("écoles de Montreuil : %+v, %v", pv.Result, err)
		}
	})
}
