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
		const email, password = "ia.93@ac-creteil.fr", "la phrase de passe de l'inspecteur du 93"
		secUser(t, s, models.UserInput{Email: email, Nom: "IA-DASEN 93", Role: models.RoleIA, Departement: "93"}, password)
		cadre, dep93, dsden := localConventionFixture(t, s)
		srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
		defer srv.Close()
		j := &conventionJourney{t: t, srv: srv, ctx: browser(t)}

		browserLogin(t, j.ctx, srv.URL, "l'IA-DASEN", email, password)
		j.create(cadre.ID, dep93.ID)
		j.annexAndParties(dsden.ID)
		j.toInForce()
		j.finance()
		j.checkRegistry()
	})
}

// The convention TestBrowserLocalConvention creates.
const localConventionTitle = "Convention ENT de Bobigny"

// conventionJourney is the browser of TestBrowserLocalConvention, and its server.
type conventionJourney struct {
	t   *testing.T
	srv *httptest.Server
	ctx context.Context
}

func (j *conventionJourney) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	browserStep(j.t, j.ctx, what, actions...)
}

// statutShown waits for the convention's page to show the status label.
func statutShown(label string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//dd[@id="statut-convention" and normalize-space(.)=%q]`, label)))
}

// localConventionFixture creates the convention cadre, the 93's départementale under it and
// the DSDEN of the 93.
func localConventionFixture(t *testing.T, s *models.Store) (cadre, dep93 models.ConventionRow, dsden models.OrganisationRow) {
	t.Helper()
	ctx0 := context.Background()
	pilote := models.Actor{Name: "Pilote", Role: models.RolePilote, Scope: models.AcademieScope()}
	sys := models.SystemActor("test")
	sys.Role = models.RoleAdmin
	cadre, err := s.CreateConvention(ctx0, pilote, models.ConventionInput{Kind: models.ConventionCadre, Reference: "CRE-AC-2011-001", Titre: "Convention cadre"})
	if err != nil {
		t.Fatal(err)
	}
	dep93, err = s.CreateConvention(ctx0, pilote, models.ConventionInput{Kind: models.ConventionDepartementale, Reference: "CRE-93-2012-001",
		Titre: "Convention départementale 93", Departement: "93", ParentID: cadre.ID})
	if err != nil {
		t.Fatal(err)
	}
	dsden, err = s.CreateOrganisation(ctx0, sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "DSDEN de la Seine-Saint-Denis"})
	if err != nil {
		t.Fatal(err)
	}
	return cadre, dep93, dsden
}

