package app_test

// Sessions through the HTTP layer, with the Store's fake clock: idle and absolute limits
// (default and configured), and the attributes of the cookies over HTTP and HTTPS.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
)

// secExpectSignedIn checks that a session opens the home page, or is sent to /connexion.
func secExpectSignedIn(t *testing.T, h http.Handler, session *http.Cookie, want bool, when string) {
	t.Helper()
	ok, rec := secSignedIn(h, session)
	switch {
	case want && !ok:
		t.Errorf("%s : session refusée (%d vers %q)", when, rec.Code, rec.Header().Get("Location"))
	case !want && ok:
		t.Errorf("%s : session encore acceptée", when)
	case !want && (rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/connexion")):
		t.Errorf("%s : %d vers %q, attendu 303 vers /connexion", when, rec.Code, rec.Header().Get("Location"))
	case !want:
		if c := secCookie(rec, "pilotage_session"); c == nil || c.MaxAge >= 0 {
			t.Errorf("%s : le cookie de la session expirée n'est pas effacé", when)
		}
	}
}

// TestSessionIdleTimeout: 29 minutes without a request → accepted, and the request
// refreshes the session (29 more minutes are fine); 31 minutes → rejected, for good.
func TestSessionIdleTimeout(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{})
		u := secUser(t, s, models.UserInput{Email: "inactif@ac-creteil.fr"}, "")
		session := secSession(t, s, u.ID)
		clock.Advance(29 * time.Minute)
		secExpectSignedIn(t, h, session, true, "après 29 min")
		clock.Advance(29 * time.Minute) // 58 min after login, 29 after the last request
		secExpectSignedIn(t, h, session, true, "29 min après la dernière requête")
		clock.Advance(31 * time.Minute)
		secExpectSignedIn(t, h, session, false, "31 min sans requête")
		clock.Advance(-31 * time.Minute) // the session was deleted, not only refused
		secExpectSignedIn(t, h, session, false, "après expiration, horloge reculée")

		// The API applies the same rule.
		api := secSession(t, s, u.ID)
		clock.Advance(31 * time.Minute)
		if rec := secDo(h, http.MethodGet, "/api/v1/departements", nil, []*http.Cookie{api}); rec.Code != http.StatusUnauthorized {
			t.Errorf("API, session inactive depuis 31 min : %d", rec.Code)
		}
	})
}

// TestSessionAbsoluteTimeout: a request every 20 minutes keeps the session alive, but not
// past 12 hours after login.
func TestSessionAbsoluteTimeout(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{})
		u := secUser(t, s, models.UserInput{Email: "assidu@ac-creteil.fr"}, "")
		session := secSession(t, s, u.ID)
		elapsed := time.Duration(0)
		for elapsed+20*time.Minute < 12*time.Hour {
			clock.Advance(20 * time.Minute)
			elapsed += 20 * time.Minute
			if ok, rec := secSignedIn(h, session); !ok {
				t.Fatalf("après %v d'activité : refusée (%d)", elapsed, rec.Code)
			}
		}
		clock.Advance(12*time.Hour - elapsed + time.Minute)
		secExpectSignedIn(t, h, session, false, "12 h 01 après la connexion, malgré l'activité")
	})
}

// TestSessionLimitsConfigurable: app.Config.Sessions changes both limits.
func TestSessionLimitsConfigurable(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		h := newAnonymousServer(t, s, app.Config{Sessions: models.SessionLimits{Idle: 5 * time.Minute, Absolute: time.Hour}})
		u := secUser(t, s, models.UserInput{Email: "court@ac-creteil.fr"}, "")

		idle := secSession(t, s, u.ID)
		clock.Advance(4 * time.Minute)
		secExpectSignedIn(t, h, idle, true, "4 min (limite 5 min)")
		clock.Advance(6 * time.Minute)
		secExpectSignedIn(t, h, idle, false, "6 min sans requête (limite 5 min)")

		absolute := secSession(t, s, u.ID)
		for range 14 { // 56 minutes
			clock.Advance(4 * time.Minute)
			secExpectSignedIn(t, h, absolute, true, "activité régulière avant 1 h")
		}
		clock.Advance(5 * time.Minute) // 61 minutes
		secExpectSignedIn(t, h, absolute, false, "61 min après la connexion (limite 1 h)")
	})
}

// TestSessionCookieAttributes: over HTTP the session cookie is HttpOnly, SameSite=Lax,
// Path=/ and not Secure (local development). With an https:// base URL it is named
// __Host-pilotage_session, Secure, without Domain, and the responses carry HSTS; the CSRF
// cookie follows the same rules.
func TestSessionCookieAttributes(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		secUser(t, s, models.UserInput{Email: "cookie@ac-creteil.fr"}, cookiePassword)
		t.Run("http", func(t *testing.T) { cookiesOverHTTP(t, s) })
		t.Run("https", func(t *testing.T) { cookiesOverHTTPS(t, s) })
	})
}

