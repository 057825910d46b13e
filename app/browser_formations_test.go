package app_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/chromedp/chromedp"
)

// TestBrowserFormationJourney: the IEN of Villejuif (0940920P), signed in through the login
// page, schedules a session of the 94's plan for today in their circonscription through the
// form, open to registrations; registers three écoles opened in their circonscription with
// their headcounts and two named teachers; takes the attendance (two present in each école,
// both teachers present) and marks the session held; finds both teachers on the sign-in
// sheet; records five answers to the questionnaire and sees the means; and their
// circonscription's coverage counts 8 trained where it counted none. axe-core checks the
// session form, the session, the registrations, the attendance, the evaluations and the
// coverage.
func TestBrowserFormationJourney(t *testing.T) {
	axe := readAxe(t)
	ctx := browser(t)
	s := dbtest.Quickest().Open(t, true)
	const email, password = "ien.villejuif.formation@ac-creteil.fr", "la phrase de passe de l'IEN de Villejuif"
	secUser(t, s, models.UserInput{Email: email, Nom: "IEN Villejuif", Role: models.RoleIEN, Circonscription: "0940920P"}, password)
	sys := models.SystemActor("test")
	today := time.Now().In(fr.Paris())
	year := models.SchoolYearOf(today)
	plan := must(s.CreatePlanFormation(t.Context(), sys, models.PlanFormationInput{
		AnneeScolaire: strconv.Itoa(year) + "-" + strconv.Itoa(year+1), Departement: "94", Titre: "Plan de formation ENT du 94"}))
	ecoles := ecolesIn(t, s, models.EcoleFilter{Circonscription: "0940920P"}, 3)
	setPhase(t, s, sys, "ouvert", ecoles...)
	srv := httptest.NewServer(newAnonymousServer(t, s, app.Config{}))
	defer srv.Close()
	browserLogin(t, ctx, srv.URL, "l'IEN de Villejuif", email, password)
	browserStep(t, ctx, "largeur", chromedp.EmulateViewport(1366, 900))
	if before := trainedInCirco(t, ctx, srv.URL, "couverture avant la session"); before != "0" {
		t.Fatalf("formés avant la session : %q, 0 attendu", before)
	}
	ready := formationPageReady()
	browserStep(t, ctx, "formulaire de session", chromedp.Navigate(srv.URL+"/formations/nouvelle"),
		chromedp.WaitVisible(chromedp.ID("formation-plan")), ready)
	axeCheck(t, ctx, axe, "formulaire de session", 0)
	browserStep(t, ctx, "planification de la session",
		chromedp.SetValue(chromedp.ID("formation-plan"), strconv.FormatInt(plan.ID, 10)),
		chromedp.SetValue(chromedp.ID("formation-module"), "1"),
		chromedp.SetValue(chromedp.ID("formation-public"), "enseignants"),
		chromedp.SetValue(chromedp.ID("formation-date"), today.Format("02/01/2006")),
		chromedp.SetValue(chromedp.ID("formation-heure_debut"), "14h30"),
		chromedp.SetValue(chromedp.ID("formation-lieu"), "École Robespierre, Villejuif"),
		chromedp.SetValue(chromedp.ID("formation-capacite"), "20"),
		chromedp.SetValue(chromedp.ID("formation-statut"), "ouverte"),
		chromedp.Click(button("Enregistrer la session")),
		chromedp.WaitVisible(chromedp.ID("fiche-formation")), ready)
	axeCheck(t, ctx, axe, "page de la session", 0)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	status, err2 := chromedp.Run(ctx, chromedp.Text(chromedp.ID("statut-formation")))
	if err != nil || err2 != nil || !strings.Contains(loc, "/formations/") || !strings.Contains(strings.ToLower(status), "ouverte") {
		t.Fatalf("session planifiée : %s, statut %q (%v %v)", loc, status, err, err2)
	}
	base := strings.SplitN(loc, "?", 2)[0]
	registerFormation(t, ctx, base, ecoles)
	axeCheck(t, ctx, axe, "inscriptions", 0)
	tablesFit(t, ctx, "inscriptions")
	takeAttendance(t, ctx, axe, base)
	browserStep(t, ctx, "feuille d'émargement", chromedp.Navigate(base+"/emargement"), chromedp.WaitVisible(chromedp.ID("tableau-emargement")))
	tablesFit(t, ctx, "feuille d'émargement")
	sheet, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("tableau-emargement")))
	if err != nil || !strings.Contains(sheet, "Camille Lefèvre") || !strings.Contains(sheet, "Karim Benali") {
		t.Errorf("feuille d'émargement : %q, %v", strings.Join(strings.Fields(sheet), " "), err)
	}
	recordEvaluations(t, ctx, axe, base)
	after := trainedInCirco(t, ctx, srv.URL, "couverture après la session")
	axeCheck(t, ctx, axe, "couverture", 0)
	if after != "8" {
		t.Errorf("formés après la session : %q, 8 attendus (2 présents × 3 écoles + 2 enseignants)", after)
	}
}

// trainedInCirco opens the coverage page, checks that its tables show every column, and
// returns the number of teachers trained of the IEN's circonscription (its total line).
func trainedInCirco(t *testing.T, ctx context.Context, base, what string) string {
	t.Helper()
	browserStep(t, ctx, what, chromedp.Navigate(base+"/formations/couverture"), chromedp.WaitVisible(chromedp.ID("ligne-total")),
		formationPageReady())
	tablesFit(t, ctx, what)
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#ligne-total td")].map(c => c.textContent.trim())`))
	if err != nil || len(cells) < 5 {
		t.Fatalf("%s : ligne du total %q, %v", what, cells, err)
	}
	return cells[2]
}

