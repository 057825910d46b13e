package app_test

// An OpenID Connect provider started inside the test, built with zitadel/oidc's op package
// (the server side of the protocol: discovery, authorization with PKCE, token, user info,
// keys, end session), on an in-memory storage adapted from the library's example
// (example/server/storage). Its login page signs in at once as the person the test case
// sets; the case may also make the provider misbehave (another nonce, another audience, an
// ID token already expired) to check that the product refuses it.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// opPerson is who signs in at the test provider.
type opPerson struct {
	sub, email string
	verified   bool
}

// opTamper is how the provider misbehaves for a case (zero: it behaves).
type opTamper struct {
	nonce    string        // replaces the nonce of the request
	audience string        // the client the provider issues the tokens to, in place of the product
	lifetime time.Duration // of the ID token (0: an hour; negative: already expired)
}

// testOP is the provider and its in-memory storage.
type testOP struct {
	URL      string
	clientID string
	secret   string
	redirect string
	logout   string
	key      *ecdsa.PrivateKey

	mu       sync.Mutex
	person   opPerson
	tamper   opTamper
	requests map[string]*opRequest
	codes    map[string]string // code → request id
	tokens   map[string]string // access token id → sub
	ended    []string          // sub of each session ended (end_session)
	seq      int
}

// startTestOP starts the provider for a client whose callback and post-logout addresses are
// those of appURL.
func startTestOP(t *testing.T, appURL string) *testOP {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := &testOP{clientID: "pilotage-test", secret: "secret-du-client", redirect: appURL + "/connexion/proconnect/retour",
		logout: appURL + "/connexion", key: key, requests: map[string]*opRequest{}, codes: map[string]string{}, tokens: map[string]string{}}
	var provider http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { provider.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	o.URL = srv.URL
	p, err := op.NewProvider(&op.Config{CryptoKey: sha256.Sum256([]byte("cle de test")), CodeMethodS256: true},
		o, op.StaticIssuer(srv.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/connexion-fournisseur", o.login)
	mux.Handle("/", p)
	provider = mux
	return o
}

// set chooses who signs in next and how the provider behaves.
func (o *testOP) set(p opPerson, tm opTamper) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.person, o.tamper = p, tm
}

// endedSessions returns the subjects whose provider session was ended.
func (o *testOP) endedSessions() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.ended...)
}

// login is the provider's login page: it authenticates the person set at once and goes
// back to the authorization endpoint's callback.
func (o *testOP) login(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	o.mu.Lock()
	req, ok := o.requests[id]
	if ok {
		req.sub, req.done, req.authTime = o.person.sub, true, time.Now()
	}
	o.mu.Unlock()
	if !ok {
		http.Error(w, "demande inconnue", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, "/authorize/callback?id="+id, http.StatusFound)
}

// opRequest is an authorization request (op.AuthRequest).
type opRequest struct {
	id, clientID, redirect, state, nonce, sub string
	scopes                                    []string
	challenge                                 *oidc.CodeChallenge
	responseType                              oidc.ResponseType
	done                                      bool
	authTime                                  time.Time
	tamper                                    opTamper
}

func (a *opRequest) GetID() string                         { return a.id }
func (a *opRequest) GetACR() string                        { return "" }
func (a *opRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *opRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *opRequest) GetClientID() string                   { return a.clientID }
func (a *opRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *opRequest) GetRedirectURI() string                { return a.redirect }
func (a *opRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *opRequest) GetResponseMode() oidc.ResponseMode    { return "" }
func (a *opRequest) GetScopes() []string                   { return a.scopes }
func (a *opRequest) GetState() string                      { return a.state }
func (a *opRequest) GetSubject() string                    { return a.sub }
func (a *opRequest) Done() bool                            { return a.done }

// GetNonce is the request's nonce, unless the case replaces it.
func (a *opRequest) GetNonce() string {
	if a.tamper.nonce != "" {
		return a.tamper.nonce
	}
	return a.nonce
}

func (a *opRequest) GetAudience() []string { return []string{a.clientID} }

// opClient is the product as the provider knows it (op.Client): a web application with a
// secret, its callback and post-logout addresses.
type opClient struct {
	o        *testOP
	id       string
	lifetime time.Duration
}

func (c opClient) GetID() string                       { return c.id }
func (c opClient) RedirectURIs() []string              { return []string{c.o.redirect} }
func (c opClient) PostLogoutRedirectURIs() []string    { return []string{c.o.logout} }
func (c opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c opClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c opClient) GrantTypes() []oidc.GrantType        { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c opClient) LoginURL(id string) string           { return "/connexion-fournisseur?id=" + id }
func (c opClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }
func (c opClient) IDTokenLifetime() time.Duration      { return c.lifetime }
func (c opClient) DevMode() bool                       { return true } // http:// addresses of httptest
func (c opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) IsScopeAllowed(string) bool           { return false }
func (c opClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c opClient) ClockSkew() time.Duration             { return 0 }

// opKey is the provider's signing key (op.SigningKey) and its public half (op.Key).
type opKey struct {
	key    any
	public bool
}

func (k opKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k opKey) Algorithm() jose.SignatureAlgorithm          { return jose.ES256 }
func (k opKey) Use() string                                 { return "sig" }
func (k opKey) ID() string                                  { return "cle-1" }
func (k opKey) Key() any                                    { return k.key }

var errOPNotFound = errors.New("introuvable")

// The storage (op.Storage).

func (o *testOP) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	client := r.ClientID
	if o.tamper.audience != "" {
		client = o.tamper.audience // the provider mistakes the product for another client
	}
	req := &opRequest{id: "req-" + strconv.Itoa(o.seq), clientID: client, redirect: r.RedirectURI, state: r.State,
		nonce: r.Nonce, scopes: r.Scopes, responseType: r.ResponseType, tamper: o.tamper}
	if r.CodeChallenge != "" {
		req.challenge = &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
	}
	o.requests[req.id] = req
	return req, nil
}

