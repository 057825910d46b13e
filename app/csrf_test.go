package app_test

// CSRF and security headers (issue 3, "Checks that must pass": CSRF, headers).

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
)

// TestCSRF: a state change (POST /mon-compte/jetons creates an API token) needs the token of
// the browser's own session, in the form body's field _csrf or the header X-CSRF-Token.
// Without it, with the token of another session, with a planted pilotage_csrf cookie and a
// field to match, or with the token in the query string, the answer is 403 and nothing is
// created. "Sec-Fetch-Site: same-origin" does not replace the token (a deliberate choice,
// see app/csrf.go), "cross-site" is refused even with it, and GET never changes anything.
func TestCSRF(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{})
		u := secUser(t, s, models.UserInput{Email: "csrf@ac-creteil.fr"}, "une phrase de passe correcte")
		session := secSession(t, s, u.ID)
		c := csrfCase{s: s, h: h, userID: u.ID, session: session, mine: secCSRF(t, h, "/mon-compte", session)}
		// A second browser (another user, or an attacker's own visit) has its own pair.
		other := secUser(t, s, models.UserInput{Email: "autre@ac-creteil.fr"}, "")
		c.theirs = secCSRF(t, h, "/mon-compte", secSession(t, s, other.ID))
		if c.theirs.Value == c.mine.Value {
			t.Fatal("deux navigateurs ont reçu le même jeton CSRF")
		}
		c.refusals(t)
		c.accepted(t)
	})
}

// csrfCase is the world of TestCSRF: a browser's session and its CSRF cookie (mine), and
// another browser's (theirs).
type csrfCase struct {
	s                     *models.Store
	h                     http.Handler
	userID                int64
	session, mine, theirs *http.Cookie
}

