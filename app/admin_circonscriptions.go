package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Administration of the circonscriptions (/admin/circonscriptions): the list by
// département, creation, renaming, archiving and restoring, and the écoles of each, assigned
// by commune (all the écoles of the communes chosen) or by a pasted list of UAI. The data
// layer checks every rule and audits every change (models/circonscription.go).

var circonscriptionsCrumb = crumb{Label: "Circonscriptions", Href: "/admin/circonscriptions"}

// circonscriptionsView is the list page.
type circonscriptionsView struct {
	Departement string
	Form        filterForm
	Live        []models.CirconscriptionRow
	Archived    []models.CirconscriptionRow
	Done        string
}

var circonscriptionDone = map[string]string{
	"creation":     "La circonscription a été créée : affectez-lui ses écoles.",
	"modification": "Le nom de la circonscription a été enregistré.",
	"affectation":  "Les écoles ont été affectées à la circonscription.",
	"retrait":      "Les écoles choisies ont été retirées de la circonscription.",
	"archivage":    "La circonscription a été archivée : elle n'est plus proposée dans les formulaires ni les filtres.",
	"restauration": "La circonscription a été restaurée.",
}

func (s *Server) listCirconscriptions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	dep := c.QueryParam("departement")
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	if models.LabelOf(deps, dep) == dep {
		dep = "" // not a département of the list: all of them
	}
	v := circonscriptionsView{Departement: dep, Done: circonscriptionDone[c.QueryParam("fait")]}
	if v.Live, err = s.store.ListCirconscriptionsAdmin(ctx, actor, dep, false); err != nil {
		return err
	}
	if v.Archived, err = s.store.ListCirconscriptionsAdmin(ctx, actor, dep, true); err != nil {
		return err
	}
	v.Form = filterForm{Action: "/admin/circonscriptions"}
	v.Form.sel("departement", "Département", "Tous les départements", dep, deps, nil)
	return s.render(c, http.StatusOK, "admin/circonscriptions/list", "Circonscriptions", []crumb{home, adminCrumb, {Label: "Circonscriptions"}}, v)
}

// circonscriptionForm is the creation form; only the name changes afterwards.
type circonscriptionForm struct {
	Code        string `form:"code"`
	Nom         string `form:"nom"`
	Departement string `form:"departement"`
	Version     string `form:"version"`
}

// circonscriptionFormView is the creation page.
type circonscriptionFormView struct {
	Code, Nom   formField
	Departement selectField
	HasErrors   bool
}

func (s *Server) circonscriptionFormPage(c echo.Context, status int, f circonscriptionForm, errs map[string]string) error {
	deps, err := s.store.DepartementChoices(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	v := circonscriptionFormView{HasErrors: len(errs) > 0}
	v.Departement = selectField{ID: "circonscription-departement", Name: "departement", Label: "Département", All: "Choisir le département",
		Value: f.Departement, Choices: deps, Error: errs["departement"]}
	v.Code = formField{ID: "circonscription-code", Name: "code", Label: "Code", Type: "text", Value: f.Code, Error: errs["code"],
		Hint: "Celui de l'annuaire de l'éducation, au format d'une UAI : 7 chiffres commençant par ceux du département, et la lettre de contrôle (exemple : 0930999F)"}
	v.Nom = formField{ID: "circonscription-nom", Name: "nom", Label: "Nom", Type: "text", Value: f.Nom, Error: errs["nom"],
		Hint: "Exemple : Circonscription d'inspection du 1er degré de Bobigny"}
	return s.render(c, status, "admin/circonscriptions/form", "Nouvelle circonscription",
		[]crumb{home, adminCrumb, circonscriptionsCrumb, {Label: "Nouvelle circonscription"}}, v)
}

func (s *Server) newCirconscription(c echo.Context) error {
	dep := c.QueryParam("departement")
	if len(dep) > 3 {
		dep = ""
	}
	return s.circonscriptionFormPage(c, http.StatusOK, circonscriptionForm{Departement: dep}, nil)
}

func (s *Server) createCirconscription(c echo.Context) error {
	f, err := bindForm[circonscriptionForm](c)
	if err != nil {
		return err
	}
	row, err := s.store.CreateCirconscription(c.Request().Context(), s.actor(c), models.CirconscriptionEdit{Code: f.Code, Nom: f.Nom, Departement: f.Departement})
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.circonscriptionFormPage(c, status, f, errs)
	}, Redirect: "/admin/circonscriptions/" + row.Code + "?fait=creation"}.saved(c, err)
}

