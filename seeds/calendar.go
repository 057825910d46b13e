package seeds

import (
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// ReadHolidays reads public holidays (annee, date, nom) or school-holiday periods
// (zone, nom_vacances, premier_jour, dernier_jour); dates are ISO (2024-01-01) or French (01/01/2024).
func ReadHolidays(f *CSVFile) ([]models.HolidayInput, error) {
	var errs models.ValidationError
	var out []models.HolidayInput
	periods := f.Has("premier_jour")
	err := eachRecord(f, &errs, func(rec Record) {
		if !periods {
			out = append(out, models.HolidayInput{Nom: rec.Get("nom"), First: dateField(&errs, rec, "date")})
			return
		}
		out = append(out, models.HolidayInput{Zone: rec.Get("zone"), Nom: rec.Get("nom_vacances"),
			First: dateField(&errs, rec, "premier_jour"), Last: dateField(&errs, rec, "dernier_jour")})
	})
	if err != nil {
		return nil, err
	}
	return out, errs.OrNil()
}

// dateField parses a required date in ISO or French form.
func dateField(errs *models.ValidationError, rec Record, col string) time.Time {
	v := rec.Get(col)
	for _, layout := range []string{time.DateOnly, "02/01/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	errs.Add(rec.Line, col, "date invalide « "+v+" » (attendu : 31/12/2024)")
	return time.Time{}
}
