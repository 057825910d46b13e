package app_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// navLinks returns the links of the main menu, by group label ("" for the top-level links).
func navLinks(d *goquery.Document) map[string][]string {
	out := map[string][]string{}
	d.Find("nav#menu-principal > ul > li.fr-nav__item").Each(func(_ int, li *goquery.Selection) {
		group := strings.TrimSpace(li.Find("button.fr-nav__btn").Text())
		li.Find("a.fr-nav__link").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			out[group] = append(out[group], href)
		})
	})
	return out
}

// TestMainMenu: the main menu is grouped the DSFR way (collapsible menus) and reaches every
// section; the administration group is the administrator's only; the current page's link
// and its group are marked.
func TestMainMenu(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		d := page(t, w.clients["pilote"].get("/reunions"), "/reunions", http.StatusOK)
		links := navLinks(d)
		want := map[string][]string{
			"":                            {"/"},
			"Territoire":                  {"/departements", "/communes", "/communes/fiches", "/ecoles", "/epci"},
			"Gouvernance":                 {"/organisations", "/contacts", "/instances", "/reunions", "/decisions", "/actions", "/mes-actions", "/chartes", "/adoptions", "/chartes/couverture"},
			"Conventions et financements": {"/conventions", "/conventions/alertes", "/financements", "/marches"},
		}
		for group, hrefs := range want {
			if strings.Join(links[group], " ") != strings.Join(hrefs, " ") {
				t.Errorf("menu « %s » : %v, attendu %v", group, links[group], hrefs)
			}
		}
		if _, ok := links["Administration"]; ok {
			t.Error("le pilote voit le menu Administration")
		}
		d.Find("nav#menu-principal button.fr-nav__btn").Each(func(_ int, b *goquery.Selection) {
			controls, _ := b.Attr("aria-controls")
			if exp, _ := b.Attr("aria-expanded"); exp != "false" || d.Find("#"+controls+".fr-collapse.fr-menu").Length() != 1 {
				t.Errorf("bouton de menu %q : aria-expanded=%q, menu %q", b.Text(), exp, controls)
			}
		})
		current := func(d *goquery.Document) (group, link string) {
			group = strings.TrimSpace(d.Find(`nav#menu-principal button[aria-current="true"]`).Text())
			link, _ = d.Find(`nav#menu-principal a[aria-current="page"]`).Attr("href")
			if n := d.Find(`nav#menu-principal [aria-current]`).Length(); n > 2 {
				t.Errorf("%d éléments marqués comme courants", n)
			}
			return group, link
		}
		if g, l := current(d); g != "Gouvernance" || l != "/reunions" {
			t.Errorf("/reunions : groupe courant %q, lien courant %q", g, l)
		}
		for path, wantGroup := range map[string][2]string{
			"/chartes/couverture":     {"Gouvernance", "/chartes/couverture"},
			"/chartes":                {"Gouvernance", "/chartes"},
			"/communes/93008":         {"Territoire", "/communes"},
			"/conventions/alertes":    {"Conventions et financements", "/conventions/alertes"},
			"/":                       {"", "/"},
			"/mon-compte":             {"", ""},
			"/decisions?type=arbitre": {"Gouvernance", "/decisions"},
		} {
			d := doc(t, w.clients["pilote"].get(path))
			if g, l := current(d); g != wantGroup[0] || l != wantGroup[1] {
				t.Errorf("%s : groupe courant %q, lien courant %q ; attendu %q", path, g, l, wantGroup)
			}
		}

		d = page(t, w.clients["admin"].get("/admin/journal"), "/admin/journal", http.StatusOK)
		admin := navLinks(d)["Administration"]
		if strings.Join(admin, " ") != "/admin/utilisateurs /admin/connexions /admin/journal /admin/circonscriptions /admin/archives /admin/modeles /admin/messagerie /admin/proconnect" {
			t.Errorf("menu Administration de l'administrateur : %v", admin)
		}
		if g, l := current(d); g != "Administration" || l != "/admin/journal" {
			t.Errorf("/admin/journal : groupe courant %q, lien courant %q", g, l)
		}

		anon := doc(t, get(t, w.h, "/connexion"))
		if anon.Find("nav#menu-principal a").Length() != 0 {
			t.Error("un visiteur anonyme voit le menu")
		}
	})
}

// TestDemoBannerInLandmark: the demonstration banner is a named region, not loose content
// between the header and the main content.
func TestDemoBannerInLandmark(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newAnonymousServer(t, s, app.Config{Demo: true, DemoPassword: "x"})
		d := doc(t, get(t, h, "/connexion"))
		banner := d.Find("#bandeau-demonstration")
		if role, _ := banner.Attr("role"); role != "region" || banner.AttrOr("aria-label", "") == "" {
			t.Errorf("bandeau de démonstration : role=%q aria-label=%q", role, banner.AttrOr("aria-label", ""))
		}
		if !strings.Contains(banner.Text(), "Données de démonstration") {
			t.Errorf("bandeau : %q", banner.Text())
		}
	})
}

