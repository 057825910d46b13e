package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// organisationForm is the organisation form (creation and edition). It is its own struct:
// the id, the version to check and the territory a form may not choose are never bound
// into the model; the territory fields the type does not use are ignored by the data layer.
type organisationForm struct {
	Nom         string `form:"nom"`
	Type        string `form:"type"`
	Departement string `form:"departement"`
	Commune     string `form:"commune"`
	EPCI        string `form:"epci"`
	Adresse     string `form:"adresse"`
	SiteWeb     string `form:"site_web"`
	Version     string `form:"version"`
}

// input is what the form gives the data layer; commune is the INSEE code of the commune
// field, read back (organisationCommune).
func (f organisationForm) input(commune string) models.OrganisationInput {
	return models.OrganisationInput{Nom: f.Nom, Kind: f.Type, Departement: f.Departement, Commune: commune,
		EPCI: f.EPCI, Adresse: f.Adresse, SiteWeb: f.SiteWeb}
}

// bindOrganisationForm binds the posted form and reads back its commune (organisationCommune).
func (s *Server) bindOrganisationForm(c echo.Context) (f organisationForm, commune, msg string, err error) {
	if f, err = bindForm[organisationForm](c); err != nil {
		return f, "", "", err
	}
	commune, msg, err = s.organisationCommune(c, f)
	return f, commune, msg, err
}

// organisationCommune reads back the commune field: an INSEE code as it is (the write rule
// decides), a name or a suggestion's label read in the caller's scope; msg says why a text
// names none or several.
func (s *Server) organisationCommune(c echo.Context, f organisationForm) (code, msg string, err error) {
	if f.Type != models.OrgCommune {
		return f.Commune, "", nil
	}
	code, msg, err = s.filterPlace(c, placeCommunes, f.Commune)
	if msg != "" {
		code = unresolved
	}
	return code, msg, err
}

// organisationFormOf fills the form with an organisation's current values.
func organisationFormOf(o models.OrganisationRow) organisationForm {
	f := organisationForm{Nom: o.Nom, Type: o.Kind, Commune: deref(o.CodeINSEE), EPCI: deref(o.EPCISiren),
		Adresse: o.Adresse, SiteWeb: o.SiteWeb, Version: strconv.Itoa(o.Version)}
	if o.Kind == models.OrgDSDEN { // a commune's département comes from the reference data
		f.Departement = deref(o.DepartementCode)
	}
	return f
}

// organisationFormView is the organisation form page. Closed replaces the form when the
// user may write no such organisation; Refused explains a save the write rule refused.
type organisationFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Rights         string
	Version                         string
	HasErrors                       bool
	Nom, SiteWeb, Adresse           formField
	Commune                         placeField
	Type, Departement, EPCI         selectField
	Conflict                        *formConflict
}

