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
// its coordinating commune), the communes chosen by name with suggestions, the cahier des
// charges version, the procedure, the estimated
// amount and the dates. The lots, bids, award and adhesions are recorded on the market's
// page (marches_actions.go).

// marcheForm is the market form; the id and version are never bound into the model. The
// communes, the coordinator and the EPCI are chosen by name with suggestions (places.go).
type marcheForm struct {
	Reference       string   `form:"reference"`
	Objet           string   `form:"objet"`
	Acheteur        string   `form:"acheteur"`
	EPCI            string   `form:"epci"`
	Coordinateur    string   `form:"coordinateur"`
	Communes        []string `form:"communes"`
	Procedure       string   `form:"procedure"`
	MontantEstime   string   `form:"montant_estime"`
	DatePublication string   `form:"date_publication"`
	DateLimite      string   `form:"date_limite"`
	Notes           string   `form:"notes"`
	Cahier          string   `form:"cahier"`
	Version         string   `form:"version"`
}

// marchePlaces are the communes, the coordinator and the EPCI of the form, read back.
type marchePlaces struct {
	Communes           placesValue
	Coordinateur, EPCI placeValue
}

func (pl marchePlaces) errors() map[string]string {
	return map[string]string{"communes": pl.Communes.Error, "coordinateur": pl.Coordinateur.Error, "epci": pl.EPCI.Error}
}

// readMarchePlaces reads back the places of the posted form.
func (s *Server) readMarchePlaces(c echo.Context, f marcheForm) (marchePlaces, error) {
	var pl marchePlaces
	var err error
	if pl.Communes, err = s.readPlaces(c, placeCommunes, "communes", "", f.Communes); err != nil {
		return pl, err
	}
	if pl.Coordinateur, err = s.readOnePlace(c, placeCommunes, "", f.Coordinateur); err != nil {
		return pl, err
	}
	pl.EPCI, err = s.readOnePlace(c, placeEPCI, "", f.EPCI)
	return pl, err
}

// storedMarchePlaces are the places of a stored market, for its form.
func (s *Server) storedMarchePlaces(c echo.Context, f marcheForm) (marchePlaces, error) {
	var pl marchePlaces
	var err error
	if pl.Communes, err = s.storedPlaces(c, placeCommunes, f.Communes); err != nil {
		return pl, err
	}
	if pl.Coordinateur.Shown, err = s.placeShown(c, placeCommunes, f.Coordinateur); err != nil {
		return pl, err
	}
	pl.Coordinateur.Place.Code = f.Coordinateur
	pl.EPCI.Shown, err = s.placeShown(c, placeEPCI, f.EPCI)
	pl.EPCI.Place.Code = f.EPCI
	return pl, err
}

func (f marcheForm) input(pl marchePlaces) models.MarcheInput {
	cahier, _ := strconv.ParseInt(f.Cahier, 10, 64)
	return models.MarcheInput{Reference: f.Reference, Objet: f.Objet, Acheteur: f.Acheteur, EPCI: pl.EPCI.input(),
		Coordinateur: pl.Coordinateur.input(), Communes: pl.Communes.inputList(), Procedure: f.Procedure, MontantEstime: f.MontantEstime,
		DatePublication: f.DatePublication, DateLimite: f.DateLimite, Notes: f.Notes, CahierVersionID: cahier}
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
	if m.CahierVersionID != nil {
		f.Cahier = strconv.FormatInt(*m.CahierVersionID, 10)
	}
	for _, c := range m.Membres {
		if c.Coordinateur {
			f.Coordinateur = c.CodeINSEE
		} else {
			f.Communes = append(f.Communes, c.CodeINSEE)
		}
	}
	return f
}

// marcheFormView is the market form page.
type marcheFormView struct {
	Heading, Action, Cancel, Version string
	Closed, Refused                  string
	HasErrors                        bool
	Reference, Objet                 formField
	MontantEstime, Notes             formField
	DatePublication, DateLimite      formField
	Coordinateur, EPCI               placeField
	Communes                         placesField
	Acheteur, Procedure, Cahier      selectField
}

const msgMarcheRefused = "Rien n'a été enregistré : votre rôle ne permet pas de créer un marché de ces communes (un IA-DASEN crée ceux de son département)."

