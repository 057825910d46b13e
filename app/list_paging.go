package app

import (
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// The paging and sorting of a list query.

// Paging is the part of every list query that pages and sorts. "Page suivante" and "Page
// précédente" carry, besides the page number, a cursor (apres or avant: the position of
// the last or first row shown, see models.PageRequest), so that the page is read by key;
// a page number alone (a bookmark) still works.
type Paging struct {
	Page    string `query:"page" validate:"omitempty,numeric,max=6"`
	PerPage string `query:"per_page" validate:"omitempty,numeric,max=6"`
	Sort    string `query:"sort" validate:"max=30"`
	After   string `query:"apres" validate:"omitempty,cursor"`
	Before  string `query:"avant" validate:"omitempty,cursor"`
}

// Query parameters of the cursors.
const (
	afterParam  = "apres"
	beforeParam = "avant"
)

// request turns the paging into a page request (validated before).
func (p Paging) request() models.PageRequest {
	n, _ := strconv.Atoi(p.Page)
	size, _ := strconv.Atoi(p.PerPage)
	return models.PageRequest{Number: n, Size: size, After: p.After, Before: p.Before}
}

// validCursor is the "cursor" rule of the paging's cursors: well formed, unaltered, and
// made for the sort, page size and page number of the request. A cursor that is not
// answers the list's French filter error (the list reading the page checks besides that
// the cursor is one of its own: models.ErrBadCursor otherwise).
func validCursor(fl validator.FieldLevel) bool {
	p, ok := fl.Parent().Interface().(Paging)
	return ok && p.request().Check(p.Sort) == nil
}

// pageRequest reads and checks the paging of a list without filters: a malformed one is a
// filter error.
func (s *Server) pageRequest(c echo.Context) (models.PageRequest, error) {
	var p Paging
	bindQuery(c, &p)
	if errs := fieldErrors(s.valid, p); errs != nil {
		return models.PageRequest{}, &filterError{Fields: errs}
	}
	return p.request(), nil
}

// checkSort adds an error when the sort key is not one of the list's.
func checkSort(errs map[string]string, key string, valid func(string) bool) map[string]string {
	if valid(key) {
		return errs
	}
	if errs == nil {
		errs = map[string]string{}
	}
	errs["sort"] = "Tri inconnu : cliquez sur un en-tête de colonne pour trier."
	return errs
}
