package app_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// What the pilote types while preparing the COPIL.
const (
	copilPoint     = "Bilan du déploiement de la rentrée"
	copilDecision1 = "Le COPIL valide le calendrier de généralisation."
	copilDecision2 = "Le COPIL retient l'annuaire académique pour l'identification."
	copilAction    = "Diffuser la charte aux communes du 93"
)

// copilJourney is the state of TestBrowserPrepareNextCopil: the pilote, their COPIL and
// its next meeting, the server and the browser.
type copilJourney struct {
	t       *testing.T
	s       *models.Store
	u       models.User
	pilote  models.Actor
	copil   models.InstanceRow
	meeting models.ReunionRow
	next    time.Time
	srv     *httptest.Server
	ctx     context.Context
}

// TestBrowserPrepareNextCopil: the pilote académique signs in, opens the COPIL académique,
// follows "Préparer la prochaine réunion", opens the planned meeting and adds an agenda
// item; after the meeting they set its status to "tenue" through the edit form, record two
// decisions and an action through the forms linked from the meeting's page, and download
// the preparation as Excel (read with the browser's session): it lists the two decisions
// and the action, and the store holds what was typed.
func TestBrowserPrepareNextCopil(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		const email, password = "pilote.copil@ac-creteil.fr", "la phrase de passe du pilote académique"
		j := newCopilJourney(t, s, email, password)
		browserLogin(t, j.ctx, j.srv.URL, "le pilote", email, password)
		j.addAgendaItem()
		j.holdMeeting()
		j.recordDecisionsAndAction()
		href := j.preparationExport()
		j.checkWorkbook(downloadWorkbook(t, j.ctx, j.srv, href))
		j.checkStored()
	})
}

// newCopilJourney creates the pilote, the COPIL académique and its meeting in a week, and
// starts the server and the browser.
func newCopilJourney(t *testing.T, s *models.Store, email, password string) *copilJourney {
	t.Helper()
	ctx0 := context.Background()
	u := secUser(t, s, models.UserInput{Email: email, Nom: "Pilote académique", Role: models.RolePilote}, password)
	pilote := models.Actor{UserID: u.ID, Name: u.Nom, Role: models.RolePilote, Scope: models.AcademieScope()}
	copil, err := s.CreateInstance(ctx0, pilote, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil,
		Mandat: "Piloter le programme ENT du premier degré."})
	if err != nil {
		t.Fatal(err)
	}
	next := time.Now().AddDate(0, 0, 7)
	meeting, err := s.CreateReunion(ctx0, pilote, models.ReunionInput{InstanceID: copil.ID, Titre: "COPIL de la semaine prochaine",
		Date: next.Format("2006-01-02"), HeureDebut: "14:00", HeureFin: "16:00", Lieu: "Rectorat de Créteil"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
	t.Cleanup(srv.Close)
	return &copilJourney{t: t, s: s, u: u, pilote: pilote, copil: copil, meeting: meeting, next: next, srv: srv, ctx: browser(t)}
}

func (j *copilJourney) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	browserStep(j.t, j.ctx, what, actions...)
}

func (j *copilJourney) meetingURL() string {
	return fmt.Sprintf("%s/reunions/%d", j.srv.URL, j.meeting.ID)
}

// submitOf is the submit button of the form holding the field named field.
func submitOf(field string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//main//form[.//*[@name=%q]]//button[@type="submit" and not(@aria-hidden) and not(@name)]`, field))
}

// savedNotice waits for the "saved" status message.
func savedNotice() chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(`//main//*[@role="status"]`))
}

// addAgendaItem goes from the COPIL's page to its next meeting through the preparation
// page, and adds an item to its agenda.
func (j *copilJourney) addAgendaItem() {
	j.t.Helper()
	j.step("page de l'instance puis « Préparer la prochaine réunion »",
		chromedp.Navigate(fmt.Sprintf("%s/instances/%d", j.srv.URL, j.copil.ID)),
		chromedp.WaitVisible(chromedp.ID("lien-preparer")),
		chromedp.Click(chromedp.ID("lien-preparer")),
		chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "Préparer la prochaine réunion")]`)),
	)
	j.step("ouverture de la prochaine réunion",
		chromedp.Click(chromedp.Search(`//h2[@id="prochaine-reunion"]/following-sibling::p[1]/a`)),
		chromedp.WaitVisible(chromedp.ID("formulaire-point")),
	)
	if loc, _ := chromedp.Run(j.ctx, chromedp.Location()); !strings.HasPrefix(loc, j.meetingURL()) {
		j.t.Fatalf("la page de préparation mène à %s, attendu %s", loc, j.meetingURL())
	}
	j.step("ajout d'un point à l'ordre du jour",
		chromedp.SetValue(chromedp.ID("point-titre"), copilPoint),
		chromedp.SetValue(chromedp.ID("point-presentateur"), "Pilote académique"),
		chromedp.Click(chromedp.Search(`//form[@id="formulaire-point"]//button[@type="submit"]`)),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//ol[@id="liste-points"]/li[contains(., %q)]`, copilPoint))),
	)
}

// holdMeeting sets the meeting's status to "Tenue" through its edit form.
func (j *copilJourney) holdMeeting() {
	j.t.Helper()
	j.step("la réunion s'est tenue : statut « Tenue » par le formulaire de modification",
		chromedp.Click(chromedp.ID("lien-modifier")),
		chromedp.WaitVisible(chromedp.ID("reunion-statut")),
		chromedp.SetValue(chromedp.ID("reunion-statut"), models.ReunionTenue),
		chromedp.Click(submitOf("statut")),
		chromedp.WaitVisible(chromedp.Search(`//h1/span[contains(., "Tenue")]`)),
	)
}

