package app_test

// The page to go back to after sign-in (?suite=) can never lead to another site (issue 9).

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// trickyNext are values of ?suite= that a browser would take for another site, once it has
// dropped tabs and newlines, trimmed spaces and read backslashes as slashes, or that are not
// local paths at all. Each is given as the raw value (the form field) the server receives.
var trickyNext = []string{
	"/\t/evil.example/phish",
	"/\t\\evil.example",
	"/\n/evil.example",
	"/\r\n/evil.example",
	"\t//evil.example",
	" //evil.example",
	"//evil.example",
	"///evil.example",
	"/\\evil.example",
	"\\/evil.example",
	"\\\\evil.example",
	"/\\/evil.example",
	"https://evil.example/",
	"http:/evil.example",
	"javascript:alert(1)",
	"evil.example",
	"%2F%2Fevil.example",    // double-encoded in the URL (%252F%252F)
	"/%2F%2Fevil.example",   // a browser keeps it on the site, but a path that decodes to // is refused all the same
	"/%09/evil.example\x00", // a NUL at the end
	"/connexion?suite=//evil.example",
	"",
}

// safeNextKept are local paths that are kept as they are.
var safeNextKept = []string{
	"/conventions?departement=93&statut=en_vigueur",
	"/communes/93008#ecoles",
	"/%09/evil.example",
}

// TestLoginNextIsLocal: whatever ?suite= says, the login page's hidden field and the
// redirect after a real sign-in lead to a local path of this site: "/" for every tricky
// value, the path itself for the local ones.
func TestLoginNextIsLocal(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{})
		secUser(t, s, models.UserInput{Email: "suite@ac-creteil.fr"}, "une phrase de passe correcte")
		check := func(next, want string) {
			t.Helper()
			// The login page, asked with ?suite= encoded once, and twice.
			for _, query := range []string{url.QueryEscape(next), url.QueryEscape(url.QueryEscape(next))} {
				rec := secDo(h, http.MethodGet, "/connexion?suite="+query, nil, nil)
				field, _ := doc(t, rec).Find(`input[name="suite"]`).Attr("value")
				if field != "/" && field != next {
					t.Errorf("GET /connexion?suite=%s : champ suite %q", query, field)
				}
				if strings.Contains(field, "evil") && want == "/" {
					t.Errorf("GET /connexion?suite=%s : champ suite %q", query, field)
				}
			}
			// The form posted with the raw value.
			csrf := secCSRF(t, h, "/connexion")
			form := url.Values{"_csrf": {csrf.Value}, "email": {"suite@ac-creteil.fr"},
				"password": {"une phrase de passe correcte"}, "suite": {next}}
			rec := secDo(h, http.MethodPost, "/connexion", form, []*http.Cookie{csrf})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
				t.Errorf("suite %q : %d vers %q, attendu %q", next, rec.Code, rec.Header().Get("Location"), want)
			}
		}
		for _, next := range trickyNext {
			check(next, "/")
		}
		for _, next := range safeNextKept {
			check(next, next)
		}
	})
}

// TestBrowserLoginNextStaysOnSite: in a real browser, signing in from /connexion?suite=…
// with each tricky value ends on this site.
func TestBrowserLoginNextStaysOnSite(t *testing.T) {
	s := dbtest.Quickest().Open(t, true) // the redirect does not depend on the engine
	secUser(t, s, models.UserInput{Email: "navigateur@ac-creteil.fr"}, "une phrase de passe correcte")
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
	defer srv.Close()
	ctx := browser(t)
	site, _ := url.Parse(srv.URL)
	queries := []string{}
	for _, next := range trickyNext {
		queries = append(queries, url.QueryEscape(next), url.QueryEscape(url.QueryEscape(next)))
	}
	// Forms a browser sends as they are typed in the address bar.
	queries = append(queries, "/%09/evil.example/phish", "/%09%5Cevil.example", "%2F%2Fevil.example", "%5C%2Fevil.example",
		"/%5Cevil.example", "%252F%252Fevil.example")
	for _, q := range queries {
		if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/connexion?suite="+q),
			chromedp.WaitVisible(chromedp.ID("connexion-email")),
			chromedp.SetValue(chromedp.ID("connexion-email"), "navigateur@ac-creteil.fr"),
			chromedp.SetValue(chromedp.ID("connexion-mot-de-passe"), "une phrase de passe correcte"),
			chromedp.Click(button("Se connecter")),
		)
		if err != nil {
			t.Fatalf("suite=%s : %v", q, err)
		}
		// Wait until the browser has left the login page (the form posts to /connexion).
		var location string
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if location, err = chromedp.Run(ctx, chromedp.Location()); err != nil {
				t.Fatalf("suite=%s : %v", q, err)
			}
			if !strings.Contains(location, "/connexion") {
				break
			}
		}
		u, err := url.Parse(location)
		if err != nil || u.Host != site.Host || strings.Contains(location, "evil") {
			t.Errorf("suite=%s : le navigateur est arrivé sur %q", q, location)
		}
	}
}
