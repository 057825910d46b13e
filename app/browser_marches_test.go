package app_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// TestBrowserMarcheJourney: the IA-DASEN of the 94, signed in through the login page,
// creates a groupement de commandes of Créteil (coordinator), Fontenay-sous-Bois and
// Maisons-Alfort through the form, adds lot 1, publishes the call, records two bids, opens
// the analysis, previews the award of lot 1 to a solution and confirms it: the solution's
// page counts the écoles previewed, and the map lists the three communes. axe-core checks
// the form, the market's page, the preview, the awarded market, the registry, the alerts
// and the map.
func TestBrowserMarcheJourney(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().Open(t, true)
	const email, password = "ia94.marches@ac-creteil.fr", "la phrase de passe de l'IA du Val-de-Marne"
	secUser(t, s, models.UserInput{Email: email, Nom: "IA-DASEN 94", Role: models.RoleIA, Departement: "94"}, password)
	sys := models.SystemActor("test")
	vendor := must(s.CreateOrganisation(t.Context(), sys, models.OrganisationInput{Nom: "Éditeur du Val", Kind: models.OrgEditeurENT}))
	sol := must(s.CreateSolution(t.Context(), sys, models.SolutionInput{Produit: "ENT du Val", Editeur: strconv.FormatInt(vendor.ID, 10)}))
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
	defer srv.Close()
	browserLogin(t, ctx, srv.URL, "l'IA du 94", email, password)
	browserStep(t, ctx, "largeur", chromedp.EmulateViewport(1366, 900))
	ready := formationPageReady()
	browserStep(t, ctx, "formulaire de marché", chromedp.Navigate(srv.URL+"/marches/nouveau"),
		chromedp.WaitVisible(chromedp.ID("marche-objet")), ready)
	axeCheck(t, ctx, axe, "formulaire de marché", 0)
	browserStep(t, ctx, "création du groupement",
		chromedp.SetValue(chromedp.ID("marche-objet"), "ENT du groupement de Créteil"),
		chromedp.SetValue(chromedp.ID("marche-acheteur"), "groupement"),
		chromedp.SetValue(chromedp.ID("marche-coordinateur"), "94028"),
		chromedp.SetValue(chromedp.ID("marche-communes"), "94033, 94046"),
		chromedp.SetValue(chromedp.ID("marche-procedure"), "ao_ouvert"),
		chromedp.SetValue(chromedp.ID("marche-montant-estime"), "300 000"),
		chromedp.Click(chromedp.ID("bouton-enregistrer")),
		chromedp.WaitVisible(chromedp.ID("fiche-marche")), ready)
	axeCheck(t, ctx, axe, "page du marché", 0)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/marches/") {
		t.Fatalf("marché créé : %s %v", loc, err)
	}
	id := must(strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], srv.URL+"/marches/"), 10, 64))
	done := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.WaitVisible(chromedp.Search(`//main//div[@role="status"][contains(., "` + text + `")]`))
	}
	browserStep(t, ctx, "lot 1", chromedp.SetValue(chromedp.ID("lot-numero"), "1"),
		chromedp.SetValue(chromedp.ID("lot-intitule"), "Plateforme ENT"), chromedp.Click(chromedp.ID("bouton-lot")), done("Le lot a été ajouté"))
	marcheStatut(t, ctx, "publie")
	for i, bid := range []string{"250 000", "275 000,50"} {
		browserStep(t, ctx, "offre "+strconv.Itoa(i+1),
			runJS(`document.getElementById("offre-lot").selectedIndex = 1`),
			chromedp.SetValue(chromedp.ID("offre-soumissionnaire"), "Soumissionnaire "+strconv.Itoa(i+1)),
			chromedp.SetValue(chromedp.ID("offre-montant"), bid),
			chromedp.Click(chromedp.ID("bouton-offre")), done("L'offre a été enregistrée"))
	}
	marcheStatut(t, ctx, "en_analyse")
	lot := must(s.GetMarche(t.Context(), models.AcademieScope(), id)).Lots[0].ID
	expected, err := s.PreviewAttribution(t.Context(), sys, id, lot, sol.ID)
	if err != nil || len(expected.Rows) == 0 {
		t.Fatalf("écoles attendues : %v", err)
	}
	browserStep(t, ctx, "aperçu de l'attribution",
		runJS(`document.getElementById("attribution-lot").selectedIndex = 1`),
		chromedp.SetValue(chromedp.ID("attribution-titulaire"), strconv.FormatInt(vendor.ID, 10)),
		chromedp.SetValue(chromedp.ID("attribution-solution"), strconv.FormatInt(sol.ID, 10)),
		chromedp.SetValue(chromedp.ID("attribution-montant"), "250 000"),
		chromedp.SetValue(chromedp.ID("attribution-duree_mois"), "36"),
		chromedp.SetValue(chromedp.ID("attribution-date_debut"), "01/09/2013"),
		chromedp.Click(chromedp.ID("bouton-apercu")), chromedp.WaitVisible(chromedp.ID("tableau-apercu")), ready)
	axeCheck(t, ctx, axe, "aperçu de l'attribution", 0)
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tableau-apercu tbody tr").length`))
	if err != nil || rows != len(expected.Rows) {
		t.Fatalf("aperçu : %d écoles, %d attendues (%v)", rows, len(expected.Rows), err)
	}
	browserStep(t, ctx, "confirmation de l'attribution", chromedp.Click(chromedp.ID("bouton-confirmer")),
		chromedp.WaitVisible(chromedp.ID("attribution-lot-1")), ready)
	axeCheck(t, ctx, axe, "marché attribué", 0)
	browserStep(t, ctx, "page de la solution", chromedp.Navigate(srv.URL+"/solutions/"+strconv.FormatInt(sol.ID, 10)),
		chromedp.WaitVisible(chromedp.ID("solution-ecoles")))
	n, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("solution-ecoles")))
	if err != nil || strings.TrimSpace(n) != strconv.Itoa(len(expected.Rows)) {
		t.Errorf("écoles de la solution : %q, %d attendues (%v)", n, len(expected.Rows), err)
	}
	browserStep(t, ctx, "carte des marchés", chromedp.Navigate(srv.URL+"/marches/carte"), chromedp.WaitVisible(chromedp.ID("tableau-carte")), ready)
	axeCheck(t, ctx, axe, "carte des marchés", 0)
	browserStep(t, ctx, "registre des marchés", chromedp.Navigate(srv.URL+"/marches?acheteur=groupement"),
		chromedp.WaitVisible(chromedp.ID("tableau-marches")), ready)
	axeCheck(t, ctx, axe, "registre des marchés", 0)
	tablesFit(t, ctx, "registre des marchés")
	browserStep(t, ctx, "alertes des marchés", chromedp.Navigate(srv.URL+"/marches/alertes"), chromedp.WaitVisible(chromedp.ID("alertes-limite")), ready)
	axeCheck(t, ctx, axe, "alertes des marchés", 0)
	browserStep(t, ctx, "carte des marchés", chromedp.Navigate(srv.URL+"/marches/carte"), chromedp.WaitVisible(chromedp.ID("tableau-carte")), ready)
	communes, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("liste-communes")))
	for _, c := range []string{"Créteil", "Fontenay-sous-Bois", "Maisons-Alfort"} {
		if err != nil || !strings.Contains(communes, c) {
			t.Errorf("carte : %s absente de %q (%v)", c, communes, err)
		}
	}
}

// marcheStatut changes the market's status through its form.
func marcheStatut(t *testing.T, ctx context.Context, statut string) {
	t.Helper()
	browserStep(t, ctx, "statut "+statut, chromedp.SetValue(chromedp.ID("statut-statut"), statut),
		chromedp.Click(chromedp.ID("bouton-statut")),
		chromedp.WaitVisible(chromedp.Search(`//main//div[@role="status"][contains(., "Le statut du marché a été changé")]`)))
}
