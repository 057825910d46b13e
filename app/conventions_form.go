package app

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The convention form: new (/conventions/nouveau, POST /conventions) and edit
// (/conventions/:id/modifier, POST /conventions/:id, with the version: 409 when stale). On
// the new form, changing the type or the département reloads the parent select and the
// suggested reference (htmx, GET /conventions/nouveau with the typed values).

// conventionForm is the convention form; the id and version are never bound into the model.
type conventionForm struct {
	Type           string   `form:"type" query:"type"`
	Reference      string   `form:"reference" query:"reference"`
	Titre          string   `form:"titre" query:"titre"`
	Objet          string   `form:"objet" query:"objet"`
	Parent         string   `form:"parent" query:"parent"`
	Departement    string   `form:"departement" query:"departement"`
	EPCI           string   `form:"epci" query:"epci"`
	Communes       []string `form:"communes" query:"communes"`
	Charte         string   `form:"charte" query:"charte"`
	Expiration     string   `form:"expiration" query:"expiration"`
	Preavis        string   `form:"preavis" query:"preavis"`
	Renouvellement string   `form:"renouvellement" query:"renouvellement"`
	Version        string   `form:"version" query:"-"`
}

// input is what the form gives the data layer, its communes and EPCI read back (pl).
func (f conventionForm) input(pl conventionPlaces) models.ConventionInput {
	parent, _ := strconv.ParseInt(f.Parent, 10, 64)
	charte, _ := strconv.ParseInt(f.Charte, 10, 64)
	return models.ConventionInput{Kind: f.Type, Reference: f.Reference, Titre: f.Titre, Objet: f.Objet, ParentID: parent,
		Departement: f.Departement, EPCI: pl.EPCI.input(), Communes: pl.Communes.input(", "), CharteVersionID: charte,
		DateExpiration: f.Expiration, PreavisMois: f.Preavis, Renouvellement: f.Renouvellement}
}

// conventionPlaces are the communes and the EPCI of the form, read back: chosen by name,
// by code, or from a suggestion.
type conventionPlaces struct {
	Communes placesValue
	EPCI     placeValue
}

// errors are the messages of the places the form names none or several of.
func (pl conventionPlaces) errors() map[string]string {
	return map[string]string{"communes": pl.Communes.Error, "epci": pl.EPCI.Error}
}

// readConventionPlaces reads back the communes and the EPCI of the posted form.
func (s *Server) readConventionPlaces(c echo.Context, f conventionForm) (conventionPlaces, error) {
	var pl conventionPlaces
	var err error
	if pl.Communes, err = s.readPlaces(c, placeCommunes, "communes", f.Departement, f.Communes); err != nil {
		return pl, err
	}
	pl.EPCI, err = s.readOnePlace(c, placeEPCI, f.Departement, f.EPCI)
	return pl, err
}

// storedConventionPlaces are the communes and the EPCI of a convention, for its form.
func (s *Server) storedConventionPlaces(c echo.Context, f conventionForm) (conventionPlaces, error) {
	var pl conventionPlaces
	var err error
	if pl.Communes, err = s.storedPlaces(c, placeCommunes, f.Communes); err != nil {
		return pl, err
	}
	pl.EPCI.Shown, err = s.placeShown(c, placeEPCI, f.EPCI)
	pl.EPCI.Place.Code = f.EPCI
	return pl, err
}

func conventionFormOf(c models.ConventionRow) conventionForm {
	f := conventionForm{Type: c.Kind, Reference: c.Reference, Titre: c.Titre, Objet: c.Objet, Departement: c.Departement(),
		Expiration: c.ExpirationLabel(), Renouvellement: c.Renouvellement, Version: strconv.Itoa(c.Version)}
	if c.ParentID != nil {
		f.Parent = strconv.FormatInt(*c.ParentID, 10)
	}
	if c.EPCISiren != nil {
		f.EPCI = *c.EPCISiren
	}
	if c.CharteVersionID != nil {
		f.Charte = strconv.FormatInt(*c.CharteVersionID, 10)
	}
	if c.PreavisMois != nil {
		f.Preavis = strconv.Itoa(*c.PreavisMois)
	}
	f.Communes = make([]string, len(c.Communes))
	for i, cc := range c.Communes {
		f.Communes[i] = cc.CodeINSEE
	}
	return f
}

// conventionFormView is the form page; Closed replaces the form for a role that may not
// write, Refused explains a save the write rule refused.
type conventionFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors, New                  bool
	Type, Parent, Departement       selectField
	Charte, Renouvellement          selectField
	Reference, Titre, Objet         formField
	Expiration, Preavis             formField
	EPCI                            placeField
	Communes                        placesField
	Conflict                        *formConflict
}

const msgConventionRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer cette convention (un IA-DASEN écrit les conventions de son département)."

