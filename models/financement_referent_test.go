package models_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestSchoolYearOf(t *testing.T) {
	for _, c := range []struct {
		day  time.Time
		want int
	}{
		{time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC), 2026},
		{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 2026},
		{time.Date(2026, 8, 31, 23, 0, 0, 0, time.UTC), 2025},
		{time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), 2026},
	} {
		if got := models.SchoolYearOf(c.day); got != c.want {
			t.Errorf("%v : %d, attendu %d", c.day, got, c.want)
		}
	}
}

// TestFinancementReferentOnOwnAndSharedPlans: the référent of Bobigny enters the actual
// amounts, and adds the lines of the current and next school years, on Bobigny's own plan;
// on a plan shared between several communes (the groupement Bobigny-Bondy, Est Ensemble's
// nine communes) nothing (403), and the plan says why. The line form's years: from the
// plan's first year to (at least) the next school year for whoever writes it.
func TestFinancementReferentOnOwnAndSharedPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newFinWorld(t, s)
		ia93, bob := w.actors["ia93"], w.actors["bobigny"]
		cur := models.SchoolYearOf(time.Now())
		own, err := s.CreateFinancement(ctx, ia93, models.FinancementInput{Titre: "Bobigny seule", Portage: models.PortageCommune,
			Departement: "93", Commune: "93008"})
		if err != nil {
			t.Fatal(err)
		}
		var shared []models.FinancementLigne
		for _, id := range []int64{w.groupement.ID, w.ee.ID, own.ID} {
			l, err := s.AddLigne(ctx, ia93, id, line("2016", "commune", "1 000", ""))
			if err != nil {
				t.Fatal(err)
			}
			shared = append(shared, l)
		}
		ee, err := s.GetFinancement(ctx, bob.Scope, w.ee.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ee.SharedNotice(); got != "Ce plan est partagé entre 9 communes : seuls les pilotes et l'IA-DASEN en saisissent les montants réalisés." {
			t.Errorf("Est Ensemble : %q", got)
		}
		for i, id := range []int64{w.groupement.ID, w.ee.ID} {
			if err := s.SetActualAmount(ctx, bob, id, shared[i].ID, shared[i].Version, "900"); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("référent, réalisé d'un plan partagé %d : %v", id, err)
			}
			if _, err := s.AddLigne(ctx, bob, id, line(strconv.Itoa(cur), "commune", "1", "")); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("référent, ligne d'un plan partagé %d : %v", id, err)
			}
			row, _ := s.GetFinancement(ctx, bob.Scope, id)
			if models.CanSetActualAmounts(bob, row) || len(s.LineYears(bob, row, nil)) != 0 {
				t.Errorf("plan partagé %d ouvert au référent", id)
			}
		}
		// Bobigny's own plan: actual amounts, and lines of the current and next school years.
		row, err := s.GetFinancement(ctx, bob.Scope, own.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.Shared() || row.SharedNotice() != "" || !models.CanSetActualAmounts(bob, row) {
			t.Errorf("plan de Bobigny : partagé %v, réalisés %v", row.Shared(), models.CanSetActualAmounts(bob, row))
		}
		if err := s.SetActualAmount(ctx, bob, own.ID, shared[2].ID, shared[2].Version, "900"); err != nil {
			t.Errorf("référent, réalisé de sa commune : %v", err)
		}
		if got := s.LineYears(bob, row, nil); !slices.Equal(got, []int{cur, cur + 1}) {
			t.Errorf("années du référent : %v", got)
		}
		for _, y := range []int{cur, cur + 1} {
			if _, err := s.AddLigne(ctx, bob, own.ID, line(strconv.Itoa(y), "commune", "2 000", "1 500")); err != nil {
				t.Errorf("référent, ligne %d : %v", y, err)
			}
		}
		for _, y := range []int{2016, cur + 2} {
			if _, err := s.AddLigne(ctx, bob, own.ID, line(strconv.Itoa(y), "commune", "1", "")); !strings.Contains(fieldsOf(t, err)["annee"], "les autres années") {
				t.Errorf("référent, ligne %d : %v", y, err)
			}
		}
		p, err := s.GetFinancementPlan(ctx, bob.Scope, own.ID)
		if err != nil || len(p.Lignes) != 3 {
			t.Fatalf("plan de Bobigny : %d lignes (%v)", len(p.Lignes), err)
		}
		// Whoever writes the plan: from its first year (2016) to beyond the next school year.
		years := s.LineYears(ia93, p.FinancementRow, p.Lignes)
		if years[0] != 2016 || !slices.Contains(years, cur) || !slices.Contains(years, cur+1) || years[len(years)-1] < cur+1 {
			t.Errorf("années de l'IA : %v", years)
		}
		if got := s.LineYears(ia93, row, nil); got[0] != models.MinFinancementAnnee {
			t.Errorf("années d'un plan sans ligne : %v", got)
		}
		if got := s.LineYears(w.actors["lecteur"], row, nil); len(got) != 0 {
			t.Errorf("années du lecteur : %v", got)
		}
	})
}

