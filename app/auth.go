package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Context keys of the signed-in identity.
const (
	ctxUser  = "pilotage.user"
	ctxScope = "pilotage.scope"
	ctxToken = "pilotage.session"
)

// sessionCookie is the name of the session cookie; over HTTPS the __Host- prefix pins it to
// the host, the path "/" and Secure.
func (s *Server) sessionCookie() string {
	if s.secure() {
		return "__Host-pilotage_session"
	}
	return "pilotage_session"
}

// secure reports whether the product is served over HTTPS.
func (s *Server) secure() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// identify loads the caller: a session cookie, or an API token (Authorization: Bearer) on
// reading requests.
// It never refuses a request: the route's access rule does.
func (s *Server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var user models.User
		var err error
		found := false
		if h := c.Request().Header.Get(echo.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
			// API tokens only read, and only the API: a leaked token never changes anything
			// nor opens the pages, and the requests that skip the CSRF check (Bearer) can
			// never write.
			if m := c.Request().Method; (m == http.MethodGet || m == http.MethodHead) && isAPIPath(c.Request().URL.Path) {
				user, err = s.store.TokenUser(ctx, strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")))
				found = err == nil
			}
		} else if ck, cerr := c.Cookie(s.sessionCookie()); cerr == nil && ck.Value != "" {
			user, err = s.store.SessionUser(ctx, ck.Value, s.cfg.Sessions)
			switch {
			case err == nil:
				found = true
				c.Set(ctxToken, ck.Value)
			case errors.Is(err, models.ErrNotFound):
				// Only a session known to be over loses its cookie: when the database
				// cannot be read, the session may well be valid once it is back.
				s.clearSessionCookie(c)
			}
		}
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if found {
			scope, err := s.store.UserScope(ctx, user)
			if err != nil {
				return err
			}
			c.Set(ctxUser, user)
			c.Set(ctxScope, scope)
		}
		return next(c)
	}
}

// isAPIPath reports whether path is under the JSON API, the only place API tokens open.
func isAPIPath(path string) bool { return strings.HasPrefix(path, "/api/v1/") }

// currentUser returns the signed-in user, if any.
func currentUser(c echo.Context) (models.User, bool) {
	u, ok := c.Get(ctxUser).(models.User)
	return u, ok
}

// scope returns the territory the caller may see: the zero scope (nothing) when anonymous.
func (s *Server) scope(c echo.Context) models.Scope {
	sc, _ := c.Get(ctxScope).(models.Scope)
	return sc
}

// actor is the caller as the audit log records it.
func (s *Server) actor(c echo.Context) models.Actor {
	u, _ := currentUser(c)
	return models.ActorFor(u, s.scope(c), c.Response().Header().Get(echo.HeaderXRequestID))
}

// setSessionCookie gives the browser its session token.
func (s *Server) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: s.sessionCookie(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure(), SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
}

// requireUser lets signed-in users through; others are sent to the login page (pages) or
// get a 401 (API, exports asked by scripts).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); ok {
			return next(c)
		}
		if strings.HasPrefix(c.Request().URL.Path, "/api/") || c.Request().Method != http.MethodGet {
			return echo.NewHTTPError(http.StatusUnauthorized)
		}
		if isHTMX(c) {
			c.Response().Header().Set("HX-Redirect", "/connexion")
			return c.NoContent(http.StatusUnauthorized)
		}
		return c.Redirect(http.StatusSeeOther, "/connexion?suite="+url.QueryEscape(c.Request().URL.RequestURI()))
	}
}

// requireRoles lets through the signed-in users of the given roles; others get a 403
// (401 when anonymous).
func (s *Server) requireRoles(roles ...models.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return s.requireUser(func(c echo.Context) error {
			u, _ := currentUser(c)
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return models.ErrForbidden
		})
	}
}

// safeNext returns a local path to go to after login, "/" when next is not one.
//
// Browsers read a Location the WHATWG way: they drop tabs and newlines anywhere, trim
// leading and trailing spaces and control characters, and take a backslash for a slash, so
// "/\t/evil.example" and "/\\evil.example" both lead to another site. Rather than imitate
// those rules, anything a browser would rewrite is refused: a control character, a space at
// either end, a backslash. What remains must parse as a bare path starting with one "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.ContainsRune(next, '\\') || strings.HasPrefix(next, "/connexion") ||
		strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }) >= 0 ||
		strings.TrimSpace(next) != next {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