// create creates the local convention of Bobigny under the 93's départementale through
// the registry's "Nouvelle convention" form.
func (j *conventionJourney) create(cadreID, dep93ID int64) {
	j.t.Helper()
	j.step("registre puis « Nouvelle convention »",
		chromedp.Navigate(j.srv.URL+"/conventions"),
		chromedp.WaitVisible(chromedp.ID("lien-nouvelle-convention")),
		chromedp.Click(chromedp.ID("lien-nouvelle-convention")),
		chromedp.WaitVisible(chromedp.ID("convention-type")),
	)
	j.step("type « locale » : la liste des conventions parentes se recharge",
		// SetValue dispatches "input" and "change" itself: one reload, not two (a second,
		// late reload would wipe the parent chosen meanwhile).
		chromedp.SetValue(chromedp.ID("convention-type"), models.ConventionLocale),
		// Without JavaScript every parent is offered (the cadre too); the reload for a
		// local convention offers only the départementales: wait for it to have come.
		chromedp.WaitNotPresent(chromedp.Search(fmt.Sprintf(`//select[@id="convention-parent"]/option[@value="%d"]`, cadreID))),
		chromedp.WaitReady(chromedp.Search(fmt.Sprintf(`//select[@id="convention-parent"]/option[@value="%d"]`, dep93ID))),
	)
	ref, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.getElementById("convention-reference").value`))
	if err != nil || !strings.HasPrefix(ref, "CRE-93-") {
		j.t.Fatalf("référence proposée %q (%v)", ref, err)
	}
	j.step("saisie ; Bobigny choisie par son nom parmi les suggestions",
		chromedp.SetValue(chromedp.ID("convention-titre"), localConventionTitle),
		chromedp.SetValue(chromedp.ID("convention-parent"), fmt.Sprint(dep93ID)),
		chromedp.SendKeys(chromedp.ID("convention-communes"), "bobi"),
		chromedp.WaitVisible(suggestion("Bobigny (93008)")),
		chromedp.Click(suggestion("Bobigny (93008)")),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="convention-communes-choisis"]/li[contains(., "Bobigny (93008)")]`)),
		chromedp.SetValue(chromedp.ID("convention-expiration"), "31/08/2030"), // still in force today
	)
	chosen, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.getElementById("convention-communes").value + "|" +
		[...document.querySelectorAll('#convention-communes-choisis input[name="communes"]')].map(i => i.value).join(",")`))
	if err != nil || chosen != "|93008" {
		j.t.Fatalf("communes choisies %q (%v)", chosen, err)
	}
	j.step("création", chromedp.Click(chromedp.ID("bouton-enregistrer")), statutShown("Brouillon"))
}

// annexAndParties fills the annex (two schools of Bobigny, after checking "Tout
// sélectionner"), adds the DSDEN and Bobigny as parties and records both signatures.
func (j *conventionJourney) annexAndParties(dsdenID int64) {
	j.t.Helper()
	j.step("annexe des écoles : « Tout sélectionner », puis deux écoles de Bobigny",
		chromedp.Click(chromedp.Search(`//details[@id="section-communes"]/summary`)),
		chromedp.Click(chromedp.ID("lien-annexe")),
		chromedp.WaitVisible(chromedp.ID("annexe-toutes")),
		chromedp.Click(chromedp.ID("annexe-toutes")),
	)
	all, err := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('#annexe-ecoles input[name="ecoles"]')].every(b => b.checked)`))
	if err != nil || !all {
		j.t.Fatalf("« Tout sélectionner » n'a pas tout coché (%v)", err)
	}
	if hidden, _ := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`document.getElementById("bouton-tout-selectionner").offsetParent === null`)); !hidden {
		j.t.Error("le bouton sans JavaScript reste affiché")
	}
	j.step("annexe enregistrée",
		runJS(`document.querySelectorAll('#annexe-ecoles input[name="ecoles"]').forEach((b, i) => { b.checked = i < 2 })`),
		chromedp.Click(chromedp.ID("bouton-annexe")),
		chromedp.WaitVisible(chromedp.ID("tableau-annexe")),
	)
	j.step("partie : la DSDEN",
		chromedp.Click(chromedp.Search(`//details[@id="section-parties"]/summary`)),
		chromedp.WaitVisible(chromedp.ID("partie-organisation")),
		chromedp.SetValue(chromedp.ID("partie-organisation"), fmt.Sprint(dsdenID)),
		chromedp.Click(chromedp.ID("bouton-ajouter-partie")),
		chromedp.WaitVisible(chromedp.Search(`//table//th[contains(., "DSDEN de la Seine-Saint-Denis")]`)),
	)
	j.step("partie : la commune de Bobigny, choisie par son nom",
		chromedp.SendKeys(chromedp.ID("partie-commune"), "bobigny"),
		chromedp.WaitVisible(suggestion("Bobigny (93008)")),
		chromedp.Click(suggestion("Bobigny (93008)")),
		chromedp.Click(chromedp.ID("bouton-ajouter-partie")),
		chromedp.WaitVisible(chromedp.Search(`//table//th[contains(., "Bobigny")]`)),
	)
	j.step("les deux signatures, dans un seul formulaire",
		runJS(`document.querySelectorAll('#formulaire-signatures input[name^="signataire-"]').forEach((i, n) => { i.value = "Signataire " + (n + 1) });
			document.querySelectorAll('#formulaire-signatures input[name^="fonction-"]').forEach(i => { i.value = "Fonction" });
			document.querySelectorAll('#formulaire-signatures input[name^="date_signature-"]').forEach(i => { i.value = "02/04/2012" })`),
		chromedp.Click(chromedp.ID("bouton-signatures")),
		chromedp.WaitVisible(chromedp.Search(`//details[@id="section-parties"]//*[contains(., "2 sur 2 signées")]`)),
	)
}

