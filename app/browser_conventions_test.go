package app_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// TestBrowserLocalConvention: the IA-DASEN of the 93 signs in, creates a local convention
// with Bobigny under the 93's départementale through the form, choosing Bobigny by its name
// among the suggestions, chooses the annex écoles ("Tout sélectionner" checks them all),
// adds the Rectorat and the commune of Bobigny (chosen by name: its organisation is created
// on the fly) as parties, records both signatures in one form, records the council's
// délibération, moves the convention to "signée" then "en vigueur", finances it (the plan's
// commune chosen by name), and downloads the registry (read with the browser's session):
// the convention is there, in force, with its annex and parties.
func TestBrowserLocalConvention(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx0 := context.Background()
		const email, password = "ia.93@ac-creteil.fr", "la phrase de passe de l'inspecteur du 93"
		secUser(t, s, models.UserInput{Email: email, Nom: "IA-DASEN 93", Role: models.RoleIA, Departement: "93"}, password)
		pilote := models.Actor{Name: "Pilote", Role: models.RolePilote, Scope: models.AcademieScope()}
		sys := models.SystemActor("test")
		sys.Role = models.RoleAdmin
		cadre, err := s.CreateConvention(ctx0, pilote, models.ConventionInput{Kind: models.ConventionCadre, Reference: "CRE-AC-2011-001", Titre: "Convention cadre"})
		if err != nil {
			t.Fatal(err)
		}
		dep93, err := s.CreateConvention(ctx0, pilote, models.ConventionInput{Kind: models.ConventionDepartementale, Reference: "CRE-93-2012-001",
			Titre: "Convention départementale 93", Departement: "93", ParentID: cadre.ID})
		if err != nil {
			t.Fatal(err)
		}
		dsden, err := s.CreateOrganisation(ctx0, sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "DSDEN de la Seine-Saint-Denis"})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
		defer srv.Close()
		ctx := browser(t)

		step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			err := retry(func() error { return chromedp.Do(ctx, actions...) })
			if err != nil {
				loc, _ := chromedp.Run(ctx, chromedp.Location())
				h1, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("h1") || {}).textContent || ""`))
				t.Fatalf("%s : %v (page %s, titre %q)", what, err, loc, strings.TrimSpace(h1))
			}
		}
		statut := func(label string) chromedp.Action[chromedp.Void] {
			return chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//dd[@id="statut-convention" and normalize-space(.)=%q]`, label)))
		}
		const titre = "Convention ENT de Bobigny"

		step("connexion",
			chromedp.Navigate(srv.URL+"/connexion"),
			chromedp.WaitVisible(byLabel("Adresse électronique")),
			chromedp.SetValue(byLabel("Adresse électronique"), email),
			chromedp.SetValue(byLabel("Mot de passe"), password),
			chromedp.Click(button("Se connecter")),
			chromedp.WaitVisible(chromedp.ID("mon-perimetre")),
		)
		step("registre puis « Nouvelle convention »",
			chromedp.Navigate(srv.URL+"/conventions"),
			chromedp.WaitVisible(chromedp.ID("lien-nouvelle-convention")),
			chromedp.Click(chromedp.ID("lien-nouvelle-convention")),
			chromedp.WaitVisible(chromedp.ID("convention-type")),
		)
		step("type « locale » : la liste des conventions parentes se recharge",
			// SetValue dispatches "input" and "change" itself: one reload, not two (a second,
			// late reload would wipe the parent chosen meanwhile).
			chromedp.SetValue(chromedp.ID("convention-type"), models.ConventionLocale),
			// Without JavaScript every parent is offered (the cadre too); the reload for a
			// local convention offers only the départementales: wait for it to have come.
			chromedp.WaitNotPresent(chromedp.Search(fmt.Sprintf(`//select[@id="convention-parent"]/option[@value="%d"]`, cadre.ID))),
			chromedp.WaitReady(chromedp.Search(fmt.Sprintf(`//select[@id="convention-parent"]/option[@value="%d"]`, dep93.ID))),
		)
		ref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("convention-reference").value`))
		if err != nil || !strings.HasPrefix(ref, "CRE-93-") {
			t.Fatalf("référence proposée %q (%v)", ref, err)
		}
		step("saisie ; Bobigny choisie par son nom parmi les suggestions",
			chromedp.SetValue(chromedp.ID("convention-titre"), titre),
			chromedp.SetValue(chromedp.ID("convention-parent"), fmt.Sprint(dep93.ID)),
			chromedp.SendKeys(chromedp.ID("convention-communes"), "bobi"),
			chromedp.WaitVisible(suggestion("Bobigny (93008)")),
			chromedp.Click(suggestion("Bobigny (93008)")),
			chromedp.WaitVisible(chromedp.Search(`//ul[@id="convention-communes-choisis"]/li[contains(., "Bobigny (93008)")]`)),
			chromedp.SetValue(chromedp.ID("convention-expiration"), "31/08/2030"), // still in force today
		)
		chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("convention-communes").value + "|" +
			[...document.querySelectorAll('#convention-communes-choisis input[name="communes"]')].map(i => i.value).join(",")`))
		if err != nil || chosen != "|93008" {
			t.Fatalf("communes choisies %q (%v)", chosen, err)
		}
		step("création", chromedp.Click(chromedp.ID("bouton-enregistrer")), statut("Brouillon"))
		step("annexe des écoles : « Tout sélectionner », puis deux écoles de Bobigny",
			chromedp.Click(chromedp.Search(`//details[@id="section-communes"]/summary`)),
			chromedp.Click(chromedp.ID("lien-annexe")),
			chromedp.WaitVisible(chromedp.ID("annexe-toutes")),
			chromedp.Click(chromedp.ID("annexe-toutes")),
		)
		all, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('#annexe-ecoles input[name="ecoles"]')].every(b => b.checked)`))
		if err != nil || !all {
			t.Fatalf("« Tout sélectionner » n'a pas tout coché (%v)", err)
		}
		if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("bouton-tout-selectionner").offsetParent === null`)); !hidden {
			t.Error("le bouton sans JavaScript reste affiché")
		}
		step("annexe enregistrée",
			runJS(`document.querySelectorAll('#annexe-ecoles input[name="ecoles"]').forEach((b, i) => { b.checked = i < 2 })`),
			chromedp.Click(chromedp.ID("bouton-annexe")),
			chromedp.WaitVisible(chromedp.ID("tableau-annexe")),
		)
		step("partie : la DSDEN",
			chromedp.Click(chromedp.Search(`//details[@id="section-parties"]/summary`)),
			chromedp.WaitVisible(chromedp.ID("partie-organisation")),
			chromedp.SetValue(chromedp.ID("partie-organisation"), fmt.Sprint(dsden.ID)),
			chromedp.Click(chromedp.ID("bouton-ajouter-partie")),
			chromedp.WaitVisible(chromedp.Search(`//table//th[contains(., "DSDEN de la Seine-Saint-Denis")]`)),
		)
		step("partie : la commune de Bobigny, choisie par son nom",
			chromedp.SendKeys(chromedp.ID("partie-commune"), "bobigny"),
			chromedp.WaitVisible(suggestion("Bobigny (93008)")),
			chromedp.Click(suggestion("Bobigny (93008)")),
			chromedp.Click(chromedp.ID("bouton-ajouter-partie")),
			chromedp.WaitVisible(chromedp.Search(`//table//th[contains(., "Bobigny")]`)),
		)
		step("les deux signatures, dans un seul formulaire",
			runJS(`document.querySelectorAll('#formulaire-signatures input[name^="signataire-"]').forEach((i, n) => { i.value = "Signataire " + (n + 1) });
				document.querySelectorAll('#formulaire-signatures input[name^="fonction-"]').forEach(i => { i.value = "Fonction" });
				document.querySelectorAll('#formulaire-signatures input[name^="date_signature-"]').forEach(i => { i.value = "02/04/2012" })`),
			chromedp.Click(chromedp.ID("bouton-signatures")),
			chromedp.WaitVisible(chromedp.Search(`//details[@id="section-parties"]//*[contains(., "2 sur 2 signées")]`)),
		)
		step("en négociation",
			chromedp.Click(chromedp.ID("bouton-negociation")),
			statut("En négociation"),
		)
		step("délibération du conseil municipal",
			chromedp.SetValue(chromedp.ID("transition-deliberation-date"), "15/03/2012"),
			chromedp.Click(chromedp.ID("bouton-deliberation")),
			statut("Délibération votée"),
		)
		step("à la signature", chromedp.Click(chromedp.ID("bouton-signature")), statut("À la signature"))
		step("signée", chromedp.Click(chromedp.ID("bouton-signee")), statut("Signée"))
		step("en vigueur",
			chromedp.SetValue(chromedp.ID("transition-en_vigueur-date"), "01/09/2012"),
			chromedp.Click(chromedp.ID("bouton-en_vigueur")),
			statut("En vigueur"),
		)
		step("lien « Ajouter un plan de financement »",
			chromedp.Click(chromedp.Search(`//details[@id="section-financements"]/summary`)),
			chromedp.Click(chromedp.ID("lien-nouveau-financement")),
			chromedp.WaitVisible(chromedp.ID("plan-titre")),
		)
		step("plan de financement rattaché à la convention",
			chromedp.SetValue(chromedp.ID("plan-titre"), "Financement de l'ENT à Bobigny"),
			chromedp.SetValue(chromedp.ID("plan-portage"), models.PortageCommune),
			chromedp.SendKeys(chromedp.ID("plan-commune"), "bobigny"),
			chromedp.WaitVisible(suggestion("Bobigny (93008)")),
			chromedp.Click(suggestion("Bobigny (93008)")),
			chromedp.Click(chromedp.ID("bouton-plan")),
			chromedp.WaitVisible(chromedp.ID("ligne-annee")),
		)
		step("ligne de financement",
			chromedp.SetValue(chromedp.ID("ligne-annee"), "2012"),
			chromedp.SetValue(chromedp.ID("ligne-type-annee"), "scolaire"),
			chromedp.SetValue(chromedp.ID("ligne-financeur"), "commune"),
			chromedp.SetValue(chromedp.ID("ligne-nature"), "investissement"),
			chromedp.SetValue(chromedp.ID("ligne-prevu"), "12 500,50"),
			chromedp.Click(chromedp.Search(`//div[@id="formulaire-ligne"]//button[@type="submit"]`)),
			chromedp.WaitVisible(chromedp.Search(`//*[@id="tableau-lignes"]//td[contains(., "500,50")]`)),
		)
		lines, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("tableau-lignes")))
		if err != nil || !strings.Contains(strings.Join(strings.Fields(lines), " "), "500,50") {
			t.Errorf("ligne de financement : %q (%v)", lines, err)
		}
		step("registre",
			chromedp.Navigate(srv.URL+"/conventions?type=locale"),
			chromedp.WaitVisible(chromedp.ID("tableau-conventions")),
		)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('a[href^="/conventions.xlsx"]').href`))
		if err != nil || !strings.Contains(href, ".xlsx") {
			t.Fatalf("lien d'export %q (%v)", href, err)
		}
		book := downloadWorkbook(t, ctx, srv, href)
		_, _, conventions := sheetTable(t, book, "Conventions")
		_, _, annex := sheetTable(t, book, "Annexe écoles")
		_, _, parties := sheetTable(t, book, "Parties et signatures")
		if len(conventions) != 1 || !strings.Contains(strings.Join(conventions[0], "|"), titre) || !strings.Contains(strings.Join(conventions[0], "|"), "En vigueur") {
			t.Errorf("feuille des conventions : %v", conventions)
		}
		if len(annex) != 2 || len(parties) != 2 {
			t.Errorf("annexe %d lignes, parties %d lignes", len(annex), len(parties))
		}
	})
}

// suggestion is the suggestion of a place field whose label is label.
func suggestion(label string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//button[@data-suggestion=%q]`, label))
}

// runJS runs a script in the page, ignoring its value.
func runJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}
