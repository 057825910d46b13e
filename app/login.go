package app

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// loginForm is the login page's form.
type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"suite"`
}

// loginView is the login page.
type loginView struct {
	Form         loginForm
	Error        string
	DemoAccounts []DemoAccount
	DemoPassword string
	// NoAdmin: no administrator exists yet (fresh installation); the page says where the
	// installation link is and how to create the first account on the command line.
	NoAdmin bool
	// ProConnect shows the « S'identifier avec ProConnect » button (app/oidc_login.go).
	ProConnect bool
}

// DemoAccount is shown on the login page in demonstration mode.
type DemoAccount struct {
	Email, Role string
}

func (s *Server) loginPage(c echo.Context, status int, v loginView) error {
	if s.cfg.Demo {
		v.DemoPassword = s.cfg.DemoPassword
		v.DemoAccounts = s.cfg.DemoAccounts
	}
	v.ProConnect = s.oidc != nil
	// A database that cannot be read leaves the message out: the page stays usable and the
	// outage shows where it matters (sign-in, /readyz).
	if n, err := s.store.CountAdmins(c.Request().Context()); err == nil && n == 0 {
		v.NoAdmin = true
	}
	return s.render(c, status, "auth/login", "Connexion", nil, v)
}

func (s *Server) showLogin(c echo.Context) error {
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	return s.loginPage(c, http.StatusOK, loginView{Form: loginForm{Next: safeNext(c.QueryParam("suite"))}})
}

// login checks the credentials; the answer is the same for an unknown email and a wrong
// password. A new session is created (the session id changes at login) and the CSRF cookie
// is renewed.
func (s *Server) login(c echo.Context) error {
	var f loginForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Next = safeNext(f.Next)
	u, err := s.store.Authenticate(c.Request().Context(), f.Email, f.Password, c.RealIP())
	var throttled *models.ErrThrottled
	switch {
	case errors.As(err, &throttled):
		f.Password = ""
		secs := max(int(math.Ceil(throttled.Wait.Seconds())), 1)
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(secs))
		return s.loginPage(c, http.StatusTooManyRequests, loginView{Form: f,
			Error: fmt.Sprintf("Trop de tentatives pour ce compte : réessayez dans %d seconde%s.", secs, plural(secs))})
	case errors.Is(err, models.ErrBadCredentials):
		f.Password = ""
		return s.loginPage(c, http.StatusUnauthorized, loginView{Form: f, Error: "Adresse électronique ou mot de passe incorrect."})
	case err != nil:
		return err
	}
	if refused, err := s.passwordRefused(c, u); err != nil || refused {
		if err == nil {
			err = s.store.RefusePasswordSignIn(c.Request().Context(), u, c.RealIP())
		}
		if err != nil {
			return err
		}
		f.Password = ""
		return s.loginPage(c, http.StatusForbidden, loginView{Form: f, Error: msgPasswordRefused})
	}
	if old, ok := c.Get(ctxToken).(string); ok {
		_ = s.store.DeleteSession(c.Request().Context(), old)
	}
	token, err := s.store.CreateSession(c.Request().Context(), u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	s.clearCSRFCookie(c)
	return c.Redirect(http.StatusSeeOther, f.Next)
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// logout ends the session at once, server-side, then the provider's session when it was
// opened with ProConnect (app/oidc.go, logoutURL).
func (s *Server) logout(c echo.Context) error {
	idToken := ""
	if token, ok := c.Get(ctxToken).(string); ok {
		if s.oidc != nil {
			idToken, _ = s.store.SessionIDToken(c.Request().Context(), token)
		}
		if err := s.store.DeleteSession(c.Request().Context(), token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	s.clearCSRFCookie(c)
	return c.Redirect(http.StatusSeeOther, s.oidc.logoutURL(c.Request().Context(), idToken))
}

// clearCSRFCookie makes the next page issue a new CSRF token.
func (s *Server) clearCSRFCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: s.csrfCookie(), Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
}

// loginLimiter limits login attempts per client address (the peer's, see ipExtractor).
func (s *Server) loginLimiter() echo.MiddlewareFunc {
	r := s.cfg.LoginRate
	if r <= 0 {
		r = 1
	}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(r), Burst: 10, ExpiresIn: 10 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(1/float64(r)))))
			return s.loginPage(c, http.StatusTooManyRequests, loginView{
				Error: "Trop de tentatives de connexion depuis votre poste : patientez une minute avant de réessayer."})
		},
	})
}
