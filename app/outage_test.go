package app_test

// Database outages (security issue "a database outage must not log everyone out nor lie
// about readiness"): a database that cannot serve or write gives 503 with the outage page,
// never a 500 nor a cleared session cookie, and /readyz says why it is not ready.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// outageTitle is the title of the page a database outage shows (app/errors.go, classify).
const outageTitle = "Service momentanément indisponible"

// outageEngines runs fn once per engine, as a subtest; the tests open their databases themselves.
func outageEngines(t *testing.T, fn func(t *testing.T, e dbtest.Engine)) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

// checkOutage asserts a 503 with the outage page, and that the response leaves the session
// cookie alone: an outage says nothing about the session, which must work again afterwards.
func checkOutage(t *testing.T, rec *httptest.ResponseRecorder, what string) {
	t.Helper()
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("%s : statut %d, attendu 503", what, rec.Code)
	}
	if body := rec.Body.String(); !strings.Contains(body, outageTitle) {
		t.Errorf("%s : pas la page « %s »", what, outageTitle)
	} else if strings.Contains(body, "Erreur interne") {
		t.Errorf("%s : la page parle d'une erreur interne", what)
	}
	checkSessionKept(t, rec, what)
}

// checkSessionKept asserts that a response sets no session cookie (none cleared, none replaced).
func checkSessionKept(t *testing.T, rec *httptest.ResponseRecorder, what string) {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == "pilotage_session" {
			t.Errorf("%s : Set-Cookie %q (Max-Age %d) : la session ne doit pas être touchée", what, c.Value, c.MaxAge)
		}
	}
}

// checkReady asserts the status and body of /readyz.
func checkReady(t *testing.T, h http.Handler, status int, body string) {
	t.Helper()
	rec := get(t, h, "/readyz")
	if rec.Code != status || strings.TrimSpace(rec.Body.String()) != body {
		t.Errorf("/readyz : %d %q, attendu %d %q", rec.Code, rec.Body.String(), status, body)
	}
}

// outageCSRF returns the CSRF token of the form on page, as the session cookie sees it.
func outageCSRF(t *testing.T, h http.Handler, page string, session *http.Cookie) string {
	t.Helper()
	rec := secDo(h, http.MethodGet, page, nil, []*http.Cookie{session})
	token := doc(t, rec).Find(`input[name="_csrf"]`).AttrOr("value", "")
	if rec.Code != http.StatusOK || token == "" {
		t.Fatalf("GET %s : statut %d, jeton CSRF %q", page, rec.Code, token)
	}
	return token
}

// orgPost posts a valid new organisation with the session and its CSRF token.
func orgPost(h http.Handler, session *http.Cookie, token string) *httptest.ResponseRecorder {
	form := url.Values{"_csrf": {token}, "type": {models.OrgAutre}, "nom": {"Association pendant la panne"}}
	return secDo(h, http.MethodPost, "/organisations", form, []*http.Cookie{session})
}

// tcpProxy forwards TCP connections to a server; cut makes the server unreachable (the
// listener is closed and every open connection dropped, as when the network or the server
// goes away) and restore makes it reachable again at the same address.
type tcpProxy struct {
	t      testing.TB
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func startProxy(t testing.TB, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{t: t, target: target, conns: map[net.Conn]struct{}{}}
	p.listen("127.0.0.1:0")
	t.Cleanup(func() {
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *tcpProxy) listen(addr string) {
	p.t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(client)
			}()
		}
	}()
}

