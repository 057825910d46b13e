package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// axeScript is axe-core (npm devDependency), which checks a rendered page against WCAG
// rules in the browser.
const axeScript = "../node_modules/axe-core/axe.min.js"

// readAxe returns axe-core's source, or skips the test without it (fails instead when
// PILOTAGE_REQUIRE_BROWSER=1, as in CI, where `make vendor` installs it).
func readAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axeScript)
	if err != nil {
		if os.Getenv("PILOTAGE_REQUIRE_BROWSER") == "1" {
			t.Fatalf("axe-core introuvable alors que PILOTAGE_REQUIRE_BROWSER=1 (make vendor) : %v", err)
		}
		t.Skipf("axe-core introuvable (%v) : contrôle d'accessibilité ignoré (make vendor l'installe)", err)
	}
	return string(b)
}

// axeViolation is one rule axe-core finds broken, with the elements that break it.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// TestBrowserAccessibility opens the demonstration's pages signed in as its administrator
// (banner, full menu), at 1366 pixels wide, where axe-core finds no violation on each, and
// at 1366 and 1024 pixels, where no page scrolls horizontally. The menu is checked opened too, and the
// legal pages signed out as well; then the rollout's pages (checkRolloutPages).
func TestBrowserAccessibility(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().OpenDemo(t) // markup does not depend on the database engine
	password := seeds.DemoPassword
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{Demo: true, DemoPassword: password}))
	defer srv.Close()
	meeting := demoMeetingWithDecisions(t, s)

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browserStep(t, ctx, what, actions...)
	}
	check := func(what string, width int64) {
		t.Helper()
		axeCheck(t, ctx, axe, what, width)
	}
	// open loads a page and waits for the DSFR scripts to have set it up.
	open := func(path string) {
		t.Helper()
		step(path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("footer")),
			chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second)))
	}

	legal := []string{"/accessibilite", "/mentions-legales", "/donnees-personnelles"}
	pages := append([]string{"/", "/communes", "/ecoles", "/organisations", "/instances", "/reunions",
		fmt.Sprintf("/reunions/%d", meeting), "/decisions", "/actions", "/conventions", "/financements", "/admin/journal",
		"/tableau-de-bord", "/tableau-de-bord/93", "/communes/93008/fiche", "/communes/fiches"}, legal...)
	for _, width := range []int64{1366, 1024} {
		step("largeur", chromedp.EmulateViewport(width, 900))
		for _, path := range legal {
			open(path)
			check(path+" (sans connexion)", width)
		}
		if width == 1366 {
			browserLogin(t, ctx, srv.URL, "l'administrateur de démonstration", "admin@"+seeds.DemoDomain, password)
		}
		for _, path := range pages {
			open(path)
			check(path, width)
		}
		// The main menu, opened: its "Gouvernance" group lists the meetings.
		open("/")
		step("ouverture du menu Gouvernance",
			chromedp.Click(chromedp.Search(`//nav[@id="menu-principal"]//button[normalize-space(.)="Gouvernance"]`)),
			chromedp.WaitVisible(chromedp.Search(`//div[@id="menu-gouvernance"]//a[@href="/reunions"]`)),
		)
		check("/ (menu Gouvernance ouvert)", width)
	}
	checkRolloutPages(t, ctx, axe, srv.URL, s)
}

// axeCheck runs axe-core on the page as it is and measures its width: no violation, and
// no horizontal scroll at the window's width (width 0: the width is not checked). Below
// 1366 pixels only the width is checked: the markup is the same, and axe-core takes seconds
// a page under the race detector.
func axeCheck(t *testing.T, ctx context.Context, axe, what string, width int64) {
	t.Helper()
	if width != 0 && width < 1366 {
		widthCheck(t, ctx, what, width)
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("%s : chargement d'axe-core : %v", what, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s : axe-core : %v", what, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(res), &violations); err != nil {
		t.Fatal(err)
	}
	where := what
	if width > 0 {
		where = fmt.Sprintf("%s à %d px", what, width)
	}
	for _, v := range violations {
		t.Errorf("%s : %s (%s) %s, sur %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " ; "))
	}
	if width != 0 {
		widthCheck(t, ctx, what, width)
	}
}

// widthCheck checks that the page does not scroll horizontally at the window's width.
// The page is measured again for up to two seconds: the DSFR scripts wrap wide tables in
// their scrolling frame after the page has loaded.
func widthCheck(t *testing.T, ctx context.Context, what string, width int64) {
	t.Helper()
	var w []int
	for try := 0; try < 20; try++ {
		var err error
		w, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
		if err != nil {
			t.Fatal(err)
		}
		if w[0] <= w[1] {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	if w[0] > w[1] {
		t.Errorf("%s à %d px : défilement horizontal (largeur %d pour %d visibles)", what, width, w[0], w[1])
	}
}

// demoMeetingWithDecisions returns a meeting of the demonstration where decisions were taken.
func demoMeetingWithDecisions(t *testing.T, s *models.Store) int64 {
	t.Helper()
	page, err := s.ListDecisions(t.Context(), models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{Size: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("aucune décision de démonstration (%v)", err)
	}
	return page.Items[0].ReunionID
}
