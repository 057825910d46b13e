package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// Adoptions of the charter by communes and EPCI: list with filters, exports and API, form,
// archiving. Who may record an adoption is decided by the data layer (models.canWriteAdoption).

var adoptionsCrumb = crumb{Label: "Adoptions de la charte", Href: "/adoptions"}

type adoptionQuery struct {
	Version     string `query:"version" validate:"omitempty,numeric,max=18"`
	Departement string `query:"departement" validate:"omitempty,departement"`
	Commune     string `query:"commune" validate:"max=200,validutf8"` // a name, an INSEE code or a postcode (app/places.go)
	EPCI        string `query:"epci" validate:"max=200,validutf8"`    // a name or a SIREN
	Paging
}

func (s *Server) adoptionQuery(c echo.Context) (adoptionQuery, models.AdoptionFilter, map[string]string) {
	var q adoptionQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	id, _ := strconv.ParseInt(q.Version, 10, 64)
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	epci, errs := s.placeFilterCode(c, placeEPCI, "epci", q.EPCI, errs)
	return q, models.AdoptionFilter{CharteVersionID: id, Departement: q.Departement, Commune: commune, EPCI: epci}, errs
}

type adoptionsView struct {
	list[adoptionQuery, models.AdoptionRow]
	CanCreate bool
	Done      string
}

// adoptionDone are the confirmations shown after a redirect (?fait=...): fixed messages.
var adoptionDone = map[string]string{
	"creation":     "L'adoption a été enregistrée.",
	"modification": "Les modifications ont été enregistrées.",
	"archivage":    "L'adoption a été archivée : elle ne compte plus dans la couverture.",
}

func (s *Server) listAdoptions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.adoptionQuery(c)
	v := adoptionsView{CanCreate: models.CanRecordAdoptions(actor), Done: adoptionDone[c.QueryParam("fait")]}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-adoptions", "Adoptions de la charte"
	v.Empty = emptyList{Text: "Aucune adoption de la charte pour l'instant.",
		Hint: "Chaque délibération d'une commune ou d'une intercommunalité qui adopte la charte s'enregistre ici, avec sa référence et sa date."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/adoptions/nouveau", "Enregistrer une adoption"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListAdoptions(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
		if models.ValidINSEE(f.Commune) {
			cc, err := s.store.CommuneCharteOf(ctx, actor.Scope, f.Commune)
			if err != nil {
				return err
			}
			if label := cc.Label(); label != "" { // the caption says whether and how the version in force covers it
				v.Caption = "Adoptions qui s'appliquent à la commune " + f.Commune + " — " + label
			}
		}
	}
	versions, err := s.store.CharteChoices(ctx)
	if err != nil {
		return err
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Form = filterForm{Action: "/adoptions", Sort: q.Sort, PerPage: q.PerPage,
		Search: placeFilter(placeCommunes, "commune", "Commune", "Son nom, son code INSEE ou son code postal (exemple : Bobigny)", q.Commune, errs["commune"])}
	v.Form.Inputs = []formField{placeFilter(placeEPCI, "epci", "EPCI ou EPT", "Son nom ou son SIREN (exemple : Est Ensemble)", q.EPCI, errs["epci"])}
	v.Form.sel("version", "Version", "Toutes les versions", q.Version, versions, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	u := newListURL(c, "/adoptions")
	v.Columns = []column{{Label: "Collectivité"}, {Label: "Version"}, {Label: "Département"}, {Label: "Délibération"}, {Label: "Date"}}
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "adoptions/list", "Adoptions de la charte", []crumb{home, chartesCrumb, {Label: "Adoptions"}}, v, errs != nil)
}

func (s *Server) exportAdoptions(c echo.Context) error {
	_, f, errs := s.adoptionQuery(c)
	return exportScoped(s, c, "adoptions-charte", exports.AdoptionsTable, f, errs, s.store.EachAdoption, exports.AdoptionValues)
}

// adoptionJSON is an adoption in the API.
type adoptionJSON struct {
	ID              int64  `json:"id"`
	CharteVersionID int64  `json:"charte_version_id"`
	CharteNumero    string `json:"charte_numero"`
	CodeINSEE       string `json:"code_insee,omitempty"`
	EPCISiren       string `json:"epci_siren,omitempty"`
	Collectivite    string `json:"collectivite"`
	Departement     string `json:"departement,omitempty"`
	CouvreMembres   bool   `json:"couvre_membres"`
	Deliberation    string `json:"deliberation_ref"`
	Date            string `json:"deliberation_date"`
	Version         int    `json:"version"`
}