// toInForce moves the convention through the council's délibération to "En vigueur".
func (j *conventionJourney) toInForce() {
	j.t.Helper()
	j.step("en négociation",
		chromedp.Click(chromedp.ID("bouton-negociation")),
		statutShown("En négociation"),
	)
	j.step("délibération du conseil municipal",
		chromedp.SetValue(chromedp.ID("transition-deliberation-date"), "15/03/2012"),
		chromedp.Click(chromedp.ID("bouton-deliberation")),
		statutShown("Délibération votée"),
	)
	j.step("à la signature", chromedp.Click(chromedp.ID("bouton-signature")), statutShown("À la signature"))
	j.step("signée", chromedp.Click(chromedp.ID("bouton-signee")), statutShown("Signée"))
	j.step("en vigueur",
		chromedp.SetValue(chromedp.ID("transition-en_vigueur-date"), "01/09/2012"),
		chromedp.Click(chromedp.ID("bouton-en_vigueur")),
		statutShown("En vigueur"),
	)
}

// finance adds a financing plan for Bobigny, and a line to it, from the convention's page.
func (j *conventionJourney) finance() {
	j.t.Helper()
	j.step("lien « Ajouter un plan de financement »",
		chromedp.Click(chromedp.Search(`//details[@id="section-financements"]/summary`)),
		chromedp.Click(chromedp.ID("lien-nouveau-financement")),
		chromedp.WaitVisible(chromedp.ID("plan-titre")),
	)
	j.step("plan de financement rattaché à la convention",
		chromedp.SetValue(chromedp.ID("plan-titre"), "Financement de l'ENT à Bobigny"),
		chromedp.SetValue(chromedp.ID("plan-portage"), models.PortageCommune),
		chromedp.SendKeys(chromedp.ID("plan-commune"), "bobigny"),
		chromedp.WaitVisible(suggestion("Bobigny (93008)")),
		chromedp.Click(suggestion("Bobigny (93008)")),
		chromedp.Click(chromedp.ID("bouton-plan")),
		chromedp.WaitVisible(chromedp.ID("ligne-annee")),
	)
	j.step("ligne de financement",
		chromedp.SetValue(chromedp.ID("ligne-annee"), "2012"),
		chromedp.SetValue(chromedp.ID("ligne-type-annee"), "scolaire"),
		chromedp.SetValue(chromedp.ID("ligne-financeur"), "commune"),
		chromedp.SetValue(chromedp.ID("ligne-nature"), "investissement"),
		chromedp.SetValue(chromedp.ID("ligne-prevu"), "12 500,50"),
		chromedp.Click(chromedp.Search(`//div[@id="formulaire-ligne"]//button[@type="submit"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="tableau-lignes"]//td[contains(., "500,50")]`)),
	)
	lines, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.ID("tableau-lignes")))
	if err != nil || !strings.Contains(strings.Join(strings.Fields(lines), " "), "500,50") {
		j.t.Errorf("ligne de financement : %q (%v)", lines, err)
	}
}

// checkRegistry downloads the registry of local conventions: the convention is there, in
// force, with its annex and parties.
func (j *conventionJourney) checkRegistry() {
	t := j.t
	t.Helper()
	j.step("registre",
		chromedp.Navigate(j.srv.URL+"/conventions?type=locale"),
		chromedp.WaitVisible(chromedp.ID("tableau-conventions")),
	)
	href, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.querySelector('a[href^="/conventions.xlsx"]').href`))
	if err != nil || !strings.Contains(href, ".xlsx") {
		t.Fatalf("lien d'export %q (%v)", href, err)
	}
	book := downloadWorkbook(t, j.ctx, j.srv, href)
	_, _, conventions := sheetTable(t, book, "Conventions")
	_, _, annex := sheetTable(t, book, "Annexe écoles")
	_, _, parties := sheetTable(t, book, "Parties et signatures")
	if len(conventions) != 1 || !strings.Contains(strings.Join(conventions[0], "|"), localConventionTitle) || !strings.Contains(strings.Join(conventions[0], "|"), "En vigueur") {
		t.Errorf("feuille des conventions : %v", conventions)
	}
	if len(annex) != 2 || len(parties) != 2 {
		t.Errorf("annexe %d lignes, parties %d lignes", len(annex), len(parties))
	}
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