// organisationFormPage renders the form of a new organisation (org is nil) or of an
// existing one, with the choices the actor may make.
func (s *Server) organisationFormPage(c echo.Context, status int, org *models.OrganisationRow, f organisationForm,
	errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := organisationFormView{Heading: "Nouvel organisme", Action: "/organisations", Cancel: "/organisations",
		Submit: "Créer l'organisme", Refused: refused, Rights: models.OrganisationRights(actor), Version: f.Version,
		HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, organisationsCrumb, {Label: "Nouvel organisme"}}
	kinds := models.OrganisationKindsFor(actor)
	if len(kinds) == 0 {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier un organisme."
	}
	if org != nil {
		href := "/organisations/" + strconv.FormatInt(org.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier l'organisme "+org.Nom, href, href, "Enregistrer"
		crumbs = []crumb{home, organisationsCrumb, {Label: org.Nom, Href: href}, {Label: "Modifier"}}
		ok, err := s.store.CanWriteOrganisation(ctx, actor, org.Organisation)
		if err != nil {
			return err
		}
		if !ok && v.Closed == "" {
			v.Closed = "Vous pouvez consulter cet organisme mais votre rôle ne permet pas de le modifier."
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	epci, err := s.formEPCIChoices(c)
	if err != nil {
		return err
	}
	input := func(name, label, hint, typ, value string) formField {
		return formField{ID: "organisation-" + strings.ReplaceAll(name, "_", "-"), Name: name, Label: label,
			Hint: hint, Type: typ, Value: value, Error: errs[name]}
	}
	choose := func(name, label, hint, all, value string, choices []models.Choice) selectField {
		return selectField{ID: "organisation-" + name, Name: name, Label: label, Hint: hint, All: all, Value: value,
			Error: errs[name], Choices: choices}
	}
	v.Nom = input("nom", "Nom", "Pour une commune ou un EPCI, laissez vide pour reprendre le nom du référentiel.", "text", f.Nom)
	v.Type = choose("type", "Type d'organisme", "", "Choisir un type", f.Type, kinds)
	v.Departement = choose("departement", "Département", "Pour une DSDEN", "Aucun", f.Departement, deps)
	shown := f.Commune
	if org != nil && f.Commune == deref(org.CodeINSEE) && org.CommuneNom != "" {
		shown = org.CommuneLabel() // "Bobigny (93008)", read back as its code
	}
	v.Commune = placeField{ID: "organisation-commune", Name: "commune", Kind: placeCommunes, Label: "Commune",
		Hint: "Pour une commune : son nom (exemple : Bobigny), son code INSEE ou son code postal", Value: shown, Error: errs["commune"]}
	v.EPCI = choose("epci", "EPCI ou EPT", "Pour un EPCI", "Aucun", f.EPCI, epci)
	v.Adresse = input("adresse", "Adresse postale", "Facultatif, sur plusieurs lignes si besoin", "", f.Adresse)
	v.SiteWeb = input("site_web", "Site web", "Facultatif. Format attendu : https://www.exemple.fr", "url", f.SiteWeb)
	return s.render(c, closedStatus(status, v.Closed), "organisations/form", v.Heading, crumbs, v)
}

// msgRefused explains a save the write rule refused, the form being kept.
const msgRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer un organisme de ce type ou de ce territoire."

func (s *Server) newOrganisation(c echo.Context) error {
	return s.organisationFormPage(c, http.StatusOK, nil, organisationForm{}, nil, "", nil)
}

// createOrganisation creates an organisation. Field errors come first (422, whatever the
// role), then the write rule (403).
func (s *Server) createOrganisation(c echo.Context) error {
	f, commune, msg, err := s.bindOrganisationForm(c)
	if err != nil {
		return err
	}
	o, err := s.store.CreateOrganisation(c.Request().Context(), s.actor(c), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": msg})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.organisationFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgRefused, Redirect: "/organisations/" + strconv.FormatInt(o.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editOrganisation(c echo.Context) error {
	_, o, err := pathRecord(s, c, s.store.GetOrganisation)
	if err != nil {
		return err
	}
	ok, err := s.store.CanWriteOrganisation(c.Request().Context(), s.actor(c), o.Organisation)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusForbidden
	}
	return s.organisationFormPage(c, status, &o, organisationFormOf(o), nil, "", nil)
}

// updateOrganisation saves an edit: 404 outside the scope, 403 when the user may not write
// the organisation (or what it would become), 409 on a stale version, 422 on field errors.
func (s *Server) updateOrganisation(c echo.Context) error {
	id, o, err := pathRecord(s, c, s.store.GetOrganisation)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, commune, msg, err := s.bindOrganisationForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateOrganisation(ctx, actor, id, formVersion(f.Version), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": msg})
	return updated(c, err, o, func(ce *models.ConflictError, current models.OrganisationRow) error {
		return s.organisationFormPage(c, http.StatusConflict, &current, organisationFormOf(current), nil, "", newOrganisationConflict(ce, current, f))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.organisationFormPage(c, status, &o, f, errs, msg, nil)
	}, Refused: msgRefused, Redirect: "/organisations/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}

// newOrganisationConflict lists the current values of the organisation beside those typed
// in the stale form.
func newOrganisationConflict(ce *models.ConflictError, current models.OrganisationRow, typed organisationForm) *formConflict {
	cur := organisationFormOf(current)
	kind := func(v string) string { return models.LabelOf(models.OrganisationKinds, v) }
	rows := []conflictRow{
		{Label: "Nom", Current: cur.Nom, Typed: typed.Nom},
		{Label: "Type", Current: kind(cur.Type), Typed: kind(typed.Type)},
		{Label: "Département", Current: cur.Departement, Typed: typed.Departement},
		{Label: "Commune", Current: cur.Commune, Typed: typed.Commune},
		{Label: "EPCI", Current: cur.EPCI, Typed: typed.EPCI},
		{Label: "Adresse", Current: cur.Adresse, Typed: typed.Adresse},
		{Label: "Site web", Current: cur.SiteWeb, Typed: typed.SiteWeb},
	}
	return newFormConflict(ce, rows)
}

// formEPCIChoices are the EPCI a form offers: those of the user's département when the
// scope has exactly one, all those of the scope otherwise.
func (s *Server) formEPCIChoices(c echo.Context) ([]models.Choice, error) {
	scope := s.scope(c)
	dep := ""
	if len(scope.Departements) == 1 {
		dep = scope.Departements[0]
	}
	return s.store.EPCIChoices(c.Request().Context(), scope, dep)
}