// circonscriptionView is a circonscription's page: its écoles and the forms that change it.
type circonscriptionView struct {
	C              models.CirconscriptionRow
	Done           string
	Error          string // a refused archive
	Conflict       string
	Nom            formField
	Version        string
	RenameErrors   bool
	Communes       placesField
	EcolesChoisies placesField
	UAI            formField
	AssignErrors   bool
	Ecoles         []checkField
	RemoveError    string
	History        []models.AuditEvent
	Shown          int // écoles listed (the first models.MaxPageSize)
}

// circonscriptionState is what a refused form of the page gives back.
type circonscriptionState struct {
	form     string // "nom", "ecoles", "retrait", "archive"
	errs     map[string]string
	nom      string
	conflict string
	communes placesValue
	ecoles   placesValue
	uai      string
}

func (s *Server) showCirconscription(c echo.Context) error {
	return s.circonscriptionPage(c, http.StatusOK, c.Param("code"), circonscriptionState{})
}

func (s *Server) circonscriptionPage(c echo.Context, status int, code string, st circonscriptionState) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	row, err := s.store.GetCirconscription(ctx, actor, code)
	if err != nil {
		return err
	}
	v := circonscriptionView{C: row, Done: circonscriptionDone[c.QueryParam("fait")], Version: strconv.Itoa(row.Version), Conflict: st.conflict}
	errs := st.errs
	if errs == nil {
		errs = map[string]string{}
	}
	nom := row.Nom
	if st.form == "nom" {
		nom, v.RenameErrors = st.nom, len(errs) > 0
	}
	v.Nom = formField{ID: "circonscription-nom", Name: "nom", Label: "Nom", Type: "text", Value: nom, Error: errs["nom"]}
	if st.form == "archive" {
		v.Error = errs["archive"]
	}
	if st.form == "ecoles" {
		v.AssignErrors = len(errs) > 0
	} else {
		st.communes, st.ecoles = placesValue{}, placesValue{}
	}
	v.Communes = st.communes.field(placesField{Legend: "Par commune : toutes les écoles des communes choisies", Name: "communes",
		Empty: "Aucune commune choisie.", Hint: "Communes du département " + row.DepartementCode,
		Add: placeField{ID: "affectation-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom (exemple : Bobigny), son code INSEE ou son code postal", Params: "departement=" + row.DepartementCode}})
	v.Communes.Add.Error = firstOf(errs["communes"], st.communes.Error)
	v.EcolesChoisies = st.ecoles.field(placesField{Legend: "Par école : les écoles choisies", Name: "ecoles_choisies",
		Empty: "Aucune école choisie.", Hint: "Écoles du département " + row.DepartementCode,
		Add: placeField{ID: "affectation-ecoles", Kind: placeEcoles, Label: "Ajouter une école",
			Hint: "Son nom (exemple : Jean Jaurès) ou son UAI", Params: "departement=" + row.DepartementCode}})
	v.EcolesChoisies.Add.Error = firstOf(errs["ecoles_choisies"], st.ecoles.Error)
	v.UAI = formField{ID: "affectation-uai", Name: "uai", Label: "Par UAI : une liste collée",
		Hint:  "Les UAI des écoles, séparées par des espaces, des virgules ou des retours à la ligne (exemple : 0930388S 0930389T)",
		Value: st.uai, Error: errs["uai"], Textarea: true}
	ecoles, err := s.store.ListEcoles(ctx, actor.Scope, models.EcoleFilter{Circonscription: row.Code, Sort: "commune"}, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		return err
	}
	v.Shown = len(ecoles.Items)
	for _, e := range ecoles.Items {
		v.Ecoles = append(v.Ecoles, checkField{ID: "ecole-" + e.UAI, Name: "ecoles", Value: e.UAI,
			Label: e.Nom + " — " + e.CommuneNom + " (" + e.UAI + ")"})
	}
	if st.form == "retrait" {
		v.RemoveError = firstOf(errs["ecoles"], errs["_"])
	}
	if v.History, err = s.history(c, "circonscription", row.Code); err != nil {
		return err
	}
	return s.render(c, status, "admin/circonscriptions/show", row.Nom,
		[]crumb{home, adminCrumb, circonscriptionsCrumb, {Label: row.Nom}}, v)
}

