package app_test

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// TestBrowserChronologie runs axe-core on the timeline of the demonstration against its
// baseline, the cumulative openings, the milestones and the baseline's comparison, signed
// in as the demonstration's administrator.
func TestBrowserChronologie(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Engines()[0].Open(t, true)
	_, password, err := seeds.LoadDemo(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := s.ReferenceChoices(t.Context(), models.AcademieScope())
	if err != nil || len(refs) == 0 {
		t.Fatalf("référence de démonstration : %v", err)
	}
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{Demo: true, DemoPassword: password}))
	defer srv.Close()
	browserStep(t, ctx, "fenêtre", chromedp.EmulateViewport(1366, 900))
	browserLogin(t, ctx, srv.URL, "l'administrateur", "admin@"+seeds.DemoDomain, password)
	for _, path := range []string{"/chronologie?reference=" + refs[0].Value, "/chronologie/ouvertures?reference=" + refs[0].Value,
		"/jalons", "/references/" + refs[0].Value, "/jalons/nouveau"} {
		browserStep(t, ctx, path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("footer")),
			chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second)))
		axeCheck(t, ctx, axe, path, 0)
	}
	browserStep(t, ctx, "ouvertures", chromedp.Navigate(srv.URL+"/chronologie/ouvertures?reference="+refs[0].Value),
		chromedp.WaitVisible(chromedp.ID("ouvertures-svg")))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ouvertures-svg polyline").length`))
	if err != nil || n < 2 {
		t.Fatalf("courbes des ouvertures : %d, %v", n, err)
	}
	browserStep(t, ctx, "chronologie", chromedp.Navigate(srv.URL+"/chronologie?reference="+refs[0].Value),
		chromedp.WaitVisible(chromedp.ID("chrono-svg")))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#chrono-svg g").length`))
	if err != nil || rows < 10 {
		t.Fatalf("lignes de la chronologie : %s, %v", strconv.Itoa(rows), err)
	}
}
