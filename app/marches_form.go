package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The market form (new): the buyer (a commune, an EPCI or a groupement de commandes with
// its coordinating commune), the communes by INSEE code, the procedure, the estimated
// amount and the dates. The lots, bids, award and adhesions are recorded on the market's
// page (marches_actions.go).

// marcheForm is the market form; the id and version are never bound into the model.
type marcheForm struct {
	Reference       string `form:"reference"`
	Objet           string `form:"objet"`
	Acheteur        string `form:"acheteur"`
	EPCI            string `form:"epci"`
	Coordinateur    string `form:"coordinateur"`
	Communes        string `form:"communes"`
	Procedure       string `form:"procedure"`
	MontantEstime   string `form:"montant_estime"`
	DatePublication string `form:"date_publication"`
	DateLimite      string `form:"date_limite"`
	Notes           string `form:"notes"`
	Version         string `form:"version"`
}

// codeList splits INSEE codes typed with commas, semicolons or spaces.
func codeList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (f marcheForm) input() models.MarcheInput {
	return models.MarcheInput{Reference: f.Reference, Objet: f.Objet, Acheteur: f.Acheteur, EPCI: f.EPCI,
		Coordinateur: f.Coordinateur, Communes: codeList(f.Communes), Procedure: f.Procedure, MontantEstime: f.MontantEstime,
		DatePublication: f.DatePublication, DateLimite: f.DateLimite, Notes: f.Notes}
}

// marcheFormOf is the form of a stored market.
func marcheFormOf(m models.MarcheRow) marcheForm {
	f := marcheForm{Reference: m.Reference, Objet: m.Objet, Acheteur: m.Acheteur, Procedure: m.Procedure, Notes: m.Notes,
		DatePublication: frDay(m.DatePublication), DateLimite: frDay(m.DateLimite), Version: strconv.Itoa(m.Version)}
	if m.EPCISiren != nil {
		f.EPCI = *m.EPCISiren
	}
	if m.MontantEstime != nil {
		f.MontantEstime = fr.EurosPlain(*m.MontantEstime)
	}
	var others []string
	for _, c := range m.Membres {
		if c.Coordinateur {
			f.Coordinateur = c.CodeINSEE
		} else {
			others = append(others, c.CodeINSEE)
		}
	}
	f.Communes = strings.Join(others, ", ")
	return f
}

// marcheFormView is the market form page.
type marcheFormView struct {
	Heading, Action, Cancel, Version     string
	Closed, Refused                      string
	HasErrors                            bool
	Reference, Objet, Coordinateur       formField
	Communes, EPCI, MontantEstime, Notes formField
	DatePublication, DateLimite          formField
	Acheteur, Procedure                  selectField
}

const msgMarcheRefused = "Rien n'a été enregistré : votre rôle ne permet pas de créer un marché de ces communes (un IA-DASEN crée ceux de son département)."

// marcheFormPage renders the form of a new market (m nil) or of the market m.
func (s *Server) marcheFormPage(c echo.Context, status int, m *models.MarcheRow, f marcheForm, errs map[string]string, refused string) error {
	actor := s.actor(c)
	v := marcheFormView{Heading: "Nouveau marché", Action: "/marches", Cancel: "/marches", Version: f.Version,
		Refused: refused, HasErrors: len(errs) > 0}
	crumbs := []crumb{home, marchesCrumb, {Label: "Nouveau marché"}}
	switch {
	case m != nil:
		href := marcheHref(m.ID)
		v.Heading, v.Action, v.Cancel = "Modifier le marché "+m.Objet, href, href
		crumbs = []crumb{home, marchesCrumb, {Label: m.Objet, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteMarche(actor, m.Marche) {
			v.Closed = "Vous pouvez consulter ce marché mais pas le modifier (l'IA-DASEN de son département le modifie)."
		}
	case !models.CanCreateMarches(actor):
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet pas de créer de marché."
	}
	field := func(name, label, hint, value string) formField {
		return formField{Type: "text", ID: "marche-" + strings.ReplaceAll(name, "_", "-"), Name: name, Label: label, Hint: hint, Value: value, Error: errs[name]}
	}
	v.Objet = field("objet", "Objet du marché", "Exemple : Fourniture et hébergement d'un ENT pour les écoles", f.Objet)
	v.Reference = field("reference", "Référence", "Facultatif : la référence de l'avis de publication", f.Reference)
	v.Acheteur = selectField{ID: "marche-acheteur", Name: "acheteur", Label: "Acheteur", All: "Choisir l'acheteur",
		Value: f.Acheteur, Choices: models.MarcheAcheteurs, Error: errs["acheteur"]}
	v.Coordinateur = field("coordinateur", "Commune coordonnatrice", "Pour un groupement de commandes : son code INSEE (exemple : 94028)", f.Coordinateur)
	v.Communes = field("communes", "Communes", "Codes INSEE séparés par des virgules (exemple : 94033, 94046) ; pour un groupement, les membres autres que la coordonnatrice", f.Communes)
	v.EPCI = field("epci", "SIREN de l'EPCI acheteur", "Pour un marché d'EPCI seulement", f.EPCI)
	v.Procedure = selectField{ID: "marche-procedure", Name: "procedure", Label: "Procédure", All: "Choisir la procédure",
		Value: f.Procedure, Choices: models.MarcheProcedures, Error: errs["procedure"]}
	v.MontantEstime = field("montant_estime", "Montant estimé (€ HT)", "Facultatif ; exemple : 120 000,00", f.MontantEstime)
	v.DatePublication = field("date_publication", "Date de publication", "Facultatif, JJ/MM/AAAA", f.DatePublication)
	v.DateLimite = field("date_limite", "Date limite de remise des offres", "Facultatif, JJ/MM/AAAA", f.DateLimite)
	v.Notes = field("notes", "Notes", "Facultatif", f.Notes)
	return s.render(c, closedStatus(status, v.Closed), "marches/form", v.Heading, crumbs, v)
}

func (s *Server) newMarche(c echo.Context) error {
	return s.marcheFormPage(c, http.StatusOK, nil, marcheForm{}, nil, "")
}

func (s *Server) createMarche(c echo.Context) error {
	f, err := bindForm[marcheForm](c)
	if err != nil {
		return err
	}
	m, err := s.store.CreateMarche(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marcheFormPage(c, status, nil, f, errs, msg)
	}, Refused: msgMarcheRefused, Redirect: marcheHref(m.ID) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editMarche(c echo.Context) error {
	_, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return err
	}
	return s.marcheFormPage(c, http.StatusOK, &m, marcheFormOf(m), nil, "")
}

func (s *Server) updateMarche(c echo.Context) error {
	id, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return err
	}
	f, err := bindForm[marcheForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateMarche(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, m, func(_ *models.ConflictError, current models.MarcheRow) error {
		cur := marcheFormOf(current)
		return s.marcheFormPage(c, http.StatusConflict, &current, cur, nil, "")
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marcheFormPage(c, status, &m, f, errs, msg)
	}, Refused: msgMarcheRefused, Redirect: marcheHref(id) + "?fait=modification"})
}
