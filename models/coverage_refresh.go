package models

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The coverage of the charter is kept in two tables (migration 00007) rather than computed
// on each page: couverture_communes lists the communes each version covers, and
// couverture_departements counts, per version and département, the communes and pupils in
// all and covered. refreshCoverage recomputes them in the transaction of every change that
// moves them: an adoption created, changed or archived (its départements only), a charter
// version created (all départements), an import of communes, EPCI or écoles (everything).

// coverageScope restricts a refresh: one charter version (0: all) and some départements
// (nil: all).
type coverageScope struct {
	version      int64
	departements []string
}

// where returns the conditions of the scope on a version column and a département column.
func (c coverageScope) where(versionCol, depCol string) string {
	var conds []string
	if c.version != 0 {
		conds = append(conds, versionCol+" = @v")
	}
	if c.departements != nil {
		conds = append(conds, depCol+" IN @d")
	}
	if len(conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(conds, " AND ")
}

func (c coverageScope) vars() map[string]any {
	return map[string]any{"v": c.version, "d": c.departements}
}

// refreshCoverage recomputes the coverage tables for the scope c.
func refreshCoverage(tx *gorm.DB, c coverageScope) error {
	if c.departements != nil && len(c.departements) == 0 {
		return nil
	}
	vars := c.vars()
	communesOf := ""
	if c.departements != nil {
		communesOf = " AND code_insee IN (SELECT code_insee FROM communes WHERE departement_code IN @d)"
	}
	version := ""
	if c.version != 0 {
		version = " AND charte_version_id = @v"
	}
	steps := []string{
		"DELETE FROM couverture_communes WHERE 1 = 1" + version + communesOf,
		// One branch per way of being covered; couvre_membres is tested as a boolean, not
		// compared to a bound Go bool (which the pure-Go SQLite driver re-evaluates per row).
		`INSERT INTO couverture_communes (charte_version_id, code_insee)
		SELECT a.charte_version_id, a.code_insee FROM adoptions a JOIN communes c ON c.code_insee = a.code_insee
			WHERE a.archived_at IS NULL` + c.where("a.charte_version_id", "c.departement_code") + `
		UNION SELECT a.charte_version_id, c.code_insee FROM adoptions a JOIN communes c ON c.epci_siren = a.epci_siren
			WHERE a.archived_at IS NULL AND a.couvre_membres` + c.where("a.charte_version_id", "c.departement_code") + `
		UNION SELECT a.charte_version_id, c.code_insee FROM adoptions a JOIN communes c ON c.ept_siren = a.epci_siren
			WHERE a.archived_at IS NULL AND a.couvre_membres` + c.where("a.charte_version_id", "c.departement_code"),
		"DELETE FROM couverture_departements WHERE 1 = 1" + c.where("charte_version_id", "departement_code"),
		`INSERT INTO couverture_departements (charte_version_id, departement_code, communes, communes_couvertes, eleves, eleves_couverts)
		SELECT v.id, c.departement_code, COUNT(*),
			SUM(CASE WHEN cc.code_insee IS NULL THEN 0 ELSE 1 END),
			COALESCE(SUM(COALESCE(e.n, 0)), 0),
			COALESCE(SUM(CASE WHEN cc.code_insee IS NULL THEN 0 ELSE COALESCE(e.n, 0) END), 0)
		FROM charte_versions v CROSS JOIN communes c
		LEFT JOIN couverture_communes cc ON cc.charte_version_id = v.id AND cc.code_insee = c.code_insee
		LEFT JOIN (SELECT code_insee, SUM(COALESCE(nb_eleves, 0)) AS n FROM ecoles WHERE 1 = 1` +
			coverageScope{departements: c.departements}.where("", "departement_code") + ` GROUP BY code_insee) e
			ON e.code_insee = c.code_insee
		WHERE 1 = 1` + c.where("v.id", "c.departement_code") + `
		GROUP BY v.id, c.departement_code`,
	}
	for _, st := range steps {
		var args []any
		if strings.Contains(st, "@") { // a map is taken for named parameters only when some are named
			args = append(args, vars)
		}
		if err := tx.Exec(st, args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// adoptionDepartements returns the départements whose coverage an adoption moves: its
// commune's, or those of its EPCI's (or EPT's) member communes.
func adoptionDepartements(tx *gorm.DB, a Adoption) ([]string, error) {
	deps := []string{}
	q := tx.Table("communes")
	switch {
	case a.CodeINSEE != nil:
		q = q.Where("code_insee = ?", *a.CodeINSEE)
	case a.EPCISiren != nil:
		q = q.Where("epci_siren = ? OR ept_siren = ?", *a.EPCISiren, *a.EPCISiren)
	default:
		return deps, nil
	}
	err := q.Distinct().Pluck("departement_code", &deps).Error
	return deps, err
}

// refreshAdoptionCoverage recomputes the coverage moved by adoptions (before and after a
// change: their versions and territories may differ).
func refreshAdoptionCoverage(tx *gorm.DB, adoptions ...Adoption) error {
	deps := map[int64][]string{}
	for _, a := range adoptions {
		d, err := adoptionDepartements(tx, a)
		if err != nil {
			return err
		}
		deps[a.CharteVersionID] = append(deps[a.CharteVersionID], d...)
	}
	for v, d := range deps {
		slices.Sort(d)
		if err := refreshCoverage(tx, coverageScope{version: v, departements: slices.Compact(d)}); err != nil {
			return err
		}
	}
	return nil
}
