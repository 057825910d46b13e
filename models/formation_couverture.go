package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// The training's coverage of the écoles opened (phase ouvert or généralisé): the teachers
// trained against an estimate of the teaching staff, by circonscription, commune, wave or
// département, and the écoles opened with nobody trained. The estimate is the école's
// number of classes plus one director (COALESCE(nb_classes, 0) + 1). The trained are the
// participants marked present and the headcounts present of the écoles' registrations, in
// sessions held (tenue, not archived) for teachers or directors, kept per école in
// formation_formes (formation_formes.go). The scope applies to the écoles (their
// deployment's territory); their trainings count wherever they were held.

// CoverageGroupings are the groupings of the coverage table.
var CoverageGroupings = []Choice{
	{"circonscription", "Circonscription"},
	{"commune", "Commune"},
	{"vague", "Vague"},
	{"departement", "Département"},
}

// ValidCoverageGrouping reports whether by is one of CoverageGroupings ("" is the
// circonscription).
func ValidCoverageGrouping(by string) bool {
	return by == "" || slices.ContainsFunc(CoverageGroupings, func(c Choice) bool { return c.Value == by })
}

// CoverageFilter narrows the écoles opened: a département, a circonscription, a wave.
type CoverageFilter struct {
	Departement     string
	Circonscription string
	VagueID         int64
}

// FormationCoverageRow is the coverage of a group of écoles opened: their number, the
// estimate of their teaching staff, the teachers trained, and the écoles with nobody trained.
type FormationCoverageRow struct {
	Code          string
	Label         string
	Ecoles        int64
	Estimation    int64
	Formes        int64
	SansFormation int64
}

// Rate is the trained over the estimate, 0 to 1 (capped: a teacher trained twice counts
// twice, and the estimate is only an estimate).
func (r FormationCoverageRow) Rate() float64 { return min(1, share(r.Formes, r.Estimation)) }

// FormationCoverage is the coverage table and its total.
type FormationCoverage struct {
	Rows  []FormationCoverageRow
	Total FormationCoverageRow
}

// estimateSQL is the teaching staff estimate of an école (alias e).
const estimateSQL = "(COALESCE(e.nb_classes, 0) + 1)"

// openedEcoles is the écoles opened (deployment d, école e, trained t) of the scope
// within the filter.
func openedEcoles(db *gorm.DB, scope Scope, f CoverageFilter) *gorm.DB {
	q := scope.restrictTo(db.Table("deploiements AS d"), EntityDeploiement, "d").
		Joins("JOIN ecoles AS e ON e.uai = d.uai").
		Joins("LEFT JOIN formation_formes AS t ON t.uai = d.uai").
		Where("d.phase IN ('ouvert', 'generalise')")
	if f.Departement != "" {
		q = q.Where("d.departement_code = ?", dbText(f.Departement))
	}
	if f.Circonscription != "" {
		q = q.Where("d.code_circonscription = ?", dbText(f.Circonscription))
	}
	if f.VagueID != 0 {
		q = q.Where("d.vague_id = ?", f.VagueID)
	}
	return q
}

// coverageGroup is the key, label and joins of a grouping.
func coverageGroup(by string) (key, label string, joins []string) {
	switch by {
	case "commune":
		return "d.code_insee", "c.nom", []string{"JOIN communes AS c ON c.code_insee = d.code_insee"}
	case "vague":
		return "COALESCE(CAST(d.vague_id AS VARCHAR(20)), '')", "COALESCE(v.nom, 'Sans vague')",
			[]string{"LEFT JOIN vagues AS v ON v.id = d.vague_id"}
	case "departement":
		return "d.departement_code", "dp.nom", []string{"JOIN departements AS dp ON dp.code = d.departement_code"}
	}
	return "COALESCE(d.code_circonscription, '')", "COALESCE(ci.nom, 'Sans circonscription')",
		[]string{"LEFT JOIN circonscriptions AS ci ON ci.code = d.code_circonscription"}
}

// CoverageFormation returns the coverage of the scope's écoles opened within the filter,
// grouped by one of CoverageGroupings (circonscription by default), and its total.
func (s *Store) CoverageFormation(ctx context.Context, scope Scope, f CoverageFilter, by string) (FormationCoverage, error) {
	var out FormationCoverage
	key, label, joins := coverageGroup(by)
	q := openedEcoles(s.db.WithContext(ctx), scope, f)
	for _, j := range joins {
		q = q.Joins(j)
	}
	err := q.Select(key + " AS code, " + label + " AS label, COUNT(*) AS ecoles, SUM" + estimateSQL + " AS estimation, " +
		"COALESCE(SUM(t.formes), 0) AS formes, SUM(CASE WHEN COALESCE(t.formes, 0) = 0 THEN 1 ELSE 0 END) AS sans_formation").
		Group(key + ", " + label).Order("2, 1").Scan(&out.Rows).Error
	out.Total = FormationCoverageRow{Code: "total", Label: "Total"}
	for _, r := range out.Rows {
		out.Total.Ecoles += r.Ecoles
		out.Total.Estimation += r.Estimation
		out.Total.Formes += r.Formes
		out.Total.SansFormation += r.SansFormation
	}
	return out, err
}

// FormationCoverageEcole is an école opened with its estimate and its teachers trained.
type FormationCoverageEcole struct {
	UAI             string `gorm:"column:uai"`
	Nom             string
	Commune         string
	Circonscription *string
	Estimation      int64
	Formes          int64
}

// Rate is the trained over the estimate, 0 to 1 (capped).
func (e FormationCoverageEcole) Rate() float64 { return min(1, share(e.Formes, e.Estimation)) }

// CoverageEcoles returns the scope's écoles opened within the filter, those with nobody
// trained first, then by rate ascending, at most limit of them (0: all, for the exports).
func (s *Store) CoverageEcoles(ctx context.Context, scope Scope, f CoverageFilter, limit int) ([]FormationCoverageEcole, error) {
	var out []FormationCoverageEcole
	q := openedEcoles(s.db.WithContext(ctx), scope, f).
		Joins("JOIN communes AS c ON c.code_insee = d.code_insee").
		Joins("LEFT JOIN circonscriptions AS ci ON ci.code = d.code_circonscription").
		Select("d.uai, e.nom, c.nom AS commune, ci.nom AS circonscription, " + estimateSQL + " AS estimation, " +
			"COALESCE(t.formes, 0) AS formes").
		Order("CASE WHEN COALESCE(t.formes, 0) = 0 THEN 0 ELSE 1 END, " +
			"CAST(COALESCE(t.formes, 0) AS REAL) / " + estimateSQL + ", e.nom, d.uai")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return out, q.Scan(&out).Error
}
