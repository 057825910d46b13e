package app

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// scope returns the territory the caller may see. Until accounts exist every caller works
// at the académie level; the data layer applies the scope to every query.
func (s *Server) scope(c echo.Context) models.Scope {
	_ = c
	return models.AcademieScope()
}
