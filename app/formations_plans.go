package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Training plans: one per school year and département, listed with their sessions' count;
// the IA-DASEN creates and edits their département's, the pilotes and the administrator
// any (models.EntityPlanFormation).

var plansCrumb = crumb{Label: "Plans de formation", Href: "/formations/plans"}

// plansView is the plans' page.
type plansView struct {
	Plans     []models.PlanFormationRow
	Annee     string
	CanCreate bool
	Done      string
}

func (s *Server) listPlansFormation(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	annee := c.QueryParam("annee")
	if models.AnneeScolaireProblem(annee) != "" {
		annee = ""
	}
	plans, err := s.store.ListPlansFormation(ctx, actor.Scope, annee, "")
	if err != nil {
		return err
	}
	v := plansView{Plans: plans, Annee: annee, CanCreate: models.CanCreate(actor, models.EntityPlanFormation)}
	if c.QueryParam("fait") != "" {
		v.Done = "Le plan de formation a été enregistré."
	}
	return s.render(c, http.StatusOK, "formations/plans", "Plans de formation", []crumb{home, formationsCrumb, {Label: "Plans"}}, v)
}

// planForm is the plan form.
type planForm struct {
	AnneeScolaire string `form:"annee_scolaire"`
	Departement   string `form:"departement"`
	Titre         string `form:"titre"`
	Notes         string `form:"notes"`
	Version       string `form:"version"`
}

func (f planForm) input() models.PlanFormationInput {
	return models.PlanFormationInput{AnneeScolaire: f.AnneeScolaire, Departement: f.Departement, Titre: f.Titre, Notes: f.Notes}
}

// planFormView is the plan form page.
type planFormView struct {
	Heading, Action, Submit  string
	Closed, Refused, Version string
	HasErrors                bool
	Annee, Titre, Notes      formField
	Departement              selectField
	Conflict                 *formConflict
}

const msgPlanRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer le plan de formation de ce département."

func (s *Server) planFormPage(c echo.Context, status int, p *models.PlanFormationRow, f planForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := planFormView{Heading: "Nouveau plan de formation", Action: "/formations/plans", Submit: "Enregistrer le plan",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	forbidden := false
	if !models.CanCreate(actor, models.EntityPlanFormation) {
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet pas d'enregistrer de plan de formation.", true
	}
	if p != nil {
		v.Heading, v.Action, v.Submit = "Modifier le plan "+p.AnneeScolaire+" — "+p.DepartementCode,
			"/formations/plans/"+strconv.FormatInt(p.ID, 10), "Enregistrer"
		if !forbidden && !models.CanWritePlanFormation(actor, p.DepartementCode) {
			v.Closed, forbidden = "Vous pouvez consulter ce plan mais votre rôle ne permet pas de le modifier.", true
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Annee = formField{ID: "plan-annee", Name: "annee_scolaire", Label: "Année scolaire", Hint: "AAAA-AAAA (exemple : 2026-2027)",
		Type: "text", Value: f.AnneeScolaire, Error: errs["annee_scolaire"]}
	v.Departement = selectField{ID: "plan-departement", Name: "departement", Label: "Département", All: "Choisir un département",
		Value: f.Departement, Choices: deps, Error: errs["departement"]}
	v.Titre = formField{ID: "plan-titre", Name: "titre", Label: "Titre", Hint: "Facultatif", Type: "text", Value: f.Titre, Error: errs["titre"]}
	v.Notes = formField{ID: "plan-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	crumbs := []crumb{home, formationsCrumb, plansCrumb, {Label: v.Heading}}
	return s.render(c, forbiddenStatus(status, forbidden), "formations/plan_form", v.Heading, crumbs, v)
}

func (s *Server) newPlanFormation(c echo.Context) error {
	f := planForm{AnneeScolaire: schoolYearLabel(s.store.SchoolYear()), Departement: s.scope(c).SoleDepartement()}
	return s.planFormPage(c, http.StatusOK, nil, f, nil, "", nil)
}

// schoolYearLabel is "2026-2027" for 2026.
func schoolYearLabel(first int) string { return strconv.Itoa(first) + "-" + strconv.Itoa(first+1) }

func (s *Server) createPlanFormation(c echo.Context) error {
	f, err := bindForm[planForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.CreatePlanFormation(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.planFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgPlanRefused, Redirect: "/formations/plans?fait=creation"}.saved(c, err)
}

func (s *Server) editPlanFormation(c echo.Context) error {
	_, p, err := pathRecord(s, c, s.store.GetPlanFormation)
	if err != nil {
		return err
	}
	f := planForm{AnneeScolaire: p.AnneeScolaire, Departement: p.DepartementCode, Titre: p.Titre, Notes: p.Notes,
		Version: strconv.Itoa(p.Version)}
	return s.planFormPage(c, http.StatusOK, &p, f, nil, "", nil)
}

func (s *Server) updatePlanFormation(c echo.Context) error {
	id, p, err := pathRecord(s, c, s.store.GetPlanFormation)
	if err != nil {
		return err
	}
	f, err := bindForm[planForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdatePlanFormation(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, p, func(ce *models.ConflictError, current models.PlanFormationRow) error {
		cur := planForm{AnneeScolaire: current.AnneeScolaire, Departement: current.DepartementCode, Titre: current.Titre,
			Notes: current.Notes, Version: strconv.Itoa(current.Version)}
		return s.planFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Année scolaire", Current: cur.AnneeScolaire, Typed: f.AnneeScolaire}, {Label: "Titre", Current: cur.Titre, Typed: f.Titre}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.planFormPage(c, status, &p, f, errs, msg, nil)
	}, Refused: msgPlanRefused, Redirect: "/formations/plans?fait=modification"})
}

// planJSON is a training plan in the API.
type planJSON struct {
	ID            int64  `json:"id"`
	AnneeScolaire string `json:"annee_scolaire"`
	Departement   string `json:"departement"`
	Titre         string `json:"titre"`
	NbSessions    int    `json:"nb_sessions"`
	Version       int    `json:"version"`
}

// apiPlansFormation lists the plans of the caller's scope (one page: a plan per year and
// département), of the school year ?annee= when given.
func (s *Server) apiPlansFormation(c echo.Context) error {
	annee := c.QueryParam("annee")
	if annee != "" && models.AnneeScolaireProblem(annee) != "" {
		return &filterError{Fields: map[string]string{"annee": models.AnneeScolaireProblem(annee)}}
	}
	plans, err := s.store.ListPlansFormation(c.Request().Context(), s.scope(c), annee, "")
	if err != nil {
		return err
	}
	page := models.Page[models.PlanFormationRow]{Items: plans, Total: int64(len(plans)), Number: 1, Size: len(plans)}
	return c.JSON(http.StatusOK, newAPIList(page, func(p models.PlanFormationRow) planJSON {
		return planJSON{ID: p.ID, AnneeScolaire: p.AnneeScolaire, Departement: p.DepartementCode, Titre: p.Titre,
			NbSessions: p.NbSessions, Version: p.Version}
	}))
}
