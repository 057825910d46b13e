package app

import (
	"archive/zip"
	"context"
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The restitution (issue 17): the programme as open data. /restitution explains the bundle
// and offers it; /restitution.zip streams it. Every signed-in role reads the page; the
// bundle is the académie's, so only the roles whose scope is the whole académie (admin,
// pilote académique, AMIF, lecteur) download it: the others get a 403 page (the Store
// refuses a narrower scope). It holds no personal data.

// restitutionRoutes are the page and the download of the open data.
func (s *Server) restitutionRoutes() []route {
	return []route{
		{http.MethodGet, "/restitution", signedIn, s.showRestitution},
		{http.MethodGet, "/restitution.zip", signedIn, s.downloadRestitution},
	}
}

// restitutionView is the page: the files of the bundle and whether the reader may take it.
type restitutionView struct {
	Tables      []models.RestitutionTable
	MayDownload bool
	Licence     string
	LicenceURL  string
	Today       string
}

func (s *Server) showRestitution(c echo.Context) error {
	v := restitutionView{Tables: models.RestitutionTables(), MayDownload: s.scope(c).CoversAcademie(),
		Licence: exports.LicenceTitle, LicenceURL: exports.LicenceURL, Today: exports.LongDate(time.Now())}
	return s.render(c, http.StatusOK, "restitution/show", "Restitution : les données ouvertes du programme",
		[]crumb{home, {Label: "Restitution (données ouvertes)", Href: "/restitution"}}, v)
}

// downloadRestitution streams the bundle as a zip archive named after the académie and the
// day, "pilotage-ent-1d-creteil-2026-12-07.zip".
func (s *Server) downloadRestitution(c echo.Context) error {
	scope := s.scope(c)
	if !scope.CoversAcademie() {
		return models.ErrForbidden
	}
	ctx := c.Request().Context()
	academie, err := s.store.RestitutionAcademie(ctx)
	if err != nil {
		return err
	}
	r := exports.Restitution{Academie: academie, At: time.Now(), Tables: models.RestitutionTables(),
		Rows: func(ctx context.Context, t models.RestitutionTable, fn func([]any) error) error {
			return s.store.EachRestitutionRow(ctx, scope, t, fn)
		}}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/zip")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+r.RestitutionName()+`.zip"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	zw := zip.NewWriter(c.Response())
	if err := exports.WriteRestitution(ctx, exports.ZipTarget{W: zw, Modified: r.At}, r); err != nil {
		// The headers are sent: the archive stays incomplete (unreadable), the error is logged.
		return err
	}
	return zw.Close()
}
