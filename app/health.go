package app

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// healthz answers while the process runs.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}

// readyz answers 200 only when the database can serve the application: it answers, its
// schema is migrated, and it accepts writes (models.Store.Ready). Otherwise 503 with the
// reason in French, so that a load balancer stops sending traffic and an operator sees why.
func (s *Server) readyz(c echo.Context) error {
	if err := s.store.Ready(c.Request().Context()); err != nil {
		s.log.Warn("base de données pas prête", slog.String("error", err.Error()))
		return c.String(http.StatusServiceUnavailable, readinessReason(err))
	}
	return c.String(http.StatusOK, "ok")
}

// readinessReason is the short French reason /readyz gives for a failed check.
func readinessReason(err error) string {
	switch {
	case errors.Is(err, models.ErrNotMigrated):
		return "schéma de la base non migré"
	case errors.Is(err, models.ErrReadOnly):
		return "base de données en lecture seule"
	}
	return "base de données indisponible"
}
