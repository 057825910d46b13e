package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sources shows where the reference data comes from.
func (s *Server) sources(c echo.Context) error {
	return s.render(c, http.StatusOK, "sources", "Sources des données",
		[]crumb{home, {Label: "Sources des données", Href: "/sources"}}, nil)
}