func (s *Server) apiAdoptions(c echo.Context) error {
	q, f, errs := s.adoptionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	p, err := s.store.ListAdoptions(c.Request().Context(), s.scope(c), f, q.request())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, func(a models.AdoptionRow) adoptionJSON {
		return adoptionJSON{ID: a.ID, CharteVersionID: a.CharteVersionID, CharteNumero: a.CharteNumero, CodeINSEE: deref(a.CodeINSEE),
			EPCISiren: deref(a.EPCISiren), Collectivite: a.Collectivite(), Departement: a.DepartementCode, CouvreMembres: a.CouvreMembres,
			Deliberation: a.DeliberationRef, Date: a.DeliberationDate.UTC().Format(time.DateOnly), Version: a.Version}
	}))
}

// adoptionForm is the adoption form.
type adoptionForm struct {
	Version       string `form:"charte"`
	Commune       string `form:"commune"`
	EPCI          string `form:"epci"`
	CouvreMembres string `form:"couvre_membres"`
	Ref           string `form:"deliberation_ref"`
	Date          string `form:"deliberation_date"`
	RowVersion    string `form:"version"`
}

// input is what the form gives the data layer; commune is the INSEE code of the commune
// field, read back (adoptionCommune).
func (f adoptionForm) input(commune string) models.AdoptionInput {
	id, _ := strconv.ParseInt(f.Version, 10, 64)
	return models.AdoptionInput{CharteVersionID: id, Commune: commune, EPCI: f.EPCI, CouvreMembres: f.CouvreMembres == "oui",
		Ref: f.Ref, Date: f.Date}
}

// bindAdoptionForm binds the posted form and reads back its commune (by name, INSEE code or
// postcode), with the message of a commune it names none or several of.
func (s *Server) bindAdoptionForm(c echo.Context) (f adoptionForm, commune, msg string, err error) {
	if f, err = bindForm[adoptionForm](c); err != nil {
		return f, "", "", err
	}
	commune, msg, err = s.filterPlace(c, placeCommunes, f.Commune)
	if msg != "" {
		commune = unresolved
	}
	return f, commune, msg, err
}

func adoptionFormOf(a models.AdoptionRow) adoptionForm {
	f := adoptionForm{Version: strconv.FormatInt(a.CharteVersionID, 10), Commune: deref(a.CodeINSEE), EPCI: deref(a.EPCISiren),
		Ref: a.DeliberationRef, Date: fr.Day(a.DeliberationDate), RowVersion: strconv.Itoa(a.Version)}
	if a.CouvreMembres {
		f.CouvreMembres = "oui"
	}
	return f
}

type adoptionFormView struct {
	Heading, Action, Cancel, Submit, Closed, Refused, Conflict, RowVersion string
	HasErrors, CouvreMembres, CanArchive                                   bool
	ArchiveAction                                                          string
	Commune, Ref, Date                                                     formField
	Charte, EPCI                                                           selectField
	Documents                                                              *documentsView
}

