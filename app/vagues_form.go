package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// One wave's page (its figures per phase) and the wave form.

// vagueView is one wave's page.
type vagueView struct {
	Vague      models.VagueRow
	Phases     []models.PhaseFigure
	CanWrite   bool
	Done       string
	Deploiemts string // the deployments list of the wave's écoles
	History    []models.AuditEvent
}

var vagueDone = map[string]string{
	"creation":     "La vague a été créée.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "La vague a été restaurée : elle peut de nouveau recevoir des écoles.",
}

func (s *Server) showVague(c echo.Context) error {
	id, v, err := pathRecord(s, c, s.store.GetVague)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	key := strconv.FormatInt(id, 10)
	view := vagueView{Vague: v, CanWrite: models.CanWriteVague(actor, v.Vague), Done: vagueDone[c.QueryParam("fait")],
		Deploiemts: "/deploiements?vague=" + key}
	if view.Phases, err = s.store.VaguePhases(ctx, actor.Scope, id); err != nil {
		return err
	}
	if view.History, err = s.history(c, "vague", key); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "vagues/show", v.Nom, []crumb{home, vaguesCrumb, {Label: v.Nom}}, view)
}

// vagueForm is the wave form; the id and version are never bound into the model.
type vagueForm struct {
	Nom             string `form:"nom"`
	AnneeScolaire   string `form:"annee_scolaire"`
	Pilote          string `form:"pilote"`
	Departement     string `form:"departement"`
	OuverturePrevue string `form:"ouverture_prevue"`
	Cible           string `form:"cible"`
	Notes           string `form:"notes"`
	Version         string `form:"version"`
}

func (f vagueForm) input() models.VagueInput {
	return models.VagueInput{Nom: f.Nom, AnneeScolaire: f.AnneeScolaire, Pilote: f.Pilote == "oui", Departement: f.Departement,
		OuverturePrevue: f.OuverturePrevue, CibleEcoles: f.Cible, Notes: f.Notes}
}

func vagueFormOf(v models.VagueRow) vagueForm {
	f := vagueForm{Nom: v.Nom, AnneeScolaire: v.AnneeScolaire, Departement: deref(v.DepartementCode), Notes: v.Notes,
		Version: strconv.Itoa(v.Version)}
	if v.Pilote {
		f.Pilote = "oui"
	}
	if v.OuverturePrevue != nil {
		f.OuverturePrevue = fr.Day(*v.OuverturePrevue)
	}
	if v.CibleEcoles != nil {
		f.Cible = strconv.Itoa(*v.CibleEcoles)
	}
	return f
}

// vagueFormView is the wave form page; Closed replaces the form for a role that writes no
// wave, Refused explains a save the write rule refused.
type vagueFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Nom, Annee, Ouverture, Cible    formField
	Notes                           formField
	Departement                     selectField
	Pilote                          checkField
	Conflict                        *formConflict
}

const msgVagueRefused = "Rien n'a été enregistré : votre rôle ne permet pas de modifier cette vague (un IA-DASEN modifie les vagues de son département)."

func (s *Server) vagueFormPage(c echo.Context, status int, v *models.VagueRow, f vagueForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	view := vagueFormView{Heading: "Nouvelle vague", Action: "/vagues", Cancel: "/vagues", Submit: "Créer la vague",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, vaguesCrumb, {Label: "Nouvelle vague"}}
	if !models.CanCreate(actor, models.EntityVague) {
		view.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier une vague."
	}
	if v != nil {
		href := "/vagues/" + strconv.FormatInt(v.ID, 10)
		view.Heading, view.Action, view.Cancel, view.Submit = "Modifier la vague "+v.Nom, href, href, "Enregistrer"
		crumbs = []crumb{home, vaguesCrumb, {Label: v.Nom, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteVague(actor, v.Vague) && view.Closed == "" {
			view.Closed = "Vous pouvez consulter cette vague mais votre rôle ne permet pas de la modifier."
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	all := "Académie (toute l'académie)"
	if !models.CanWriteAcademieRecords(actor, models.EntityVague) {
		all = "Choisir le département"
	}
	view.Nom = formField{ID: "vague-nom", Name: "nom", Label: "Nom", Hint: "Exemple : Vague 2013-2014", Type: "text", Value: f.Nom, Error: errs["nom"]}
	view.Annee = formField{ID: "vague-annee", Name: "annee_scolaire", Label: "Année scolaire", Hint: "Format attendu : AAAA-AAAA (exemple : 2013-2014)",
		Type: "text", Value: f.AnneeScolaire, Error: errs["annee_scolaire"]}
	view.Pilote = checkField{ID: "vague-pilote", Name: "pilote", Value: "oui", Label: "Vague des sites pilotes", Checked: f.Pilote == "oui"}
	view.Departement = selectField{ID: "vague-departement", Name: "departement", Label: "Périmètre",
		Hint: "L'académie, ou un département", All: all, Value: f.Departement, Choices: deps, Error: errs["departement"]}
	view.Ouverture = formField{ID: "vague-ouverture", Name: "ouverture_prevue", Label: "Ouverture prévue", Hint: "Format attendu : JJ/MM/AAAA",
		Type: "text", Value: f.OuverturePrevue, Error: errs["ouverture_prevue"]}
	view.Cible = formField{ID: "vague-cible", Name: "cible", Label: "Cible (nombre d'écoles)", Hint: "Facultatif",
		Type: "text", Value: f.Cible, Error: errs["cible"]}
	view.Notes = formField{ID: "vague-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	return s.render(c, closedStatus(status, view.Closed), "vagues/form", view.Heading, crumbs, view)
}

func (s *Server) newVague(c echo.Context) error {
	return s.vagueFormPage(c, http.StatusOK, nil, vagueForm{}, nil, "", nil)
}

func (s *Server) createVague(c echo.Context) error {
	f, err := bindForm[vagueForm](c)
	if err != nil {
		return err
	}
	v, err := s.store.CreateVague(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.vagueFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgVagueRefused, Redirect: "/vagues/" + strconv.FormatInt(v.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editVague(c echo.Context) error {
	_, v, err := pathRecord(s, c, s.store.GetVague)
	if err != nil {
		return err
	}
	return s.vagueFormPage(c, http.StatusOK, &v, vagueFormOf(v), nil, "", nil)
}

// updateVague saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateVague(c echo.Context) error {
	id, v, err := pathRecord(s, c, s.store.GetVague)
	if err != nil {
		return err
	}
	f, err := bindForm[vagueForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateVague(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, v, func(ce *models.ConflictError, current models.VagueRow) error {
		cur := vagueFormOf(current)
		return s.vagueFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Nom", Current: cur.Nom, Typed: f.Nom}, {Label: "Année scolaire", Current: cur.AnneeScolaire, Typed: f.AnneeScolaire},
			{Label: "Périmètre", Current: cur.Departement, Typed: f.Departement},
			{Label: "Ouverture prévue", Current: cur.OuverturePrevue, Typed: f.OuverturePrevue},
			{Label: "Cible", Current: cur.Cible, Typed: f.Cible}, {Label: "Notes", Current: cur.Notes, Typed: f.Notes}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.vagueFormPage(c, status, &v, f, errs, msg, nil)
	}, Refused: msgVagueRefused, Redirect: "/vagues/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
