package app

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows only the product's own scripts: no inline script, no eval.
// DSFR sets some inline styles from its scripts, hence 'unsafe-inline' for styles only.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// requestLogger logs one line per request with its request id and its route pattern
// (/mot-de-passe/:token), never the path nor the query string: they may carry one-time
// tokens or personal data.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", routePattern(c, v.URIPath)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("error", v.Error.Error()))
			}
			s.log.LogAttrs(c.Request().Context(), level, "requête", attrs...)
			return nil
		},
	})
}

// securityHeaders sets the headers every response carries. HSTS is sent whenever the public
// address is https: the application runs behind a TLS proxy, and echo's guess of the scheme
// (from X-Forwarded-Proto, believed only from some peers) must not decide it.
func (s *Server) securityHeaders() echo.MiddlewareFunc {
	secure := middleware.SecureWithConfig(middleware.SecureConfig{
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: s.oidcCSP(contentSecurityPolicy),
		ReferrerPolicy:        "strict-origin-when-cross-origin",
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		h := secure(next)
		return func(c echo.Context) error {
			if s.secure() {
				c.Response().Header().Set(echo.HeaderStrictTransportSecurity, "max-age=63072000; includeSubDomains")
			}
			return h(c)
		}
	}
}

// staticCache lets browsers keep assets for a day (they are embedded in the binary).
func staticCache(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return next(c)
	}
}

// noStore keeps pages out of shared caches.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// routePattern is the matched route pattern, or "(inconnue)" for a path no route matched.
func routePattern(c echo.Context, path string) string {
	if p := c.Path(); p != "" && p != "/*" {
		return p
	}
	if strings.HasPrefix(path, "/static/") {
		return "/static/*"
	}
	return "(inconnue)"
}