// cookiePassword is the password of the account of TestSessionCookieAttributes.
const cookiePassword = "une phrase de passe correcte"

// checkSessionCookie checks the cookie c named name is set, HttpOnly, SameSite=Lax, on
// Path=/ without Domain, and Secure as secure says.
func checkSessionCookie(t *testing.T, c *http.Cookie, name string, secure bool) {
	t.Helper()
	switch {
	case c == nil:
		t.Errorf("pas de cookie %s", name)
	case c.Value == "":
		t.Errorf("%s vide", name)
	case !c.HttpOnly:
		t.Errorf("%s sans HttpOnly", name)
	case c.SameSite != http.SameSiteLaxMode:
		t.Errorf("%s : SameSite=%v, attendu Lax", name, c.SameSite)
	case c.Path != "/":
		t.Errorf("%s : Path=%q", name, c.Path)
	case c.Domain != "":
		t.Errorf("%s : Domain=%q", name, c.Domain)
	case c.Secure != secure:
		t.Errorf("%s : Secure=%v, attendu %v", name, c.Secure, secure)
	}
}

// cookiesOverHTTP checks the cookies over HTTP (local development): not Secure, no HSTS.
func cookiesOverHTTP(t *testing.T, s *models.Store) {
	h := newAnonymousServer(t, s, app.Config{BaseURL: "http://localhost:8080"})
	page := secDo(h, http.MethodGet, "/connexion", nil, nil)
	csrf := secCookie(page, "pilotage_csrf")
	checkSessionCookie(t, csrf, "pilotage_csrf", false)
	if csrf == nil {
		return
	}
	rec := secDo(h, http.MethodPost, "/connexion", url.Values{"_csrf": {csrf.Value}, "email": {"cookie@ac-creteil.fr"},
		"password": {cookiePassword}}, []*http.Cookie{{Name: csrf.Name, Value: csrf.Value}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("connexion : %d", rec.Code)
	}
	checkSessionCookie(t, secCookie(rec, "pilotage_session"), "pilotage_session", false)
	if hsts := rec.Header().Get("Strict-Transport-Security"); hsts != "" {
		t.Errorf("HSTS en HTTP : %q", hsts)
	}
}

// cookiesOverHTTPS checks the cookies with an https:// base URL: named __Host-, Secure,
// the prefixed one read back, and HSTS on every response.
func cookiesOverHTTPS(t *testing.T, s *models.Store) {
	// As behind the TLS reverse proxy of a deployment: the proxy runs on the same
	// host and says X-Forwarded-Proto: https. (echo believes that header only from a
	// loopback or private peer; see the report about HSTS behind other proxies.)
	server := newAnonymousServer(t, s, app.Config{BaseURL: "https://pilotage.example.fr"})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = "127.0.0.1:44321"
		server.ServeHTTP(w, r)
	})
	proxy := "X-Forwarded-Proto: https"
	page := secDo(h, http.MethodGet, "/connexion", nil, nil, proxy)
	if secCookie(page, "pilotage_csrf") != nil {
		t.Error("cookie pilotage_csrf sans préfixe __Host- en HTTPS")
	}
	csrf := secCookie(page, "__Host-pilotage_csrf")
	checkSessionCookie(t, csrf, "__Host-pilotage_csrf", true)
	if csrf == nil {
		return
	}
	if hsts := page.Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("page de connexion en HTTPS sans HSTS : %q", hsts)
	}
	rec := secDo(h, http.MethodPost, "/connexion", url.Values{"_csrf": {csrf.Value}, "email": {"cookie@ac-creteil.fr"},
		"password": {cookiePassword}}, []*http.Cookie{{Name: csrf.Name, Value: csrf.Value}}, proxy)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("connexion : %d", rec.Code)
	}
	if secCookie(rec, "pilotage_session") != nil {
		t.Error("cookie pilotage_session sans préfixe __Host- en HTTPS")
	}
	session := secCookie(rec, "__Host-pilotage_session")
	checkSessionCookie(t, session, "__Host-pilotage_session", true)
	if hsts := rec.Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("réponse de connexion en HTTPS sans HSTS : %q", hsts)
	}
	if session == nil {
		return
	}
	// The prefixed cookie is the one read back; the unprefixed name is ignored.
	home := secDo(h, http.MethodGet, "/mon-compte", nil, []*http.Cookie{{Name: session.Name, Value: session.Value}}, proxy)
	if home.Code != http.StatusOK {
		t.Errorf("page signée avec __Host-pilotage_session : %d", home.Code)
	}
	if hsts := home.Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("page signée en HTTPS sans HSTS : %q", hsts)
	}
	plain := secDo(h, http.MethodGet, "/mon-compte", nil, []*http.Cookie{{Name: "pilotage_session", Value: session.Value}}, proxy)
	if plain.Code != http.StatusSeeOther {
		t.Errorf("cookie sans préfixe accepté en HTTPS : %d", plain.Code)
	}
}
