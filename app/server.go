// Package app is the HTTP layer: the echo server, its one route table, the middleware, one
// file of handlers per resource, the form and filter structs, and the central error handler.
// It reads and writes only through models.Store and renders only through views.
package app

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views"
	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// Config is what the HTTP layer needs to know of the deployment.
type Config struct {
	Addr           string               // listen address, e.g. 127.0.0.1:8080
	BaseURL        string               // public URL; https:// turns on HSTS and secure cookies
	Demo           bool                 // demonstration mode: banner, demo passwords on the login page
	DemoPassword   string               // the password of the demo accounts, shown on the login page
	DemoAccounts   []DemoAccount        // the demo accounts, listed on the login page
	Sessions       models.SessionLimits // idle and absolute session timeouts
	TrustedProxies []string             // CIDR ranges of reverse proxies whose X-Forwarded-For is believed
	LoginRate      float64              // login attempts per second and client IP (0: 1 per second)
	UploadSlots    int                  // uploads read at once (0: 2)
	UploadWait     time.Duration        // how long an upload waits for a slot (0: 5 s), then 503
	// ImportMaxFileSize is the largest deployment status file, in bytes (0: 50 Mo).
	ImportMaxFileSize int64
	// Alerts on conventions: expiring within AlertesExpiryDays (0: 90), waiting for signatures
	// for more than AlertesSignatureDays (0: 60).
	AlertesExpiryDays    int
	AlertesSignatureDays int
	// SeuilActivation is the share of its pupils (percent, 1 to 100; 0: 30) under which an
	// école opened for three months is listed as to watch on /usages.
	SeuilActivation int
	// MailRootCAs are the certificate authorities trusted for the SMTP server's certificate
	// (nil: the system's); tests trust the certificate of their own server.
	MailRootCAs *x509.CertPool
	// Legal is what the legal pages say about the operator (host, contact, DPO).
	Legal LegalInfo
	// OIDC is the ProConnect provider (app/oidc.go); the zero value: passwords only.
	OIDC OIDCConfig
}

// Server serves the back-office.
type Server struct {
	cfg   Config
	store *models.Store
	views *views.Views
	log   *slog.Logger
	echo  *echo.Echo
	valid *validator.Validate
	// uploads holds one token per upload being read (its capacity is Config.UploadSlots).
	uploads chan struct{}
	// oidc signs in with ProConnect; nil when Config.OIDC is not set.
	oidc *oidcClient
}

// New builds the server and its routes.
func New(cfg Config, store *models.Store, v *views.Views, log *slog.Logger) *Server {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{cfg: cfg, store: store, views: v, log: log, echo: e, valid: newValidator(),
		uploads: make(chan struct{}, uploadSlots(cfg.UploadSlots)), oidc: newOIDCClient(cfg.OIDC)}
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	s.routes()
	return s
}

// Handler returns the HTTP handler (tests call it directly).
func (s *Server) Handler() http.Handler { return s.echo }

// Echo returns the echo instance (the route-table tests walk its routes).
func (s *Server) Echo() *echo.Echo { return s.echo }

// Run listens on Config.Addr and serves until ctx is cancelled (see RunListener).
func (s *Server) Run(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.RunListener(ctx, l)
}

// RunListener serves on l until ctx is cancelled, then shuts down gracefully within 15
// seconds; l is closed on return. The caller listens first, so that a busy port is known
// before anything is announced (pilotage serve).
func (s *Server) RunListener(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // large exports stream for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
