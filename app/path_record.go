package app

import (
	"context"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// pathRecord reads the record whose id is in the path (":id") with get, in the caller's
// scope: a malformed id is a 404 like a record outside the scope. It returns the id too.
func pathRecord[R any](s *Server, c echo.Context, get func(context.Context, models.Scope, int64) (R, error)) (int64, R, error) {
	id, err := pathID(c, "id")
	if err != nil {
		var zero R
		return id, zero, err
	}
	r, err := get(c.Request().Context(), s.scope(c), id)
	return id, r, err
}