func (s *Server) adoptionFormPage(c echo.Context, status int, a *models.AdoptionRow, f adoptionForm, errs map[string]string, refused, conflict string) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := adoptionFormView{Heading: "Nouvelle adoption de la charte", Action: "/adoptions", Cancel: "/adoptions", Submit: "Enregistrer l'adoption",
		Refused: refused, Conflict: conflict, RowVersion: f.RowVersion, HasErrors: len(errs) > 0, CouvreMembres: f.CouvreMembres == "oui"}
	crumbs := []crumb{home, chartesCrumb, adoptionsCrumb, {Label: "Nouvelle adoption"}}
	if !models.CanRecordAdoptions(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") permet de consulter les adoptions, pas de les enregistrer."
	}
	if a != nil {
		href := "/adoptions/" + strconv.FormatInt(a.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier l'adoption de "+a.Collectivite(), href, "/adoptions", "Enregistrer"
		v.ArchiveAction = href + "/archiver"
		crumbs = []crumb{home, chartesCrumb, adoptionsCrumb, {Label: a.Collectivite()}}
		ok, err := s.store.CanWriteAdoption(ctx, actor, a.Adoption)
		if err != nil {
			return err
		}
		v.CanArchive = ok
		if v.Documents, err = s.documentsSection(c, models.DocumentAdoption, a.ID, ok); err != nil {
			return err
		}
		if !ok && v.Closed == "" {
			v.Closed = "Vous pouvez consulter cette adoption mais votre rôle ne permet pas de la modifier."
		}
	}
	versions, err := s.store.CharteChoices(ctx)
	if err != nil {
		return err
	}
	epci, err := s.formEPCIChoices(c)
	if err != nil {
		return err
	}
	input := func(name, label, hint, value string) formField {
		return formField{ID: "adoption-" + strings.ReplaceAll(name, "_", "-"), Name: name, Label: label, Hint: hint, Type: "text",
			Value: value, Error: errs[name]}
	}
	v.Charte = selectField{ID: "adoption-charte", Name: "charte", Label: "Version de la charte", All: "Choisir une version",
		Value: f.Version, Error: errs["version"], Choices: versions}
	v.Commune = input("commune", "Commune", "Son nom (exemple : Bobigny), son code INSEE ou son code postal ; laissez vide pour un EPCI", f.Commune)
	v.Commune.Place = &placeField{ID: v.Commune.ID, Name: "commune", Kind: placeCommunes, Label: v.Commune.Label, Hint: v.Commune.Hint,
		Value: f.Commune, Error: v.Commune.Error}
	v.EPCI = selectField{ID: "adoption-epci", Name: "epci", Label: "EPCI ou EPT", Hint: "Pour une adoption par une intercommunalité",
		All: "Aucun", Value: f.EPCI, Error: errs["epci"], Choices: epci}
	v.Ref = input("deliberation_ref", "Référence de la délibération", "Exemple : DEL-2012-045", f.Ref)
	v.Date = input("deliberation_date", "Date de la délibération", "Format JJ/MM/AAAA, pas dans le futur", f.Date)
	if a == nil {
		status = closedStatus(status, v.Closed)
	}
	return s.render(c, status, "adoptions/form", v.Heading, crumbs, v)
}

const msgAdoptionRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer l'adoption de cette collectivité."

func (s *Server) newAdoption(c echo.Context) error {
	f := adoptionForm{}
	if cur, err := s.store.CurrentCharte(c.Request().Context()); err == nil {
		f.Version = strconv.FormatInt(cur.ID, 10)
	}
	return s.adoptionFormPage(c, http.StatusOK, nil, f, nil, "", "")
}

func (s *Server) createAdoption(c echo.Context) error {
	f, commune, msg, err := s.bindAdoptionForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.CreateAdoption(c.Request().Context(), s.actor(c), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": msg})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.adoptionFormPage(c, status, nil, f, errs, msg, "")
	}, Refused: msgAdoptionRefused, Redirect: "/adoptions?fait=creation"}.saved(c, err)
}

func (s *Server) adoptionOf(c echo.Context) (models.AdoptionRow, error) {
	_, a, err := pathRecord(s, c, s.store.GetAdoption)
	return a, err
}

func (s *Server) editAdoption(c echo.Context) error {
	a, err := s.adoptionOf(c)
	if err != nil {
		return err
	}
	return s.adoptionFormPage(c, http.StatusOK, &a, adoptionFormOf(a), nil, "", "")
}

// updateAdoption saves an edit: 404 outside the scope, 403 refused by the write rule, 409
// stale, 422 field errors.
func (s *Server) updateAdoption(c echo.Context) error {
	a, err := s.adoptionOf(c)
	if err != nil {
		return err
	}
	f, commune, msg, err := s.bindAdoptionForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateAdoption(c.Request().Context(), s.actor(c), a.ID, formVersion(f.RowVersion), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": msg})
	return updated(c, err, a, func(ce *models.ConflictError, current models.AdoptionRow) error {
		return s.adoptionFormPage(c, http.StatusConflict, &current, adoptionFormOf(current), nil, "",
			"Cette adoption a été modifiée entre-temps : rien n'a été enregistré. Le formulaire montre les valeurs actuelles.")
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.adoptionFormPage(c, status, &a, f, errs, msg, "")
	}, Refused: msgAdoptionRefused, Redirect: "/adoptions?fait=modification"})
}

func (s *Server) archiveAdoption(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveAdoption, func(string) string { return "/adoptions?fait=archivage" })
}
