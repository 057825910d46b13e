package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/chromedp/chromedp"
)

// checkRolloutPages runs axe-core, in TestBrowserAccessibility (signed in as the
// demonstration's administrator, whose data it loaded once), on the rollout's pages: the
// timeline against the demonstration's baseline, the cumulative openings, the milestones,
// the baseline's comparison, the deployments and their progress, the waves and the
// candidatures; and checks that the two charts are drawn.
func checkRolloutPages(t *testing.T, ctx context.Context, axe, base string, s *models.Store) {
	t.Helper()
	refs, err := s.ReferenceChoices(t.Context(), models.AcademieScope())
	if err != nil || len(refs) == 0 {
		t.Fatalf("référence de démonstration : %v", err)
	}
	ref := refs[0].Value
	for _, path := range []string{"/chronologie?reference=" + ref, "/chronologie/ouvertures?reference=" + ref,
		"/jalons", "/references/" + ref, "/jalons/nouveau", "/deploiements/avancement", "/vagues", "/campagnes", "/candidatures"} {
		browserStep(t, ctx, path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("footer")),
			chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second)))
		axeCheck(t, ctx, axe, path, 0)
	}
	browserStep(t, ctx, "ouvertures", chromedp.Navigate(base+"/chronologie/ouvertures?reference="+ref),
		chromedp.WaitVisible(chromedp.ID("ouvertures-svg")))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ouvertures-svg polyline").length`))
	if err != nil || n < 2 {
		t.Fatalf("courbes des ouvertures : %d, %v", n, err)
	}
	browserStep(t, ctx, "chronologie", chromedp.Navigate(base+"/chronologie?reference="+ref),
		chromedp.WaitVisible(chromedp.ID("chrono-svg")))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#chrono-svg g").length`))
	if err != nil || rows < 10 {
		t.Fatalf("lignes de la chronologie : %s, %v", strconv.Itoa(rows), err)
	}
}
