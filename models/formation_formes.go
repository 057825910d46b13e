package models

import "gorm.io/gorm"

// formation_formes keeps the teachers trained per école (migration 00057): the coverage of
// the écoles opened reads it instead of counting every registration on each page.

// trainedSQL is, per école (uai), the teachers trained (formes): the participants marked
// present and the headcounts present of the écoles' registrations, in sessions held (tenue,
// not archived) for teachers or directors. {uais} restricts it to some écoles.
const trainedSQL = "SELECT fi.uai, SUM(CASE WHEN fi.kind = 'ecole' THEN COALESCE(fi.presents, 0) ELSE 1 END) AS formes " +
	"FROM formation_inscriptions fi JOIN formations tf ON tf.id = fi.formation_id " +
	"WHERE fi.uai IS NOT NULL AND fi.statut = 'inscrit' AND (fi.kind = 'ecole' OR fi.presence = 'present') " +
	"AND tf.statut = 'tenue' AND tf.archived_at IS NULL AND tf.public IN ('enseignants', 'directeurs')"

// refreshFormationFormes recomputes the teachers trained of the écoles registered to the
// session formationID (whatever the registration's status): call it in the transaction of
// every change of a session's registrations, attendance, status, audience or archiving.
func refreshFormationFormes(tx *gorm.DB, formationID int64) error {
	var uais []string
	if err := tx.Table("formation_inscriptions").Where("formation_id = ? AND uai IS NOT NULL", formationID).
		Distinct().Pluck("uai", &uais).Error; err != nil {
		return err
	}
	return refreshFormesOf(tx, uais)
}

// refreshFormesOf recomputes the teachers trained of the écoles uais (nil: every école).
func refreshFormesOf(tx *gorm.DB, uais []string) error {
	if uais != nil && len(uais) == 0 {
		return nil
	}
	del, sel := "DELETE FROM formation_formes", trainedSQL
	var args []any
	if uais != nil {
		del += " WHERE uai IN ?"
		sel += " AND fi.uai IN ?"
		args = append(args, uais)
	}
	if err := tx.Exec(del, args...).Error; err != nil {
		return err
	}
	if err := tx.Exec("INSERT INTO formation_formes (uai, formes) "+sel+
		" GROUP BY fi.uai HAVING SUM(CASE WHEN fi.kind = 'ecole' THEN COALESCE(fi.presents, 0) ELSE 1 END) > 0", args...).Error; err != nil {
		return err
	}
	if uais == nil {
		return refreshTrainingCoverage(tx)
	}
	return refreshTrainingCoverageOf(tx, "uai", uais)
}
