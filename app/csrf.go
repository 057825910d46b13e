package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// ctxCSRF is where the CSRF middleware leaves the token for the forms.
const ctxCSRF = "csrf"

// errCSRF is the answer to a state change without a valid token.
var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")

// csrf protects every POST, PUT, PATCH and DELETE with a token (double-submit cookie):
// the form field _csrf or the header X-CSRF-Token (sent by htmx through hx-headers).
//
// Deliberate choices about echo's middleware: it reads the form field as well as the header;
// its cookie is HttpOnly, SameSite=Lax, Secure (and __Host-) over HTTPS; and its shortcut
// that lets a state change through without a token when the browser says
// "Sec-Fetch-Site: same-origin" is turned off, by removing that header before the check, so
// that every browser and every client follows the same, tested rule. Requests authenticated
// by an API token carry no cookie a third-party site could ride on, and skip the check.
func (s *Server) csrf() echo.MiddlewareFunc {
	name := "pilotage_csrf"
	if s.secure() {
		name = "__Host-pilotage_csrf"
	}
	mw := middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper: func(c echo.Context) bool {
			return strings.HasPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		},
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     ctxCSRF,
		CookieName:     name,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.secure(),
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler:   func(error, echo.Context) error { return errCSRF },
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		protected := mw(next)
		return func(c echo.Context) error {
			c.Request().Header.Del(echo.HeaderSecFetchSite)
			if ck, err := c.Cookie(name); err == nil && ck.Value == "" && c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
				return errCSRF // an empty cookie would match an empty _csrf field or X-CSRF-Token header
			}
			return protected(c)
		}
	}
}

// csrfToken is the token to put in the page's forms.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}
