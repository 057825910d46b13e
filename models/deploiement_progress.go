package models

import (
	"context"
	"slices"
)

// The progress of the rollout: écoles and pupils per phase, by département (from the
// figures kept in chiffres_deploiements and chiffres_departements), by circonscription,
// EPCI or commune of a département (GROUP BY within the scope), and per wave against its
// target.

// ProgressLevels are the levels of the progress table.
var ProgressLevels = []Choice{
	{"departement", "Département"},
	{"circonscription", "Circonscription"},
	{"epci", "EPCI"},
	{"commune", "Commune"},
}

// ProgressColumns are the columns of the progress table: the phases, then "hors programme".
var ProgressColumns = DeploiementPhaseFilters

// PhaseCount is the écoles and pupils of one phase.
type PhaseCount struct {
	Ecoles int64
	Eleves int64
}

// ProgressRow is one line of the progress table: a territory, its écoles and pupils per
// phase (PhaseNone: hors programme) and in all.
type ProgressRow struct {
	Code   string
	Label  string
	Phases map[string]PhaseCount
	Total  PhaseCount
}

// Cells are the counts of the row in the order of ProgressColumns.
func (r ProgressRow) Cells() []PhaseCount {
	out := make([]PhaseCount, len(ProgressColumns))
	for i, c := range ProgressColumns {
		out[i] = r.Phases[c.Value]
	}
	return out
}

// Opened counts the écoles whose ENT is open (ouvert or généralisé).
func (r ProgressRow) Opened() int64 { return r.Phases["ouvert"].Ecoles + r.Phases["generalise"].Ecoles }

// OpenShare is the share of the écoles whose ENT is open, 0 to 1.
func (r ProgressRow) OpenShare() float64 {
	if r.Total.Ecoles == 0 {
		return 0
	}
	return float64(r.Opened()) / float64(r.Total.Ecoles)
}

// Progress is the progress table and its total line.
type Progress struct {
	Rows  []ProgressRow
	Total ProgressRow
}

// progressCount is one group of the progress queries.
type progressCount struct {
	Code   string
	Label  string
	Phase  string
	Ecoles int64
	Eleves int64
}

// gather pivots the groups into rows (in the order met) and their total.
func gather(counts []progressCount) Progress {
	var out Progress
	at := map[string]int{}
	out.Total = ProgressRow{Code: "total", Label: "Total", Phases: map[string]PhaseCount{}}
	for _, c := range counts {
		i, ok := at[c.Code]
		if !ok {
			i = len(out.Rows)
			at[c.Code] = i
			out.Rows = append(out.Rows, ProgressRow{Code: c.Code, Label: c.Label, Phases: map[string]PhaseCount{}})
		}
		r := &out.Rows[i]
		for _, t := range []*ProgressRow{r, &out.Total} {
			p := t.Phases[c.Phase]
			p.Ecoles, p.Eleves = p.Ecoles+c.Ecoles, p.Eleves+c.Eleves
			t.Phases[c.Phase] = p
			t.Total.Ecoles, t.Total.Eleves = t.Total.Ecoles+c.Ecoles, t.Total.Eleves+c.Eleves
		}
	}
	return out
}

// DeploiementProgress returns the progress of the scope at a level of ProgressLevels
// (département by default), within the département dep when set.
func (s *Store) DeploiementProgress(ctx context.Context, scope Scope, level, dep string) (Progress, error) {
	dep = dbText(dep)
	if level == "departement" || level == "" {
		if scope.Kind == ScopeAcademie || scope.Kind == ScopeDepartement {
			return s.keptProgress(ctx, scope, dep)
		}
	}
	var counts []progressCount
	key, label, joins := progressGroup(level)
	q := scope.within(s.db.WithContext(ctx).Table("ecoles AS e"), "e", ecolesTerritory, reachRead).
		Joins("LEFT JOIN deploiements AS d ON d.uai = e.uai")
	for _, j := range joins {
		q = q.Joins(j)
	}
	if dep != "" {
		q = q.Where("e.departement_code = ?", dep)
	}
	err := q.Select(key + " AS code, " + label + " AS label, COALESCE(d.phase, '" + PhaseNone + "') AS phase, COUNT(*) AS ecoles, " +
		"COALESCE(SUM(e.nb_eleves), 0) AS eleves").Group(key + ", " + label + ", COALESCE(d.phase, '" + PhaseNone + "')").
		Order(label + ", " + key).Scan(&counts).Error
	return gather(counts), err
}