// recordDecisionsAndAction records the two decisions (the first for Bobigny, chosen among
// the suggestions) and the action through the forms linked from the meeting's page.
func (j *copilJourney) recordDecisionsAndAction() {
	j.t.Helper()
	for _, text := range []string{copilDecision1, copilDecision2} {
		j.step("décision « "+text+" »",
			chromedp.Navigate(j.meetingURL()),
			chromedp.WaitVisible(chromedp.ID("lien-nouvelle-decision")),
			chromedp.Click(chromedp.ID("lien-nouvelle-decision")),
			chromedp.WaitVisible(chromedp.ID("decision-texte")),
			chromedp.SetValue(chromedp.ID("decision-type"), models.DecisionValidation),
			chromedp.SetValue(chromedp.ID("decision-texte"), text),
		)
		if text == copilDecision1 {
			j.step("Bobigny choisie par son nom parmi les suggestions",
				chromedp.SendKeys(chromedp.ID("decision-communes"), "bobi"),
				chromedp.WaitVisible(suggestion("Bobigny (93008)")),
				chromedp.Click(suggestion("Bobigny (93008)")),
				chromedp.WaitVisible(chromedp.Search(`//ul[@id="decision-communes-choisis"]/li[contains(., "Bobigny (93008)")]`)),
			)
		}
		j.step("enregistrement", chromedp.Click(submitOf("texte")), savedNotice())
	}
	j.step("action « "+copilAction+" »",
		chromedp.Navigate(j.meetingURL()),
		chromedp.WaitVisible(chromedp.ID("lien-nouvelle-action")),
		chromedp.Click(chromedp.ID("lien-nouvelle-action")),
		chromedp.WaitVisible(chromedp.ID("action-titre")),
		chromedp.SetValue(chromedp.ID("action-titre"), copilAction),
		chromedp.SetValue(chromedp.ID("action-responsable"), fmt.Sprintf("u%d", j.u.ID)),
		chromedp.SetValue(chromedp.ID("action-echeance"), j.next.AddDate(0, 1, 0).Format("02/01/2006")),
		chromedp.Click(submitOf("titre")),
		savedNotice(),
	)
}

// preparationExport goes back to the preparation page, checks it lists the decisions and
// the action, and returns its Excel link.
func (j *copilJourney) preparationExport() string {
	t := j.t
	t.Helper()
	j.step("retour à la page de préparation",
		chromedp.Navigate(fmt.Sprintf("%s/instances/%d", j.srv.URL, j.copil.ID)),
		chromedp.WaitVisible(chromedp.ID("lien-preparer")),
		chromedp.Click(chromedp.ID("lien-preparer")),
		chromedp.WaitVisible(chromedp.ID("lien-export")),
	)
	href, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.getElementById("lien-export").href`))
	if err != nil || !strings.HasSuffix(href, ".xlsx") {
		t.Fatalf("lien d'export %q (%v)", href, err)
	}
	listed, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{copilDecision1, copilDecision2, copilAction} {
		if !strings.Contains(listed, want) {
			t.Errorf("la page de préparation ne montre pas %q", want)
		}
	}
	return href
}

// checkWorkbook checks the downloaded preparation holds the agenda item, the decisions and
// the action.
func (j *copilJourney) checkWorkbook(book *excelize.File) {
	t := j.t
	t.Helper()
	var cells []string
	for _, sheet := range book.GetSheetList() {
		rows, err := book.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			cells = append(cells, strings.Join(row, "\t"))
		}
	}
	content := strings.Join(cells, "\n")
	for _, want := range []string{copilPoint, copilDecision1, copilDecision2, copilAction} {
		if !strings.Contains(content, want) {
			t.Errorf("le classeur ne contient pas %q :\n%s", want, content)
		}
	}
}

// checkStored checks the store holds what was typed: the meeting held, its agenda item,
// the two decisions and the action.
func (j *copilJourney) checkStored() {
	t, ctx0, pilote := j.t, context.Background(), j.pilote
	t.Helper()
	r, err := j.s.GetReunion(ctx0, pilote.Scope, j.meeting.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Statut != models.ReunionTenue {
		t.Errorf("statut de la réunion %q", r.Statut)
	}
	points, _, err := j.s.ReunionDetails(ctx0, pilote, j.meeting.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 1 || points[0].Titre != copilPoint {
		t.Errorf("ordre du jour en base : %+v", points)
	}
	decisions, err := j.s.ListDecisions(ctx0, pilote.Scope, models.DecisionFilter{InstanceID: j.copil.ID}, models.PageRequest{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range decisions.Items {
		texts = append(texts, d.Texte)
		if want := map[bool]string{true: "Bobigny (93008)", false: ""}[d.Texte == copilDecision1]; d.TerritoiresLabel() != want {
			t.Errorf("décision %q : territoires %q, attendu %q", d.Texte, d.TerritoiresLabel(), want)
		}
		if d.ReunionID != j.meeting.ID || d.Kind != models.DecisionValidation {
			t.Errorf("décision %d : réunion %d, type %q", d.ID, d.ReunionID, d.Kind)
		}
	}
	if decisions.Total != 2 || !strings.Contains(strings.Join(texts, "|"), copilDecision1) || !strings.Contains(strings.Join(texts, "|"), copilDecision2) {
		t.Errorf("décisions en base : %d %q", decisions.Total, texts)
	}
	actions, err := j.s.ListActions(ctx0, pilote.Scope, models.ActionFilter{ReunionID: j.meeting.ID}, models.PageRequest{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	if actions.Total != 1 || actions.Items[0].Titre != copilAction || actions.Items[0].Responsable() != fmt.Sprintf("u%d", j.u.ID) {
		t.Errorf("actions en base : %+v", actions.Items)
	}
}