// tokens counts the user's API tokens.
func (c csrfCase) tokens(t *testing.T) int {
	t.Helper()
	list, err := c.s.ListAPITokens(context.Background(), c.userID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// refused checks that creating an API token with form, cookies and headers is refused
// (403 with the French message) and creates nothing.
func (c csrfCase) refused(t *testing.T, what string, form url.Values, cookies []*http.Cookie, headers ...string) {
	t.Helper()
	rec := secDo(c.h, http.MethodPost, "/mon-compte/jetons", form, cookies, headers...)
	if rec.Code != http.StatusForbidden {
		t.Errorf("%s : statut %d, attendu 403", what, rec.Code)
	} else if !strings.Contains(doc(t, rec).Find("main").Text(), "Rien n'a été enregistré") {
		t.Errorf("%s : 403 sans le message français du jeton de formulaire", what)
	}
	if n := c.tokens(t); n != 0 {
		t.Fatalf("%s : %d jeton(s) créé(s)", what, n)
	}
}

// csrfForm is the form creating an API token, with the CSRF token csrf unless it is "".
func csrfForm(csrf string) url.Values {
	v := url.Values{"nom": {"jeton forgé"}}
	if csrf != "" {
		v.Set("_csrf", csrf)
	}
	return v
}

// refusals checks every way of sending a state change without the session's own token is
// refused.
func (c csrfCase) refusals(t *testing.T) {
	t.Helper()
	c.refused(t, "sans jeton ni cookie CSRF", csrfForm(""), []*http.Cookie{c.session})
	c.refused(t, "cookie CSRF sans jeton", csrfForm(""), []*http.Cookie{c.session, c.mine})
	c.refused(t, "jeton d'un autre navigateur", csrfForm(c.theirs.Value), []*http.Cookie{c.session, c.mine})
	c.refused(t, "jeton d'un autre navigateur en en-tête", csrfForm(""), []*http.Cookie{c.session, c.mine}, "X-CSRF-Token: "+c.theirs.Value)
	// Bound to the session: a pilotage_csrf cookie planted by another site (or the
	// attacker's own anonymous pair) with a field to match proves nothing.
	planted := secCSRF(t, c.h, "/connexion")
	c.refused(t, "cookie CSRF planté et champ assorti", csrfForm(planted.Value), []*http.Cookie{c.session, planted})
	c.refused(t, "cookie CSRF planté et en-tête assorti", csrfForm(""), []*http.Cookie{c.session, planted}, "X-CSRF-Token: "+planted.Value)
	// The token is read from the body or the header, never from the query string.
	if rec := secDo(c.h, http.MethodPost, "/mon-compte/jetons?_csrf="+url.QueryEscape(c.mine.Value), csrfForm(""), []*http.Cookie{c.session}); rec.Code != http.StatusForbidden || c.tokens(t) != 0 {
		t.Errorf("jeton dans l'adresse : %d, %d jeton(s)", rec.Code, c.tokens(t))
	}
	c.refused(t, "Sec-Fetch-Site: cross-site avec le bon jeton", csrfForm(c.mine.Value), []*http.Cookie{c.session}, "Sec-Fetch-Site: cross-site")
	// An empty cookie must not match an empty field or header (echo compares "" with "").
	empty := &http.Cookie{Name: "pilotage_csrf", Value: ""}
	c.refused(t, "cookie et en-tête vides", csrfForm(""), []*http.Cookie{c.session, empty}, "X-CSRF-Token: ")
	c.refused(t, "cookie et champ vides", url.Values{"nom": {"x"}, "_csrf": {""}}, []*http.Cookie{c.session, empty})
	c.refused(t, "Sec-Fetch-Site: same-origin sans jeton", csrfForm(""), []*http.Cookie{c.session, c.mine}, "Sec-Fetch-Site: same-origin")
	c.refused(t, "Sec-Fetch-Site: same-origin sans cookie", csrfForm(""), []*http.Cookie{c.session}, "Sec-Fetch-Site: same-origin")
	// A bogus API token next to the session cookie neither skips the check with the
	// session's rights nor signs in.
	if rec := secDo(c.h, http.MethodPost, "/mon-compte/jetons", csrfForm(""), []*http.Cookie{c.session}, "Authorization: Bearer pe1_inconnu"); rec.Code != http.StatusUnauthorized || c.tokens(t) != 0 {
		t.Errorf("Bearer inconnu + cookie de session sans jeton CSRF : %d, %d jeton(s)", rec.Code, c.tokens(t))
	}
}

// accepted checks the right token is accepted in the field or the header; that logging
// out and in are state changes too; and that GET never changes anything.
func (c csrfCase) accepted(t *testing.T) {
	t.Helper()
	// The right token, in the form field or in the header (htmx): accepted.
	// No cookie is needed besides the session's.
	if rec := secDo(c.h, http.MethodPost, "/mon-compte/jetons", csrfForm(c.mine.Value), []*http.Cookie{c.session}); rec.Code != http.StatusOK || c.tokens(t) != 1 {
		t.Errorf("jeton dans le champ _csrf : %d, %d jeton(s)", rec.Code, c.tokens(t))
	}
	if rec := secDo(c.h, http.MethodPost, "/mon-compte/jetons", csrfForm(""), []*http.Cookie{c.session}, "X-CSRF-Token: "+c.mine.Value, "HX-Request: true"); rec.Code != http.StatusOK || c.tokens(t) != 2 {
		t.Errorf("jeton dans l'en-tête X-CSRF-Token : %d, %d jeton(s)", rec.Code, c.tokens(t))
	}

	// Logging out is a state change too: without the token the session survives.
	if rec := secDo(c.h, http.MethodPost, "/deconnexion", url.Values{}, []*http.Cookie{c.session, c.mine}); rec.Code != http.StatusForbidden {
		t.Errorf("déconnexion sans jeton : %d", rec.Code)
	}
	if ok, _ := secSignedIn(c.h, c.session); !ok {
		t.Error("une déconnexion sans jeton CSRF a fermé la session")
	}
	// So is logging in (login CSRF: signing the victim into the attacker's account).
	if rec := secDo(c.h, http.MethodPost, "/connexion", url.Values{"email": {"csrf@ac-creteil.fr"}, "password": {"une phrase de passe correcte"}}, nil); rec.Code != http.StatusForbidden || secCookie(rec, "pilotage_session") != nil {
		t.Errorf("connexion sans jeton : %d", rec.Code)
	}

	// GET never changes anything: no GET logout, no GET token creation.
	for _, path := range []string{"/deconnexion", "/mon-compte/jetons", "/mon-compte/jetons?nom=x&_csrf=" + url.QueryEscape(c.mine.Value)} {
		rec := secDo(c.h, http.MethodGet, path, nil, []*http.Cookie{c.session, c.mine})
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s : %d, attendu 404 ou 405", path, rec.Code)
		}
	}
	if ok, _ := secSignedIn(c.h, c.session); !ok {
		t.Error("GET /deconnexion a fermé la session")
	}
	if n := c.tokens(t); n != 2 {
		t.Errorf("des GET ont créé des jetons : %d", n)
	}
}

// secHeaderRules checks the security headers every HTML response carries.
func secHeaderRules(t *testing.T, what string, hd http.Header) {
	t.Helper()
	csp := map[string][]string{}
	for _, d := range strings.Split(hd.Get("Content-Security-Policy"), ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			csp[f[0]] = f[1:]
		}
	}
	has := func(directive string, want ...string) {
		t.Helper()
		got := strings.Join(csp[directive], " ")
		if got != strings.Join(want, " ") {
			t.Errorf("%s : CSP %s = %q, attendu %q", what, directive, got, strings.Join(want, " "))
		}
	}
	has("default-src", "'self'")
	has("style-src", "'self'") // no inline style: classes in app.css
	has("object-src", "'none'")
	has("base-uri", "'none'")
	has("frame-ancestors", "'none'")
	script, ok := csp["script-src"]
	if !ok {
		script = csp["default-src"]
	}
	for _, src := range script {
		if src == "'unsafe-inline'" || src == "'unsafe-eval'" || src == "*" || src == "data:" {
			t.Errorf("%s : script-src permet %s", what, src)
		}
	}
	if got := hd.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s : X-Content-Type-Options %q", what, got)
	}
	if got := hd.Get("Referrer-Policy"); got == "" || got == "unsafe-url" || got == "no-referrer-when-downgrade" {
		t.Errorf("%s : Referrer-Policy %q", what, got)
	}
	if got := hd.Get("Cache-Control"); !strings.Contains(got, "no-store") {
		t.Errorf("%s : Cache-Control %q, attendu no-store", what, got)
	}
	if ct := hd.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s : Content-Type %q", what, ct)
	}
}

