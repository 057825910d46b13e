package models

import "gorm.io/gorm"

// The training's coverage is kept per école opened in couverture_ecoles (migration 00058):
// the rows of a département are recomputed in the transaction of every change of its
// deployments (refreshDeploiementFigures), those of the écoles whose teachers trained change
// in that of the change (refreshFormesOf), and all of them at every import of the reference
// data (refreshDepartementFigures: classes and territories move with the écoles). Their sums
// per département, circonscription and wave are kept with them in couverture_groupes.

// trainingCoverageInsertSQL recomputes the rows of the écoles opened; the caller appends the
// condition on d (the deployments) that chooses them.
const trainingCoverageInsertSQL = `INSERT INTO couverture_ecoles (uai, departement_code, code_circonscription, code_insee, vague_id, estimation, formes, taux)
	SELECT d.uai, d.departement_code, d.code_circonscription, d.code_insee, d.vague_id,
		` + estimateSQL + `, COALESCE(t.formes, 0), CAST(COALESCE(t.formes, 0) AS DOUBLE PRECISION) / ` + estimateSQL + `
	FROM deploiements d JOIN ecoles e ON e.uai = d.uai LEFT JOIN formation_formes t ON t.uai = d.uai
	WHERE d.phase IN ('ouvert', 'generalise')`

// coverageGroupsInsertSQL sums the rows per département, circonscription and wave; the
// caller appends the condition on the départements (or nothing) and the grouping.
const coverageGroupsInsertSQL = `INSERT INTO couverture_groupes (departement_code, code_circonscription, vague_id, ecoles, estimation, formes, sans_formation)
	SELECT departement_code, COALESCE(code_circonscription, ''), COALESCE(vague_id, 0), COUNT(*), SUM(estimation), SUM(formes),
		SUM(CASE WHEN formes = 0 THEN 1 ELSE 0 END)
	FROM couverture_ecoles `

// coverageGroupsGroupBy ends coverageGroupsInsertSQL.
const coverageGroupsGroupBy = " GROUP BY departement_code, COALESCE(code_circonscription, ''), COALESCE(vague_id, 0)"

// trainingCoverageRefreshSQL recomputes every row and every sum.
var trainingCoverageRefreshSQL = []string{"DELETE FROM couverture_ecoles", trainingCoverageInsertSQL,
	"DELETE FROM couverture_groupes", coverageGroupsInsertSQL + coverageGroupsGroupBy}

// refreshTrainingCoverageOf recomputes the rows of the écoles whose column (departement_code or
// uai) is one of values, and the sums of their départements.
func refreshTrainingCoverageOf(tx *gorm.DB, column string, values []string) error {
	if len(values) == 0 {
		return nil
	}
	deps := values
	if column == "uai" {
		deps = nil
		if err := tx.Table("ecoles").Where("uai IN ?", values).Distinct().Pluck("departement_code", &deps).Error; err != nil {
			return err
		}
	}
	for _, q := range []struct {
		sql  string
		args []string
	}{
		{"DELETE FROM couverture_ecoles WHERE " + column + " IN ?", values},
		{trainingCoverageInsertSQL + " AND d." + column + " IN ?", values},
		{"DELETE FROM couverture_groupes WHERE departement_code IN ?", deps},
		{coverageGroupsInsertSQL + "WHERE departement_code IN ?" + coverageGroupsGroupBy, deps},
	} {
		if err := tx.Exec(q.sql, q.args).Error; err != nil {
			return err
		}
	}
	return nil
}

// refreshTrainingCoverage recomputes every row.
func refreshTrainingCoverage(tx *gorm.DB) error {
	for _, q := range trainingCoverageRefreshSQL {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