// suggestedReference recognises a reference the form suggested (replaced when the
// département changes), as opposed to one the user typed.
var suggestedReference = regexp.MustCompile(`^CRE-[A-Z0-9]{2,3}-[0-9]{4}-[0-9]{3}$`)

// conventionFormPage renders the new or edit form (cv nil for a new one) with the typed
// values, their errors, a refused save or a conflict.
func (s *Server) conventionFormPage(c echo.Context, status int, cv *models.ConventionRow, f conventionForm, pl conventionPlaces, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := conventionFormView{Heading: "Nouvelle convention", Action: "/conventions", Cancel: "/conventions", Submit: "Créer la convention",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, New: cv == nil}
	crumbs := []crumb{home, conventionsCrumb, {Label: "Nouvelle convention"}}
	if !models.CanCreateConventions(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier une convention."
	}
	kind, kinds := f.Type, models.ConventionKinds
	if cv != nil {
		href := "/conventions/" + strconv.FormatInt(cv.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la convention "+cv.Reference, href, href, "Enregistrer"
		crumbs = []crumb{home, conventionsCrumb, {Label: cv.Reference, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteConvention(actor, cv.Convention) {
			v.Closed = "Vous pouvez consulter cette convention mais votre rôle ne permet pas de la modifier."
		}
		// The kind does not change after creation.
		kind, kinds = cv.Kind, []models.Choice{{Value: cv.Kind, Label: cv.KindLabel()}}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	parents, err := s.conventionParents(c, kind)
	if err != nil {
		return err
	}
	chartes, err := s.store.CharteChoices(ctx)
	if err != nil {
		return err
	}
	v.Type = selectField{ID: "convention-type", Name: "type", Label: "Type de convention", All: "Choisir un type", Value: f.Type,
		Choices: kinds, Error: errs["type"]}
	v.Departement = selectField{ID: "convention-departement", Name: "departement", Label: "Département",
		Hint: "Aucun pour la convention cadre", All: "Aucun (académie)", Value: f.Departement, Choices: deps, Error: errs["departement"]}
	parentHint := "La convention cadre pour une départementale ; la départementale du même département pour une locale"
	if kind == "" {
		parentHint = "Choisissez d'abord le type : la liste se met à jour"
	}
	v.Parent = selectField{ID: "convention-parent", Name: "parent", Label: "Convention parente", Hint: parentHint,
		All: "Aucune", Value: f.Parent, Choices: parents, Error: errs["parent"]}
	v.Charte = selectField{ID: "convention-charte", Name: "charte", Label: "Version de la charte", Hint: "Facultatif",
		All: "Aucune", Value: f.Charte, Choices: chartes, Error: errs["charte"]}
	conventionTextFields(&v, f, pl, errs)
	return s.render(c, closedStatus(status, v.Closed), "conventions/form", v.Heading, crumbs, v)
}

// conventionParents are the possible parents of a convention of the kind; without the kind
// (and without JavaScript), every possible parent.
func (s *Server) conventionParents(c echo.Context, kind string) ([]models.Choice, error) {
	ctx, scope := c.Request().Context(), s.actor(c).Scope
	if kind != "" {
		return s.store.ParentChoices(ctx, scope, kind)
	}
	locales, err := s.store.ParentChoices(ctx, scope, models.ConventionLocale)
	if err != nil {
		return nil, err
	}
	parents, err := s.store.ParentChoices(ctx, scope, models.ConventionDepartementale)
	if err != nil {
		return nil, err
	}
	return append(parents, locales...), nil
}

// conventionTextFields fills the typed fields and the places of the form.
func conventionTextFields(v *conventionFormView, f conventionForm, pl conventionPlaces, errs map[string]string) {
	refHint := "Unique, en majuscules, chiffres et tirets (exemple : CRE-93-2012-014)"
	if v.New {
		refHint = "Proposée d'après le département et l'année ; modifiable. " + refHint
	}
	v.Reference = formField{ID: "convention-reference", Name: "reference", Label: "Référence", Type: "text", Hint: refHint,
		Value: f.Reference, Error: errs["reference"]}
	v.Titre = formField{ID: "convention-titre", Name: "titre", Label: "Titre", Type: "text", Value: f.Titre, Error: errs["titre"]}
	v.Objet = formField{ID: "convention-objet", Name: "objet", Label: "Objet", Hint: "Facultatif", Value: f.Objet, Error: errs["objet"]}
	v.EPCI = placeField{ID: "convention-epci", Name: "epci", Kind: placeEPCI, Label: "EPCI ou groupement",
		Hint:  "Facultatif, pour une convention locale avec un EPCI : son nom ou son SIREN (exemple : Est Ensemble)",
		Value: pl.EPCI.Shown, Error: firstOf(errs["epci"], pl.EPCI.Error), Include: "#convention-departement"}
	v.Communes = pl.Communes.field(placesField{Legend: "Communes couvertes", Name: "communes", Empty: "Aucune commune choisie.",
		Hint: "Convention locale seulement ; vide avec un EPCI : ses communes du département",
		Add: placeField{ID: "convention-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom (exemple : Bobigny), son code INSEE ou son code postal", Include: "#convention-departement"}})
	v.Communes.Add.Error = firstOf(errs["communes"], pl.Communes.Error)
	v.Expiration = formField{ID: "convention-expiration", Name: "expiration", Label: "Date d'expiration", Type: "text",
		Hint: "Facultatif, JJ/MM/AAAA (exemple : 31/08/2016)", Value: f.Expiration, Error: errs["expiration"]}
	v.Preavis = formField{ID: "convention-preavis", Name: "preavis", Label: "Préavis (mois)", Type: "text",
		Hint: "Facultatif, de 0 à 36 mois", Value: f.Preavis, Error: errs["preavis"]}
	v.Renouvellement = selectField{ID: "convention-renouvellement", Name: "renouvellement", Label: "Renouvellement",
		All: "Choisir", Value: f.Renouvellement, Choices: models.Renouvellements, Error: errs["renouvellement"]}
}

// newConvention shows the empty form; with a query (the htmx reload when the type or the
// département changes) it keeps the typed values and suggests the reference again.
func (s *Server) newConvention(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	var f conventionForm
	_ = (&echo.DefaultBinder{}).BindQueryParams(c, &f)
	f.Version = ""
	if f.Departement == "" && f.Type != models.ConventionCadre {
		f.Departement = actor.Scope.SoleDepartement()
	}
	if f.Renouvellement == "" {
		f.Renouvellement = "avenant"
	}
	if f.Reference == "" || suggestedReference.MatchString(f.Reference) {
		dep := f.Departement
		if f.Type == models.ConventionCadre {
			dep = ""
		}
		if len(dep) <= 3 && (dep == "" || strings.Trim(dep, "0123456789AB") == "") {
			ref, err := s.store.SuggestReference(ctx, dep, 0)
			if err != nil {
				return err
			}
			f.Reference = ref
		}
	}
	pl, err := s.readConventionPlaces(c, f)
	if err != nil {
		return err
	}
	return s.conventionFormPage(c, http.StatusOK, nil, f, pl, nil, "", nil)
}

func (s *Server) createConvention(c echo.Context) error {
	f, err := bindForm[conventionForm](c)
	if err != nil {
		return err
	}
	pl, err := s.readConventionPlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.conventionFormPage(c, http.StatusOK, nil, f, pl, nil, "", nil)
	}
	cv, err := s.store.CreateConvention(c.Request().Context(), s.actor(c), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.conventionFormPage(c, status, nil, f, pl, errs, msg, nil)
	}, Refused: msgConventionRefused, Redirect: "/conventions/" + strconv.FormatInt(cv.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editConvention(c echo.Context) error {
	_, cv, err := pathRecord(s, c, s.store.GetConvention)
	if err != nil {
		return err
	}
	f := conventionFormOf(cv)
	pl, err := s.storedConventionPlaces(c, f)
	if err != nil {
		return err
	}
	return s.conventionFormPage(c, http.StatusOK, &cv, f, pl, nil, "", nil)
}

// updateConvention saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateConvention(c echo.Context) error {
	id, cv, err := pathRecord(s, c, s.store.GetConvention)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindForm[conventionForm](c)
	if err != nil {
		return err
	}
	pl, err := s.readConventionPlaces(c, f)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.conventionFormPage(c, http.StatusOK, &cv, f, pl, nil, "", nil)
	}
	_, err = s.store.UpdateConvention(ctx, actor, id, formVersion(f.Version), f.input(pl))
	err = withPlaceErrors(err, pl.errors())
	return updated(c, err, cv, func(ce *models.ConflictError, current models.ConventionRow) error {
		cur := conventionFormOf(current)
		curPl, err := s.storedConventionPlaces(c, cur)
		if err != nil {
			return err
		}
		return s.conventionFormPage(c, http.StatusConflict, &current, cur, curPl, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Référence", Current: cur.Reference, Typed: f.Reference}, {Label: "Titre", Current: cur.Titre, Typed: f.Titre},
			{Label: "Objet", Current: cur.Objet, Typed: f.Objet}, {Label: "Date d'expiration", Current: cur.Expiration, Typed: f.Expiration},
			{Label: "Communes", Current: strings.Join(cur.Communes, ", "), Typed: strings.Join(pl.Communes.codes(), ", ")}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.conventionFormPage(c, status, &cv, f, pl, errs, msg, nil)
	}, Refused: msgConventionRefused, Redirect: "/conventions/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
