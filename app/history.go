package app

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// history returns the "Historique" of a record for its page (template partial "history");
// the data layer checks that the caller reads the record.
func (s *Server) history(c echo.Context, entity, id string) ([]models.AuditEvent, error) {
	return s.store.History(c.Request().Context(), s.actor(c), entity, id)
}