func circonscriptionHref(code, done string) string {
	return "/admin/circonscriptions/" + code + "?fait=" + done
}

// renameCirconscription saves the name: 409 when stale, 422 refused.
func (s *Server) renameCirconscription(c echo.Context) error {
	code := strings.ToUpper(c.Param("code"))
	nom := c.FormValue("nom")
	err := s.store.RenameCirconscription(c.Request().Context(), s.actor(c), code, formVersion(c.FormValue("version")), nom)
	return updated(c, err, models.CirconscriptionRow{}, func(ce *models.ConflictError, _ models.CirconscriptionRow) error {
		return s.circonscriptionPage(c, http.StatusConflict, code, circonscriptionState{form: "nom", nom: nom,
			conflict: "La circonscription a été modifiée par " + conflictBy(ce) + " depuis l'ouverture de la page : rien n'a été enregistré. " +
				"Le champ montre votre saisie ; enregistrez de nouveau pour la garder."})
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.circonscriptionPage(c, status, code, circonscriptionState{form: "nom", errs: errs, nom: nom})
	}, Redirect: circonscriptionHref(code, "modification")})
}

// assignCirconscriptionEcoles assigns écoles: by commune (a list of places) and by UAI.
func (s *Server) assignCirconscriptionEcoles(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	code := strings.ToUpper(c.Param("code"))
	row, err := s.store.GetCirconscription(ctx, actor, code)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	communes, err := s.readPlaces(c, placeCommunes, "communes", row.DepartementCode, form["communes"])
	if err != nil {
		return err
	}
	ecoles, err := s.readPlaces(c, placeEcoles, "ecoles_choisies", row.DepartementCode, form["ecoles_choisies"])
	if err != nil {
		return err
	}
	st := circonscriptionState{form: "ecoles", communes: communes, ecoles: ecoles, uai: form.Get("uai")}
	if listEdit(c) {
		return s.circonscriptionPage(c, http.StatusOK, code, st)
	}
	if !validText(st.uai) {
		st.errs = map[string]string{"uai": "Caractères invalides."}
		return s.circonscriptionPage(c, http.StatusUnprocessableEntity, code, st)
	}
	uais := strings.FieldsFunc(st.uai, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	if ecoles.Error != "" {
		st.errs = map[string]string{"ecoles_choisies": ecoles.Error}
		return s.circonscriptionPage(c, http.StatusUnprocessableEntity, code, st)
	}
	_, err = s.store.AssignEcoles(ctx, actor, code, append(uais, ecoles.codes()...), communes.inputList())
	err = withPlaceErrors(err, map[string]string{"communes": communes.Error})
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		st.errs = errs
		return s.circonscriptionPage(c, status, code, st)
	}, Redirect: circonscriptionHref(code, "affectation") + "#ecoles"}.saved(c, err)
}

// removeCirconscriptionEcoles takes the checked écoles out of the circonscription.
func (s *Server) removeCirconscriptionEcoles(c echo.Context) error {
	code := strings.ToUpper(c.Param("code"))
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if len(form["ecoles"]) == 0 {
		return s.circonscriptionPage(c, http.StatusUnprocessableEntity, code, circonscriptionState{form: "retrait",
			errs: map[string]string{"ecoles": "Cochez les écoles à retirer."}})
	}
	if _, err := s.store.RemoveEcoles(c.Request().Context(), s.actor(c), code, form["ecoles"]); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, circonscriptionHref(code, "retrait")+"#ecoles")
}

func (s *Server) archiveCirconscription(c echo.Context) error {
	return s.setCirconscriptionArchived(c, true)
}

func (s *Server) restoreCirconscription(c echo.Context) error {
	return s.setCirconscriptionArchived(c, false)
}

func (s *Server) setCirconscriptionArchived(c echo.Context, archive bool) error {
	code := strings.ToUpper(c.Param("code"))
	err := s.store.ArchiveCirconscription(c.Request().Context(), s.actor(c), code, archive)
	done := map[bool]string{true: "archivage", false: "restauration"}[archive]
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.circonscriptionPage(c, status, code, circonscriptionState{form: "archive", errs: errs})
	}, Redirect: circonscriptionHref(code, done)}.saved(c, err)
}