// forward copies both ways between a client and a new connection to the target.
func (p *tcpProxy) forward(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client, server) {
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		_ = dst.Close()
		_ = src.Close()
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

// track records the connections of a forward; false (and both closed) once the proxy is cut.
func (p *tcpProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
}

func (p *tcpProxy) restore() {
	p.t.Helper()
	p.listen(p.addr)
}

// TestOutageConnectionLost: PostgreSQL becomes unreachable (a proxy between the Store and the
// server is cut) and comes back. Meanwhile pages and forms give 503 with the outage page,
// /readyz 503, and no response clears the session cookie; afterwards the same cookie opens
// the home page again and /readyz is 200. SQLite has no server to lose: its outages are the
// read-only and empty-database cases below.
func TestOutageConnectionLost(t *testing.T) {
	outageEngines(t, func(t *testing.T, e dbtest.Engine) {
		if e.Name != "postgres" {
			t.Skip("SQLite n'a pas de serveur à couper : voir TestOutageReadOnly et TestOutageEmptyDatabase")
		}
		u, err := url.Parse(e.URL(t, true))
		if err != nil {
			t.Fatal(err)
		}
		proxy := startProxy(t, u.Host)
		u.Host = proxy.addr
		s, err := models.Open(context.Background(), u.String(), models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		h := newAnonymousServer(t, s, app.Config{})
		user := secUser(t, s, models.UserInput{Email: "panne@ac-creteil.fr"}, "une phrase de passe correcte")
		session := secSession(t, s, user.ID)
		if ok, rec := secSignedIn(h, session); !ok {
			t.Fatalf("avant la panne : / %d", rec.Code)
		}
		checkReady(t, h, http.StatusOK, "ok")
		token := outageCSRF(t, h, "/organisations/nouveau", session)
		loginCSRF := secCSRF(t, h, "/connexion")

		proxy.cut()
		checkReady(t, h, http.StatusServiceUnavailable, "base de données indisponible")
		for _, page := range []string{"/", "/communes", "/organisations/nouveau"} {
			checkOutage(t, secDo(h, http.MethodGet, page, nil, []*http.Cookie{session}), "GET "+page+" pendant la panne")
		}
		checkOutage(t, orgPost(h, session, token), "POST /organisations pendant la panne")
		form := url.Values{"_csrf": {loginCSRF.Value}, "email": {user.Email}, "password": {"une phrase de passe correcte"}}
		checkOutage(t, secDo(h, http.MethodPost, "/connexion", form, []*http.Cookie{loginCSRF}), "POST /connexion pendant la panne")

		proxy.restore()
		if ok, rec := secSignedIn(h, session); !ok {
			t.Errorf("après la panne, la même session n'ouvre plus / : %d", rec.Code)
		}
		checkReady(t, h, http.StatusOK, "ok")
		if rec := orgPost(h, session, token); rec.Code != http.StatusSeeOther {
			t.Errorf("POST /organisations après la panne : %d", rec.Code)
		}
	})
}

// TestOutageReadOnly: the database answers reads but refuses writes. /readyz is 503, writes
// (a form, a sign-in) give 503 with the outage page instead of a 500, reads still work, and
// the session is kept.
func TestOutageReadOnly(t *testing.T) {
	outageEngines(t, func(t *testing.T, e dbtest.Engine) {
		dbURL := e.URL(t, true)
		ctx := context.Background()
		rw, err := models.Open(ctx, dbURL, models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		user := secUser(t, rw, models.UserInput{Email: "lecture@ac-creteil.fr"}, "une phrase de passe correcte")
		session := secSession(t, rw, user.ID)
		if err := rw.Close(); err != nil {
			t.Fatal(err)
		}
		s, err := models.Open(ctx, dbtest.ReadOnlyURL(dbURL), models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Ready(ctx); !errors.Is(err, models.ErrReadOnly) || !models.IsUnavailable(err) {
			t.Errorf("Ready : %v, attendu ErrReadOnly", err)
		}
		h := newAnonymousServer(t, s, app.Config{})

		checkReady(t, h, http.StatusServiceUnavailable, "base de données en lecture seule")
		for _, page := range []string{"/", "/communes", "/communes/93008"} {
			rec := secDo(h, http.MethodGet, page, nil, []*http.Cookie{session})
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s en lecture seule : %d, attendu 200", page, rec.Code)
			}
			checkSessionKept(t, rec, "GET "+page)
		}
		token := outageCSRF(t, h, "/organisations/nouveau", session)
		checkOutage(t, orgPost(h, session, token), "POST /organisations en lecture seule")
		checkOutage(t, secLogin(t, h, user.Email, "une phrase de passe correcte", nil), "POST /connexion en lecture seule")
		if ok, rec := secSignedIn(h, session); !ok {
			t.Errorf("après les écritures refusées, la session n'ouvre plus / : %d", rec.Code)
		}
	})
}

// TestOutageEmptyDatabase: the database was recreated empty (no migration applied). /readyz
// is 503 because the schema is missing, pages and sign-ins give 503 rather than 500, and a
// session cookie is not cleared since nothing says the session is invalid. Once migrated,
// /readyz is 200.
func TestOutageEmptyDatabase(t *testing.T) {
	outageEngines(t, func(t *testing.T, e dbtest.Engine) {
		ctx := context.Background()
		s, err := models.Open(ctx, e.URL(t, false), models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Ready(ctx); !errors.Is(err, models.ErrNotMigrated) {
			t.Errorf("Ready : %v, attendu ErrNotMigrated", err)
		}
		h := newAnonymousServer(t, s, app.Config{})

		checkReady(t, h, http.StatusServiceUnavailable, "schéma de la base non migré")
		session := &http.Cookie{Name: "pilotage_session", Value: "jeton-d-une-session-d-avant-la-restauration"}
		for _, page := range []string{"/", "/communes"} {
			checkOutage(t, secDo(h, http.MethodGet, page, nil, []*http.Cookie{session}), "GET "+page+" sans schéma")
		}
		checkOutage(t, secLogin(t, h, "personne@ac-creteil.fr", "une phrase de passe correcte", nil), "POST /connexion sans schéma")

		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		checkReady(t, h, http.StatusOK, "ok")
	})
}
