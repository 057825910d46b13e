package models

import (
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
)

// usageSpan is the months of a département touched by an import or its undoing: from the
// month of lo to the month of hi.
type usageSpan struct{ lo, hi time.Time }

// monthStart is the first day of t's month, in UTC.
func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// usageSpans is the months touched by rows, per département of their écoles.
func usageSpans(rows []UsageRow, places map[string]usagePlace) map[string]usageSpan {
	out := map[string]usageSpan{}
	for _, r := range rows {
		d := places[r.UAI].DepartementCode
		sp, ok := out[d]
		if !ok || r.Periode.Before(sp.lo) {
			sp.lo = r.Periode
		}
		if !ok || r.Periode.After(sp.hi) {
			sp.hi = r.Periode
		}
		out[d] = sp
	}
	return out
}

// refreshUsageMonths recomputes the monthly figures (usages_mois) of the départements and
// months of spans from the usages: per école, month and profile, the periods of the finest
// granularity stored are ignored when a coarser one is (a month's row over its weeks, a
// week's over its days); flows are summed over the month, stocks are those of its latest
// period; then summed per circonscription, each sum over the known values, the terms of
// each rate over the écoles that reported both.
func (s *Store) refreshUsageMonths(tx *gorm.DB, spans map[string]usageSpan) error {
	for _, d := range slices.Sorted(maps.Keys(spans)) {
		// Bound as the column is stored (a date for PostgreSQL, whose index then serves the
		// range, rather than a timestamp every row would be cast to).
		lo, hi := s.jsonTime(monthStart(spans[d].lo), true), s.jsonTime(monthStart(spans[d].hi).AddDate(0, 1, 0), true)
		if err := tx.Exec("DELETE FROM usages_mois WHERE departement_code = ? AND mois >= ? AND mois < ?", d, lo, hi).Error; err != nil {
			return err
		}
		if err := tx.Exec(s.usageMonthsSQL(), d, lo, hi).Error; err != nil {
			return err
		}
	}
	return nil
}

// usageMonthsSQL is the statement that inserts the monthly figures of a département (first
// parameter) for the months of the periods in [second, third).
func (s *Store) usageMonthsSQL() string {
	month := "substr(u.periode, 1, 7) || '-01 00:00:00+00:00'"
	if s.dialect == Postgres {
		month = "CAST(date_trunc('month', u.periode) AS DATE)"
	}
	both := func(a, b string) string {
		return "COALESCE(SUM(CASE WHEN " + a + " IS NOT NULL AND " + b + " IS NOT NULL THEN " + a + " END), 0)"
	}
	return `WITH m AS (
	SELECT u.uai, u.profil, u.departement_code, COALESCE(u.code_circonscription, '') AS circo, ` + month + ` AS mois,
		u.periode, u.connexions, u.visiteurs, u.comptes_charges, u.comptes_actives,
		CASE u.granularite WHEN 'mois' THEN 0 WHEN 'semaine' THEN 1 ELSE 2 END AS g
	FROM usages u WHERE u.departement_code = ? AND u.periode >= ? AND u.periode < ?
), k AS (
	SELECT m.*, MIN(g) OVER (PARTITION BY uai, profil, mois) AS gmin FROM m
), e AS (
	SELECT k.departement_code, k.circo, k.mois, k.profil, k.comptes_charges AS ch, k.comptes_actives AS ac,
		SUM(k.connexions) OVER (PARTITION BY k.uai, k.profil, k.mois) AS cx,
		SUM(k.visiteurs) OVER (PARTITION BY k.uai, k.profil, k.mois) AS vi,
		ROW_NUMBER() OVER (PARTITION BY k.uai, k.profil, k.mois ORDER BY k.periode DESC) AS rn
	FROM k WHERE k.g = k.gmin
)
INSERT INTO usages_mois (departement_code, code_circonscription, mois, profil, ecoles, comptes_charges, comptes_actives,
	connexions, visiteurs, activation_charges, activation_actives, activite_actives, activite_visiteurs)
SELECT departement_code, circo, mois, profil, COUNT(*), COALESCE(SUM(ch), 0), COALESCE(SUM(ac), 0),
	COALESCE(SUM(cx), 0), COALESCE(SUM(vi), 0), ` + both("ch", "ac") + `, ` + both("ac", "ch") + `, ` +
		both("ac", "vi") + `, ` + both("vi", "ac") + `
FROM e WHERE rn = 1 GROUP BY departement_code, circo, mois, profil`
}
