package models_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// usageWorld is the hand-computed example of the usage figures: two écoles of Montreuil
// (e1, e2) and one of Bobigny (e3), in the 93; November 2025 by month, December 2025 by
// week for e1's pupils only (and one week of November, which its month's row overrides).
type usageWorld struct {
	e1, e2, e3 string
}

func n64(v int64) *int64 { return &v }

// usageMonth is the first day of a month.
func usageMonth(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// newUsageWorld imports the figures and opens the écoles: e1 on 01/03/2025 (250 pupils),
// e2 on 15/10/2025 (120 pupils), e3 on 01/09/2025 (300 pupils).
func newUsageWorld(t *testing.T, s *models.Store, pilote models.Actor) usageWorld {
	t.Helper()
	w := usageWorld{}
	montreuil := ecolesOf(t, s, "93048", 2)
	w.e1, w.e2, w.e3 = montreuil[0], montreuil[1], ecolesOf(t, s, "93008", 1)[0]
	row := func(uai, profil string, p time.Time, charges, actives, connexions, visiteurs *int64) models.UsageRow {
		return models.UsageRow{UAI: uai, Periode: p, Profil: profil, ComptesCharges: charges, ComptesActives: actives,
			Connexions: connexions, Visiteurs: visiteurs}
	}
	nov := usageMonth(2025, time.November, 1)
	november := &models.UsageFile{Fichier: "novembre.csv", Granularite: "mois", Rows: []models.UsageRow{
		row(w.e1, "eleve", nov, n64(200), n64(150), n64(900), n64(120)),
		row(w.e1, "enseignant", nov, n64(10), n64(9), n64(300), n64(8)),
		row(w.e2, "eleve", nov, n64(100), n64(40), n64(100), nil),
		row(w.e2, "enseignant", nov, nil, n64(5), n64(50), n64(5)),
		row(w.e3, "eleve", nov, n64(300), n64(60), n64(200), n64(30)),
	}}
	// A week of November too: the month's own row wins over it (the coarsest granularity).
	december := &models.UsageFile{Fichier: "decembre.csv", Granularite: "semaine", Rows: []models.UsageRow{
		row(w.e1, "eleve", usageMonth(2025, time.November, 10), n64(999), n64(999), n64(999), n64(999)),
		row(w.e1, "eleve", usageMonth(2025, time.December, 1), n64(210), n64(160), n64(100), n64(90)),
		row(w.e1, "eleve", usageMonth(2025, time.December, 8), n64(212), n64(170), n64(50), n64(80)),
	}}
	for _, f := range []*models.UsageFile{november, december} {
		if r, err := s.ImportUsages(t.Context(), pilote, f); err != nil || r.ImportID == 0 {
			t.Fatalf("import %s : %+v, %v", f.Fichier, r, err)
		}
	}
	for uai, pupils := range map[string]int{w.e1: 250, w.e2: 120, w.e3: 300} {
		if err := models.RawDB(s).Table("ecoles").Where("uai = ?", uai).Update("nb_eleves", pupils).Error; err != nil {
			t.Fatal(err)
		}
	}
	var edits []models.DeploiementEdit
	for uai, opened := range map[string]time.Time{w.e1: usageMonth(2025, time.March, 1),
		w.e2: usageMonth(2025, time.October, 15), w.e3: usageMonth(2025, time.September, 1)} {
		edits = append(edits, models.DeploiementEdit{UAI: uai, Phase: "ouvert", DateEffet: opened})
	}
	if _, err := s.ChangeDeploiements(t.Context(), pilote, edits, models.DeploiementGuard{}); err != nil {
		t.Fatal(err)
	}
	return w
}

// checkFigures compares figures with the expected sums (nil: unknown) and rates (-1: none).
func checkFigures(t *testing.T, what string, got models.UsageFigures, ecoles int64, sums [4]*int64, activation, activity float64) {
	t.Helper()
	if got.Ecoles != ecoles {
		t.Errorf("%s : %d écoles, attendu %d", what, got.Ecoles, ecoles)
	}
	for i, g := range []*int64{got.ComptesCharges, got.ComptesActives, got.Connexions, got.Visiteurs} {
		if (g == nil) != (sums[i] == nil) || (g != nil && *g != *sums[i]) {
			t.Errorf("%s : somme %d = %v, attendu %v", what, i, deref(g), deref(sums[i]))
		}
	}
	for name, c := range map[string]struct {
		want float64
		rate func() (float64, bool)
	}{"activation": {activation, got.ActivationRate}, "activité": {activity, got.ActivityRate}} {
		r, ok := c.rate()
		if ok != (c.want >= 0) || (ok && math.Abs(r-c.want) > 1e-9) {
			t.Errorf("%s : taux d'%s %v (%v), attendu %v", what, name, r, ok, c.want)
		}
	}
}

func deref(p *int64) any {
	if p == nil {
		return "inconnu"
	}
	return *p
}

func sums(v ...int64) [4]*int64 {
	var out [4]*int64
	for i, x := range v {
		if x >= 0 {
			out[i] = n64(x)
		}
	}
	return out
}

// TestUsagesHandComputed: the rates at école, commune and département level count only the
// écoles × profiles that reported both terms; a month by weeks takes its latest stocks and
// sums its flows; the kept figures of the département equal the sum of the rows.
func TestUsagesHandComputed(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		w := newUsageWorld(t, s, who["pilote"])
		ctx, ia := t.Context(), who["ia93"].Scope
		st, err := s.Usages(ctx, ia, models.UsageFilter{Commune: "93048"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st.Filter.Mois != "2025-12" || len(st.Months) != 2 || st.Months[1] != "2025-11" {
			t.Fatalf("mois : %q parmi %v", st.Filter.Mois, st.Months)
		}
		// December, by weeks: stocks of the 8th, flows summed.
		checkFigures(t, "Montreuil décembre", st.Total, 1, sums(212, 170, 150, 170), 170.0/212, 1)
		if len(st.Trend) != 12 || st.Trend[0].Mois != "2025-01" || st.Trend[10].Ecoles != 2 || st.Trend[3].Ecoles != 0 {
			t.Errorf("tendance : %+v", st.Trend)
		}
		checkFigures(t, "Montreuil novembre (tendance)", st.Trend[10].UsageFigures, 2, sums(310, 204, 1350, 133),
			199.0/310, 133.0/164)
		st, err = s.Usages(ctx, ia, models.UsageFilter{Commune: "93048", Mois: "2025-11"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		checkFigures(t, "Montreuil novembre", st.Total, 2, sums(310, 204, 1350, 133), 199.0/310, 133.0/164)
		if len(st.Rows) != 2 {
			t.Fatalf("écoles de Montreuil : %+v", st.Rows)
		}
		for _, r := range st.Rows {
			switch r.Code {
			case w.e1:
				checkFigures(t, "école 1", r.UsageFigures, 1, sums(210, 159, 1200, 128), 159.0/210, 128.0/159)
			case w.e2:
				checkFigures(t, "école 2", r.UsageFigures, 1, sums(100, 45, 150, 5), 40.0/100, 1)
			default:
				t.Errorf("ligne inattendue %+v", r)
			}
		}
		// The école level: its months × profiles, latest first; unknown stays unknown.
		st, err = s.Usages(ctx, ia, models.UsageFilter{UAI: w.e2, Mois: "2025-11"}, 0)
		if err != nil || len(st.Rows) != 2 || st.Rows[0].Profil != "eleve" || st.Rows[1].ComptesCharges != nil {
			t.Fatalf("école 2 : %+v, %v", st.Rows, err)
		}
		checkFigures(t, "école 2, élèves", st.Rows[0].UsageFigures, 1, sums(100, 40, 100, -1), 0.4, -1)
		checkUsageDepartement(t, s, ia, w)
	})
}

// checkUsageDepartement: the département (kept figures) and its communes (rows) agree.
func checkUsageDepartement(t *testing.T, s *models.Store, ia models.Scope, w usageWorld) {
	t.Helper()
	ctx := t.Context()
	nov := models.UsageFilter{Departement: "93", Mois: "2025-11"}
	dep, err := s.Usages(ctx, ia, nov, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "93 novembre", dep.Total, 3, sums(610, 264, 1550, 163), 259.0/610, 163.0/224)
	var circos int64
	for _, r := range dep.Rows {
		circos += r.Ecoles
	}
	if len(dep.Rows) == 0 || circos != 3 {
		t.Errorf("circonscriptions du 93 : %+v", dep.Rows)
	}
	nov.Niveau = "circonscription"
	communes, err := s.Usages(ctx, ia, nov, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(communes.Total, dep.Total) {
		t.Errorf("total par les lignes %+v, par les chiffres conservés %+v", communes.Total, dep.Total)
	}
	nov.Niveau, nov.Profil = "", "eleve"
	pupils, err := s.Usages(ctx, ia, nov, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkFigures(t, "93 novembre, élèves", pupils.Total, 3, sums(600, 250, 1200, 150), 250.0/600, 150.0/210)
	aca, err := s.Usages(ctx, models.AcademieScope(), models.UsageFilter{Mois: "2025-11"}, 0)
	if err != nil || len(aca.Rows) != 1 || aca.Rows[0].Code != "93" || aca.Rows[0].Label == "" || !reflect.DeepEqual(aca.Total, dep.Total) {
		t.Errorf("académie : %+v, %v", aca.Rows, err)
	}
}

// TestUsagesScope: the IA-DASEN of the 77 reads none of the 93's figures; the référent of
// Bobigny reads Bobigny's only, through the rows.
func TestUsagesScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		w := newUsageWorld(t, s, who["pilote"])
		ctx := t.Context()
		for _, f := range []models.UsageFilter{{}, {Departement: "93"}, {Commune: "93048"}, {UAI: w.e1, Mois: "2025-11"}} {
			st, err := s.Usages(ctx, who["ia77"].Scope, f, 0)
			if err != nil || len(st.Months) != 0 || len(st.Rows) != 0 || st.Total.Ecoles != 0 {
				t.Errorf("IA 77, %+v : %+v, %v", f, st, err)
			}
		}
		watch, n, err := s.UsageWatch(ctx, who["ia77"].Scope, models.UsageFilter{Mois: "2025-12"}, 100, 0)
		if err != nil || n != 0 || len(watch) != 0 {
			t.Errorf("IA 77, à surveiller : %+v, %d, %v", watch, n, err)
		}
		st, err := s.Usages(ctx, who["bobigny"].Scope, models.UsageFilter{Niveau: "commune", Mois: "2025-11"}, 0)
		if err != nil || len(st.Rows) != 1 || st.Rows[0].Code != w.e3 || st.Total.Ecoles != 1 || len(st.Months) != 1 {
			t.Errorf("Bobigny : %+v, %v", st, err)
		}
	})
}

// TestUsageWatchAndOpenings: at the end of December, e1 (opened in March, 170 of 250
// pupils activated: 68 %) and e3 (opened 01/09, no figure in December) are opened for
// three months or more, e2 (15/10) is not.
func TestUsageWatchAndOpenings(t *testing.T) {
	clock := &clockAt{t: time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		w := newUsageWorld(t, s, who["pilote"])
		ctx, scope := t.Context(), who["ia93"].Scope
		dec := models.UsageFilter{Mois: "2025-12"}
		for threshold, want := range map[int][]string{30: {w.e3}, 70: {w.e3, w.e1}} {
			got, n, err := s.UsageWatch(ctx, scope, dec, threshold, 0)
			if err != nil || int(n) != len(want) || len(got) != len(want) {
				t.Fatalf("seuil %d : %+v (%d), %v", threshold, got, n, err)
			}
			for i, e := range got {
				if e.UAI != want[i] {
					t.Errorf("seuil %d, rang %d : %s, attendu %s", threshold, i, e.UAI, want[i])
				}
			}
			if threshold == 70 {
				if r, ok := got[1].Rate(); !ok || math.Abs(r-0.68) > 1e-9 || got[1].Ouverture.Label() != "01/03/2025" || got[1].NbEleves != 250 {
					t.Errorf("école 1 : %+v", got[1])
				}
			}
		}
		// At the end of November, e3 is opened for three months: 60 of its 300 pupils.
		if got, n, err := s.UsageWatch(ctx, scope, models.UsageFilter{Mois: "2025-11"}, 30, 0); err != nil || n != 1 || got[0].UAI != w.e3 {
			t.Errorf("novembre : %+v, %v", got, err)
		}
		groups, err := s.UsageOpenings(ctx, scope, dec)
		if err != nil || len(groups) != 4 {
			t.Fatalf("ouvertures : %+v, %v", groups, err)
		}
		for i, want := range [][2]int64{{1, 0}, {1, 0}, {1, 1}, {0, 0}} {
			if groups[i].Ouvertes != want[0] || groups[i].Ecoles != want[1] {
				t.Errorf("%s : %d ouvertes, %d avec chiffres, attendu %v", groups[i].Label, groups[i].Ouvertes, groups[i].Ecoles, want)
			}
		}
		checkFigures(t, "ouvertes depuis 6 à 11 mois", groups[2].UsageFigures, 1, sums(212, 170, 150, 170), 170.0/212, 1)
	})
}

// TestUsageDepartementFigures: the figures kept per département stay the sums of those kept
// per circonscription through an import, a re-import that replaces and its undo.
func TestUsageDepartementFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		w := newUsageWorld(t, s, who["pilote"])
		check := func(when string) {
			t.Helper()
			type sums struct {
				Dep, Mois, Profil                         string
				Ecoles, Charges, Actives, Visites, Actifs int64
			}
			read := func(table string) []sums {
				var out []sums
				err := models.RawDB(s).Table(table).Select("departement_code AS dep, CAST(mois AS VARCHAR(40)) AS mois, profil, " +
					"SUM(ecoles) AS ecoles, SUM(comptes_charges) AS charges, SUM(activation_actives) AS actives, " +
					"SUM(visiteurs) AS visites, SUM(activite_actives) AS actifs").
					Group("departement_code, mois, profil").Order("departement_code, mois, profil").Scan(&out).Error
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			circos, deps := read("usages_mois"), read("usages_mois_departements")
			if len(deps) == 0 || !reflect.DeepEqual(circos, deps) {
				t.Errorf("%s : par circonscription %+v, par département %+v", when, circos, deps)
			}
		}
		check("import")
		r, err := s.ImportUsages(t.Context(), who["pilote"], &models.UsageFile{Fichier: "novembre-bis.csv", Granularite: "mois",
			Rows: []models.UsageRow{{UAI: w.e3, Profil: "eleve", Periode: usageMonth(2025, time.November, 1),
				ComptesCharges: n64(310), ComptesActives: n64(70)}, {UAI: w.e3, Profil: "parent", Periode: usageMonth(2025, time.November, 1),
				ComptesCharges: n64(400), ComptesActives: n64(20)}}})
		if err != nil {
			t.Fatal(err)
		}
		check("réimport")
		if err := s.UndoUsageImport(t.Context(), who["pilote"], r.ImportID); err != nil {
			t.Fatal(err)
		}
		check("annulation")
		// The kept rows are replaced, never updated: an update would leave the sums behind.
		if err := models.RawDB(s).Exec("UPDATE usages_mois SET ecoles = ecoles + 1").Error; err == nil {
			t.Error("modification de usages_mois acceptée")
		}
		st, err := s.Usages(t.Context(), who["pilote"].Scope, models.UsageFilter{Mois: "2025-11"}, 0)
		if err != nil || len(st.Rows) != 1 || st.Total.Ecoles != 3 {
			t.Errorf("académie après annulation : %+v, %v", st, err)
		}
	})
}
