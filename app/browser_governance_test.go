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
)

// TestBrowserPrepareNextCopil: the pilote académique signs in, opens the COPIL académique,
// follows "Préparer la prochaine réunion", opens the planned meeting and adds an agenda
// item; after the meeting they set its status to "tenue" through the edit form, record two
// decisions and an action through the forms linked from the meeting's page, and download
// the preparation as Excel (read with the browser's session): it lists the two decisions
// and the action, and the store holds what was typed.
func TestBrowserPrepareNextCopil(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx0 := context.Background()
		const email, password = "pilote.copil@ac-creteil.fr", "la phrase de passe du pilote académique"
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
		submit := func(field string) chromedp.Search {
			return chromedp.Search(fmt.Sprintf(`//main//form[.//*[@name=%q]]//button[@type="submit" and not(@aria-hidden) and not(@name)]`, field))
		}
		saved := chromedp.WaitVisible(chromedp.Search(`//main//*[@role="status"]`))
		const point, decision1, decision2, action = "Bilan du déploiement de la rentrée",
			"Le COPIL valide le calendrier de généralisation.", "Le COPIL retient l'annuaire académique pour l'identification.",
			"Diffuser la charte aux communes du 93"
		meetingURL := fmt.Sprintf("%s/reunions/%d", srv.URL, meeting.ID)

		step("connexion",
			chromedp.Navigate(srv.URL+"/connexion"),
			chromedp.WaitVisible(byLabel("Adresse électronique")),
			chromedp.SetValue(byLabel("Adresse électronique"), email),
			chromedp.SetValue(byLabel("Mot de passe"), password),
			chromedp.Click(button("Se connecter")),
			chromedp.WaitVisible(chromedp.ID("mon-perimetre")),
		)
		step("page de l'instance puis « Préparer la prochaine réunion »",
			chromedp.Navigate(fmt.Sprintf("%s/instances/%d", srv.URL, copil.ID)),
			chromedp.WaitVisible(chromedp.ID("lien-preparer")),
			chromedp.Click(chromedp.ID("lien-preparer")),
			chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "Préparer la prochaine réunion")]`)),
		)
		step("ouverture de la prochaine réunion",
			chromedp.Click(chromedp.Search(`//h2[@id="prochaine-reunion"]/following-sibling::p[1]/a`)),
			chromedp.WaitVisible(chromedp.ID("formulaire-point")),
		)
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasPrefix(loc, meetingURL) {
			t.Fatalf("la page de préparation mène à %s, attendu %s", loc, meetingURL)
		}
		step("ajout d'un point à l'ordre du jour",
			chromedp.SetValue(chromedp.ID("point-titre"), point),
			chromedp.SetValue(chromedp.ID("point-presentateur"), "Pilote académique"),
			chromedp.Click(chromedp.Search(`//form[@id="formulaire-point"]//button[@type="submit"]`)),
			chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//ol[@id="liste-points"]/li[contains(., %q)]`, point))),
		)
		step("la réunion s'est tenue : statut « Tenue » par le formulaire de modification",
			chromedp.Click(chromedp.ID("lien-modifier")),
			chromedp.WaitVisible(chromedp.ID("reunion-statut")),
			chromedp.SetValue(chromedp.ID("reunion-statut"), models.ReunionTenue),
			chromedp.Click(submit("statut")),
			chromedp.WaitVisible(chromedp.Search(`//h1/span[contains(., "Tenue")]`)),
		)
		for _, text := range []string{decision1, decision2} {
			step("décision « "+text+" »",
				chromedp.Navigate(meetingURL),
				chromedp.WaitVisible(chromedp.ID("lien-nouvelle-decision")),
				chromedp.Click(chromedp.ID("lien-nouvelle-decision")),
				chromedp.WaitVisible(chromedp.ID("decision-texte")),
				chromedp.SetValue(chromedp.ID("decision-type"), models.DecisionValidation),
				chromedp.SetValue(chromedp.ID("decision-texte"), text),
			)
			if text == decision1 {
				step("Bobigny choisie par son nom parmi les suggestions",
					chromedp.SendKeys(chromedp.ID("decision-communes"), "bobi"),
					chromedp.WaitVisible(suggestion("Bobigny (93008)")),
					chromedp.Click(suggestion("Bobigny (93008)")),
					chromedp.WaitVisible(chromedp.Search(`//ul[@id="decision-communes-choisis"]/li[contains(., "Bobigny (93008)")]`)),
				)
			}
			step("enregistrement", chromedp.Click(submit("texte")), saved)
		}
		step("action « "+action+" »",
			chromedp.Navigate(meetingURL),
			chromedp.WaitVisible(chromedp.ID("lien-nouvelle-action")),
			chromedp.Click(chromedp.ID("lien-nouvelle-action")),
			chromedp.WaitVisible(chromedp.ID("action-titre")),
			chromedp.SetValue(chromedp.ID("action-titre"), action),
			chromedp.SetValue(chromedp.ID("action-responsable"), fmt.Sprintf("u%d", u.ID)),
			chromedp.SetValue(chromedp.ID("action-echeance"), next.AddDate(0, 1, 0).Format("02/01/2006")),
			chromedp.Click(submit("titre")),
			saved,
		)
		step("retour à la page de préparation",
			chromedp.Navigate(fmt.Sprintf("%s/instances/%d", srv.URL, copil.ID)),
			chromedp.WaitVisible(chromedp.ID("lien-preparer")),
			chromedp.Click(chromedp.ID("lien-preparer")),
			chromedp.WaitVisible(chromedp.ID("lien-export")),
		)
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("lien-export").href`))
		if err != nil || !strings.HasSuffix(href, ".xlsx") {
			t.Fatalf("lien d'export %q (%v)", href, err)
		}
		listed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{decision1, decision2, action} {
			if !strings.Contains(listed, want) {
				t.Errorf("la page de préparation ne montre pas %q", want)
			}
		}

		// The download, with the browser's session.
		book := downloadWorkbook(t, ctx, srv, href)
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
		for _, want := range []string{point, decision1, decision2, action} {
			if !strings.Contains(content, want) {
				t.Errorf("le classeur ne contient pas %q :\n%s", want, content)
			}
		}

		// What the store holds.
		r, err := s.GetReunion(ctx0, pilote.Scope, meeting.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Statut != models.ReunionTenue {
			t.Errorf("statut de la réunion %q", r.Statut)
		}
		points, _, err := s.ReunionDetails(ctx0, pilote, meeting.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(points) != 1 || points[0].Titre != point {
			t.Errorf("ordre du jour en base : %+v", points)
		}
		decisions, err := s.ListDecisions(ctx0, pilote.Scope, models.DecisionFilter{InstanceID: copil.ID}, models.PageRequest{Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, d := range decisions.Items {
			texts = append(texts, d.Texte)
			if want := map[bool]string{true: "Bobigny (93008)", false: ""}[d.Texte == decision1]; d.TerritoiresLabel() != want {
				t.Errorf("décision %q : territoires %q, attendu %q", d.Texte, d.TerritoiresLabel(), want)
			}
			if d.ReunionID != meeting.ID || d.Kind != models.DecisionValidation {
				t.Errorf("décision %d : réunion %d, type %q", d.ID, d.ReunionID, d.Kind)
			}
		}
		if decisions.Total != 2 || !strings.Contains(strings.Join(texts, "|"), decision1) || !strings.Contains(strings.Join(texts, "|"), decision2) {
			t.Errorf("décisions en base : %d %q", decisions.Total, texts)
		}
		actions, err := s.ListActions(ctx0, pilote.Scope, models.ActionFilter{ReunionID: meeting.ID}, models.PageRequest{Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if actions.Total != 1 || actions.Items[0].Titre != action || actions.Items[0].Responsable() != fmt.Sprintf("u%d", u.ID) {
			t.Errorf("actions en base : %+v", actions.Items)
		}
	})
}
