package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The académie's catalogue of training modules: every role reads it; the administrator and
// the pilotes add and edit modules (models.CanEditFormationModules).

var modulesCrumb = crumb{Label: "Modules", Href: "/formations/modules"}

// modulesView is the catalogue's page.
type modulesView struct {
	Modules []models.FormationModule
	CanEdit bool
	Done    string
}

func (s *Server) listFormationModules(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	mods, err := s.store.ListFormationModules(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v := modulesView{Modules: mods, CanEdit: models.CanEditFormationModules(actor)}
	if c.QueryParam("fait") != "" {
		v.Done = "Le module a été enregistré."
	}
	return s.render(c, http.StatusOK, "formations/modules", "Modules de formation", []crumb{home, formationsCrumb, {Label: "Modules"}}, v)
}

// moduleForm is the module form.
type moduleForm struct {
	Libelle      string `form:"libelle"`
	Description  string `form:"description"`
	DureeMinutes string `form:"duree_minutes"`
	Ordre        string `form:"ordre"`
	Version      string `form:"version"`
}

func (f moduleForm) input() models.FormationModuleInput {
	return models.FormationModuleInput{Libelle: f.Libelle, Description: f.Description, DureeMinutes: f.DureeMinutes, Ordre: f.Ordre}
}

func moduleFormOf(m models.FormationModule) moduleForm {
	f := moduleForm{Libelle: m.Libelle, Description: m.Description, Ordre: strconv.Itoa(m.Ordre), Version: strconv.Itoa(m.Version)}
	if m.DureeMinutes != nil {
		f.DureeMinutes = strconv.Itoa(*m.DureeMinutes)
	}
	return f
}

// moduleFormView is the module form page.
type moduleFormView struct {
	Heading, Action, Submit            string
	Closed, Version                    string
	HasErrors                          bool
	Libelle, Description, Duree, Ordre formField
	Conflict                           *formConflict
}

func (s *Server) moduleFormPage(c echo.Context, status int, m *models.FormationModule, f moduleForm, errs map[string]string, conflict *formConflict) error {
	actor := s.actor(c)
	v := moduleFormView{Heading: "Nouveau module", Action: "/formations/modules", Submit: "Enregistrer le module",
		Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	if m != nil {
		v.Heading, v.Action, v.Submit = "Modifier le module", "/formations/modules/"+strconv.FormatInt(m.ID, 10), "Enregistrer"
	}
	forbidden := !models.CanEditFormationModules(actor)
	if forbidden {
		v.Closed = "Le catalogue des modules est tenu par les pilotes académiques : votre rôle (" + actor.Role.Label() + ") le consulte."
	}
	field := func(name, label, hint, value string) formField {
		return formField{ID: "module-" + name, Name: name, Label: label, Hint: hint, Type: "text", Value: value, Error: errs[name]}
	}
	v.Libelle = field("libelle", "Libellé", "", f.Libelle)
	v.Description = field("description", "Description", "Facultatif", f.Description)
	v.Duree = field("duree_minutes", "Durée habituelle (minutes)", "Facultatif, exemple : 180", f.DureeMinutes)
	v.Ordre = field("ordre", "Ordre dans le catalogue", "Facultatif, exemple : 6", f.Ordre)
	crumbs := []crumb{home, formationsCrumb, modulesCrumb, {Label: v.Heading}}
	return s.render(c, forbiddenStatus(status, forbidden), "formations/module_form", v.Heading, crumbs, v)
}

func (s *Server) newFormationModule(c echo.Context) error {
	return s.moduleFormPage(c, http.StatusOK, nil, moduleForm{}, nil, nil)
}

func (s *Server) createFormationModule(c echo.Context) error {
	f, err := bindForm[moduleForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.CreateFormationModule(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.moduleFormPage(c, status, nil, f, errs, nil)
	}, Redirect: "/formations/modules?fait=creation"}.saved(c, err)
}

func (s *Server) editFormationModule(c echo.Context) error {
	_, m, err := pathRecord(s, c, s.store.GetFormationModule)
	if err != nil {
		return err
	}
	return s.moduleFormPage(c, http.StatusOK, &m, moduleFormOf(m), nil, nil)
}

func (s *Server) updateFormationModule(c echo.Context) error {
	id, m, err := pathRecord(s, c, s.store.GetFormationModule)
	if err != nil {
		return err
	}
	f, err := bindForm[moduleForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateFormationModule(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, m, func(ce *models.ConflictError, current models.FormationModule) error {
		cur := moduleFormOf(current)
		return s.moduleFormPage(c, http.StatusConflict, &current, cur, nil, newFormConflict(ce, []conflictRow{
			{Label: "Libellé", Current: cur.Libelle, Typed: f.Libelle}}))
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.moduleFormPage(c, status, &m, f, errs, nil)
	}, Redirect: "/formations/modules?fait=modification"})
}
