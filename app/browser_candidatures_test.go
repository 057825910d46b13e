package app_test

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
)

// TestBrowserCandidatureJourney: the IA-DASEN of the 77 opens the candidature of Melun,
// scores every criterion through the form, sees the weighted score and the rank, retains
// the candidature, and finds its two écoles in the pilot wave; axe-core checks the scoring
// form, the candidature's page, the decision form and the campaign's ranking.
func TestBrowserCandidatureJourney(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().Open(t, true)
	const email, password = "ia77.candidatures@ac-creteil.fr", "la phrase de passe de l'IA-DASEN du 77"
	secUser(t, s, models.UserInput{Email: email, Nom: "IA-DASEN 77", Role: models.RoleIA, Departement: "77"}, password)
	sys := models.SystemActor("test")
	vague := must(s.CreateVague(t.Context(), sys, models.VagueInput{Nom: "Sites pilotes 2012", AnneeScolaire: "2011-2012",
		Pilote: true, OuverturePrevue: "09/01/2012"}))
	camp := must(s.CreateCampagne(t.Context(), sys, models.CampagneInput{Nom: "Sites pilotes 2012", AnneeScolaire: "2011-2012", VagueID: vague.ID}))
	choices := must(s.CandidatureEcoleChoices(t.Context(), models.AcademieScope(), []string{"77288"}))
	ecoles := []string{choices[0].Value, choices[1].Value}
	cand := must(s.CreateCandidature(t.Context(), sys, models.CandidatureInput{CampagneID: camp.ID, Titre: "Melun, ville pilote",
		Communes: []string{"77288"}, Ecoles: ecoles}))
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
	defer srv.Close()
	page := srv.URL + "/candidatures/" + strconv.FormatInt(cand.ID, 10)
	ready := chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second))
	browserLogin(t, ctx, srv.URL, "l'IA-DASEN du 77", email, password)
	browserStep(t, ctx, "formulaire de notes", chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("lien-notes")), ready,
		chromedp.Click(chromedp.ID("lien-notes")), chromedp.WaitVisible(chromedp.ID("formulaire-notes")), ready)
	axeCheck(t, ctx, axe, "formulaire de notes", 0)
	notes := []string{"5", "4", "4", "3", "5", "4"} // 5×20+4×20+4×15+3×15+5×15+4×15 = 420 / 100 = 4,2
	for i, k := range camp.Criteres {
		id := strconv.FormatInt(k.ID, 10)
		browserStep(t, ctx, "note de "+k.Libelle,
			chromedp.SetValue(chromedp.ID("note-"+id), notes[i]),
			chromedp.SetValue(chromedp.ID("commentaire-"+id), "Vu lors de la visite du "+strconv.Itoa(i+1)+" décembre."))
	}
	browserStep(t, ctx, "enregistrement des notes", chromedp.Click(chromedp.ID("bouton-notes")),
		chromedp.WaitVisible(chromedp.ID("confirmation")), ready)
	axeCheck(t, ctx, axe, "page de la candidature notée", 0)
	score, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("score")))
	rank, err2 := chromedp.Run(ctx, chromedp.Text(chromedp.ID("rang-departement")))
	if err != nil || err2 != nil || strings.TrimSpace(score) != "4,2 / 5" || strings.TrimSpace(rank) != "1 / 1" {
		t.Fatalf("score %q, rang %q : %v %v", score, rank, err, err2)
	}
	browserStep(t, ctx, "formulaire de décision", chromedp.Click(chromedp.ID("lien-decision")),
		chromedp.WaitVisible(chromedp.ID("decision-candidature")), ready)
	axeCheck(t, ctx, axe, "formulaire de décision", 0)
	browserStep(t, ctx, "candidature retenue",
		chromedp.SetValue(chromedp.ID("decision-candidature"), "retenue"),
		chromedp.SetValue(chromedp.ID("decision-date"), "16/12/2011"),
		chromedp.Click(chromedp.ID("bouton-decision")),
		chromedp.WaitVisible(chromedp.ID("confirmation")))
	done, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("confirmation")))
	if err != nil || !strings.Contains(done, "vague pilote") {
		t.Fatalf("confirmation : %q, %v", done, err)
	}
	browserStep(t, ctx, "classement de la campagne", chromedp.Navigate(srv.URL+"/campagnes/"+strconv.FormatInt(camp.ID, 10)),
		chromedp.WaitVisible(chromedp.ID("classement-academie")), ready)
	axeCheck(t, ctx, axe, "classement de la campagne", 0)
	browserStep(t, ctx, "écoles de la vague pilote", chromedp.Navigate(srv.URL+"/deploiements?vague="+strconv.FormatInt(vague.ID, 10)),
		chromedp.WaitVisible(chromedp.CSS("footer")), ready)
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(text, ecoles[0]) || !strings.Contains(text, ecoles[1]) {
		t.Fatalf("écoles %v absentes de la vague pilote : %v", ecoles, err)
	}
}
