package exports

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// ConventionDraft writes the project of a convention ("Générer le projet"): the text of a
// model (Markdown with placeholders such as {{commune}}, see models.ModelePlaceholders)
// with each placeholder replaced by the convention's data.
//
// The result is Markdown, meant both for download (.md) and for the printable page, which
// renders it to HTML and escapes it there. The convention's data is text, not Markdown: its
// characters that Markdown would read as markup (*, _, [, <, a "#" or "1." opening a
// line…) are escaped with a backslash, so that a title shows as typed; nothing is
// HTML-escaped here. A placeholder without a value becomes a visible
// "[à compléter : IA-DASEN]", never an empty gap nor the placeholder itself. A name that is
// not a placeholder (the model's check refuses it) is left as written.
func ConventionDraft(modele string, c models.ConventionRow) string {
	values := draftValues(c)
	var b strings.Builder
	last := 0
	for _, m := range models.ModelePlaceholderPattern.FindAllStringSubmatchIndex(modele, -1) {
		start, end, key := m[0], m[1], modele[m[2]:m[3]]
		b.WriteString(modele[last:start])
		last = end
		val, known := values[key]
		switch {
		case !known:
			b.WriteString(modele[start:end])
		case val == "":
			b.WriteString(markdownText(draftMissing(key)))
		case key == "parties" || key == "liste_ecoles":
			b.WriteString(val) // Markdown lists, their items already escaped
		default:
			b.WriteString(markdownText(val))
		}
	}
	b.WriteString(modele[last:])
	return b.String()
}

// draftValues are the values of the placeholders for a convention, as plain text ("" when
// the convention does not say), except parties and liste_ecoles: Markdown lists.
func draftValues(c models.ConventionRow) map[string]string {
	v := make(map[string]string, len(models.ModelePlaceholders))
	for _, p := range models.ModelePlaceholders {
		v[p.Value] = ""
	}
	v["reference"], v["titre"], v["objet"], v["type"] = c.Reference, c.Titre, c.Objet, c.KindLabel()
	v["commune"], v["epci"] = c.CommunesLabel(), c.EPCINom
	v["nb_ecoles"], v["nb_eleves"] = fr.Int(len(c.Ecoles)), fr.Int(c.ElevesAnnexe())
	v["date_effet"], v["date_expiration"] = draftDay(c.DateEffet), draftDay(c.DateFin)
	v["convention_parente"] = strings.TrimSpace(c.ParentReference + " " + c.ParentTitre)
	if c.DepartementCode != nil {
		v["departement"] = *c.DepartementCode + " " + c.DepartementNom
	} else {
		v["departement"] = "toute l'académie"
	}
	if c.CharteNumero != "" {
		v["charte"] = "version " + c.CharteNumero
	}
	if c.PreavisMois != nil {
		v["preavis"] = strconv.Itoa(*c.PreavisMois)
	}
	parties := make([]string, 0, len(c.Parties))
	for _, p := range c.Parties {
		parties = append(parties, "- "+markdownText(p.Label()))
		if p.OrganisationKind == "dsden" && v["ia_dasen"] == "" {
			v["ia_dasen"] = strings.Trim(p.SignataireNom+", "+p.SignataireFonction, ", ")
		}
	}
	ecoles := make([]string, 0, len(c.Ecoles))
	for _, e := range c.Ecoles {
		ecoles = append(ecoles, "- "+markdownText(e.Nom+" ("+e.UAI+"), "+e.CommuneNom+" : "+fr.Plural(e.NbEleves, "élève", "élèves")))
	}
	v["parties"], v["liste_ecoles"] = strings.Join(parties, "\n"), strings.Join(ecoles, "\n")
	return v
}

// draftMissing is the marker of a placeholder without a value: what a civil servant must
// still write in the draft, named as they name it.
func draftMissing(key string) string {
	name, ok := draftNames[key]
	if !ok {
		name = models.LabelOf(models.ModelePlaceholders, key)
	}
	return "[à compléter : " + name + "]"
}

// draftNames name the placeholders in the "[à compléter : …]" markers.
var draftNames = map[string]string{
	"reference": "référence", "titre": "titre", "objet": "objet", "type": "type de convention",
	"departement": "département", "commune": "communes", "epci": "EPCI", "ia_dasen": "IA-DASEN",
	"parties": "parties et signataires", "liste_ecoles": "liste des écoles", "nb_ecoles": "nombre d'écoles",
	"nb_eleves": "nombre d'élèves", "charte": "version de la charte", "date_effet": "date d'entrée en vigueur",
	"date_expiration": "date d'expiration", "preavis": "préavis (mois)", "convention_parente": "convention parente",
}

// draftDay is a day of the convention (fr.Day), "" when it has none.
func draftDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fr.Day(*t)
}

// Markdown escaping (CommonMark, which goldmark renders): text inserted in a Markdown
// document shows as written when the characters Markdown would read as markup are
// preceded by a backslash.
var (
	// markdownInline escapes what is markup anywhere in a line: backslash, code span,
	// emphasis, link and image brackets, autolink and raw HTML.
	markdownInline = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`)
	// markdownEntity matches an HTML entity or character reference, which Markdown decodes:
	// "&amp;" would show as "&".
	markdownEntity = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
	// markdownBlock matches what opens a block at the start of a line: a heading, a quote, a
	// bullet, a thematic break or setext underline, a ~~~ fence, or an ordered item ("12." or
	// "12)", the group being the digits).
	markdownBlock = regexp.MustCompile(`^(?:[#>+=~-]|([0-9]{1,9})[.)])`)
)

// markdownText escapes plain text for a Markdown document, so that it renders as written:
// inline markup is escaped everywhere, block markers at the start of each of its lines
// (the text may be inserted at the start of a line), and the indentation of its lines is
// dropped (four spaces would open a code block). Line breaks are kept: in a paragraph they
// are soft breaks.
func markdownText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = markdownInline.Replace(s)
	s = markdownEntity.ReplaceAllStringFunc(s, func(e string) string { return `\` + e })
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		line = strings.TrimLeft(line, " \t")
		if m := markdownBlock.FindStringSubmatchIndex(line); m != nil {
			at := 0 // before the marker, or before the "." of "12."
			if m[2] >= 0 {
				at = m[3]
			}
			line = line[:at] + `\` + line[at:]
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}
