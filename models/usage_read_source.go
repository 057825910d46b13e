package models

import (
	"time"

	"gorm.io/gorm"
)

// usageSource is the figures per month of the scope within the filter for the months from
// first to last (first days), as rows of the columns every grouping reads: mois (YYYY-MM),
// profil, departement_code, code_circonscription, code_insee and uai (the rows only), the
// écoles counted and usageFigureColumns. It reads the kept figures when they answer the
// filter at this level (keptUsable: the total and the trend of a circonscription's communes
// too, equal to the sums of their rows), the imported rows otherwise.
func (s *Store) usageSource(db *gorm.DB, scope Scope, f UsageFilter, first, last time.Time, level string) *gorm.DB {
	from, to := first.Format(time.DateOnly), last.AddDate(0, 1, 0).Format(time.DateOnly)
	if keptUsable(scope, f, level) {
		table, territory, circo := "usages_mois AS m", usagesKeptTerritory, "m.code_circonscription"
		if departemental(scope, f, level) {
			table, territory, circo = "usages_mois_departements AS m", departementsTerritory, "''"
		}
		q := scope.within(db.Table(table), "m", territory, reachRead).
			Where("m.mois >= ? AND m.mois < ?", from, to).
			Select(s.monthText("m.mois") + " AS mois, m.profil, m.departement_code, " + circo + " AS code_circonscription, " +
				"m.ecoles, m.comptes_charges, m.comptes_actives, m.connexions, m.visiteurs, m.activation_charges, " +
				"m.activation_actives, m.activite_actives, m.activite_visiteurs")
		return usageProfil(usagePlaces(q, "m", f), "m", f)
	}
	return s.usageEcoleMonths(db, scope, f, from, to)
}

// departemental reports whether the figures kept per département answer the filter at this
// level: the académie's rows, a total or a trend, without a circonscription, in a scope of
// whole départements.
func departemental(scope Scope, f UsageFilter, level string) bool {
	return (scope.Kind == ScopeAcademie || scope.Kind == ScopeDepartement) && f.Circonscription == "" &&
		(level == "" || level == "mois" || level == "academie")
}

// usageEcoleMonths is the figures of each école × profile × month read from the imported
// rows between the days from (included) and to (excluded), as the kept figures count them
// (usageMonthsSQL): of the periods of the month, those of the coarsest granularity the
// école has for it; their flows summed, the stocks of the latest (rn = 1); the terms of the
// rates where both are known.
func (s *Store) usageEcoleMonths(db *gorm.DB, scope Scope, f UsageFilter, from, to string) *gorm.DB {
	month := s.monthText("u.periode")
	if s.usageMonthly(db, scope, f, from, to) {
		return s.usageMonthRows(db, scope, f, from, to)
	}
	rows := s.usageRows(db, scope, f).Where("u.periode >= ? AND u.periode < ?", from, to).
		Select("u.uai, u.profil, u.departement_code, u.code_circonscription, u.code_insee, u.periode, u.connexions, " +
			"u.visiteurs, u.comptes_charges, u.comptes_actives, " + month + " AS mois, " +
			"CASE u.granularite WHEN 'mois' THEN 0 WHEN 'semaine' THEN 1 ELSE 2 END AS g")
	coarsest := db.Table("(?) AS r", rows).Select("r.*, MIN(r.g) OVER (PARTITION BY r.uai, r.profil, r.mois) AS gmin")
	kept := db.Table("(?) AS k", coarsest).Where("k.g = k.gmin").
		Select("k.*, ROW_NUMBER() OVER (PARTITION BY k.uai, k.profil, k.mois ORDER BY k.periode DESC) AS rn")
	const (
		charges = "MAX(CASE WHEN x.rn = 1 THEN x.comptes_charges END)"
		actives = "MAX(CASE WHEN x.rn = 1 THEN x.comptes_actives END)"
		visits  = "SUM(x.visiteurs)"
	)
	both := func(a, b, value string) string {
		return "CASE WHEN " + a + " IS NOT NULL AND " + b + " IS NOT NULL THEN " + value + " ELSE 0 END"
	}
	return db.Table("(?) AS x", kept).
		Select("x.uai, x.mois, x.profil, x.departement_code, x.code_circonscription, x.code_insee, 1 AS ecoles, " +
			charges + " AS comptes_charges, " + actives + " AS comptes_actives, SUM(x.connexions) AS connexions, " +
			visits + " AS visiteurs, " +
			both(charges, actives, charges) + " AS activation_charges, " + both(charges, actives, actives) + " AS activation_actives, " +
			both(actives, visits, actives) + " AS activite_actives, " + both(actives, visits, visits) + " AS activite_visiteurs").
		Group("x.uai, x.mois, x.profil, x.departement_code, x.code_circonscription, x.code_insee")
}