// TestLegalPages: the accessibility statement, the legal notice and the personal data
// notice are public, linked from every page's footer, and say what a State service must.
func TestLegalPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		anon := newAnonymousServer(t, s, app.Config{Sessions: models.SessionLimits{Idle: 45 * time.Minute, Absolute: 8 * time.Hour}})
		cases := []struct {
			url, h1 string
			wants   []string
		}{
			{"/accessibilite", "Déclaration d'accessibilité", []string{"non conforme", "RGAA", "version 4.1",
				"Cette déclaration a été établie le", "Technologies utilisées", "Pages du site ayant fait l'objet de la vérification",
				"Dérogations pour charge disproportionnée", "Défenseur des droits", "Libre réponse 71120",
				"adresse de contact à compléter par l'exploitant"}},
			{"/mentions-legales", "Mentions légales", []string{"Rectorat de l'académie de Créteil", "Directeur de la publication",
				"recteur de l'académie de Créteil", "Hébergeur à compléter par l'exploitant", "Licence Ouverte"}},
			{"/donnees-personnelles", "Données personnelles", []string{"mission d'intérêt public", "article 6", "3 ans",
				"45 minutes", "8 heures", "Délégué à la protection des données de l'académie de Créteil", "CNIL", "cookie"}},
		}
		for _, c := range cases {
			rec := get(t, anon, c.url)
			d := page(t, rec, c.url, http.StatusOK)
			if h1 := strings.TrimSpace(d.Find("h1").Text()); h1 != c.h1 {
				t.Errorf("%s : h1 %q", c.url, h1)
			}
			text := strings.Join(strings.Fields(d.Find("main").Text()), " ")
			for _, want := range c.wants {
				if !strings.Contains(text, want) {
					t.Errorf("%s : %q absent", c.url, want)
				}
			}
			if d.Find(`footer a[href="`+c.url+`"][aria-current="page"]`).Length() != 1 {
				t.Errorf("%s : lien du pied de page absent ou non marqué comme courant", c.url)
			}
		}

		// Every page's footer links them; no footer link goes nowhere.
		d := doc(t, get(t, newServer(t, s), "/communes"))
		for _, href := range []string{"/accessibilite", "/mentions-legales", "/donnees-personnelles", "/sources"} {
			if d.Find(`footer a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("pied de page sans lien vers %s", href)
			}
		}
		if d.Find(`footer a[href="#"]`).Length() != 0 {
			t.Error("pied de page : lien vers « # »")
		}
		if !strings.Contains(d.Find("footer").Text(), "Accessibilité : non conforme") {
			t.Error("pied de page : état de conformité absent")
		}

		// The operator's facts, when configured, replace the placeholders.
		configured := newAnonymousServer(t, s, app.Config{Legal: app.LegalInfo{Hosting: "Hébergeur Exemple, 1 rue de l'Exemple, 75000 Paris",
			Contact: "pilotage-ent@ac-creteil.fr", DPO: "DPD de test"}})
		for url, want := range map[string]string{"/mentions-legales": "Hébergeur Exemple", "/accessibilite": "pilotage-ent@ac-creteil.fr",
			"/donnees-personnelles": "DPD de test"} {
			body := get(t, configured, url).Body.String()
			if !strings.Contains(body, want) || strings.Contains(body, "à compléter par l&#39;exploitant") {
				t.Errorf("%s : %q absent ou espace réservé encore affiché", url, want)
			}
		}
	})
}

// TestEmptyRegistries: a list with no row and no filter says that nothing is recorded yet
// and how to add a row; with a filter, that nothing matches.
func TestEmptyRegistries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		pilote, lecteur := w.clients["pilote"], w.clients["lecteur"]
		cases := []struct {
			url, text, add string
		}{
			{"/contacts", "Aucun contact pour l'instant.", ""}, // no organisation yet: no contact can be added
			{"/instances", "Aucune instance pour l'instant.", "/instances/nouveau"},
			{"/reunions", "Aucune réunion pour l'instant.", "/reunions/nouveau"},
			{"/decisions", "Aucune décision pour l'instant.", "/decisions/nouveau"},
			{"/actions", "Aucune action pour l'instant.", "/actions/nouveau"},
			{"/adoptions", "Aucune adoption de la charte pour l'instant.", "/adoptions/nouveau"},
			{"/financements", "Aucun plan de financement pour l'instant.", "/financements/nouveau"},
			{"/mes-actions", "Aucune action ne vous est confiée pour l'instant.", ""},
		}
		for _, c := range cases {
			d := page(t, pilote.get(c.url), c.url, http.StatusOK)
			empty := d.Find("#liste-vide")
			if !strings.Contains(empty.Text(), c.text) {
				t.Errorf("%s : message %q, attendu %q", c.url, strings.TrimSpace(empty.Text()), c.text)
			}
			if strings.Contains(d.Text(), "Aucun résultat ne correspond") {
				t.Errorf("%s : « Aucun résultat ne correspond » sans filtre", c.url)
			}
			if href, _ := empty.Find("a").Attr("href"); href != c.add {
				t.Errorf("%s : lien d'ajout %q, attendu %q", c.url, href, c.add)
			}
			if d.Find("table").Length() != 0 {
				t.Errorf("%s : tableau vide affiché", c.url)
			}
		}
		// Who may not create gets the message without the link.
		d := doc(t, lecteur.get("/decisions"))
		if d.Find("#liste-vide").Length() != 1 || d.Find("#liste-vide a").Length() != 0 {
			t.Error("/decisions du lecteur : message sans lien d'ajout attendu")
		}
		// A filter that matches nothing is a search without result.
		for _, url := range []string{"/decisions?q=zzz", "/actions?statut=faite", "/financements?q=zzz", "/organisations?q=zzz"} {
			d := page(t, pilote.get(url), url, http.StatusOK)
			if d.Find("#liste-vide").Length() != 0 || !strings.Contains(d.Find("#resultats").Text(), "Aucun résultat ne correspond à ces critères") {
				t.Errorf("%s : « Aucun résultat ne correspond à ces critères » attendu", url)
			}
		}
		for url, want := range map[string]string{"/instances?type=copil_academique": "Aucune instance ne correspond à ces critères",
			"/reunions?statut=tenue": "Aucune réunion ne correspond à ces critères"} {
			if !strings.Contains(pilote.get(url).Body.String(), want) {
				t.Errorf("%s : %q absent", url, want)
			}
		}
	})
}

// TestMeetingPageListsOutcomes: a meeting's page lists the decisions taken there and the
// actions decided there, with links; the preparation page shows the next meeting's agenda.
func TestMeetingPageListsOutcomes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ctx, pilote := t.Context(), w.actors["pilote"]
		copil := must(s.CreateInstance(ctx, pilote, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}))
		held := must(s.CreateReunion(ctx, pilote, models.ReunionInput{InstanceID: copil.ID, Titre: "COPIL de printemps",
			Date: time.Now().AddDate(0, -1, 0).Format("2006-01-02"), HeureDebut: "14:00", HeureFin: "16:00", Statut: models.ReunionTenue}))
		next := must(s.CreateReunion(ctx, pilote, models.ReunionInput{InstanceID: copil.ID, Titre: "COPIL d'automne",
			Date: time.Now().AddDate(0, 1, 0).Format("2006-01-02"), HeureDebut: "14:00", HeureFin: "16:00"}))
		first := must(s.CreateDecision(ctx, pilote, models.DecisionInput{ReunionID: held.ID, Texte: "Le COPIL valide le calendrier.", Kind: models.DecisionValidation, Academie: true}))
		second := must(s.CreateDecision(ctx, pilote, models.DecisionInput{ReunionID: held.ID, Texte: "Le COPIL retient l'annuaire académique.", Kind: models.DecisionArbitrage, Academie: true}))
		fromDecision := must(s.CreateAction(ctx, pilote, models.ActionInput{DecisionID: second.ID, Titre: "Configurer l'annuaire"}))
		direct := must(s.CreateAction(ctx, pilote, models.ActionInput{ReunionID: held.ID, Titre: "Diffuser le compte rendu"}))
		if err := s.AddPoint(ctx, pilote, next.ID, "Bilan de la rentrée", "Pilote académique"); err != nil {
			t.Fatal(err)
		}

		url := "/reunions/" + itoa(held.ID)
		d := page(t, w.clients["lecteur"].get(url), url, http.StatusOK)
		var decisions []string
		d.Find("#tableau-decisions-reunion tbody a").Each(func(_ int, a *goquery.Selection) {
			decisions = append(decisions, a.AttrOr("href", "")+" "+a.Text())
		})
		if strings.Join(decisions, "|") != "/decisions/"+itoa(first.ID)+" Le COPIL valide le calendrier.|/decisions/"+itoa(second.ID)+" Le COPIL retient l'annuaire académique." {
			t.Errorf("décisions de la réunion : %q", decisions)
		}
		actions := d.Find("#tableau-actions-reunion").Text()
		for _, a := range []models.ActionRow{fromDecision, direct} {
			if d.Find(`#tableau-actions-reunion a[href="/actions/`+itoa(a.ID)+`"]`).Length() != 1 || !strings.Contains(actions, a.Titre) {
				t.Errorf("action %q absente de la page de la réunion", a.Titre)
			}
		}

		url = "/reunions/" + itoa(next.ID)
		d = page(t, w.clients["pilote"].get(url), url, http.StatusOK)
		if !strings.Contains(d.Find("#aucune-decision").Text(), "Aucune décision") || d.Find(`#aucune-decision a[href="/decisions/nouveau?reunion=`+itoa(next.ID)+`"]`).Length() != 1 {
			t.Error("réunion à venir : « Aucune décision » et le lien d'ajout attendus")
		}

		url = "/instances/" + itoa(copil.ID) + "/preparer"
		d = page(t, w.clients["pilote"].get(url), url, http.StatusOK)
		if got := strings.Join(strings.Fields(d.Find("#ordre-du-jour-prochaine").Text()), " "); got != "Bilan de la rentrée — présenté par Pilote académique" {
			t.Errorf("ordre du jour de la prochaine réunion : %q", got)
		}
	})
}

