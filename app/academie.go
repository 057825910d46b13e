package app

import (
	"log/slog"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// academie is the académie the installation serves, as its reference data loaded it (the
// layout and the pages name it: never a constant, issue 17). When the database does not
// answer, the page still renders, without the name: the error pages need the layout too.
func (s *Server) academie(c echo.Context) models.Academie {
	a, err := s.store.Academie(c.Request().Context())
	if err != nil {
		s.log.Debug("académie illisible", slog.String("erreur", err.Error()))
		return models.Academie{}
	}
	return a
}
