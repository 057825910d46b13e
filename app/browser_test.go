package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// chromium finds a Chromium for the browser tests. Without one they skip, unless
// PILOTAGE_REQUIRE_BROWSER=1 (set by CI), which turns the skip into a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("PILOTAGE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("PILOTAGE_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium introuvable alors que PILOTAGE_REQUIRE_BROWSER=1 : installez le paquet « chromium »")
	}
	t.Skip("Chromium introuvable : test navigateur ignoré (installez le paquet « chromium » pour le lancer)")
	return ""
}

// browser starts a headless Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// A whole journey under the race detector on a loaded machine takes minutes: the
	// demonstration loads within this deadline, and make test runs the browser tests next to
	// the other test processes.
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// TestBrowserCommunesJourney: open the communes list, filter on 93 (the table updates in
// place), see 39 communes, open Bobigny, see its écoles.
func TestBrowserCommunesJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		srv := httptest.NewServer(newServer(t, s))
		defer srv.Close()
		ctx := browser(t)
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/communes"),
			chromedp.WaitVisible(chromedp.CSS("#filtre-departement")),
			// SetValue dispatches "input" and "change": htmx updates the table once.
			chromedp.SetValue(chromedp.CSS("#filtre-departement"), "93"),
			chromedp.WaitVisible(chromedp.Search(`//p[@role="status"][contains(., "39 résultats")]`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		// DSFR's scripts rework the swapped table a moment after htmx: read once it settles.
		var count string
		err = retry(func() error {
			var err error
			count, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#resultats p[role=status]")))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		url, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		err = retry(func() error { return chromedp.Do(ctx, chromedp.Click(chromedp.Search(`//a[text()="Bobigny"]`))) })
		if err == nil {
			err = retry(func() error { return chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#tableau-ecoles-commune"))) })
		}
		if err != nil {
			t.Fatal(err)
		}
		title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
		if err != nil {
			t.Fatal(err)
		}
		ecoles, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tableau-ecoles-commune tbody tr").length`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(count, "39") {
			t.Errorf("décompte %q", count)
		}
		if !strings.Contains(url, "departement=93") {
			t.Errorf("l'adresse ne reflète pas le filtre : %s", url)
		}
		if !strings.Contains(title, "Bobigny") || ecoles < 10 {
			t.Errorf("page %q avec %d écoles", title, ecoles)
		}
	})
}

// retry runs a browser step again while the page's scripts are still replacing the nodes it
// found ("No node with given id", "Could not find node with given id"), a few times, 200 ms
// apart.
func retry(step func() error) error {
	var err error
	for range 5 {
		if err = step(); err == nil || !(strings.Contains(err.Error(), "No node") || strings.Contains(err.Error(), "find node")) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return err
}

// downloadWorkbook downloads href with the browser's session cookies, as a click on the
// download link would, and opens the Excel workbook it must be.
func downloadWorkbook(t *testing.T, ctx context.Context, srv *httptest.Server, href string) *excelize.File {
	t.Helper()
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{srv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, href, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export : %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	book, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatalf("classeur illisible : %v", err)
	}
	t.Cleanup(func() { book.Close() })
	return book
}