// TestSecurityHeadersOnAccountPages: the login page, error pages (404, 405, 403 of a role, 403 of a
// missing CSRF token) and signed-in pages carry the CSP without inline scripts, nosniff,
// a Referrer-Policy, frame-ancestors 'none' and Cache-Control: no-store.
func TestSecurityHeadersOnAccountPages(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{})
		u := secUser(t, s, models.UserInput{Email: "entetes@ac-creteil.fr", Role: models.RoleLecteur}, "")
		session := secSession(t, s, u.ID)
		cases := []struct {
			what, method, path string
			cookies            []*http.Cookie
			status             int
		}{
			{"page de connexion", http.MethodGet, "/connexion", nil, http.StatusOK},
			{"page introuvable", http.MethodGet, "/nexiste-pas", nil, http.StatusNotFound},
			{"page introuvable, connecté", http.MethodGet, "/communes/00000", []*http.Cookie{session}, http.StatusNotFound},
			{"méthode non autorisée", http.MethodGet, "/deconnexion", []*http.Cookie{session}, 0},
			{"lien invalide", http.MethodGet, "/mot-de-passe/inconnu", nil, http.StatusNotFound},
			{"accès refusé", http.MethodGet, "/admin/utilisateurs", []*http.Cookie{session}, http.StatusForbidden},
			{"formulaire sans jeton", http.MethodPost, "/mon-compte/jetons", []*http.Cookie{session}, http.StatusForbidden},
			{"Mon compte", http.MethodGet, "/mon-compte", []*http.Cookie{session}, http.StatusOK},
			{"accueil", http.MethodGet, "/", []*http.Cookie{session}, http.StatusOK},
			{"liste", http.MethodGet, "/departements", []*http.Cookie{session}, http.StatusOK},
		}
		for _, c := range cases {
			var form url.Values
			if c.method == http.MethodPost {
				form = url.Values{}
			}
			rec := secDo(h, c.method, c.path, form, c.cookies)
			if c.status != 0 && rec.Code != c.status {
				t.Errorf("%s (%s) : statut %d, attendu %d", c.what, c.path, rec.Code, c.status)
			}
			secHeaderRules(t, c.what, rec.Header())
		}
	})
}
