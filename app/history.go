package app

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// history returns the "Historique" of a record for its page (template partial "history").
// The handler must already have read the record within the caller's scope.
func (s *Server) history(c echo.Context, entity, id string) ([]models.AuditEvent, error) {
	return s.store.History(c.Request().Context(), entity, id)
}
