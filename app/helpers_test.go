package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
)

// newServer builds the real server, with the real router, on store, and signs its
// requests in as a pilote académique (requests that carry their own session are left alone).
func newServer(t testing.TB, store *models.Store) http.Handler {
	t.Helper()
	h := newAnonymousServer(t, store, app.Config{})
	cookie := signIn(t, store, models.UserInput{Email: "pilote@ac-creteil.fr", Nom: "Pilote Test", Role: models.RolePilote})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("pilotage_session"); err != nil && r.Header.Get("Authorization") == "" {
			r.AddCookie(&http.Cookie{Name: "pilotage_session", Value: strings.TrimPrefix(cookie, "pilotage_session=")})
		}
		h.ServeHTTP(w, r)
	})
}

// newAnonymousServer builds the real server with cfg; requests are sent as they are.
func newAnonymousServer(t testing.TB, store *models.Store, cfg app.Config) http.Handler {
	t.Helper()
	v := app.SharedViews(t)
	cfg.Addr = "127.0.0.1:0"
	if cfg.LoginRate == 0 {
		cfg.LoginRate = 1000
	}
	return app.New(cfg, store, v, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
}

// signIn creates an account and a session for it, and returns the Cookie header value.
func signIn(t testing.TB, store *models.Store, in models.UserInput) string {
	t.Helper()
	ctx := context.Background()
	u, err := store.FindUserByEmail(ctx, in.Email)
	if err != nil {
		if u, err = store.CreateUser(ctx, models.SystemActor("test"), in); err != nil {
			t.Fatal(err)
		}
	}
	token, err := store.CreateSession(ctx, u.ID, "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return "pilotage_session=" + token
}

// get sends a GET through the router; headers are "Name: value" strings.
func get(t testing.TB, h http.Handler, url string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, withHeaders(httptest.NewRequest(http.MethodGet, url, nil), headers...))
	return rec
}

// getOK sends a GET and checks it answers 200 with the header name starting with prefix;
// ok is false when the status is not 200 (the test then skips the response).
func getOK(t testing.TB, h http.Handler, url, name, prefix string) (rec *httptest.ResponseRecorder, ok bool) {
	t.Helper()
	rec = get(t, h, url)
	if rec.Code != http.StatusOK {
		t.Errorf("%s : statut %d", url, rec.Code)
		return rec, false
	}
	if v := rec.Header().Get(name); !strings.HasPrefix(v, prefix) {
		t.Errorf("%s : %s %q", url, name, v)
	}
	return rec, true
}

// withFields sets on the form f the pairs of kv (name, value, name, value…) and returns it.
func withFields(f url.Values, kv ...string) url.Values {
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// htmxRequest is the request htmx sends to refresh a list's results.
func htmxRequest(path string) *http.Request {
	return withHeaders(httptest.NewRequest(http.MethodGet, path, nil), "HX-Request: true", "HX-Target: resultats")
}

// withHeaders sets the headers, "Name: value" strings, on req and returns it.
func withHeaders(req *http.Request, headers ...string) *http.Request {
	for _, hd := range headers {
		k, v, _ := strings.Cut(hd, ": ")
		req.Header.Set(k, v)
	}
	return req
}

// doc parses an HTML response.
func doc(t testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rows counts the body rows of the page's first table of results.
func rows(d *goquery.Document, table string) int {
	return d.Find(table + " tbody tr").Length()
}
