package app

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// pathID reads a numeric parameter of the URL; a malformed one is a page that does not exist.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// pathIDs reads the record (:id) and the part of it (the parameter child) the URL names.
func pathIDs(c echo.Context, child string) (id, childID int64, err error) {
	if id, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	if childID, err = pathID(c, child); err != nil {
		return 0, 0, err
	}
	return id, childID, nil
}

// formVersion reads the version a form was loaded at; a missing or malformed one is -1,
// a version no record has, so the save is a conflict.
func formVersion(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// onRecord is a POST on the record :id that changes it with do (archive, restore...) and
// redirects to redirect(id); do's error goes up (404 outside the scope, 403 refused).
func (s *Server) onRecord(c echo.Context, do func(context.Context, models.Actor, int64) error, redirect func(id string) string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := do(c.Request().Context(), s.actor(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, redirect(strconv.FormatInt(id, 10)))
}
