package models

import "gorm.io/gorm"

// The communes of the local conventions in force (migration 00041) are kept in
// conventions_en_vigueur rather than joined from every convention on each home page and
// alerts page: one row per commune of a live local convention recorded "en vigueur", with
// its expiry after avenants. refreshConventionsEnVigueur rewrites the rows of a convention in
// the transaction of every change that moves them: its status (TransitionConvention,
// ExpireConventions), its expiry or communes (UpdateConvention, an avenant of prolongation),
// its archiving and restoring, and the synthetic loader. The rows hold their commune's
// département, so that whole départements count their covered communes from this table
// alone; refreshDepartementFigures sets it again at every import of the reference data.
//
// The passage to "échue" is derived from the dates and happens without a write: the rows
// keep date_fin and every reader compares it with today (inForceSQL), which keeps the
// table right between the day a convention expires and the daily run that records it.
//
// Every write path updates the convention's own row before the refresh: on PostgreSQL two
// transactions refreshing one convention are thus serialised by that row's lock.

// enVigueurToday keeps the kept rows (alias v) still in force on today (the argument).
const enVigueurToday = "(v.date_fin IS NULL OR v.date_fin >= ?)"

// enVigueurRowsSQL selects the rows of the conventions whose ids are the argument.
const enVigueurRowsSQL = `SELECT cc.convention_id, cc.code_insee, m.departement_code, c.date_fin
	FROM convention_communes cc JOIN conventions c ON c.id = cc.convention_id JOIN communes m ON m.code_insee = cc.code_insee
	WHERE c.kind = 'locale' AND c.statut = 'en_vigueur' AND c.archived_at IS NULL AND c.id IN ?`

// refreshConventionsEnVigueur rewrites the kept rows of the conventions ids.
func refreshConventionsEnVigueur(tx *gorm.DB, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := tx.Exec("DELETE FROM conventions_en_vigueur WHERE convention_id IN ?", ids).Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO conventions_en_vigueur (convention_id, code_insee, departement_code, date_fin) "+enVigueurRowsSQL, ids).Error
}