var (
	// rawCount is a number of four digits or more printed without thousands separators.
	rawCount = regexp.MustCompile(`^\d{4,}$`)
	// number is a cell holding a count, grouped or not.
	number = regexp.MustCompile(`^\d[\d\x{202f}]*$`)
	// code is the header of a column of codes (INSEE, SIREN, UAI), which are not counts.
	code = regexp.MustCompile(`(?i)code|siren|uai|insee|département`)
)

// TestNumbersFrenchStyle: counts are grouped by thousands and right-aligned in tables, on
// the demonstration's data (the charter's coverage needs adoptions).
func TestNumbersFrenchStyle(t *testing.T) {
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, url := range []string{"/", "/communes?departement=93&sort=-population", "/epci", "/departements/93", "/chartes/couverture",
			"/conventions/alertes", "/financements"} {
			d := doc(t, get(t, h, url))
			if d.Find("main td.num").Length() == 0 {
				t.Errorf("%s : aucun nombre dans un tableau", url)
			}
			d.Find("main table").Each(func(_ int, table *goquery.Selection) {
				var headers []string
				table.Find("thead th").Each(func(_ int, th *goquery.Selection) { headers = append(headers, strings.TrimSpace(th.Text())) })
				table.Find("tbody tr, tfoot tr").Each(func(_ int, tr *goquery.Selection) {
					tr.Children().Each(func(i int, cell *goquery.Selection) {
						text := strings.TrimSpace(cell.Text())
						if goquery.NodeName(cell) != "td" || !number.MatchString(text) || i >= len(headers) || code.MatchString(headers[i]) {
							return
						}
						if rawCount.MatchString(text) {
							t.Errorf("%s, colonne %q : nombre %q sans séparateur de milliers", url, headers[i], text)
						}
						if !cell.HasClass("num") {
							t.Errorf("%s, colonne %q : nombre %q non aligné à droite (classe num)", url, headers[i], text)
						}
					})
				})
			})
		}
	})
}

