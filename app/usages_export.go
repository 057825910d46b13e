package app

import (
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The exports of the usage page (/usages.xlsx, /usages.csv and the écoles to watch,
// /usages/a-surveiller.xlsx and .csv): the same filter and scope as the page, every row.

// usageTitle says what an export holds: the level, the month and the profile.
func usageTitle(what string, f models.UsageFilter, profil string) string {
	return what + " — " + models.LabelOf(models.UsageLevels, f.Level()) + ", " + monthLabel(f.Mois) + ", " + profil
}

// usageProfil is the profile read, in words.
func usageProfil(f models.UsageFilter) string {
	if f.Profil == "" {
		return "tous les profils"
	}
	return "profil " + models.LabelOf(models.UsageProfils, f.Profil)
}

// usageAll reads the query and every row of its figures, for an export or the API: a
// wrong filter is a 400, an école outside the scope a 404.
func (s *Server) usageAll(c echo.Context) (models.UsageFilter, models.UsageStats, error) {
	_, f, _, errs := s.usageRead(c)
	if errs != nil {
		return f, models.UsageStats{}, &filterError{Fields: errs}
	}
	if err := s.usageEcoleInScope(c, f); err != nil {
		return f, models.UsageStats{}, err
	}
	st, err := s.store.Usages(c.Request().Context(), s.scope(c), f, 0)
	return f, st, err
}

func (s *Server) exportUsages(c echo.Context) error {
	f, st, err := s.usageAll(c)
	if err != nil {
		return err
	}
	title := usageTitle("Usages de l'ENT", st.Filter, usageProfil(f))
	return s.sendExport(c, "usages-ent", exports.UsagesTable(models.UsageRowLabels[f.Level()], title), func(w exports.RowWriter) error {
		for _, r := range st.Rows {
			mois, profil := st.Filter.Mois, ""
			if r.Profil != "" {
				mois, profil = r.Mois, r.Label
			}
			if err := w.WriteRow(exports.UsageValues(r.Code, r.Label, mois, profil, r.UsageFigures)...); err != nil {
				return err
			}
		}
		if len(st.Months) == 0 {
			return nil
		}
		return w.WriteRow(exports.UsageValues("total", "Total", st.Filter.Mois, "", st.Total)...)
	})
}

func (s *Server) exportUsageWatch(c echo.Context) error {
	_, f, threshold, errs := s.usageRead(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	if err := s.usageEcoleInScope(c, f); err != nil {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	if f.Mois == "" {
		months, err := s.store.UsageMonths(ctx, scope)
		if err != nil || len(months) == 0 {
			return err
		}
		f.Mois = months[0]
	}
	watch, _, err := s.store.UsageWatch(ctx, scope, f, threshold, 0)
	if err != nil {
		return err
	}
	title := "Écoles ouvertes depuis 3 mois ou plus sous " + strconv.Itoa(threshold) + " % d'élèves activés, " + monthLabel(f.Mois)
	return s.sendExport(c, "usages-ecoles-a-surveiller", exports.UsageWatchTable(title), func(w exports.RowWriter) error {
		for _, e := range watch {
			if err := w.WriteRow(exports.UsageWatchValues(e)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// usageEcoleInScope is ErrNotFound when the filter names an école outside the scope.
func (s *Server) usageEcoleInScope(c echo.Context, f models.UsageFilter) error {
	if f.UAI == "" {
		return nil
	}
	_, err := s.store.UsageEcoleName(c.Request().Context(), s.scope(c), f.UAI)
	return err
}