// progressGroup is the key, label and joins of a level's groups.
func progressGroup(level string) (key, label string, joins []string) {
	switch level {
	case "circonscription":
		return "COALESCE(e.code_circonscription, '')", "COALESCE(ci.nom, 'Sans circonscription')",
			[]string{"LEFT JOIN circonscriptions AS ci ON ci.code = e.code_circonscription"}
	case "epci":
		return "COALESCE(c.epci_siren, '')", "COALESCE(x.nom, 'Sans EPCI')",
			[]string{"JOIN communes AS c ON c.code_insee = e.code_insee", "LEFT JOIN epci AS x ON x.siren = c.epci_siren"}
	case "commune":
		return "e.code_insee", "c.nom", []string{"JOIN communes AS c ON c.code_insee = e.code_insee"}
	}
	return "e.departement_code", "dp.nom", []string{"JOIN departements AS dp ON dp.code = e.departement_code"}
}

// keptProgress is the progress by département from the kept figures: the deployments per
// phase (chiffres_deploiements) and the écoles in all (chiffres_departements), whose
// difference is the écoles hors programme.
func (s *Store) keptProgress(ctx context.Context, scope Scope, dep string) (Progress, error) {
	db := s.db.WithContext(ctx)
	var totals []progressCount
	q := scope.within(db.Table("chiffres_departements AS k"), "k", departementsTerritory, reachRead).
		Joins("JOIN departements AS dp ON dp.code = k.departement_code").Where("k.nb_ecoles > 0")
	if dep != "" {
		q = q.Where("k.departement_code = ?", dep)
	}
	if err := q.Select("k.departement_code AS code, dp.nom AS label, k.nb_ecoles AS ecoles, k.nb_eleves AS eleves").
		Order("k.departement_code").Scan(&totals).Error; err != nil {
		return Progress{}, err
	}
	var phases []progressCount
	q = scope.within(db.Table("chiffres_deploiements AS k"), "k", departementsTerritory, reachRead)
	if dep != "" {
		q = q.Where("k.departement_code = ?", dep)
	}
	if err := q.Select("k.departement_code AS code, k.phase, k.nb_ecoles AS ecoles, k.nb_eleves AS eleves").
		Scan(&phases).Error; err != nil {
		return Progress{}, err
	}
	in := map[string]progressCount{}
	for _, p := range phases {
		t := in[p.Code]
		t.Ecoles, t.Eleves = t.Ecoles+p.Ecoles, t.Eleves+p.Eleves
		in[p.Code] = t
	}
	counts := make([]progressCount, 0, len(totals)+len(phases))
	for _, t := range totals {
		counts = append(counts, progressCount{Code: t.Code, Label: t.Label, Phase: PhaseNone,
			Ecoles: max(0, t.Ecoles-in[t.Code].Ecoles), Eleves: max(0, t.Eleves-in[t.Code].Eleves)})
		for _, p := range phases {
			if p.Code == t.Code {
				p.Label = t.Label
				counts = append(counts, p)
			}
		}
	}
	return gather(counts), nil
}

// VagueProgress is a wave of the plan and where its écoles stand: the écoles it holds,
// those open, and its target when set.
type VagueProgress struct {
	ID            int64
	Nom           string
	AnneeScolaire string
	Cible         *int
	Ecoles        int64
	Ouvertes      int64
}

// Share is the share of the target (of the écoles in the wave without one) that is open, 0
// to 1.
func (v VagueProgress) Share() float64 {
	base := v.Ecoles
	if v.Cible != nil {
		base = int64(*v.Cible)
	}
	if base == 0 {
		return 0
	}
	return float64(v.Ouvertes) / float64(base)
}

// VaguesProgress returns the live waves the scope reads with their écoles of the scope
// (within the département dep when set), in the order of the plan.
func (s *Store) VaguesProgress(ctx context.Context, scope Scope, dep string) ([]VagueProgress, error) {
	db := s.db.WithContext(ctx)
	sub := scope.within(db.Table("deploiements AS d"), "d", deploiementsTerritory, reachRead).Where("d.vague_id IS NOT NULL")
	if dep = dbText(dep); dep != "" {
		sub = sub.Where("d.departement_code = ?", dep)
	}
	sub = sub.Select("d.vague_id, COUNT(*) AS n, SUM(CASE WHEN d.phase IN ('ouvert', 'generalise') THEN 1 ELSE 0 END) AS o").
		Group("d.vague_id")
	var out []VagueProgress
	err := scope.restrictTo(db.Table("vagues AS v"), EntityVague, "v").Where("v.archived_at IS NULL").
		Joins("LEFT JOIN (?) AS x ON x.vague_id = v.id", sub).
		Select("v.id, v.nom, v.annee_scolaire, v.cible_ecoles AS cible, COALESCE(x.n, 0) AS ecoles, COALESCE(x.o, 0) AS ouvertes").
		Order("v.annee_scolaire, v.pilote DESC, v.nom, v.id").Scan(&out).Error
	return out, err
}

// progressLevel checks a level of ProgressLevels.
func progressLevel(level string) bool {
	return slices.ContainsFunc(ProgressLevels, func(c Choice) bool { return c.Value == level })
}

// ValidProgressLevel reports whether level is one of ProgressLevels ("" is the default).
func ValidProgressLevel(level string) bool { return level == "" || progressLevel(level) }
