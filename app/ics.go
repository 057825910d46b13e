package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sendICS writes an iCalendar file.
func sendICS(c echo.Context, name string, body []byte) error {
	c.Response().Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
}
