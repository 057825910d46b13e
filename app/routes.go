package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/views"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes is the one route table of the product, grouped by who may call each route.
// Middleware is attached when a group is created, never later.
func (s *Server) routes() {
	e := s.echo
	e.Use(
		middleware.RequestID(),
		middleware.Recover(),
		s.requestLogger(),
		s.securityHeaders(),
		middleware.BodyLimit("1M"),
	)

	// Probes and assets: anyone.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	assets := e.Group("/static", staticCache)
	assets.StaticFS("/", views.Static())

	// Reference data (territory): readable by every user.
	pages := e.Group("", noStore)
	pages.GET("/", s.home)
	pages.GET("/sources", s.sources)
	pages.GET("/departements", s.listDepartements)
	pages.GET("/departements.xlsx", s.exportDepartements)
	pages.GET("/departements.csv", s.exportDepartements)
	pages.GET("/departements/:code", s.showDepartement)
	pages.GET("/communes", s.listCommunes)
	pages.GET("/communes.xlsx", s.exportCommunes)
	pages.GET("/communes.csv", s.exportCommunes)
	pages.GET("/communes/:code", s.showCommune)
	pages.GET("/ecoles", s.listEcoles)
	pages.GET("/ecoles.xlsx", s.exportEcoles)
	pages.GET("/ecoles.csv", s.exportEcoles)
	pages.GET("/ecoles/:uai", s.showEcole)
	pages.GET("/epci", s.listEPCI)
	pages.GET("/epci.xlsx", s.exportEPCI)
	pages.GET("/epci.csv", s.exportEPCI)
	pages.GET("/epci/:siren", s.showEPCI)

	// Read-only JSON API.
	api := e.Group("/api/v1", noStore)
	api.GET("/departements", s.apiDepartements)
	api.GET("/communes", s.apiCommunes)
	api.GET("/ecoles", s.apiEcoles)
	api.GET("/epci", s.apiEPCI)

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
}
