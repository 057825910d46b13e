package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views"
)

// newServer builds the real server, with the real router, on store.
func newServer(t testing.TB, store *models.Store) http.Handler {
	t.Helper()
	v, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	return app.New(app.Config{Addr: "127.0.0.1:0"}, store, v, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
}

// get sends a GET through the router; headers are "Name: value" strings.
func get(t testing.TB, h http.Handler, url string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for _, hd := range headers {
		k, v, _ := strings.Cut(hd, ": ")
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
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
