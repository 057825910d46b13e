package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// The usage next to the rollout: the écoles opened (phase ouvert or généralisé, opened on
// their actual opening day, or the day of their phase when it is not known), their
// activation by time since opening, and those to watch: opened for three months or more at
// the end of the month read, whose activated pupil accounts (profile élève, stock of the
// month) are under a threshold of their pupils, or unknown. The scope and the places of
// the filter apply to the écoles' deployments.

// DefaultUsageThreshold is the share of its pupils (percent) under which an école opened
// for three months is to watch, unless configured.
const DefaultUsageThreshold = 30

// UsageWatchShown bounds the écoles to watch listed on a page; the export has them all.
const UsageWatchShown = 100

// UsageWatchEcole is an école opened to watch: its pupils, its opening day and its
// activated pupil accounts in the month (nil: no figure).
type UsageWatchEcole struct {
	UAI            string `gorm:"column:uai"`
	Nom            string
	Commune        string
	NbEleves       int64
	Ouverture      PlanDay
	ComptesActives *int64
}

// Rate is the activated pupil accounts over the pupils; ok is false without a figure.
func (e UsageWatchEcole) Rate() (rate float64, ok bool) {
	if e.ComptesActives == nil {
		return 0, false
	}
	return share(*e.ComptesActives, e.NbEleves), true
}

// usageMonthBounds are the first day of the month m (YYYY-MM) and of the next one.
func usageMonthBounds(m string) (time.Time, time.Time, bool) {
	t, err := time.Parse("2006-01", m)
	return t, t.AddDate(0, 1, 0), err == nil
}

// openedDay is the opening day of a deployment (alias d).
const openedDay = "COALESCE(d.ouverture_effective, d.date_phase)"

// openedEcolesOf is the deployments (d) of the écoles opened of the scope within the
// filter's places by the day before (excluded).
func openedEcolesOf(db *gorm.DB, scope Scope, f UsageFilter, before time.Time) *gorm.DB {
	q := scope.restrictTo(db.Table("deploiements AS d"), EntityDeploiement, "d").
		Where("d.phase IN ('ouvert', 'generalise') AND "+openedDay+" < ?", before.Format(time.DateOnly))
	return usagePlaces(q, "d", f)
}

// pupilStock is the activated pupil accounts of each école (uai, actives) in the month
// from..to: the stock of its latest period, as the figures of the month count it.
func (s *Store) pupilStock(db *gorm.DB, scope Scope, f UsageFilter, from, to time.Time) *gorm.DB {
	f.Profil = "eleve"
	months := s.usageEcoleMonths(db, scope, f, from.Format(time.DateOnly), to.Format(time.DateOnly))
	return db.Table("(?) AS y", months).Select("y.uai, y.comptes_actives AS actives")
}

// UsageWatch returns the écoles opened to watch in the month of the filter (f.Mois, set)
// for a threshold in percent of their pupils, unknown figures first then by rate, at most
// limit of them (0: all), and how many there are.
func (s *Store) UsageWatch(ctx context.Context, scope Scope, f UsageFilter, threshold int, limit int) ([]UsageWatchEcole, int64, error) {
	if err := scope.readReference(); err != nil {
		return nil, 0, err
	}
	from, to, ok := usageMonthBounds(f.Mois)
	if !ok {
		return nil, 0, nil
	}
	// One query for the list and its count: the month's stocks are read once.
	db := s.db.WithContext(ctx)
	var out []UsageWatchEcole
	err := openedEcolesOf(db, scope, f, from.AddDate(0, -2, 1)).Joins("JOIN ecoles AS e ON e.uai = d.uai").
		Joins("LEFT JOIN (?) AS st ON st.uai = d.uai", s.pupilStock(db, scope, f, from, to)).
		Joins("JOIN communes AS c ON c.code_insee = d.code_insee").
		Where("e.nb_eleves > 0 AND (st.actives IS NULL OR st.actives * 100 < ? * e.nb_eleves)", threshold).
		Select("d.uai, e.nom, c.nom AS commune, e.nb_eleves, " + s.dayText(openedDay) + " AS ouverture, st.actives AS comptes_actives").
		Order("CASE WHEN st.actives IS NULL THEN -1 ELSE CAST(st.actives AS REAL) / e.nb_eleves END, e.nom, d.uai").
		Scan(&out).Error
	n := int64(len(out))
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, n, err
}

// UsageDetailMax is the most écoles opened for which the écoles opened and those to watch
// are computed on a page: beyond (a national territory), they read every école's figures
// of the month, too long for a page; a narrower place is asked for.
const UsageDetailMax = 5000

// UsageDetailed reports whether the écoles opened of the scope within the filter's places
// are few enough (UsageDetailMax) for UsageOpenings and UsageWatch on a page.
func (s *Store) UsageDetailed(ctx context.Context, scope Scope, f UsageFilter) (bool, error) {
	if err := scope.readReference(); err != nil {
		return false, err
	}
	db := s.db.WithContext(ctx)
	var n int64
	some := openedEcolesOf(db, scope, f, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)).Select("1").Limit(UsageDetailMax + 1)
	err := db.Table("(?) AS o", some).Count(&n).Error
	return n <= UsageDetailMax, err
}
