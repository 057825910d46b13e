package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// JourFerie is a public holiday.
type JourFerie struct {
	Date time.Time `gorm:"primaryKey"`
	Nom  string
}

// TableName is the jours_feries table.
func (JourFerie) TableName() string { return "jours_feries" }

// VacancesScolaires is a school-holiday period of a zone, first and last days included.
type VacancesScolaires struct {
	ID          int64
	Zone        string
	Nom         string
	PremierJour time.Time
	DernierJour time.Time
}

// TableName is the vacances_scolaires table.
func (VacancesScolaires) TableName() string { return "vacances_scolaires" }

// ImportHolidays loads public holidays (Zone "") and school-holiday periods, keyed by date
// and by zone and first day.
func (s *Store) ImportHolidays(ctx context.Context, in []HolidayInput, opts ImportOptions) (ImportCounts, error) {
	return s.importTx(ctx, opts, importCalendrier, func(tx *gorm.DB) (ImportCounts, error) {
		var errs ValidationError
		var feries, vacances []map[string]any
		for i, h := range in {
			checkText(&errs, i+2, "nom", h.Nom, 100)
			if h.Zone == "" {
				feries = append(feries, map[string]any{"date": dateOnly(h.First), "nom": h.Nom})
				continue
			}
			if h.Last.Before(h.First) {
				errs.Add(i+2, "dernier_jour", "le dernier jour précède le premier")
			}
			vacances = append(vacances, map[string]any{"key": h.Zone + "/" + h.First.Format(time.DateOnly),
				"zone": h.Zone, "nom": h.Nom, "premier_jour": dateOnly(h.First), "dernier_jour": dateOnly(h.Last)})
		}
		if err := errs.OrNil(); err != nil {
			return ImportCounts{}, err
		}
		counts, err := s.upsertPlain(tx, "jours_feries", []string{"date"}, feries)
		if err != nil {
			return counts, err
		}
		more, err := s.upsertPlain(tx, "vacances_scolaires", []string{"zone", "premier_jour"}, vacances)
		return counts.Add(more), err
	})
}

func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// upsertPlain writes rows of a table without version or timestamps, matched on keyCols.
func (s *Store) upsertPlain(tx *gorm.DB, table string, keyCols []string, rows []map[string]any) (ImportCounts, error) {
	var counts ImportCounts
	for _, row := range rows {
		delete(row, "key")
		q := tx.Table(table)
		for _, k := range keyCols {
			q = q.Where(k+" = ?", row[k])
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return counts, err
		}
		if n == 0 {
			if err := tx.Table(table).Create(row).Error; err != nil {
				return counts, err
			}
			counts.Created++
			continue
		}
		q = tx.Table(table)
		for _, k := range keyCols {
			q = q.Where(k+" = ?", row[k])
		}
		res := q.Where("nom <> ?", row["nom"]).Updates(map[string]any{"nom": row["nom"]})
		if res.Error != nil {
			return counts, res.Error
		}
		if res.RowsAffected > 0 {
			counts.Updated++
		} else {
			counts.Unchanged++
		}
	}
	return counts, nil
}
