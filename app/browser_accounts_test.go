package app_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/chromedp/chromedp"
)

// byLabel selects the form control of the page's main content whose label starts with
// label (the accessible name a user reads), whatever its id.
func byLabel(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//*[(self::input or self::select or self::textarea) and @id=//main//label[starts-with(normalize-space(.), %q)]/@for]`, label))
}

// button selects a button of the main content by its text.
func button(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//button[contains(normalize-space(.), %q)]`, text))
}

// browserStep runs a step of a browser journey (again while the page's scripts replace the
// nodes it found), and stops the test on failure with the page and title the browser shows.
func browserStep(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	err := retry(func() error { return chromedp.Do(ctx, actions...) })
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		h1, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("h1") || {}).textContent || ""`))
		t.Fatalf("%s : %v (page %s, titre %q)", what, err, loc, strings.TrimSpace(h1))
	}
}

// browserLogin signs who in through the login form of the server at base.
func browserLogin(t *testing.T, ctx context.Context, base, who, email, password string) {
	t.Helper()
	browserStep(t, ctx, "connexion de "+who,
		chromedp.Navigate(base+"/connexion"),
		chromedp.WaitVisible(byLabel("Adresse électronique")),
		chromedp.SetValue(byLabel("Adresse électronique"), email),
		chromedp.SetValue(byLabel("Mot de passe"), password),
		chromedp.Click(button("Se connecter")),
		chromedp.WaitVisible(chromedp.ID("mon-perimetre")),
	)
}

// browserLogout signs who out with the header's button.
func browserLogout(t *testing.T, ctx context.Context, who string) {
	t.Helper()
	browserStep(t, ctx, "déconnexion de "+who,
		chromedp.Submit(chromedp.ID("bouton-deconnexion")),
		chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "Connexion")]`)),
	)
}

// The IA-DASEN account TestBrowserAccountJourney creates.
const (
	journeyIAEmail    = "ia93.navigateur@ac-creteil.fr"
	journeyIAPassword = "Une phrase de passe 🌳 pour la Seine-Saint-Denis"
)

// TestBrowserAccountJourney: the admin signs in through the login form, creates an IA-DASEN
// account for the 93 on /admin/utilisateurs/nouveau, issues a one-time password link and
// signs out; the link, opened in the browser, lets the IA choose a passphrase; the IA signs
// in through the login form and sees "Seine-Saint-Denis" as their scope on "Mon compte".
// The link serves once.
func TestBrowserAccountJourney(t *testing.T) {
	secEach(t, func(t *testing.T, s *models.Store, clock *secClock) {
		const adminPassword = "le mot de passe de l'administratrice"
		secUser(t, s, models.UserInput{Email: "admin.navigateur@ac-creteil.fr", Nom: "Administratrice", Role: models.RoleAdmin}, adminPassword)
		// Links are built on the public address, never on the request's Host: the server is
		// told the address it listens on, as PILOTAGE_BASE_URL would.
		srv := httptest.NewUnstartedServer(nil)
		srv.Config.Handler = newAnonymousServer(t, s, app.Config{BaseURL: "http://" + srv.Listener.Addr().String()})
		srv.Start()
		defer srv.Close()
		ctx := browser(t)

		browserLogin(t, ctx, srv.URL, "l'administratrice", "admin.navigateur@ac-creteil.fr", adminPassword)
		createIAAccountInBrowser(t, ctx, s, srv.URL)
		link := issuePasswordLinkInBrowser(t, ctx, srv.URL)
		browserLogout(t, ctx, "l'administratrice")

		browserStep(t, ctx, "choix du mot de passe par le lien",
			chromedp.Navigate(link),
			chromedp.WaitVisible(byLabel("Mot de passe")),
			chromedp.SetValue(byLabel("Mot de passe"), journeyIAPassword),
			chromedp.SetValue(byLabel("Confirmation"), journeyIAPassword),
			chromedp.Click(button("Enregistrer")),
			chromedp.WaitVisible(chromedp.ID("mon-perimetre")),
		)
		browserLogout(t, ctx, "l'IA-DASEN")
		browserLogin(t, ctx, srv.URL, "l'IA-DASEN", journeyIAEmail, journeyIAPassword)
		checkMyAccountInBrowser(t, ctx, srv.URL)

		// The link served once.
		browserStep(t, ctx, "lien déjà utilisé",
			chromedp.Navigate(link),
			chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "Lien invalide")]`)),
		)
	})
}

// createIAAccountInBrowser creates the IA-DASEN account of the 93 through the admin's form,
// and checks the store holds it, without a password.
func createIAAccountInBrowser(t *testing.T, ctx context.Context, s *models.Store, base string) {
	t.Helper()
	browserStep(t, ctx, "création du compte IA-DASEN du 93",
		chromedp.Navigate(base+"/admin/utilisateurs/nouveau"),
		chromedp.WaitVisible(byLabel("Nom")),
		chromedp.SetValue(byLabel("Nom"), "Inspectrice d'académie 93"),
		chromedp.SetValue(byLabel("Adresse électronique"), journeyIAEmail),
		chromedp.SetValue(byLabel("Rôle"), string(models.RoleIA)),
		// The role's scope fields come back from the server (htmx): only the département.
		chromedp.WaitNotPresent(chromedp.ID("compte-circonscription")),
		chromedp.SetValue(byLabel("Département"), "93"),
		chromedp.Click(chromedp.ID("bouton-compte")),
		chromedp.WaitVisible(button("lien")),
	)
	u, err := s.FindUserByEmail(context.Background(), journeyIAEmail)
	if err != nil {
		t.Fatalf("compte créé introuvable : %v", err)
	}
	if u.Role != models.RoleIA || u.DepartementCode == nil || *u.DepartementCode != "93" || u.HasPassword() {
		t.Fatalf("compte créé : rôle %s, département %v, mot de passe %v", u.Role, u.DepartementCode, u.HasPassword())
	}
}

// issuePasswordLinkInBrowser issues the account's one-time password link, and returns it:
// it is on the server's address.
func issuePasswordLinkInBrowser(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	browserStep(t, ctx, "émission du lien à usage unique",
		chromedp.Click(button("lien")),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "/mot-de-passe/")][not(*)]`)),
	)
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(document.querySelector("main").innerText.match(/https?:\/\/\S+\/mot-de-passe\/[A-Za-z0-9_-]+/) || [""])[0]`))
	if err != nil || !strings.HasPrefix(link, base+"/mot-de-passe/") {
		t.Fatalf("lien à usage unique : %q %v", link, err)
	}
	return link
}

// checkMyAccountInBrowser checks "Mon compte" shows the IA's scope and address.
func checkMyAccountInBrowser(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	browserStep(t, ctx, "Mon compte",
		chromedp.Navigate(base+"/mon-compte"),
		chromedp.WaitVisible(chromedp.ID("perimetre")),
	)
	scope, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("perimetre")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(scope, "Seine-Saint-Denis") {
		t.Errorf("périmètre affiché %q, attendu Seine-Saint-Denis", scope)
	}
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//main//dt[.="Adresse électronique"]/following-sibling::dd[1]`)))
	if err != nil || strings.TrimSpace(who) != journeyIAEmail {
		t.Errorf("compte affiché %q (%v)", who, err)
	}
}