// TestPlansCoveringConvention: a convention's page lists the plans attached to it first,
// then those that cover its communes (attached to its parent convention, or to none), each
// saying how; a plan of another commune is not listed.
func TestPlansCoveringConvention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		w := newConventionWorld(t, s)
		ia93, pilote := w.actors["ia93"], w.actors["pilote"]
		for _, in := range []models.FinancementInput{
			{Titre: "A — Bobigny, plan de la commune", Portage: models.PortageCommune, Departement: "93", Commune: "93008", ConventionID: w.d93.ID},
			{Titre: "B — Est Ensemble", Portage: models.PortageIntercommunalite, Departement: "93", EPCI: "200057875", Cle: models.CleEleves},
			{Titre: "C — Groupement", Portage: models.PortageGroupement, Departement: "93", Communes: "93008, 93010", Cle: models.CleEleves, ConventionID: w.bobigny.ID},
			{Titre: "D — Bondy", Portage: models.PortageCommune, Departement: "93", Commune: "93010", ConventionID: w.d93.ID},
		} {
			if _, err := s.CreateFinancement(ctx, ia93, in); err != nil {
				t.Fatalf("%s : %v", in.Titre, err)
			}
		}
		c, err := s.GetConvention(ctx, pilote.Scope, w.bobigny.ID)
		if err != nil {
			t.Fatal(err)
		}
		plans, err := s.PlansCoveringConvention(ctx, pilote.Scope, c)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range plans {
			got = append(got, p.Titre+" | "+p.How)
		}
		want := []string{
			"C — Groupement | Rattaché à cette convention ; groupement de commandes de 2 communes, dont Bobigny.",
			"A — Bobigny, plan de la commune | Rattaché à la convention parente CRE-93-2012-001 ; plan de la commune de Bobigny.",
			"B — Est Ensemble | Sans convention ; porté par l'intercommunalité Est Ensemble pour 9 communes, dont Bobigny.",
		}
		if !slices.Equal(got, want) {
			t.Errorf("plans de la convention de Bobigny :\n%s\nattendu :\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if !plans[0].Own || plans[1].Own {
			t.Errorf("plans rattachés : %v %v", plans[0].Own, plans[1].Own)
		}
		// The départementale (no communes): its own plans only.
		d, _ := s.GetConvention(ctx, pilote.Scope, w.d93.ID)
		plans, err = s.PlansCoveringConvention(ctx, pilote.Scope, d)
		if err != nil || len(plans) != 2 || !plans[0].Own || !plans[1].Own {
			t.Errorf("plans de la départementale : %+v (%v)", plans, err)
		}
		// In the référent's scope: the plans of Bobigny only.
		plans, err = s.PlansCoveringConvention(ctx, w.actors["bobigny"].Scope, c)
		if err != nil || len(plans) != 3 {
			t.Errorf("plans vus du référent : %d (%v)", len(plans), err)
		}
	})
}

// TestCommuneCharteThroughItsEPT: a commune covered by its EPT's adoption of the version in
// force says so, with the délibération, although its own adoption is of an older version;
// the adoptions filtered by the commune list both, as the coverage counts it.
func TestCommuneCharteThroughItsEPT(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		actors := worldActors(t, s)
		pilote := actors["pilote"]
		v1, err := s.CreateCharte(ctx, pilote, charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		in2 := charteInput("2", models.CharteAdoptee)
		in2.Date = "15/03/2014"
		v2, err := s.CreateCharte(ctx, pilote, in2)
		if err != nil {
			t.Fatal(err)
		}
		before, err := s.CommuneCharteOf(ctx, pilote.Scope, "93008")
		if err != nil || before.Covered() || before.Label() != "Non couverte par la version en vigueur de la charte (v2)." {
			t.Errorf("Bobigny sans adoption : %q (%v)", before.Label(), err)
		}
		for _, in := range []models.AdoptionInput{
			{CharteVersionID: v1.ID, Commune: "93008", Ref: "DEL-2011-07", Date: "20/06/2011"},
			{CharteVersionID: v2.ID, EPCI: "200057875", CouvreMembres: true, Ref: "EE-2015-03", Date: "12/03/2015"},
			{CharteVersionID: v2.ID, Commune: "93010", Ref: "BONDY-2015", Date: "01/04/2015"},
		} {
			if _, err := s.CreateAdoption(ctx, pilote, in); err != nil {
				t.Fatal(err)
			}
		}
		cc, err := s.CommuneCharteOf(ctx, pilote.Scope, "93008")
		if err != nil {
			t.Fatal(err)
		}
		want := "Couverte par l'adoption de l'EPT Est Ensemble pour ses communes membres, charte v2, délibération du 12/03/2015 (EE-2015-03)."
		if !cc.Covered() || cc.Label() != want || len(cc.Adoptions) != 2 {
			t.Errorf("Bobigny : %q, %d adoptions", cc.Label(), len(cc.Adoptions))
		}
		cov, err := s.CoverageOf(ctx, actors["bobigny"].Scope)
		if err != nil || cov.Total.CommunesCovered != 1 {
			t.Errorf("couverture vue du référent de Bobigny : %+v (%v)", cov.Total, err)
		}
		page, err := s.ListAdoptions(ctx, pilote.Scope, models.AdoptionFilter{Commune: "93008"}, models.PageRequest{})
		if err != nil || page.Total != 2 || page.Items[0].CharteNumero != "2" || page.Items[0].By() != "l'EPT Est Ensemble" {
			t.Errorf("adoptions de Bobigny : %+v (%v)", page.Items, err)
		}
		if bondy, _ := s.CommuneCharteOf(ctx, pilote.Scope, "93010"); !strings.HasPrefix(bondy.Label(), "Couverte par sa propre adoption de la charte v2") {
			t.Errorf("Bondy : %q", bondy.Label())
		}
		if other, _ := s.CommuneCharteOf(ctx, actors["bobigny"].Scope, "94028"); other.InScope || other.Label() != "" {
			t.Errorf("Créteil vue du référent de Bobigny : %+v", other)
		}
		if melun, _ := s.CommuneCharteOf(ctx, pilote.Scope, "77288"); melun.Covered() {
			t.Errorf("Melun : %q", melun.Label())
		}
	})
}
