package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig is the OpenID Connect provider the agents sign in with (ProConnect, the
// State's identity federation). The zero value (no issuer) keeps sign-in by password only:
// no button, no route answers.
type OIDCConfig struct {
	Issuer       string // e.g. https://auth.agentconnect.gouv.fr/api/v2 (its discovery document is read from there)
	ClientID     string
	ClientSecret string
	RedirectURL  string // the callback registered with the provider: <public address>/connexion/proconnect/retour
	// TrustEmail takes the provider's email as verified even without the email_verified
	// claim: for a federation whose identity providers deliver the agent's professional
	// address (README, « Connexion avec ProConnect »). Without it, the claim must be true.
	TrustEmail bool
	// HTTPClient talks to the provider (nil: a client with a 10-second timeout).
	HTTPClient *http.Client
}

// Enabled reports whether sign-in with the provider is configured.
func (c OIDCConfig) Enabled() bool { return c.Issuer != "" }

// oidcScopes are the scopes asked: the email is what matches the account an administrator
// created.
var oidcScopes = []string{oidc.ScopeOpenID, "email"}

// oidcClient is the product's side of the provider: its discovery document, read at the
// first use (a provider that is down at start-up does not stop the product) and kept.
type oidcClient struct {
	cfg        OIDCConfig
	http       *http.Client
	mu         sync.Mutex
	provider   *oidc.Provider
	endSession string // the provider's end_session_endpoint, "" when it has none
}

func newOIDCClient(cfg OIDCConfig) *oidcClient {
	if !cfg.Enabled() {
		return nil
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &oidcClient{cfg: cfg, http: hc}
}

// context carries the client's HTTP client to go-oidc and oauth2.
func (o *oidcClient) context(ctx context.Context) context.Context {
	return context.WithValue(oidc.ClientContext(ctx, o.http), oauth2.HTTPClient, o.http)
}

// discover returns the provider, reading its discovery document the first time (again
// after a failure).
func (o *oidcClient) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx, cancel := context.WithTimeout(o.context(context.WithoutCancel(ctx)), 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("découverte du fournisseur OpenID Connect : %w", err)
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return nil, err
	}
	o.provider, o.endSession = p, extra.EndSession
	return p, nil
}

// oauth2 is the authorization code flow's configuration with the provider p.
func (o *oidcClient) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: oidcScopes}
}

// errOIDCFlow is a sign-in that failed on the protocol's side (state, code, token,
// nonce): the page says only that the sign-in failed; the log says why.
type errOIDCFlow struct{ why string }

func (e *errOIDCFlow) Error() string { return e.why }

func flowError(format string, args ...any) error {
	return &errOIDCFlow{why: fmt.Sprintf(format, args...)}
}

// identity exchanges the code (with the PKCE verifier), verifies the ID token (signature,
// issuer, audience, expiry, then the nonce kept for this browser) and reads the email, from
// the user info endpoint when the provider has one (ProConnect sends it there, signed).
// It returns the identity and the raw ID token (kept for the sign-out).
func (o *oidcClient) identity(ctx context.Context, code, verifier, nonce string) (oidcIdentity, string, error) {
	p, err := o.discover(ctx)
	if err != nil {
		return oidcIdentity{}, "", err
	}
	ctx = o.context(ctx)
	tok, err := o.oauth2(p).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return oidcIdentity{}, "", flowError("échange du code : %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return oidcIdentity{}, "", flowError("pas de jeton d'identité dans la réponse")
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID}).Verify(ctx, raw)
	if err != nil {
		return oidcIdentity{}, "", flowError("jeton d'identité refusé : %v", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return oidcIdentity{}, "", flowError("nonce différent de celui de la demande")
	}
	var id oidcIdentity
	if err := idt.Claims(&id); err != nil {
		return oidcIdentity{}, "", flowError("revendications illisibles : %v", err)
	}
	id.Subject = idt.Subject
	if p.UserInfoEndpoint() != "" {
		info, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return oidcIdentity{}, "", flowError("informations de l'utilisateur : %v", err)
		}
		if info.Subject != idt.Subject {
			return oidcIdentity{}, "", flowError("informations d'un autre sujet que le jeton d'identité")
		}
		var more oidcIdentity
		if err := info.Claims(&more); err != nil {
			return oidcIdentity{}, "", flowError("informations illisibles : %v", err)
		}
		if more.Email != "" {
			id.Email, id.Verified = more.Email, more.Verified
		}
	}
	return id, raw, nil
}

// oidcIdentity is the part of the claims the product reads.
type oidcIdentity struct {
	Subject  string    `json:"sub"`
	Email    string    `json:"email"`
	Verified claimBool `json:"email_verified"`
}

// claimBool reads a boolean claim sent as true or "true" (some providers quote it).
type claimBool bool

// UnmarshalJSON accepts true, false, "true" and "false".
func (b *claimBool) UnmarshalJSON(data []byte) error {
	switch strings.Trim(string(data), `"`) {
	case "true":
		*b = true
	case "false", "null", "":
		*b = false
	default:
		return errors.New("email_verified n'est pas un booléen")
	}
	return nil
}

// logoutURL is where the browser goes after the product's sign-out: the provider's
// end_session_endpoint when the session was opened with it and the provider has one
// (with the ID token as hint and the sign-in page as the way back), the sign-in page
// otherwise.
func (o *oidcClient) logoutURL(ctx context.Context, idToken string) string {
	if o == nil || idToken == "" {
		return "/connexion"
	}
	if _, err := o.discover(ctx); err != nil || o.endSession == "" {
		return "/connexion"
	}
	u, err := url.Parse(o.endSession)
	if err != nil {
		return "/connexion"
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("state", randomToken())
	if back := o.postLogoutURL(); back != "" {
		q.Set("post_logout_redirect_uri", back)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// postLogoutURL is the product's sign-in page, at the origin of the redirect URL (the
// provider must know it as a post-logout redirect URI).
func (o *oidcClient) postLogoutURL() string {
	u, err := url.Parse(o.cfg.RedirectURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/connexion"
}

// formActions are the origins a form of the product may lead to besides its own: the
// provider's, where the sign-out form is redirected (browsers apply the CSP's form-action
// to the redirects that follow a form).
func (o *oidcClient) formActions() string {
	if o == nil {
		return ""
	}
	u, err := url.Parse(o.cfg.Issuer)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// randomToken is 32 random bytes, URL-safe: state, nonce.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oidcCSP adds the provider's origin to the form-action directive of csp (formActions);
// csp is left as it is when ProConnect is not configured.
func (s *Server) oidcCSP(csp string) string {
	if origin := s.oidc.formActions(); origin != "" {
		return strings.Replace(csp, "form-action 'self'", "form-action 'self' "+origin, 1)
	}
	return csp
}
