package app_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserPlacesAccessibility runs axe-core on the pages of this work, signed in as the
// demonstration's administrator: a convention's page with every section opened, its annex,
// the confirmation of its termination, the account form with the suggestions of a commune
// open (then the keyboard: arrow down, Enter), the plan form and the circonscriptions.
func TestBrowserPlacesAccessibility(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().OpenDemo(t)
	password := seeds.DemoPassword
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{Demo: true, DemoPassword: password}))
	defer srv.Close()
	conv, err := s.ListConventions(t.Context(), models.AcademieScope(), models.ConventionFilter{Kind: models.ConventionLocale, Statut: models.StatutEnVigueur}, models.PageRequest{Size: 1})
	if err != nil || len(conv.Items) == 0 {
		t.Fatalf("convention de démonstration en vigueur : %v", err)
	}
	id := conv.Items[0].ID
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := retry(func() error { return chromedp.Do(ctx, actions...) }); err != nil {
			t.Fatalf("%s : %v", what, err)
		}
	}
	check := func(what string) {
		t.Helper()
		axeCheck(t, ctx, axe, what, 0)
	}
	open := func(path string) {
		t.Helper()
		step(path, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("footer")),
			chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second)))
	}
	step("connexion", chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(srv.URL+"/connexion"),
		chromedp.WaitVisible(byLabel("Adresse électronique")),
		chromedp.SetValue(byLabel("Adresse électronique"), "admin@"+seeds.DemoDomain),
		chromedp.SetValue(byLabel("Mot de passe"), password),
		chromedp.Click(button("Se connecter")),
		chromedp.WaitVisible(chromedp.ID("mon-perimetre")),
	)
	open(fmt.Sprintf("/conventions/%d", id))
	step("sections ouvertes", runJS(`document.querySelectorAll("details.section").forEach(d => { d.open = true })`))
	check("page d'une convention, sections ouvertes")
	for _, path := range []string{fmt.Sprintf("/conventions/%d/statut/resiliee", id), "/financements/nouveau", "/admin/circonscriptions",
		"/admin/circonscriptions/0940920P"} {
		open(path)
		check(path)
	}
	open("/admin/utilisateurs/nouveau")
	step("rôle référent, puis une commune cherchée par son nom",
		chromedp.SetValue(chromedp.ID("compte-role"), string(models.RoleReferent)),
		chromedp.WaitVisible(chromedp.ID("compte-communes")),
		chromedp.WaitNotPresent(chromedp.ID("compte-departement")),
		chromedp.SendKeys(chromedp.ID("compte-communes"), "saint-"),
		chromedp.WaitVisible(chromedp.Search(`//div[@id="compte-communes-suggestions"]//button[@data-suggestion]`)),
	)
	check("formulaire de compte, suggestions ouvertes")
	step("au clavier : flèche bas deux fois, Entrée",
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="compte-communes-choisis"]/li`)),
	)
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id + "|" + document.getElementById("compte-communes").value + "|" +
		document.querySelectorAll('#compte-communes-choisis input[name="communes"]').length + "|" + document.getElementById("compte-communes-suggestions").childElementCount`))
	if err != nil || state != "compte-communes||1|0" {
		t.Errorf("après le choix au clavier : %q (%v)", state, err)
	}
	check("formulaire de compte, une commune choisie")
}