// marcheFormPage renders the form of a new market (m nil) or of the market m.
func (s *Server) marcheFormPage(c echo.Context, status int, m *models.MarcheRow, f marcheForm, pl marchePlaces, errs map[string]string, refused string) error {
	actor := s.actor(c)
	v := marcheFormView{Heading: "Nouveau marché", Action: "/marches", Cancel: "/marches", Version: f.Version,
		Refused: refused, HasErrors: len(errs) > 0}
	crumbs := []crumb{home, marchesCrumb, {Label: "Nouveau marché"}}
	dep := actor.Scope.SoleDepartement()
	switch {
	case m != nil:
		href := marcheHref(m.ID)
		v.Heading, v.Action, v.Cancel, dep = "Modifier le marché "+m.Objet, href, href, m.DepartementCode
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
	v.Coordinateur = placeField{ID: "marche-coordinateur", Name: "coordinateur", Kind: placeCommunes, Label: "Commune coordonnatrice",
		Hint: "Pour un groupement de commandes : son nom ou son code INSEE (5 caractères)", Value: pl.Coordinateur.Shown,
		Error: firstOf(errs["coordinateur"], pl.Coordinateur.Error)}
	v.Communes = pl.Communes.field(placesField{Legend: "Communes", Name: "communes", Empty: "Aucune commune choisie.",
		Hint: "La commune acheteuse, les communes couvertes par l'EPCI, ou les membres du groupement autres que la coordonnatrice",
		Add: placeField{ID: "marche-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom (exemple : Fontenay-sous-Bois), son code INSEE ou son code postal"}})
	v.Communes.Add.Error = firstOf(errs["communes"], pl.Communes.Error)
	v.EPCI = placeField{ID: "marche-epci", Name: "epci", Kind: placeEPCI, Label: "EPCI acheteur",
		Hint: "Pour un marché d'EPCI seulement : son nom ou son SIREN", Value: pl.EPCI.Shown, Error: firstOf(errs["epci"], pl.EPCI.Error)}
	v.Procedure = selectField{ID: "marche-procedure", Name: "procedure", Label: "Procédure", All: "Choisir la procédure",
		Value: f.Procedure, Choices: models.MarcheProcedures, Error: errs["procedure"]}
	cahiers, err := s.store.CahierVersionChoices(c.Request().Context(), actor.Scope, dep)
	if err != nil {
		return err
	}
	v.Cahier = selectField{ID: "marche-cahier", Name: "cahier", Label: "Cahier des charges", All: "Aucun",
		Hint:  "Facultatif : la version du cahier des charges (modèle académique ou adaptation du département) sur laquelle le marché se fonde",
		Value: f.Cahier, Choices: cahiers, Error: errs["cahier"]}
	v.MontantEstime = field("montant_estime", "Montant estimé (€ HT)", "Facultatif ; exemple : 120 000,00", f.MontantEstime)
	v.DatePublication = field("date_publication", "Date de publication", "Facultatif, JJ/MM/AAAA", f.DatePublication)
	v.DateLimite = field("date_limite", "Date limite de remise des offres", "Facultatif, JJ/MM/AAAA", f.DateLimite)
	v.Notes = field("notes", "Notes", "Facultatif", f.Notes)
	return s.render(c, closedStatus(status, v.Closed), "marches/form", v.Heading, crumbs, v)
}

func (s *Server) newMarche(c echo.Context) error {
	return s.marcheFormPage(c, http.StatusOK, nil, marcheForm{}, marchePlaces{}, nil, "")
}

func (s *Server) createMarche(c echo.Context) error {
	f, err := bindForm[marcheForm](c)
	if err != nil {
		return err
	}
	pl, err := s.readMarchePlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.marcheFormPage(c, http.StatusOK, nil, f, pl, nil, "")
	}
	m, err := s.store.CreateMarche(c.Request().Context(), s.actor(c), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marcheFormPage(c, status, nil, f, pl, errs, msg)
	}, Refused: msgMarcheRefused, Redirect: marcheHref(m.ID) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editMarche(c echo.Context) error {
	_, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return err
	}
	f := marcheFormOf(m)
	pl, err := s.storedMarchePlaces(c, f)
	if err != nil {
		return err
	}
	return s.marcheFormPage(c, http.StatusOK, &m, f, pl, nil, "")
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
	pl, err := s.readMarchePlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.marcheFormPage(c, http.StatusOK, &m, f, pl, nil, "")
	}
	_, err = s.store.UpdateMarche(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return updated(c, err, m, func(_ *models.ConflictError, current models.MarcheRow) error {
		cur := marcheFormOf(current)
		curPl, err := s.storedMarchePlaces(c, cur)
		if err != nil {
			return err
		}
		return s.marcheFormPage(c, http.StatusConflict, &current, cur, curPl, nil, "")
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marcheFormPage(c, status, &m, f, pl, errs, msg)
	}, Refused: msgMarcheRefused, Redirect: marcheHref(id) + "?fait=modification"})
}
