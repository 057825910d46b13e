package models

import (
	"cmp"
	"context"
	"slices"
	"strings"

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

// CoverageFilter narrows the écoles opened: a département, a circonscription, a commune,
// a wave.
type CoverageFilter struct {
	Departement     string
	Circonscription string
	Commune         string
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

// openedEcoles is the kept coverage (k, formation_couverture_kept.go) of the écoles opened
// of the scope within the filter.
func openedEcoles(db *gorm.DB, scope Scope, f CoverageFilter) *gorm.DB {
	q := scope.restrictTo(db.Table("couverture_ecoles AS k"), EntityDeploiement, "k")
	if f.Departement != "" {
		q = q.Where("k.departement_code = ?", dbText(f.Departement))
	}
	if f.Circonscription != "" {
		q = q.Where("k.code_circonscription = ?", dbText(f.Circonscription))
	}
	if f.Commune != "" {
		q = q.Where("k.code_insee = ?", dbText(f.Commune))
	}
	if f.VagueID != 0 {
		q = q.Where("k.vague_id = ?", f.VagueID)
	}
	return q
}

// coverageGroup is the key of a grouping and the query of its labels (code, label).
func coverageGroup(by string) (key, labels string) {
	switch by {
	case "commune":
		return "k.code_insee", "SELECT code_insee AS code, nom AS label FROM communes WHERE code_insee IN ?"
	case "vague":
		return "k.vague_id", "SELECT CAST(id AS VARCHAR(20)) AS code, nom AS label FROM vagues WHERE CAST(id AS VARCHAR(20)) IN ?"
	case "departement":
		return "k.departement_code", "SELECT code, nom AS label FROM departements WHERE code IN ?"
	}
	return "k.code_circonscription", "SELECT code, nom AS label FROM circonscriptions WHERE code IN ?"
}

// coverageGroupsTerritory is the territory of the kept sums (couverture_groupes): a
// département and a circonscription (” none).
var coverageGroupsTerritory = Territory{Departement: "departement_code", Circonscription: "code_circonscription"}

// coverageSums is the query of the sums by key: over the kept sums per département,
// circonscription and wave when the grouping, the scope and the filter allow (not by or
// for a commune, not for a communes scope), over the écoles otherwise.
func coverageSums(db *gorm.DB, scope Scope, f CoverageFilter, by string) *gorm.DB {
	key, _ := coverageGroup(by)
	if by == "commune" || scope.Kind == ScopeCommunes || f.Commune != "" {
		return openedEcoles(db, scope, f).Select("COALESCE(CAST(" + key + " AS VARCHAR(20)), '') AS code, COUNT(*) AS ecoles, " +
			"SUM(k.estimation) AS estimation, SUM(k.formes) AS formes, SUM(CASE WHEN k.formes = 0 THEN 1 ELSE 0 END) AS sans_formation").
			Group(key)
	}
	q := scope.within(db.Table("couverture_groupes AS k"), "k", coverageGroupsTerritory, reachRead)
	if f.Departement != "" {
		q = q.Where("k.departement_code = ?", dbText(f.Departement))
	}
	if f.Circonscription != "" {
		q = q.Where("k.code_circonscription = ?", dbText(f.Circonscription))
	}
	if f.VagueID != 0 {
		q = q.Where("k.vague_id = ?", f.VagueID)
	}
	code := "CAST(" + key + " AS VARCHAR(20))"
	if by == "vague" {
		code = "CASE WHEN k.vague_id = 0 THEN '' ELSE " + code + " END"
	}
	return q.Select(code + " AS code, SUM(k.ecoles) AS ecoles, SUM(k.estimation) AS estimation, " +
		"SUM(k.formes) AS formes, SUM(k.sans_formation) AS sans_formation").Group(key)
}

// coverageNone is the label of the écoles without the grouping's key.
func coverageNone(by string) string {
	if by == "vague" {
		return "Sans vague"
	}
	return "Sans circonscription"
}

// CoverageFormation returns the coverage of the scope's écoles opened within the filter,
// grouped by one of CoverageGroupings (circonscription by default), and its total, in the
// order of the labels. The sums read the kept rows; the labels are read for the groups found.
func (s *Store) CoverageFormation(ctx context.Context, scope Scope, f CoverageFilter, by string) (FormationCoverage, error) {
	var out FormationCoverage
	if err := coverageSums(s.db.WithContext(ctx), scope, f, by).Scan(&out.Rows).Error; err != nil || len(out.Rows) == 0 {
		return out, err
	}
	_, labels := coverageGroup(by)
	if err := s.labelCoverage(ctx, out.Rows, labels, coverageNone(by)); err != nil {
		return out, err
	}
	out.Total = FormationCoverageRow{Code: "total", Label: "Total"}
	for _, r := range out.Rows {
		out.Total.Ecoles += r.Ecoles
		out.Total.Estimation += r.Estimation
		out.Total.Formes += r.Formes
		out.Total.SansFormation += r.SansFormation
	}
	return out, nil
}

// labelCoverage names the rows (none: the label of the empty code) and sorts them by label.
func (s *Store) labelCoverage(ctx context.Context, rows []FormationCoverageRow, labels, none string) error {
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, r.Code)
	}
	var named []struct{ Code, Label string }
	if err := s.db.WithContext(ctx).Raw(labels, codes).Scan(&named).Error; err != nil {
		return err
	}
	names := make(map[string]string, len(named))
	for _, n := range named {
		names[n.Code] = n.Label
	}
	for i := range rows {
		rows[i].Label = names[rows[i].Code]
		if rows[i].Code == "" {
			rows[i].Label = none
		}
	}
	slices.SortFunc(rows, func(a, b FormationCoverageRow) int {
		return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.Code, b.Code))
	})
	return nil
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
// trained first, then by rate ascending, commune and UAI (the order of the kept rows'
// indexes, so that the first page is read without sorting them all), at most limit of them
// (0: all, for the exports).
func (s *Store) CoverageEcoles(ctx context.Context, scope Scope, f CoverageFilter, limit int) ([]FormationCoverageEcole, error) {
	var out []FormationCoverageEcole
	q := openedEcoles(s.db.WithContext(ctx), scope, f).
		Joins("JOIN ecoles AS e ON e.uai = k.uai").
		Joins("JOIN communes AS c ON c.code_insee = k.code_insee").
		Joins("LEFT JOIN circonscriptions AS ci ON ci.code = k.code_circonscription").
		Select("k.uai, e.nom, c.nom AS commune, ci.nom AS circonscription, k.estimation, k.formes").
		Order("k.taux, k.code_insee, k.uai")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return out, q.Scan(&out).Error
}