// registerFormation registers the three écoles with their headcounts (4, 3, 2) and two
// named teachers of the first one through the registrations page.
func registerFormation(t *testing.T, ctx context.Context, base string, ecoles []string) {
	t.Helper()
	done := chromedp.WaitVisible(chromedp.Search(`//main//div[@role="status"][contains(., "L'inscription a été enregistrée")]`))
	for i, uai := range ecoles {
		browserStep(t, ctx, "inscription de l'école "+uai, chromedp.Navigate(base+"/inscriptions"),
			chromedp.WaitVisible(chromedp.ID("formulaire-inscription")),
			chromedp.Click(chromedp.ID("kind-ecole")),
			chromedp.SetValue(chromedp.ID("inscription-uai"), uai),
			chromedp.SetValue(chromedp.ID("inscription-effectif"), strconv.Itoa(4-i)),
			chromedp.Click(chromedp.ID("bouton-inscrire")), done)
	}
	for _, who := range []string{"Camille Lefèvre", "Karim Benali"} {
		browserStep(t, ctx, "inscription de "+who,
			chromedp.WaitVisible(chromedp.ID("formulaire-inscription")),
			chromedp.Click(chromedp.ID("kind-participant")),
			chromedp.SetValue(chromedp.ID("inscription-nom"), who),
			chromedp.SetValue(chromedp.ID("inscription-fonction"), "Professeur des écoles"),
			chromedp.SetValue(chromedp.ID("inscription-uai"), ecoles[0]),
			chromedp.Click(chromedp.ID("bouton-inscrire")), done)
	}
	places, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("places")))
	rows, err2 := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#tableau-inscrits tbody tr").length`))
	if err != nil || err2 != nil || !strings.Contains(places, "11 prises sur 20") || rows != 5 {
		t.Fatalf("inscriptions : %q, %d lignes (%v %v)", places, rows, err, err2)
	}
}

// takeAttendance marks everyone present, two present in each école, and the session held.
func takeAttendance(t *testing.T, ctx context.Context, axe, base string) {
	t.Helper()
	browserStep(t, ctx, "page de présence", chromedp.Navigate(base+"/presences"), chromedp.WaitVisible(chromedp.ID("formulaire-presences")),
		formationPageReady())
	axeCheck(t, ctx, axe, "présence", 0)
	browserStep(t, ctx, "relevé de présence",
		runJS(`document.querySelectorAll('#formulaire-presences input[type=radio][value=present]').forEach(r => r.click());
			document.querySelectorAll('#formulaire-presences input[id^="presents-"]').forEach(i => { i.value = "2" });
			document.getElementById("tenue").click()`))
	browserStep(t, ctx, "enregistrement de la présence", chromedp.Click(chromedp.ID("bouton-presences")),
		chromedp.WaitVisible(chromedp.Search(`//main//div[@role="status"][contains(., "La présence a été enregistrée")]`)))
	present, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("#tableau-inscrits tbody tr")].
		filter(r => r.textContent.includes("Présent")).length`))
	// A session held takes no registration and keeps its registrations: neither the form nor a
	// cancel button is offered.
	offered, err2 := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#formulaire-inscription, #tableau-inscrits form[action$='/annuler']").length`))
	if err != nil || err2 != nil || present != 5 || offered != 0 {
		t.Errorf("inscriptions présentes : %d sur 5, %d formulaires d'inscription ou d'annulation sur la session tenue (%v %v)", present, offered, err, err2)
	}
}

// recordEvaluations records five answers (satisfaction 5, 4, 4, 5, 3: mean 4,2) and checks
// the means, shown from five answers.
func recordEvaluations(t *testing.T, ctx context.Context, axe, base string) {
	t.Helper()
	browserStep(t, ctx, "page des évaluations", chromedp.Navigate(base+"/evaluations"), chromedp.WaitVisible(chromedp.ID("formulaire-evaluation")),
		formationPageReady())
	for i, note := range []string{"5", "4", "4", "5", "3"} {
		browserStep(t, ctx, "réponse "+strconv.Itoa(i+1),
			chromedp.WaitVisible(chromedp.ID("formulaire-evaluation")),
			chromedp.Click(chromedp.ID("evaluation-satisfaction-"+note)),
			chromedp.Click(chromedp.ID("evaluation-utilite-4")),
			chromedp.Click(chromedp.ID("evaluation-usage_classe-oui")),
			chromedp.SetValue(chromedp.ID("evaluation-commentaire"), "Réponse n° "+strconv.Itoa(i+1)),
			chromedp.Click(chromedp.ID("enregistrer-reponse")),
			chromedp.WaitVisible(chromedp.ID("fait")))
	}
	axeCheck(t, ctx, axe, "évaluations", 0)
	tablesFit(t, ctx, "évaluations")
	answers, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("nb-reponses")))
	mean, err2 := chromedp.Run(ctx, chromedp.Text(chromedp.ID("moyenne-satisfaction")))
	if err != nil || err2 != nil || strings.TrimSpace(answers) != "5" || strings.TrimSpace(mean) != "4,2" {
		t.Errorf("résultats : %q réponses, satisfaction %q (%v %v)", answers, mean, err, err2)
	}
}

// tablesFit checks that no table of the page scrolls within its frame at the window's
// width: every column shows without scrolling.
func tablesFit(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".fr-table__container")].
		filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.closest(".fr-table").id)`))
	if err != nil || len(wide) > 0 {
		t.Errorf("%s : tableaux plus larges que la page, colonnes cachées : %q (%v)", what, wide, err)
	}
}

// formationPageReady waits for the DSFR scripts to have set the page up.
func formationPageReady() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-fr-js") === "true"`, chromedp.WithPollingTimeout(10*time.Second))
}
