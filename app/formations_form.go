package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// formationForm is the session form; the id and version are never bound into the model.
type formationForm struct {
	Plan            string `form:"plan"`
	Module          string `form:"module"`
	Public          string `form:"public"`
	Circonscription string `form:"circonscription"`
	ADistance       string `form:"a_distance"`
	Lieu            string `form:"lieu"`
	Lien            string `form:"lien"`
	Date            string `form:"date"`
	HeureDebut      string `form:"heure_debut"`
	DureeMinutes    string `form:"duree_minutes"`
	Capacite        string `form:"capacite"`
	Formateur       string `form:"formateur"`
	Statut          string `form:"statut"`
	Notes           string `form:"notes"`
	Version         string `form:"version"`
}

func (f formationForm) input() models.FormationInput {
	id := func(v string) int64 {
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return models.FormationInput{PlanID: id(f.Plan), ModuleID: id(f.Module), Public: f.Public, Circonscription: f.Circonscription,
		Lieu: f.Lieu, ADistance: f.ADistance == "oui", Lien: f.Lien, Date: f.Date, HeureDebut: f.HeureDebut,
		DureeMinutes: f.DureeMinutes, Capacite: f.Capacite, FormateurID: id(f.Formateur), Statut: f.Statut, Notes: f.Notes}
}

func formationFormOf(r models.FormationRow) formationForm {
	f := formationForm{Plan: strconv.FormatInt(r.PlanID, 10), Module: strconv.FormatInt(r.ModuleID, 10), Public: r.Public,
		Circonscription: deref(r.CodeCirconscription), Lieu: r.Lieu, Lien: r.Lien, Date: r.DateLabel(), HeureDebut: r.HeureLabel(),
		DureeMinutes: strconv.Itoa(r.DureeMinutes), Capacite: strconv.Itoa(r.Capacite), Formateur: idText(r.FormateurID),
		Statut: r.Statut, Notes: r.Notes, Version: strconv.Itoa(r.Version)}
	if r.ADistance {
		f.ADistance = "oui"
	}
	return f
}

// formationFormView is the session form page.
type formationFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors, ADistance            bool
	Warnings                        []string
	Lieu, Lien, Date, HeureDebut    formField
	DureeMinutes, Capacite, Notes   formField
	Plan, Module, Public, Circo     selectField
	Formateur, Statut               selectField
	Conflict                        *formConflict
}

const msgFormationRefused = "Rien n'a été enregistré : votre rôle ne permet pas de planifier une session sur ce territoire " +
	"(un IEN planifie les sessions de sa circonscription)."

