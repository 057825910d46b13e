package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// bindForm reads the posted form into a form struct (its "form" tags); binding strings
// never fails on their values, so an error means a body that is not a form: 400. It is
// the one way the product binds a form.
func bindForm[T any](c echo.Context) (T, error) {
	var f T
	if err := c.Bind(&f); err != nil {
		return f, echo.NewHTTPError(http.StatusBadRequest)
	}
	return f, nil
}