// TestW3CLayoutPages runs the W3C checker on the pages this layout work added or changed:
// the legal pages, signed out and in, the administrator's menu, the demonstration banner,
// empty registries; then, on the demonstration's data, the lists, a meeting with its
// outcomes and the preparation page.
func TestW3CLayoutPages(t *testing.T) {
	w3c := newW3CPages(t)
	cfg := app.Config{Demo: true, DemoPassword: "x"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		anon := newAnonymousServer(t, s, cfg)
		for _, url := range []string{"/accessibilite", "/mentions-legales", "/donnees-personnelles", "/connexion"} {
			w3c.add(url+" (anonyme)", get(t, anon, url).Body.Bytes())
		}
		admin := newWorld(t, s, cfg).clients["admin"]
		for _, url := range []string{"/decisions", "/actions", "/mes-actions", "/instances", "/reunions", "/financements", "/admin/journal", "/accessibilite"} {
			w3c.add(url+" (vide)", admin.get(url).Body.Bytes())
		}
	})
	s := dbtest.Quickest().OpenDemo(t)
	decisions, err := s.ListDecisions(t.Context(), models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{Size: 1})
	if err != nil || len(decisions.Items) == 0 {
		t.Fatalf("décisions de démonstration : %v", err)
	}
	d := decisions.Items[0]
	admin := newFormClient(t, newAnonymousServer(t, s, cfg), signIn(t, s, models.UserInput{Email: "admin.w3c@ac-creteil.fr", Nom: "Admin", Role: models.RoleAdmin}))
	for _, url := range []string{"/", "/decisions", "/actions", "/reunions", "/instances", "/chartes/couverture", "/conventions/alertes",
		"/reunions/" + itoa(d.ReunionID), "/instances/" + itoa(d.InstanceID) + "/preparer", "/admin/journal"} {
		rec := admin.get(url)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s : statut %d", url, rec.Code)
		}
		w3c.add(url, rec.Body.Bytes())
	}
	w3c.check()
}
