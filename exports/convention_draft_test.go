package exports_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
)

// render is the draft as the printable page shows it: goldmark's HTML (the page then
// sanitises it), and the text a reader sees, tags removed and entities decoded.
func render(t *testing.T, md string) (htm, text string) {
	t.Helper()
	var b strings.Builder
	if err := goldmark.Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	htm = b.String()
	return htm, html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(htm, ""))
}

func bobigny() models.ConventionRow {
	day := func(y int, m time.Month, d int) *time.Time { return ptr(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) }
	return models.ConventionRow{
		Convention: models.Convention{Reference: "CRE-93-2012-002", Kind: models.ConventionLocale, DepartementCode: ptr("93"),
			Titre: "ENT à Bobigny", Objet: "Déploiement de l'ENT", DateEffet: day(2012, 1, 2), DateFin: day(2015, 8, 31), PreavisMois: ptr(6)},
		DepartementNom: "Seine-Saint-Denis", EPCINom: "Est Ensemble", CharteNumero: "2",
		Parties: []models.ConventionParty{
			{OrganisationNom: "Commune de Bobigny", OrganisationKind: "commune", SignataireNom: "Jeanne Martin", SignataireFonction: "maire"},
			{OrganisationNom: "DSDEN 93", OrganisationKind: "dsden", SignataireNom: "Paul Durand", SignataireFonction: "IA-DASEN", DateSignature: day(2012, 1, 2)},
		},
		Communes: []models.ConventionCommune{{CodeINSEE: "93008", Nom: "Bobigny"}},
		Ecoles: []models.ConventionEcole{{UAI: "0930388S", Nom: "École Jules Ferry", CommuneNom: "Bobigny", NbEleves: 1234},
			{UAI: "0930400E", Nom: "École Paul Bert", CommuneNom: "Bobigny", NbEleves: 1}},
	}
}

// TestConventionDraftValues: each placeholder becomes the convention's data, the French
// way (days, grouped numbers, singular for one pupil); spaces inside the braces are allowed.
func TestConventionDraftValues(t *testing.T) {
	model := "# {{titre}}\n\nRéférence {{reference}} ({{type}}), {{departement}}, {{ commune }}, {{epci}}.\n\n" +
		"Signé pour la DSDEN par {{ia_dasen}}. Charte {{charte}}, du {{date_effet}} au {{date_expiration}}, préavis {{preavis}} mois.\n\n" +
		"## Parties\n\n{{parties}}\n\n## Écoles ({{nb_ecoles}}, {{nb_eleves}} élèves)\n\n{{liste_ecoles}}\n"
	got := exports.ConventionDraft(model, bobigny())
	want := "# ENT à Bobigny\n\nRéférence CRE-93-2012-002 (Convention locale), 93 Seine-Saint-Denis, Bobigny, Est Ensemble.\n\n" +
		"Signé pour la DSDEN par Paul Durand, IA-DASEN. Charte version 2, du 02/01/2012 au 31/08/2015, préavis 6 mois.\n\n" +
		"## Parties\n\n- Commune de Bobigny (Jeanne Martin, maire)\n- DSDEN 93 (Paul Durand, IA-DASEN) signée le 02/01/2012\n\n" +
		"## Écoles (2, 1\u202f235 élèves)\n\n- École Jules Ferry (0930388S), Bobigny : 1\u202f234 élèves\n- École Paul Bert (0930400E), Bobigny : 1 élève\n"
	if got != want {
		t.Errorf("projet :\n%s\nattendu :\n%s", got, want)
	}
	if htm, _ := render(t, got); strings.Count(htm, "<li>") != 4 || !strings.Contains(htm, "<h1>ENT à Bobigny</h1>") {
		t.Errorf("rendu :\n%s", htm)
	}
}

// TestConventionDraftNotHTMLEscaped (bug): the draft is Markdown, not HTML. Apostrophes,
// ampersands, guillemets and angle brackets are written as typed in the .md (no "&#39;",
// no "&amp;"), and the page, which renders the Markdown to HTML, escapes them once.
func TestConventionDraftNotHTMLEscaped(t *testing.T) {
	c := bobigny()
	c.Titre = `L'ENT « Bobigny & Drancy » <pilote> "2012"`
	c.Parties[0].OrganisationNom = "Syndicat d'études & d'équipement"
	got := exports.ConventionDraft("{{titre}}\n\n{{parties}}\n", c)
	for _, bad := range []string{"&#39;", "&amp;", "&lt;", "&gt;", "&#34;", "&quot;"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q dans le Markdown :\n%s", bad, got)
		}
	}
	if !strings.HasPrefix(got, `L'ENT « Bobigny & Drancy » \<pilote> "2012"`) || !strings.Contains(got, "- Syndicat d'études & d'équipement") {
		t.Errorf("projet :\n%s", got)
	}
	htm, text := render(t, got)
	if !strings.Contains(htm, "&lt;pilote&gt;") || strings.Contains(htm, "&amp;amp;") || strings.Contains(htm, "&amp;#39;") {
		t.Errorf("HTML échappé deux fois ou pas du tout :\n%s", htm)
	}
	if !strings.Contains(text, c.Titre) || !strings.Contains(text, "Syndicat d'études & d'équipement") {
		t.Errorf("texte affiché :\n%s", text)
	}
}

