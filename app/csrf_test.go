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
		ctx := context.Background()
		h := newAnonymousServer(t, s, app.Config{})
		u := secUser(t, s, models.UserInput{Email: "csrf@ac-creteil.fr"}, "une phrase de passe correcte")
		session := secSession(t, s, u.ID)
		mine := secCSRF(t, h, "/mon-compte", session)
		// A second browser (another user, or an attacker's own visit) has its own pair.
		other := secUser(t, s, models.UserInput{Email: "autre@ac-creteil.fr"}, "")
		theirs := secCSRF(t, h, "/mon-compte", secSession(t, s, other.ID))
		if theirs.Value == mine.Value {
			t.Fatal("deux navigateurs ont reçu le même jeton CSRF")
		}

		tokens := func() int {
			list, err := s.ListAPITokens(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		refused := func(what string, form url.Values, cookies []*http.Cookie, headers ...string) {
			t.Helper()
			rec := secDo(h, http.MethodPost, "/mon-compte/jetons", form, cookies, headers...)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s : statut %d, attendu 403", what, rec.Code)
			} else if !strings.Contains(doc(t, rec).Find("main").Text(), "Rien n'a été enregistré") {
				t.Errorf("%s : 403 sans le message français du jeton de formulaire", what)
			}
			if n := tokens(); n != 0 {
				t.Fatalf("%s : %d jeton(s) créé(s)", what, n)
			}
		}
		form := func(csrf string) url.Values {
			v := url.Values{"nom": {"jeton forgé"}}
			if csrf != "" {
				v.Set("_csrf", csrf)
			}
			return v
		}

		refused("sans jeton ni cookie CSRF", form(""), []*http.Cookie{session})
		refused("cookie CSRF sans jeton", form(""), []*http.Cookie{session, mine})
		refused("jeton d'un autre navigateur", form(theirs.Value), []*http.Cookie{session, mine})
		refused("jeton d'un autre navigateur en en-tête", form(""), []*http.Cookie{session, mine}, "X-CSRF-Token: "+theirs.Value)
		// Bound to the session: a pilotage_csrf cookie planted by another site (or the
		// attacker's own anonymous pair) with a field to match proves nothing.
		planted := secCSRF(t, h, "/connexion")
		refused("cookie CSRF planté et champ assorti", form(planted.Value), []*http.Cookie{session, planted})
		refused("cookie CSRF planté et en-tête assorti", form(""), []*http.Cookie{session, planted}, "X-CSRF-Token: "+planted.Value)
		// The token is read from the body or the header, never from the query string.
		if rec := secDo(h, http.MethodPost, "/mon-compte/jetons?_csrf="+url.QueryEscape(mine.Value), form(""), []*http.Cookie{session}); rec.Code != http.StatusForbidden || tokens() != 0 {
			t.Errorf("jeton dans l'adresse : %d, %d jeton(s)", rec.Code, tokens())
		}
		refused("Sec-Fetch-Site: cross-site avec le bon jeton", form(mine.Value), []*http.Cookie{session}, "Sec-Fetch-Site: cross-site")
		// An empty cookie must not match an empty field or header (echo compares "" with "").
		empty := &http.Cookie{Name: "pilotage_csrf", Value: ""}
		refused("cookie et en-tête vides", form(""), []*http.Cookie{session, empty}, "X-CSRF-Token: ")
		refused("cookie et champ vides", url.Values{"nom": {"x"}, "_csrf": {""}}, []*http.Cookie{session, empty})
		refused("Sec-Fetch-Site: same-origin sans jeton", form(""), []*http.Cookie{session, mine}, "Sec-Fetch-Site: same-origin")
		refused("Sec-Fetch-Site: same-origin sans cookie", form(""), []*http.Cookie{session}, "Sec-Fetch-Site: same-origin")
		// A bogus API token next to the session cookie neither skips the check with the
		// session's rights nor signs in.
		if rec := secDo(h, http.MethodPost, "/mon-compte/jetons", form(""), []*http.Cookie{session}, "Authorization: Bearer pe1_inconnu"); rec.Code != http.StatusUnauthorized || tokens() != 0 {
			t.Errorf("Bearer inconnu + cookie de session sans jeton CSRF : %d, %d jeton(s)", rec.Code, tokens())
		}

		// The right token, in the form field or in the header (htmx): accepted.
		// No cookie is needed besides the session's.
		if rec := secDo(h, http.MethodPost, "/mon-compte/jetons", form(mine.Value), []*http.Cookie{session}); rec.Code != http.StatusOK || tokens() != 1 {
			t.Errorf("jeton dans le champ _csrf : %d, %d jeton(s)", rec.Code, tokens())
		}
		if rec := secDo(h, http.MethodPost, "/mon-compte/jetons", form(""), []*http.Cookie{session}, "X-CSRF-Token: "+mine.Value, "HX-Request: true"); rec.Code != http.StatusOK || tokens() != 2 {
			t.Errorf("jeton dans l'en-tête X-CSRF-Token : %d, %d jeton(s)", rec.Code, tokens())
		}

		// Logging out is a state change too: without the token the session survives.
		if rec := secDo(h, http.MethodPost, "/deconnexion", url.Values{}, []*http.Cookie{session, mine}); rec.Code != http.StatusForbidden {
			t.Errorf("déconnexion sans jeton : %d", rec.Code)
		}
		if ok, _ := secSignedIn(h, session); !ok {
			t.Error("une déconnexion sans jeton CSRF a fermé la session")
		}
		// So is logging in (login CSRF: signing the victim into the attacker's account).
		if rec := secDo(h, http.MethodPost, "/connexion", url.Values{"email": {"csrf@ac-creteil.fr"}, "password": {"une phrase de passe correcte"}}, nil); rec.Code != http.StatusForbidden || secCookie(rec, "pilotage_session") != nil {
			t.Errorf("connexion sans jeton : %d", rec.Code)
		}

		// GET never changes anything: no GET logout, no GET token creation.
		for _, path := range []string{"/deconnexion", "/mon-compte/jetons", "/mon-compte/jetons?nom=x&_csrf=" + url.QueryEscape(mine.Value)} {
			rec := secDo(h, http.MethodGet, path, nil, []*http.Cookie{session, mine})
			if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
				t.Errorf("GET %s : %d, attendu 404 ou 405", path, rec.Code)
			}
		}
		if ok, _ := secSignedIn(h, session); !ok {
			t.Error("GET /deconnexion a fermé la session")
		}
		if n := tokens(); n != 2 {
			t.Errorf("des GET ont créé des jetons : %d", n)
		}
	})
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