// usageMonthly reports whether the imported rows of the filter between from and to are all
// monthly (the platform's default): each is then the figures of its école × profile ×
// month as they are, without the ranking of periods (an error answers false, the general
// way).
func (s *Store) usageMonthly(db *gorm.DB, scope Scope, f UsageFilter, from, to string) bool {
	var other []int
	err := s.usageRows(db, scope, f).Where("u.periode >= ? AND u.periode < ? AND u.granularite <> 'mois'", from, to).
		Limit(1).Pluck("1", &other).Error
	return err == nil && len(other) == 0
}

// usageMonthRows is usageEcoleMonths for monthly rows only: one row per école × profile ×
// month.
func (s *Store) usageMonthRows(db *gorm.DB, scope Scope, f UsageFilter, from, to string) *gorm.DB {
	both := func(a, b, value string) string {
		return "CASE WHEN u." + a + " IS NOT NULL AND u." + b + " IS NOT NULL THEN u." + value + " ELSE 0 END"
	}
	return s.usageRows(db, scope, f).Where("u.periode >= ? AND u.periode < ?", from, to).
		Select("u.uai, " + s.monthText("u.periode") + " AS mois, u.profil, u.departement_code, u.code_circonscription, " +
			"u.code_insee, 1 AS ecoles, u.comptes_charges, u.comptes_actives, u.connexions, u.visiteurs, " +
			both("comptes_charges", "comptes_actives", "comptes_charges") + " AS activation_charges, " +
			both("comptes_charges", "comptes_actives", "comptes_actives") + " AS activation_actives, " +
			both("comptes_actives", "visiteurs", "comptes_actives") + " AS activite_actives, " +
			both("comptes_actives", "visiteurs", "visiteurs") + " AS activite_visiteurs")
}

// usageRows is the imported rows (alias u) of the scope within the filter's places and
// profile.
func (s *Store) usageRows(db *gorm.DB, scope Scope, f UsageFilter) *gorm.DB {
	q := scope.restrictTo(db.Table("usages AS u"), EntityUsage, "u")
	return usageProfil(usagePlaces(q, "u", f), "u", f)
}

// usagePlaces keeps the rows (alias a, with the territory columns of the usage rows) within
// the filter's places. The kept figures are read only without commune, EPCI or école.
func usagePlaces(q *gorm.DB, a string, f UsageFilter) *gorm.DB {
	for _, p := range [][2]string{{"departement_code", f.Departement}, {"code_circonscription", f.Circonscription},
		{"code_insee", f.Commune}, {"uai", f.UAI}} {
		if p[1] != "" {
			q = q.Where(a+"."+p[0]+" = ?", dbText(p[1]))
		}
	}
	if f.EPCI != "" {
		q = q.Where(a+".code_insee IN (SELECT ec.code_insee FROM communes ec WHERE ec.epci_siren = ? OR ec.ept_siren = ?)",
			dbText(f.EPCI), dbText(f.EPCI))
	}
	return q
}

// usageProfil keeps the rows (alias a) of the filter's profile.
func usageProfil(q *gorm.DB, a string, f UsageFilter) *gorm.DB {
	if f.Profil != "" {
		q = q.Where(a+".profil = ?", dbText(f.Profil))
	}
	return q
}
