package models

import (
	"context"

	"gorm.io/gorm"
)

// The écoles and pupils of each commune (migration 00050) are kept in chiffres_communes
// rather than counted on every page: refreshCommuneFigures recomputes them in the
// transaction of every import of communes or écoles, the only changes that move them. Every
// commune has its row, so that sorting the communes by their écoles or pupils walks the
// table's indexes.

// refreshCommuneFigures recomputes the figures of the communes of the départements (all of
// them for nil). Rows whose figures did not change are left as they are: an import that
// changes a few écoles rewrites a few rows.
func refreshCommuneFigures(tx *gorm.DB, departements []string) error {
	// "WHERE" even when it selects everything: SQLite would otherwise read the upsert's ON
	// CONFLICT as the join's ON.
	communes, ecoles, args := "true", "true", []any{}
	if departements != nil {
		communes = "c.departement_code IN ?"
		ecoles = "code_insee IN (SELECT code_insee FROM communes WHERE departement_code IN ?)"
		args = []any{departements, departements} // the écoles' condition, then the communes'

	}
	res := tx.Exec(`INSERT INTO chiffres_communes (code_insee, nb_ecoles, nb_eleves)
	SELECT c.code_insee, COALESCE(e.n, 0), COALESCE(e.eleves, 0)
	FROM communes c
	LEFT JOIN (SELECT code_insee, COUNT(*) AS n, SUM(COALESCE(nb_eleves, 0)) AS eleves
		FROM ecoles WHERE `+ecoles+` GROUP BY code_insee) e ON e.code_insee = c.code_insee
	WHERE `+communes+`
	ON CONFLICT (code_insee) DO UPDATE SET nb_ecoles = excluded.nb_ecoles, nb_eleves = excluded.nb_eleves
	WHERE chiffres_communes.nb_ecoles <> excluded.nb_ecoles OR chiffres_communes.nb_eleves <> excluded.nb_eleves`, args...)
	if res.Error != nil || res.RowsAffected < analyzeAfter {
		return res.Error
	}
	// After a bulk load the planner needs the table's statistics to walk its indexes.
	return tx.Exec("ANALYZE chiffres_communes").Error
}

// referenceTotal counts the communes or the écoles (column: nb_communes or nb_ecoles) of a
// département, or of all of them for "", from the figures the imports keep in
// chiffres_departements (departement_figures.go): the lists filtered by département alone
// get their total there instead of counting 35,000 communes or 47,000 écoles on every page
// (PostgreSQL reads the whole table to count it).
func (s *Store) referenceTotal(ctx context.Context, column, departement string) func() (int64, error) {
	return func() (int64, error) {
		q := s.db.WithContext(ctx).Table("chiffres_departements")
		if departement != "" {
			q = q.Where("departement_code = ?", departement)
		}
		var n int64
		err := q.Select("COALESCE(SUM(" + column + "), 0)").Scan(&n).Error
		return n, err
	}
}
