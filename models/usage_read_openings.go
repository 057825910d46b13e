package models

import (
	"context"
	"strings"
	"time"
)

// UsageOpeningGroups are the groups of écoles opened by time since their opening at the
// end of the month read.
var UsageOpeningGroups = []string{
	"Ouvertes depuis moins de 3 mois",
	"Ouvertes depuis 3 à 5 mois",
	"Ouvertes depuis 6 à 11 mois",
	"Ouvertes depuis 12 mois ou plus",
}

// UsageOpening is a group of écoles opened: its name, how many écoles it has, and the
// figures of the month and profile of the filter (their Ecoles: those that reported).
type UsageOpening struct {
	Label    string
	Ouvertes int64
	UsageFigures
}

// UsageOpenings returns the activation of the écoles opened of the scope within the
// filter's places by the end of its month (f.Mois, set), grouped by time since opening
// (UsageOpeningGroups, all of them, empty ones too).
func (s *Store) UsageOpenings(ctx context.Context, scope Scope, f UsageFilter) ([]UsageOpening, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	from, to, ok := usageMonthBounds(f.Mois)
	if !ok {
		return nil, nil
	}
	db := s.db.WithContext(ctx)
	sums := make([]string, len(usageFigureColumns))
	outer := make([]string, len(usageFigureColumns))
	for i, c := range usageFigureColumns {
		sums[i] = "SUM(em." + c + ") AS " + c
		outer[i] = "SUM(o." + c + ") AS " + c
	}
	perEcole := db.Table("(?) AS em", s.usageEcoleMonths(db, scope, f, from.Format(time.DateOnly), to.Format(time.DateOnly))).
		Select("em.uai, " + strings.Join(sums, ", ")).Group("em.uai")
	day := func(months int) string { return from.AddDate(0, -months, 1).Format(time.DateOnly) }
	opened := openedEcolesOf(db, scope, f, to).Joins("LEFT JOIN (?) AS fe ON fe.uai = d.uai", perEcole).
		Select("CASE WHEN "+openedDay+" >= ? THEN 0 WHEN "+openedDay+" >= ? THEN 1 WHEN "+openedDay+" >= ? THEN 2 ELSE 3 END AS grp, "+
			"fe.uai AS reported, fe.comptes_charges, fe.comptes_actives, fe.connexions, fe.visiteurs, fe.activation_charges, "+
			"fe.activation_actives, fe.activite_actives, fe.activite_visiteurs", day(2), day(5), day(11))
	var rows []struct {
		Grp      int
		Ouvertes int64
		UsageFigures
	}
	err := db.Table("(?) AS o", opened).
		Select("o.grp, COUNT(*) AS ouvertes, COUNT(o.reported) AS ecoles, " + strings.Join(outer, ", ")).
		Group("o.grp").Scan(&rows).Error
	out := make([]UsageOpening, len(UsageOpeningGroups))
	for i, label := range UsageOpeningGroups {
		out[i].Label = label
	}
	for _, r := range rows {
		if r.Grp >= 0 && r.Grp < len(out) {
			out[r.Grp].Ouvertes, out[r.Grp].UsageFigures = r.Ouvertes, r.UsageFigures
		}
	}
	return out, err
}
