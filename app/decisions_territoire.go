package app

import (
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// territoireFilterCode reads back the "territoire" filter of the decisions register: a
// département, by its code or its name ("93", "Seine-Saint-Denis"), or a commune, by its
// name, its INSEE code or the label of a suggestion ("Bobigny (93008)"). It returns the code
// the data layer filters on, and errs with the French message of a text that names no
// territory or several.
func (s *Server) territoireFilterCode(c echo.Context, value string, errs map[string]string) (string, map[string]string) {
	value = strings.TrimSpace(value)
	if value == "" || errs["territoire"] != "" {
		return "", errs
	}
	deps, err := s.store.DepartementChoices(c.Request().Context(), models.AcademieScope())
	if err != nil {
		return s.placeFilterCode(c, placeCommunes, "territoire", value, errs)
	}
	key := models.SearchKey(value)
	for _, d := range deps {
		_, name, _ := strings.Cut(d.Label, " — ")
		if strings.EqualFold(value, d.Value) || key == models.SearchKey(name) || key == models.SearchKey(d.Label) {
			return d.Value, errs
		}
	}
	return s.placeFilterCode(c, placeCommunes, "territoire", value, errs)
}
