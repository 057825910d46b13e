package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// planWorld is a small plan: a wave of the académie, three écoles of Montreuil (93) and
// one of Créteil (94) in it, planned to open on 02/09/2013.
type planWorld struct {
	who     map[string]models.Actor
	vague   int64
	ecoles  []string // Montreuil's three, then Créteil's
	planned time.Time
}

func newPlanWorld(t *testing.T, s *models.Store) planWorld {
	t.Helper()
	w := planWorld{who: worldActors(t, s), planned: day("02/09/2013")}
	w.who["ia94"] = actorOf(t, s, models.UserInput{Role: models.RoleIA, Departement: "94", Email: "ia94@ac-creteil.fr", Nom: "Compte ia94"})
	v := models.Vague{Nom: "Vague 2013-2014", AnneeScolaire: "2013-2014", OuverturePrevue: &w.planned,
		CreatedAt: time.Now(), UpdatedAt: time.Now(), Version: 1}
	if err := models.RawDB(s).Create(&v).Error; err != nil {
		t.Fatal(err)
	}
	w.vague = v.ID
	w.ecoles = append(ecolesOf(t, s, "93048", 3), ecolesOf(t, s, "94028", 1)...)
	var edits []models.DeploiementEdit
	for _, u := range w.ecoles {
		edits = append(edits, models.DeploiementEdit{UAI: u, Phase: "en_deploiement", DateEffet: day("01/06/2013"),
			VagueID: &w.vague, OuverturePrevue: &w.planned})
	}
	if _, err := s.ChangeDeploiements(t.Context(), w.who["pilote"], edits, models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w planWorld) change(t *testing.T, s *models.Store, e models.DeploiementEdit) {
	t.Helper()
	if _, err := s.ChangeDeploiements(t.Context(), w.who["pilote"], []models.DeploiementEdit{e}, models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
}

// TestFreezeReference: a baseline copies exactly the planned dates of its territory: the
// académie's for the pilote, the 93's for its IA-DASEN, who never sees the 94's.
func TestFreezeReference(t *testing.T) {
	clock := &clockAt{t: time.Date(2013, 7, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		w := newPlanWorld(t, s)
		ctx := t.Context()
		must(s.CreateJalon(ctx, w.who["pilote"], models.JalonInput{Titre: "Bilan", Niveau: "academie", DatePrevue: "30/06/2014"}))
		must(s.CreateJalon(ctx, w.who["pilote"], models.JalonInput{Titre: "Copil 94", Niveau: "departement", Departement: "94", DatePrevue: "30/06/2014"}))
		if _, err := s.FreezeReference(ctx, w.who["pilote"], "", ""); jalonFields(t, err)["nom"] != true {
			t.Fatalf("nom vide : %v", err)
		}
		for _, who := range []string{"amif", "lecteur", "ien", "bobigny"} {
			if _, err := s.FreezeReference(ctx, w.who[who], "Plan", ""); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("%s gèle le plan : %v", who, err)
			}
		}
		all := must(s.FreezeReference(ctx, w.who["pilote"], "Plan initial", "Avant la rentrée"))
		if all.DepartementCode != nil || all.NbEcoles != 4 || all.NbVagues != 1 || all.NbJalons != 2 || !strings.HasPrefix(all.GelePar, "Compte pilote") {
			t.Fatalf("référence académique : %+v", all)
		}
		var copied []struct {
			UAI             string `gorm:"column:uai"`
			VagueID         int64
			OuverturePrevue time.Time
		}
		if err := models.RawDB(s).Table("plan_reference_ecoles").Where("reference_id = ?", all.ID).Order("uai").Scan(&copied).Error; err != nil {
			t.Fatal(err)
		}
		for _, c := range copied {
			if c.VagueID != w.vague || !c.OuverturePrevue.Equal(w.planned) {
				t.Errorf("copie de %s : %+v", c.UAI, c)
			}
		}
		dep := must(s.FreezeReference(ctx, w.who["ia93"], "Plan du 93", ""))
		if dep.DepartementCode == nil || *dep.DepartementCode != "93" || dep.NbEcoles != 3 || dep.NbJalons != 1 {
			t.Fatalf("référence du 93 : %+v", dep)
		}
		d94 := must(s.FreezeReference(ctx, w.who["ia94"], "Plan du 94", ""))
		if _, err := s.GetReference(ctx, w.who["ia93"].Scope, d94.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("l'IA 93 lit la référence du 94 : %v", err)
		}
		if _, err := s.CompareReference(ctx, w.who["ia93"].Scope, d94.ID, models.CompareFilter{}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("l'IA 93 compare la référence du 94 : %v", err)
		}
		if page := must(s.ListReferences(ctx, w.who["ia93"].Scope, models.PageRequest{})); page.Total != 2 {
			t.Fatalf("références lues par l'IA 93 : %d", page.Total)
		}
	})
}

// slipOf is the slippage of the école uai in a comparison's late list, -1 when not late.
func slipOf(c models.Comparison, uai string) int64 {
	for _, e := range c.Late {
		if e.UAI == uai {
			return e.Jours
		}
	}
	return -1
}

func daysBetween(a, b time.Time) int64 { return int64(b.Sub(a).Hours() / 24) }

// TestSlippageTwoBaselines: the slippage of the plan and of the actuals against two
// baselines, in calendar days; an école not yet open slips up to today, which moves.
func TestSlippageTwoBaselines(t *testing.T) {
	clock := &clockAt{t: time.Date(2013, 7, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		w := newPlanWorld(t, s)
		ctx, p := t.Context(), w.who["pilote"]
		a := must(s.FreezeReference(ctx, p, "A", ""))
		later := day("01/10/2013")
		w.change(t, s, models.DeploiementEdit{UAI: w.ecoles[0], OuverturePrevue: &later})
		b := must(s.FreezeReference(ctx, p, "B", ""))
		plan := must(s.CompareReference(ctx, p.Scope, a.ID, models.CompareFilter{Mode: models.CompareCurrentPlan}))
		if plan.LateTotal != 1 || slipOf(plan, w.ecoles[0]) != 29 {
			t.Fatalf("plan contre A : %+v", plan.Late)
		}
		if plan := must(s.CompareReference(ctx, p.Scope, b.ID, models.CompareFilter{Mode: models.CompareCurrentPlan})); plan.LateTotal != 0 {
			t.Fatalf("plan contre B : %+v", plan.Late)
		}
		clock.t = time.Date(2014, 3, 1, 9, 0, 0, 0, time.UTC)
		opened := day("15/10/2013")
		w.change(t, s, models.DeploiementEdit{UAI: w.ecoles[0], Phase: "ouvert", DateEffet: opened, OuvertureEffective: &opened})
		today := day("01/03/2014")
		for _, c := range []struct {
			ref        int64
			open, wait int64
		}{{a.ID, 43, daysBetween(w.planned, today)}, {b.ID, 14, daysBetween(w.planned, today)}} {
			got := must(s.CompareReference(ctx, p.Scope, c.ref, models.CompareFilter{Mode: models.CompareActuals}))
			if slipOf(got, w.ecoles[0]) != c.open || slipOf(got, w.ecoles[1]) != c.wait || got.LateTotal != 4 ||
				got.Total.NbEcoles != 4 || got.Total.MaxJours != c.wait {
				t.Fatalf("réalisé contre %d : %+v %+v", c.ref, got.Total, got.Late)
			}
			if len(got.Departements) != 2 || got.Departements[0].Key != "93" || got.Departements[0].NbEnRetard != 3 {
				t.Fatalf("par département : %+v", got.Departements)
			}
			// The dashboards' lighter comparison by wave gives the same total and waves.
			waves := must(s.SlippageByWave(ctx, p.Scope, c.ref, models.CompareFilter{Mode: models.CompareActuals}))
			if !sameSlip(waves.Total, got.Total) || len(waves.Vagues) != len(got.Vagues) || len(got.Vagues) == 0 {
				t.Fatalf("par vague : %+v %+v, attendu %+v %+v", waves.Total, waves.Vagues, got.Total, got.Vagues)
			}
			for i := range got.Vagues {
				if !sameSlip(waves.Vagues[i], got.Vagues[i]) {
					t.Errorf("vague %d : %+v, attendu %+v", i, waves.Vagues[i], got.Vagues[i])
				}
			}
		}
		// Ten days later, the école not yet open has slipped ten days more.
		clock.t = clock.t.AddDate(0, 0, 10)
		got := must(s.CompareReference(ctx, p.Scope, a.ID, models.CompareFilter{Mode: models.CompareActuals}))
		if slipOf(got, w.ecoles[1]) != daysBetween(w.planned, today)+10 || slipOf(got, w.ecoles[0]) != 43 {
			t.Fatalf("dix jours plus tard : %+v", got.Late)
		}
		// The IA-DASEN of the 93 compares the académie's baseline on the 93's écoles only.
		ia := must(s.CompareReference(ctx, w.who["ia93"].Scope, a.ID, models.CompareFilter{Mode: models.CompareActuals}))
		if ia.Total.NbEcoles != 3 || slipOf(ia, w.ecoles[3]) != -1 || len(ia.Departements) != 1 {
			t.Fatalf("IA 93 : %+v", ia)
		}
	})
}

// sameSlip compares two slippage groups, the means to a millionth of a day.
func sameSlip(a, b models.SlipGroup) bool {
	d := a.MoyenneJours - b.MoyenneJours
	a.MoyenneJours, b.MoyenneJours = 0, 0
	a.Key, b.Key, a.Label, b.Label = "", "", "", ""
	return a == b && d < 1e-6 && d > -1e-6
}
