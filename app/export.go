package app

import (
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/labstack/echo/v4"
)

// Content types of the exports.
const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
)

// sendExport streams a list as Excel or as CSV for French Excel, depending on the URL's
// suffix (.xlsx or .csv); each writes the rows, in the order of the list on screen.
func (s *Server) sendExport(c echo.Context, name string, table exports.Table, each func(w exports.RowWriter) error) error {
	newWriter, ext, mime := exports.NewXLSX, "xlsx", mimeXLSX
	if strings.HasSuffix(c.Request().URL.Path, ".csv") {
		newWriter, ext, mime = exports.NewCSV, "csv", mimeCSV
	}
	filename := exports.SafeFileName(name) + "-" + time.Now().Format("2006-01-02") + "." + ext
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mime)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	h.Set("Cache-Control", "no-store")
	w, err := newWriter(c.Response(), table)
	if err != nil {
		return err
	}
	if err := each(w); err != nil {
		return err
	}
	return w.Close()
}
