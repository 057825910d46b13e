package app_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// TestBrowserDashboardJourney: on the demonstration, the pilote académique opens the
// académie's dashboard from the home page, follows the conventions « en vigueur » figure
// to the list, which counts as many, and downloads the workbook; the AMIF chooses the 94
// on the fiches' form and downloads one sheet per commune of the 94 after the summary.
// axe-core checks the dashboard and the form.
func TestBrowserDashboardJourney(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().OpenDemo(t)
	password := seeds.DemoPassword
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{Demo: true, DemoPassword: password}))
	defer srv.Close()
	browserStep(t, ctx, "largeur", chromedp.EmulateViewport(1366, 900))
	browserLogin(t, ctx, srv.URL, "le pilote de démonstration", "pilote@"+seeds.DemoDomain, password)
	browserStep(t, ctx, "tableau de bord depuis l'accueil", chromedp.Click(chromedp.ID("lien-tableau-de-bord")),
		chromedp.WaitVisible(chromedp.ID("chiffres-conventions")))
	axeCheck(t, ctx, axe, "/tableau-de-bord", 0)
	figure := `//ul[@id="chiffres-conventions"]//a[contains(., "en vigueur")]`
	value, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(figure+"/strong")))
	if err != nil {
		t.Fatal(err)
	}
	browserStep(t, ctx, "chiffre des conventions en vigueur", chromedp.Click(chromedp.Search(figure)),
		chromedp.WaitVisible(chromedp.CSS(`main p[role="status"]`)))
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main p[role="status"] strong`)))
	if err != nil || strings.TrimSpace(count) != strings.TrimSpace(value) {
		t.Errorf("le tableau de bord dit %q, la liste %q (%v)", value, count, err)
	}
	book := downloadWorkbook(t, ctx, srv, srv.URL+"/tableau-de-bord.xlsx")
	if sheets := book.GetSheetList(); len(sheets) < 3 || sheets[0] != "Synthèse" {
		t.Errorf("classeur du tableau de bord : %v", sheets)
	}
	browserLogout(t, ctx, "le pilote")
	browserLogin(t, ctx, srv.URL, "l'AMIF de démonstration", "amif@"+seeds.DemoDomain, password)
	browserStep(t, ctx, "formulaire des fiches", chromedp.Navigate(srv.URL+"/communes/fiches"),
		chromedp.WaitVisible(chromedp.ID("formulaire-fiches")))
	axeCheck(t, ctx, axe, "/communes/fiches", 0)
	browserStep(t, ctx, "choix du 94", chromedp.SetValue(chromedp.ID("filtre-departement"), "94"))
	action, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const f = document.getElementById("formulaire-fiches");
		return f.action + "?" + new URLSearchParams(new FormData(f)).toString(); })()`))
	if err != nil {
		t.Fatal(err)
	}
	codes := must(s.FicheCodes(t.Context(), models.AcademieScope(), models.FichesFilter{Departement: "94"})) // the AMIF's scope
	fiches := downloadWorkbook(t, ctx, srv, action)
	if sheets := fiches.GetSheetList(); len(sheets) != len(codes)+1 || sheets[0] != "Synthèse" {
		t.Errorf("fiches du 94 : %d feuilles pour %d communes", len(sheets), len(codes))
	}
}
