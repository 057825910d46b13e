package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// oidcEnv is the product served over HTTP and the provider, both inside the test.
type oidcEnv struct {
	appURL string
	op     *testOP
	store  *models.Store
}

func newOIDCEnv(t *testing.T, store *models.Store) oidcEnv {
	t.Helper()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	o := startTestOP(t, srv.URL)
	h = newAnonymousServer(t, store, app.Config{BaseURL: srv.URL, OIDC: app.OIDCConfig{Issuer: o.URL,
		ClientID: o.clientID, ClientSecret: o.secret, RedirectURL: o.redirect}})
	return oidcEnv{appURL: srv.URL, op: o, store: store}
}

// oidcBrowser is an HTTP client with its cookies, following redirects as a browser does.
func oidcBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

// noFollow is the same browser, stopping at the first redirect.
func noFollow(c *http.Client) *http.Client {
	return &http.Client{Jar: c.Jar, Timeout: c.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch sends a request and reads the page.
func fetch(t *testing.T, c *http.Client, method, u string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s : %v", method, u, err)
	}
	defer resp.Body.Close()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, d
}

// csrfOf is the CSRF token of the page's first form.
func csrfOf(t *testing.T, d *goquery.Document) string {
	t.Helper()
	v, ok := d.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok {
		t.Fatal("pas de jeton CSRF dans la page")
	}
	return v
}

// TestOIDCSignIn signs in through the real router against a real OpenID Connect provider
// started in the test (zitadel/oidc): the button, an account linked by its verified email
// then found by its sub, the refusals (wrong nonce, expired token, wrong audience, unknown
// email, email not verified, disabled account), the login history and the audit; then the
// sign-out through the provider's end-session endpoint, the administrator's unlinking, and
// ProConnect required (password refused but for administrators).
func TestOIDCSignIn(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, store *models.Store) {
		env := newOIDCEnv(t, store)
		ctx, sys := context.Background(), models.SystemActor("test")
		account := func(email string, role models.Role) models.User {
			u, err := store.CreateUser(ctx, sys, models.UserInput{Email: email, Nom: "Compte " + email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		agent := account("agent.pilote@ac-creteil.fr", models.RolePilote)
		lecteur := account("lecteur@ac-creteil.fr", models.RoleLecteur)
		disabled := account("desactive@ac-creteil.fr", models.RolePilote)
		if err := store.SetUserActive(ctx, sys, disabled.ID, false); err != nil {
			t.Fatal(err)
		}

		_, login := fetch(t, oidcBrowser(t), http.MethodGet, env.appURL+"/connexion", nil)
		if href, _ := login.Find("a#bouton-proconnect.fr-connect.fr-connect--pro").Attr("href"); href != "/connexion/proconnect" {
			t.Errorf("bouton ProConnect : href %q", href)
		}
		oidcCases(t, env)

		u, err := store.GetUser(ctx, agent.ID)
		if err != nil || !u.LinkedToOIDC() || *u.OIDCSub != "sub-agent" {
			t.Errorf("compte de l'agent non lié à sub-agent : %+v %v", u.OIDCSub, err)
		}
		if u, _ := store.GetUser(ctx, lecteur.ID); u.LinkedToOIDC() {
			t.Error("compte lié par une adresse non vérifiée")
		}
		if !auditHas(t, store, agent.ID, "liée à la première connexion") {
			t.Error("liaison absente du journal d'audit")
		}
		logins, err := store.ListLogins(ctx, sys, models.PageRequest{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, l := range logins.Items {
			seen = append(seen, l.Email+"="+strconv.FormatBool(l.Success))
		}
		for _, want := range []string{"agent.pilote@ac-creteil.fr=true", "inconnu@ac-creteil.fr=false", "desactive@ac-creteil.fr=false"} {
			if !slices.Contains(seen, want) {
				t.Errorf("historique des connexions sans %s : %v", want, seen)
			}
		}
		oidcLogout(t, env)
		oidcUnlink(t, env, agent)
		oidcRequired(t, env)
	})
}

// oidcCases runs the sign-ins one after the other, each in a new browser; their order
// matters: the first links the agent's account, the second finds it by its sub alone.
func oidcCases(t *testing.T, env oidcEnv) {
	const failed, noAccount = "La connexion avec ProConnect a échoué", "ne donne accès à aucun compte actif"
	cases := []struct {
		name   string
		person opPerson
		tamper opTamper
		status int
		alert  string // part of the page's error, "" when signed in
	}{
		{"liaison par l'adresse vérifiée", opPerson{"sub-agent", "Agent.Pilote@AC-Creteil.fr", true}, opTamper{}, 200, ""},
		{"retrouvé par le sub", opPerson{"sub-agent", "autre.adresse@exemple.fr", false}, opTamper{}, 200, ""},
		{"nonce faux", opPerson{"sub-agent", "agent.pilote@ac-creteil.fr", true}, opTamper{nonce: "un-autre-nonce"}, 401, failed},
		{"jeton expiré", opPerson{"sub-agent", "agent.pilote@ac-creteil.fr", true}, opTamper{lifetime: -time.Minute}, 401, failed},
		{"mauvaise audience", opPerson{"sub-agent", "agent.pilote@ac-creteil.fr", true}, opTamper{audience: "un-autre-client"}, 401, failed},
		{"adresse inconnue", opPerson{"sub-inconnu", "inconnu@ac-creteil.fr", true}, opTamper{}, 403, noAccount},
		{"adresse non vérifiée", opPerson{"sub-lecteur", "lecteur@ac-creteil.fr", false}, opTamper{}, 403, noAccount},
		{"compte désactivé", opPerson{"sub-desactive", "desactive@ac-creteil.fr", true}, opTamper{}, 403, noAccount},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env.op.set(tc.person, tc.tamper)
			resp, d := fetch(t, oidcBrowser(t), http.MethodGet, env.appURL+"/connexion/proconnect?suite=/mon-compte", nil)
			alert := strings.TrimSpace(d.Find(".fr-alert--error").Text())
			if resp.StatusCode != tc.status || !strings.Contains(alert, tc.alert) {
				t.Fatalf("statut %d (attendu %d) sur %s, alerte %q (attendu %q)", resp.StatusCode, tc.status, resp.Request.URL.Path, alert, tc.alert)
			}
			if tc.alert == "" && (resp.Request.URL.Path != "/mon-compte" || !strings.Contains(d.Find("main").Text(), "agent.pilote@ac-creteil.fr")) {
				t.Errorf("connecté : page %s sans le compte de l'agent", resp.Request.URL.Path)
			}
			if tc.alert != "" && resp.Request.URL.Path != "/connexion/proconnect/retour" {
				t.Errorf("refus affiché sur %s", resp.Request.URL.Path)
			}
		})
	}
}

// signInAgent signs the agent in with ProConnect in a new browser.
func signInAgent(t *testing.T, env oidcEnv) *http.Client {
	t.Helper()
	env.op.set(opPerson{"sub-agent", "agent.pilote@ac-creteil.fr", true}, opTamper{})
	c := oidcBrowser(t)
	if resp, _ := fetch(t, c, http.MethodGet, env.appURL+"/connexion/proconnect?suite=/mon-compte", nil); resp.Request.URL.Path != "/mon-compte" {
		t.Fatalf("connexion de l'agent : %d sur %s", resp.StatusCode, resp.Request.URL.Path)
	}
	return c
}

// oidcLogout: the sign-out ends the session, then sends the browser to the provider's
// end-session endpoint with the ID token as hint, which ends its session and comes back
// to the sign-in page.
func oidcLogout(t *testing.T, env oidcEnv) {
	t.Run("déconnexion", func(t *testing.T) {
		c := signInAgent(t, env)
		_, page := fetch(t, c, http.MethodGet, env.appURL+"/mon-compte", nil)
		resp, _ := fetch(t, noFollow(c), http.MethodPost, env.appURL+"/deconnexion", url.Values{"_csrf": {csrfOf(t, page)}})
		to, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(to.String(), env.op.URL+"/end_session?") {
			t.Fatalf("déconnexion : %d vers %q, attendu le point de fin de session du fournisseur", resp.StatusCode, to)
		}
		if to.Query().Get("id_token_hint") == "" || to.Query().Get("post_logout_redirect_uri") != env.appURL+"/connexion" {
			t.Errorf("fin de session sans id_token_hint ou mauvais retour : %s", to.RawQuery)
		}
		back, _ := fetch(t, c, http.MethodGet, to.String(), nil)
		if back.StatusCode != http.StatusOK || !strings.HasPrefix(back.Request.URL.String(), env.appURL+"/connexion") {
			t.Errorf("retour du fournisseur : %d sur %s", back.StatusCode, back.Request.URL)
		}
		if !slices.Contains(env.op.endedSessions(), "sub-agent") {
			t.Error("le fournisseur n'a pas fermé la session de l'agent")
		}
		if resp, _ := fetch(t, noFollow(c), http.MethodGet, env.appURL+"/mon-compte", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("session encore ouverte après la déconnexion : %d", resp.StatusCode)
		}
	})
}

// adminBrowser signs an administrator in with a password.
func adminBrowser(t *testing.T, env oidcEnv, email string) *http.Client {
	t.Helper()
	c := oidcBrowser(t)
	if resp := passwordLogin(t, env, c, email); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("connexion de l'administrateur : %d", resp.StatusCode)
	}
	return c
}

// passwordLogin posts the sign-in form with the test password.
func passwordLogin(t *testing.T, env oidcEnv, c *http.Client, email string) *http.Response {
	t.Helper()
	_, login := fetch(t, c, http.MethodGet, env.appURL+"/connexion", nil)
	resp, _ := fetch(t, noFollow(c), http.MethodPost, env.appURL+"/connexion",
		url.Values{"_csrf": {csrfOf(t, login)}, "email": {email}, "password": {testPassword}})
	return resp
}

const testPassword = "une phrase de passe assez longue"

// withPassword creates an account with the test password.
func withPassword(t *testing.T, store *models.Store, email string, role models.Role) models.User {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	u, err := store.CreateUser(ctx, sys, models.UserInput{Email: email, Nom: "Compte " + email, Role: role})
	if err == nil {
		err = store.SetPasswordDirect(ctx, sys, u.ID, testPassword)
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// oidcUnlink: the account's page says it is linked; the administrator unlinks it (audited).
func oidcUnlink(t *testing.T, env oidcEnv, agent models.User) {
	t.Run("déliaison", func(t *testing.T) {
		withPassword(t, env.store, "admin@ac-creteil.fr", models.RoleAdmin)
		c := adminBrowser(t, env, "admin@ac-creteil.fr")
		page := env.appURL + "/admin/utilisateurs/" + strconv.FormatInt(agent.ID, 10)
		_, d := fetch(t, c, http.MethodGet, page, nil)
		if got := d.Find("#proconnect").Text(); !strings.Contains(got, "lié à une identité ProConnect") {
			t.Fatalf("fiche du compte : ProConnect %q", got)
		}
		resp, d := fetch(t, c, http.MethodPost, page+"/proconnect/delier", url.Values{"_csrf": {csrfOf(t, d)}})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(d.Find("#proconnect").Text(), "non lié") {
			t.Errorf("déliaison : %d, ProConnect %q", resp.StatusCode, d.Find("#proconnect").Text())
		}
		if u, _ := env.store.GetUser(context.Background(), agent.ID); u.LinkedToOIDC() {
			t.Error("compte encore lié")
		}
		if !auditHas(t, env.store, agent.ID, "déliée") {
			t.Error("déliaison absente du journal d'audit")
		}
	})
}

// oidcRequired: once the administrator requires ProConnect, a right password is refused
// to a pilote, not to an administrator; a wrong one gets the usual answer.
func oidcRequired(t *testing.T, env oidcEnv) {
	t.Run("ProConnect obligatoire", func(t *testing.T) {
		withPassword(t, env.store, "pilote.mdp@ac-creteil.fr", models.RolePilote)
		c := adminBrowser(t, env, "admin@ac-creteil.fr")
		_, d := fetch(t, c, http.MethodGet, env.appURL+"/admin/proconnect", nil)
		resp, d := fetch(t, c, http.MethodPost, env.appURL+"/admin/proconnect",
			url.Values{"_csrf": {csrfOf(t, d)}, "version": {"0"}, "obligatoire": {"oui"}})
		if resp.StatusCode != http.StatusOK || d.Find(`#proconnect-obligatoire[checked]`).Length() != 1 {
			t.Fatalf("réglage : %d, case cochée %d", resp.StatusCode, d.Find(`#proconnect-obligatoire[checked]`).Length())
		}
		resp = passwordLogin(t, env, oidcBrowser(t), "pilote.mdp@ac-creteil.fr")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("mot de passe d'un pilote avec ProConnect obligatoire : %d, attendu 403", resp.StatusCode)
		}
		if resp := passwordLogin(t, env, oidcBrowser(t), "admin@ac-creteil.fr"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("mot de passe d'un administrateur avec ProConnect obligatoire : %d, attendu 303", resp.StatusCode)
		}
		if resp := passwordLogin(t, env, oidcBrowser(t), "inconnu@ac-creteil.fr"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("adresse inconnue avec ProConnect obligatoire : %d, attendu 401", resp.StatusCode)
		}
		if _, err := env.store.SetOIDCRequired(context.Background(), models.SystemActor("test"), 1, false); err != nil {
			t.Fatal(err)
		}
		if resp := passwordLogin(t, env, oidcBrowser(t), "pilote.mdp@ac-creteil.fr"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("mot de passe d'un pilote, ProConnect facultatif : %d, attendu 303", resp.StatusCode)
		}
	})
}

// auditHas reports whether the account's history has a ProConnect change to want.
func auditHas(t *testing.T, store *models.Store, id int64, want string) bool {
	t.Helper()
	events, err := store.History(context.Background(), models.SystemActor("test"), "utilisateur", strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		for _, ch := range e.ChangeList() {
			if ch.Field == "proconnect" && ch.New == want {
				return true
			}
		}
	}
	return false
}
