package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// ctxCSRF is where the CSRF middleware leaves the token for the forms.
const ctxCSRF = "csrf"

// errCSRF is the answer to a state change without a valid token.
var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf")

// csrfSessionLabel is the message of the HMAC that derives a session's token.
const csrfSessionLabel = "pilotage csrf session v1"

// csrf protects every POST, PUT, PATCH and DELETE with a token read from the form body
// (field _csrf) or the header X-CSRF-Token (sent by htmx through hx-headers), never from the
// query string.
//
// The token is bound to the session: for a signed-in browser it is an HMAC of the session's
// secret token (which only the HttpOnly session cookie carries), so a cookie planted by
// another site or a sibling domain, with a field to match, proves nothing; it changes at
// every sign-in and works on every instance of the application. Before sign-in (login,
// installation and password links) the token is a random HttpOnly cookie, pilotage_csrf
// (__Host-pilotage_csrf over HTTPS), repeated in the form (double submit), renewed at
// sign-in and sign-out.
//
// A request that a browser marks "Sec-Fetch-Site: cross-site" is refused whatever it
// carries; "same-origin" never replaces the token, so every browser and client follows the
// same rule. Requests authenticated by an API token carry no cookie a third-party site could
// ride on, and skip the check (they are read-only and limited to the API).
//
// The public routes (sign-in, sign-out, installation and password links) also accept the
// anonymous cookie's token from a signed-in browser: a login form opened before signing in
// in another tab still works.
func (s *Server) csrf(public bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if strings.HasPrefix(req.Header.Get(echo.HeaderAuthorization), "Bearer ") {
				return next(c)
			}
			expected, err := s.csrfSecret(c)
			if err != nil {
				return err
			}
			switch req.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
			default:
				got := submittedCSRF(c)
				if req.Header.Get(echo.HeaderSecFetchSite) == "cross-site" ||
					!(validCSRF(expected, got) || public && validCSRF(s.anonymousCSRF(c), got)) {
					return errCSRF
				}
			}
			c.Set(ctxCSRF, expected)
			return next(c)
		}
	}
}

// csrfSecret returns the token the caller's forms carry: derived from the session when
// signed in, otherwise the anonymous cookie, which is created when missing.
func (s *Server) csrfSecret(c echo.Context) (string, error) {
	if session, ok := c.Get(ctxToken).(string); ok && session != "" {
		return csrfMAC(session, csrfSessionLabel), nil
	}
	if secret := s.anonymousCSRF(c); secret != "" {
		return secret, nil
	}
	if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
		return "", nil // no secret yet: a state change cannot match anything
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: s.csrfCookie(), Value: secret, Path: "/", HttpOnly: true,
		Secure: s.secure(), SameSite: http.SameSiteLaxMode, Expires: time.Now().Add(24 * time.Hour)})
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderCookie)
	return secret, nil
}

// anonymousCSRF is the token of the anonymous CSRF cookie, "" when there is none.
func (s *Server) anonymousCSRF(c echo.Context) string {
	if ck, err := c.Cookie(s.csrfCookie()); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	return ""
}

// csrfCookie is the name of the anonymous CSRF cookie.
func (s *Server) csrfCookie() string {
	if s.secure() {
		return "__Host-pilotage_csrf"
	}
	return "pilotage_csrf"
}

// csrfMAC is the token derived from a secret (the session's token).
func csrfMAC(secret, label string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(label))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// submittedCSRF is the token of a state change: the header, or the field of the body
// (urlencoded or multipart, parsed by the size limit before), never the query string.
func submittedCSRF(c echo.Context) string {
	req := c.Request()
	if h := req.Header.Get(echo.HeaderXCSRFToken); h != "" {
		return h
	}
	if req.PostForm == nil {
		return "" // the body was not a form (or could not be read)
	}
	return req.PostForm.Get("_csrf")
}

// validCSRF compares in constant time; an empty token never matches.
func validCSRF(expected, got string) bool {
	return expected != "" && got != "" && subtle.ConstantTimeCompare([]byte(expected), []byte(got)) == 1
}

// csrfToken is the token to put in the page's forms.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}