// TestConventionDraftEscapesMarkdown: the convention's data is text. What Markdown would
// read as markup (emphasis, links, code, headings, lists, quotes, entities, indented code)
// is escaped, so that the page shows it as typed, and a title cannot inject a link.
func TestConventionDraftEscapesMarkdown(t *testing.T) {
	c := bobigny()
	c.Titre = "*Pilote* _ENT_ [lien](javascript:alert(1)) ![img](x.png) `code` <b>gras</b> &copy; \\o/ 93_008"
	c.Objet = "# Pas un titre\n1. pas une liste\n12) non plus\n- ni un tiret\n+ ni un plus\n> ni une citation\n    ni du code\n~~~\n---\n==="
	c.Communes = []models.ConventionCommune{{Nom: "#Bobigny"}}
	got := exports.ConventionDraft("Titre : {{titre}}\n\n{{objet}}\n\n{{commune}}\n", c)
	htm, text := render(t, got)
	for _, tag := range []string{"<em>", "<strong>", "<a ", "<img", "<code>", "<b>", "<h1>", "<ol>", "<ul>", "<blockquote>", "<pre>", "<hr", "<h2>"} {
		if strings.Contains(htm, tag) {
			t.Errorf("%s dans le rendu :\n%s\ndu Markdown :\n%s", tag, htm, got)
		}
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	want := flat("Titre : " + c.Titre + " " + strings.ReplaceAll(c.Objet, "    ", "") + " #Bobigny")
	if flat(text) != want {
		t.Errorf("texte affiché :\n%q\nattendu :\n%q", flat(text), want)
	}
	// Escaping only where needed: ordinary punctuation stays as typed.
	c = bobigny()
	c.Titre = "ENT (phase 1) : Bobigny-Drancy, 2012 ! 50 % ; l'école « Jean-Jaurès »."
	if got := exports.ConventionDraft("{{titre}}", c); got != c.Titre {
		t.Errorf("ponctuation échappée : %q", got)
	}
}

// TestConventionDraftEmptyPlaceholders (bug): a placeholder the convention has no value for
// (no DSDEN party, no charter, no notice…) becomes a visible "[à compléter : …]" marker
// naming what to write, never the literal {{ia_dasen}} nor an empty gap.
func TestConventionDraftEmptyPlaceholders(t *testing.T) {
	c := bobigny()
	c.Parties = c.Parties[:1] // no DSDEN party
	c.CharteNumero, c.PreavisMois, c.EPCINom = "", nil, ""
	got := exports.ConventionDraft("Entre l'IA-DASEN ({{ia_dasen}}) et {{commune}} ; charte {{ charte }}, préavis {{preavis}}, EPCI {{epci}}.", c)
	if strings.Contains(got, "{{") {
		t.Errorf("champ laissé tel quel : %q", got)
	}
	_, text := render(t, got)
	want := "Entre l'IA-DASEN ([à compléter : IA-DASEN]) et Bobigny ; charte [à compléter : version de la charte], " +
		"préavis [à compléter : préavis (mois)], EPCI [à compléter : EPCI]."
	if strings.TrimSpace(text) != want {
		t.Errorf("texte affiché :\n%q\nattendu :\n%q", strings.TrimSpace(text), want)
	}
	// A DSDEN party without a signatory is no value either.
	c.Parties = append(c.Parties, models.ConventionParty{OrganisationNom: "DSDEN 93", OrganisationKind: "dsden"})
	if _, text := render(t, exports.ConventionDraft("{{ia_dasen}}", c)); strings.TrimSpace(text) != "[à compléter : IA-DASEN]" {
		t.Errorf("DSDEN sans signataire : %q", text)
	}
	// Every placeholder of an empty convention is a marker, or a value that needs none.
	var model strings.Builder
	for _, p := range models.ModelePlaceholders {
		model.WriteString("{{" + p.Value + "}}\n\n")
	}
	got = exports.ConventionDraft(model.String(), models.ConventionRow{})
	if strings.Contains(got, "{{") || strings.Count(got, `\[à compléter : `) != len(models.ModelePlaceholders)-3 {
		// departement (the académie), nb_ecoles and nb_eleves (0) always have a value
		t.Errorf("convention vide :\n%s", got)
	}
	// A name that is not a placeholder (refused when the model is saved) is left as written.
	if got := exports.ConventionDraft("{{inconnu}}", c); got != "{{inconnu}}" {
		t.Errorf("champ inconnu : %q", got)
	}
}