// formationFormPage renders the form of a new session (r nil) or of r.
func (s *Server) formationFormPage(c echo.Context, status int, r *models.FormationRow, f formationForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := formationFormView{Heading: "Nouvelle session de formation", Action: "/formations", Cancel: "/formations",
		Submit: "Enregistrer la session", Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict,
		ADistance: f.ADistance == "oui"}
	crumbs := []crumb{home, formationsCrumb, {Label: "Nouvelle session"}}
	forbidden, from := false, ""
	if r == nil && !models.CanCreate(actor, models.EntityFormation) {
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet pas de planifier de session de formation.", true
	}
	if r != nil {
		href := "/formations/" + strconv.FormatInt(r.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit, from = "Modifier la session", href, href, "Enregistrer", r.Statut
		crumbs = []crumb{home, formationsCrumb, {Label: r.Titre(), Href: href}, {Label: "Modifier"}}
		ok, err := s.store.CanWriteFormation(ctx, actor, r.ID)
		if err != nil {
			return err
		}
		if !ok {
			v.Closed, forbidden = "Vous pouvez consulter cette session mais votre rôle ne permet pas de la modifier.", true
		}
	}
	if err := s.formationFormChoices(c, &v, f, errs, from); err != nil {
		return err
	}
	if day, ok := models.ParseFrenchDate(f.Date); ok && !forbidden {
		warn, err := s.store.FormationWarnings(ctx, models.Formation{DateSession: day, HeureDebut: "12:00"})
		if err != nil {
			return err
		}
		v.Warnings = warn
	}
	field := func(name, label, hint, value string) formField {
		return formField{ID: "formation-" + name, Name: name, Label: label, Hint: hint, Type: "text", Value: value, Error: errs[name]}
	}
	v.Lieu = field("lieu", "Lieu", "Adresse ou nom de l'établissement (sauf session à distance)", f.Lieu)
	v.Lien = field("lien", "Lien de la session à distance", "https://…", f.Lien)
	v.Lien.Type = "url"
	v.Date = field("date", "Date", "JJ/MM/AAAA", f.Date)
	v.HeureDebut = field("heure_debut", "Heure de début", "Exemple : 14h30", f.HeureDebut)
	v.DureeMinutes = field("duree_minutes", "Durée (minutes)", "Exemple : 180 pour 3 h", f.DureeMinutes)
	v.Capacite = field("capacite", "Capacité (places)", "Nombre de places offertes", f.Capacite)
	v.Notes = field("notes", "Notes", "Facultatif", f.Notes)
	return s.render(c, forbiddenStatus(status, forbidden), "formations/form", v.Heading, crumbs, v)
}

// formationFormChoices fills the selects of the session form.
func (s *Server) formationFormChoices(c echo.Context, v *formationFormView, f formationForm, errs map[string]string, from string) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	plans, err := s.store.PlanFormationChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	mods, err := s.store.FormationModuleChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	circos, err := s.formationCircoChoices(c, "")
	if err != nil {
		return err
	}
	trainers, err := s.store.CandidatureContactChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	sel := func(name, label, all, value string, choices []models.Choice) selectField {
		return selectField{ID: "formation-" + name, Name: name, Label: label, All: all, Value: value, Choices: choices, Error: errs[name]}
	}
	if f.Plan == "" && len(plans) == 1 {
		f.Plan = plans[0].Value // the only plan the user may choose
	}
	v.Plan = sel("plan", "Plan de formation", "Choisir un plan", f.Plan, plans)
	if len(plans) == 0 {
		v.Plan.Hint = "Aucun plan de formation : l'IA-DASEN ou le pilote crée d'abord le plan de l'année."
	}
	v.Module = sel("module", "Module", "Choisir un module", f.Module, mods)
	v.Public = sel("public", "Public", "Choisir un public", f.Public, models.FormationPublics)
	v.Circo = sel("circonscription", "Circonscription", "Tout le département (session départementale)", f.Circonscription, circos)
	v.Formateur = sel("formateur", "Formateur", "Aucun pour l'instant", f.Formateur, trainers)
	v.Formateur.Hint = "Un contact de l'annuaire"
	statuts := models.FormationStatutChoices(actor, from)
	v.Statut = sel("statut", "Statut", "", f.Statut, statuts)
	v.Statut.All = statuts[0].Label
	v.Statut.Choices = statuts[1:]
	if f.Statut == statuts[0].Value {
		v.Statut.Value = ""
	}
	return nil
}

func (s *Server) newFormation(c echo.Context) error {
	f := formationForm{Plan: c.QueryParam("plan"), HeureDebut: "09h00", DureeMinutes: "180", Capacite: "20"}
	if sc := s.scope(c); sc.Kind == models.ScopeCirconscription && len(sc.Circonscriptions) == 1 {
		f.Circonscription = sc.Circonscriptions[0]
	}
	return s.formationFormPage(c, http.StatusOK, nil, f, nil, "", nil)
}

func (s *Server) createFormation(c echo.Context) error {
	f, err := bindForm[formationForm](c)
	if err != nil {
		return err
	}
	r, err := s.store.CreateFormation(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.formationFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgFormationRefused, Redirect: "/formations/" + strconv.FormatInt(r.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editFormation(c echo.Context) error {
	_, r, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	return s.formationFormPage(c, http.StatusOK, &r, formationFormOf(r), nil, "", nil)
}

// updateFormation saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateFormation(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	f, err := bindForm[formationForm](c)
	if err != nil {
		return err
	}
	if f.Statut == "" {
		f.Statut = r.Statut
	}
	_, err = s.store.UpdateFormation(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input())
	return updated(c, err, r, func(ce *models.ConflictError, current models.FormationRow) error {
		cur := formationFormOf(current)
		return s.formationFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Date", Current: cur.Date, Typed: f.Date}, {Label: "Heure", Current: cur.HeureDebut, Typed: f.HeureDebut},
			{Label: "Lieu", Current: cur.Lieu, Typed: f.Lieu}, {Label: "Capacité", Current: cur.Capacite, Typed: f.Capacite},
			{Label: "Statut", Current: current.StatutLabel(), Typed: models.LabelOf(models.FormationStatuts, f.Statut)}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.formationFormPage(c, status, &r, f, errs, msg, nil)
	}, Refused: msgFormationRefused, Redirect: "/formations/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
