package models

import "gorm.io/gorm"

// The figures of the départements (migration 00040) are kept in chiffres_departements
// rather than counted on every page: refreshDepartementFigures recomputes them in the
// transaction of every import of the reference data (communes, EPCI, écoles), the only
// changes that move them; with them, the département of each commune kept in
// conventions_en_vigueur.

// departementFiguresSQL recomputes the table from the communes and écoles: one pass over
// each, grouped by département.
var departementFiguresSQL = []string{
	"DELETE FROM chiffres_departements",
	`INSERT INTO chiffres_departements (departement_code, nb_communes, population, nb_ecoles, nb_eleves, nb_epci, nb_ept)
	SELECT d.code, COALESCE(c.n, 0), COALESCE(c.population, 0), COALESCE(e.n, 0), COALESCE(e.eleves, 0),
		COALESCE(c.epci, 0), COALESCE(c.ept, 0)
	FROM departements d
	LEFT JOIN (SELECT departement_code, COUNT(*) AS n, SUM(population) AS population,
		COUNT(DISTINCT epci_siren) AS epci, COUNT(DISTINCT ept_siren) AS ept
		FROM communes GROUP BY departement_code) c ON c.departement_code = d.code
	LEFT JOIN (SELECT departement_code, COUNT(*) AS n, SUM(COALESCE(nb_eleves, 0)) AS eleves
		FROM ecoles GROUP BY departement_code) e ON e.departement_code = d.code`,
	// The département of the communes of the conventions in force (convention_en_vigueur.go).
	`UPDATE conventions_en_vigueur SET departement_code =
		(SELECT m.departement_code FROM communes m WHERE m.code_insee = conventions_en_vigueur.code_insee)`,
	// The territory of the deployments, repeated from their écoles (deploiement.go), and
	// their figures (pupils change with every import of écoles).
	`UPDATE deploiements SET departement_code = e.departement_code, code_circonscription = e.code_circonscription,
		code_insee = e.code_insee FROM ecoles e WHERE e.uai = deploiements.uai AND (deploiements.departement_code <> e.departement_code
		OR deploiements.code_insee <> e.code_insee OR COALESCE(deploiements.code_circonscription, '') <> COALESCE(e.code_circonscription, ''))`,
	"DELETE FROM chiffres_deploiements",
	`INSERT INTO chiffres_deploiements (departement_code, phase, nb_ecoles, nb_eleves)
	SELECT d.departement_code, d.phase, COUNT(*), COALESCE(SUM(e.nb_eleves), 0)
	FROM deploiements d JOIN ecoles e ON e.uai = d.uai GROUP BY d.departement_code, d.phase`,
}

// refreshDepartementFigures recomputes the figures of every département.
func refreshDepartementFigures(tx *gorm.DB) error {
	for _, q := range departementFiguresSQL {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return refreshTrainingCoverage(tx)
}