func (o *testOP) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if r, ok := o.requests[id]; ok {
		return r, nil
	}
	return nil, errOPNotFound
}

func (o *testOP) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	o.mu.Lock()
	id, ok := o.codes[code]
	o.mu.Unlock()
	if !ok {
		return nil, errOPNotFound
	}
	return o.AuthRequestByID(ctx, id)
}

func (o *testOP) SaveAuthCode(_ context.Context, id, code string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.codes[code] = id
	return nil
}

func (o *testOP) DeleteAuthRequest(_ context.Context, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.requests, id)
	for code, rid := range o.codes {
		if rid == id {
			delete(o.codes, code)
		}
	}
	return nil
}

func (o *testOP) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	id := "at-" + strconv.Itoa(o.seq)
	o.tokens[id] = r.GetSubject()
	return id, time.Now().Add(5 * time.Minute), nil
}

func (o *testOP) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("pas de jeton de rafraîchissement")
}

func (o *testOP) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (o *testOP) TerminateSession(_ context.Context, sub, _ string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ended = append(o.ended, sub)
	return nil
}

func (o *testOP) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (o *testOP) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (o *testOP) SigningKey(context.Context) (op.SigningKey, error) { return opKey{key: o.key}, nil }

func (o *testOP) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

func (o *testOP) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{opKey{key: &o.key.PublicKey, public: true}}, nil
}

// GetClientByClientID knows the product, and the other client of a case that has one (as
// the same client: the provider mistakes one for the other).
func (o *testOP) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if id != o.clientID && (o.tamper.audience == "" || id != o.tamper.audience) {
		return nil, errOPNotFound
	}
	lifetime := o.tamper.lifetime
	if lifetime == 0 {
		lifetime = time.Hour
	}
	client := o.clientID
	if o.tamper.audience != "" {
		client = o.tamper.audience
	}
	return opClient{o: o, id: client, lifetime: lifetime}, nil
}

func (o *testOP) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != o.clientID || secret != o.secret {
		return errors.New("client ou secret inconnu")
	}
	return nil
}

// SetUserinfoFromScopes fills the ID token's user part: its sub only (the email is read
// from the user info endpoint, as ProConnect sends it).
func (o *testOP) SetUserinfoFromScopes(_ context.Context, info *oidc.UserInfo, sub, _ string, _ []string) error {
	info.Subject = sub
	return nil
}

// SetUserinfoFromToken answers the user info endpoint: the person set, for the token's sub.
func (o *testOP) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, _, _ string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	sub, ok := o.tokens[tokenID]
	if !ok {
		return errOPNotFound
	}
	info.Subject = sub
	if sub == o.person.sub {
		info.Email, info.EmailVerified = o.person.email, oidc.Bool(o.person.verified)
	}
	return nil
}

func (o *testOP) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errOPNotFound
}

func (o *testOP) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (o *testOP) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errOPNotFound
}

func (o *testOP) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errOPNotFound
}

func (o *testOP) Health(context.Context) error { return nil }
