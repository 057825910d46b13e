package app

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"
)

// The French messages of a ProConnect sign-in that does not open a session. None says why
// an account was refused (unknown, disabled, email not verified): the person learns nothing
// of the accounts; the login history and the server's log say more to the administrator.
const (
	msgOIDCNoAccount = "Votre identité ProConnect ne donne accès à aucun compte actif de Pilotage ENT 1D. " +
		"Si vous devez y accéder, demandez à l'administrateur de l'application de créer votre compte avec votre adresse électronique professionnelle."
	msgOIDCFailed = "La connexion avec ProConnect a échoué. Réessayez ; si le problème persiste, signalez-le à l'administrateur de l'application."
	msgOIDCStale  = "La connexion avec ProConnect a expiré, ou a été commencée dans un autre navigateur : cliquez de nouveau sur « S'identifier avec ProConnect »."
	msgOIDCDown   = "ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe si vous en avez un."
	msgOIDCDenied = "ProConnect n'a pas confirmé votre identité (connexion annulée ou refusée). Réessayez."
	// msgPasswordRefused answers a right password when ProConnect is required for the account.
	msgPasswordRefused = "La connexion par mot de passe est désactivée pour votre compte : utilisez le bouton « S'identifier avec ProConnect »."
)

// oidcCookie holds the handle of the sign-in under way (models.OIDCRequest); over HTTPS the
// __Host- prefix pins it to the host.
func (s *Server) oidcCookie() string {
	if s.secure() {
		return "__Host-pilotage_oidc"
	}
	return "pilotage_oidc"
}

// startOIDC sends the browser to the provider: a new state, nonce and PKCE verifier are
// kept server-side under the handle of a ten-minute cookie of this browser.
func (s *Server) startOIDC(c echo.Context) error {
	if s.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	ctx := c.Request().Context()
	p, err := s.oidc.discover(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "ProConnect injoignable", slog.String("erreur", err.Error()))
		return s.loginPage(c, http.StatusBadGateway, loginView{Error: msgOIDCDown})
	}
	req := models.OIDCRequest{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(c.QueryParam("suite"))}
	handle, err := s.store.CreateOIDCRequest(ctx, req)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: s.oidcCookie(), Value: handle, Path: "/", HttpOnly: true, Secure: s.secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: int(models.OIDCRequestLifetime / time.Second)})
	to := s.oidc.oauth2(p).AuthCodeURL(req.State, oidc.Nonce(req.Nonce), oauth2.S256ChallengeOption(req.Verifier))
	return c.Redirect(http.StatusSeeOther, to)
}

// oidcCallback ends a sign-in with the provider: the request kept for this browser (single
// use) and its state, the verified identity, then the account (models.SignInOIDC); a new
// session keeps the ID token for the sign-out.
func (s *Server) oidcCallback(c echo.Context) error {
	if s.oidc == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	handle := ""
	if ck, err := c.Cookie(s.oidcCookie()); err == nil {
		handle = ck.Value
	}
	c.SetCookie(&http.Cookie{Name: s.oidcCookie(), Value: "", Path: "/", HttpOnly: true, Secure: s.secure(),
		SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
	req, err := s.store.TakeOIDCRequest(ctx, handle)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return s.oidcRefused(c, http.StatusBadRequest, msgOIDCStale, "aucune demande en cours pour ce navigateur")
	case err != nil:
		return err
	case subtle.ConstantTimeCompare([]byte(c.QueryParam("state")), []byte(req.State)) != 1:
		return s.oidcRefused(c, http.StatusBadRequest, msgOIDCStale, "state différent de celui de la demande")
	case c.QueryParam("error") != "":
		return s.oidcRefused(c, http.StatusUnauthorized, msgOIDCDenied, "le fournisseur répond "+c.QueryParam("error"))
	}
	id, idToken, err := s.oidc.identity(ctx, c.QueryParam("code"), req.Verifier, req.Nonce)
	var flow *errOIDCFlow
	switch {
	case errors.As(err, &flow):
		return s.oidcRefused(c, http.StatusUnauthorized, msgOIDCFailed, flow.why)
	case err != nil:
		return s.oidcRefused(c, http.StatusBadGateway, msgOIDCDown, err.Error())
	}
	u, err := s.store.SignInOIDC(ctx, models.OIDCIdentity{Subject: id.Subject, Email: id.Email,
		EmailVerified: bool(id.Verified) || s.cfg.OIDC.TrustEmail}, c.RealIP())
	switch {
	case errors.Is(err, models.ErrOIDCNoAccount):
		return s.oidcRefused(c, http.StatusForbidden, msgOIDCNoAccount, "aucun compte actif pour cette identité")
	case err != nil:
		return err
	}
	if old, ok := c.Get(ctxToken).(string); ok {
		_ = s.store.DeleteSession(ctx, old)
	}
	token, err := s.store.CreateOIDCSession(ctx, u.ID, c.RealIP(), c.Request().UserAgent(), idToken)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	s.clearCSRFCookie(c)
	return c.Redirect(http.StatusSeeOther, req.Next)
}

// oidcRefused logs why a ProConnect sign-in failed (never a token nor an email) and shows
// the sign-in page with the French message.
func (s *Server) oidcRefused(c echo.Context, status int, msg, why string) error {
	s.log.WarnContext(c.Request().Context(), "connexion ProConnect refusée", slog.String("raison", why),
		slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
	return s.loginPage(c, status, loginView{Error: msg})
}

// passwordRefused reports whether u may not sign in with a password: ProConnect is
// configured, the administrator requires it, and u is not an administrator (who keeps
// the password as a way in when the provider fails: README).
func (s *Server) passwordRefused(c echo.Context, u models.User) (bool, error) {
	if s.oidc == nil || u.Role.Administers() {
		return false, nil
	}
	o, err := s.store.OIDCSettings(c.Request().Context())
	return o.Required, err
}
