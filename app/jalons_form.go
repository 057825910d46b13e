package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// jalonForm is the milestone form; the id and version are never bound into the model.
// Commune is the text of the commune field (a name, a code or a suggestion's label).
type jalonForm struct {
	Titre         string `form:"titre"`
	Description   string `form:"description"`
	Niveau        string `form:"niveau"`
	Departement   string `form:"departement"`
	Commune       string `form:"commune"`
	DatePrevue    string `form:"date_prevue"`
	DateEffective string `form:"date_effective"`
	Statut        string `form:"statut"`
	Convention    string `form:"convention"`
	Vague         string `form:"vague"`
	Decision      string `form:"decision"`
	Version       string `form:"version"`
}

func (f jalonForm) input(commune placeValue) models.JalonInput {
	id := func(v string) int64 {
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return models.JalonInput{Titre: f.Titre, Description: f.Description, Niveau: f.Niveau, Departement: f.Departement,
		Commune: commune.input(), DatePrevue: f.DatePrevue, DateEffective: f.DateEffective, Statut: f.Statut,
		ConventionID: id(f.Convention), VagueID: id(f.Vague), DecisionID: id(f.Decision)}
}

func idText(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func jalonFormOf(j models.JalonRow) jalonForm {
	f := jalonForm{Titre: j.Titre, Description: j.Description, Niveau: j.Niveau, DatePrevue: j.DatePrevueLabel(),
		DateEffective: j.DateEffectiveLabel(), Statut: j.Statut, Convention: idText(j.ConventionID), Vague: idText(j.VagueID),
		Decision: idText(j.DecisionID), Version: strconv.Itoa(j.Version)}
	if j.Niveau == models.NiveauDepartement && j.DepartementCode != nil {
		f.Departement = *j.DepartementCode
	}
	if j.Niveau == models.NiveauCommune {
		f.Commune = j.TerritoireLabel()
	}
	return f
}

// jalonFormView is the milestone form page.
type jalonFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Titre, Description              formField
	DatePrevue, DateEffective       formField
	Niveau, Departement, Statut     selectField
	Convention, Vague, Decision     selectField
	Commune                         placeField
	Conflict                        *formConflict
}

const msgJalonRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer un jalon sur ce territoire."

func (s *Server) jalonFormPage(c echo.Context, status int, j *models.JalonRow, f jalonForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := jalonFormView{Heading: "Nouveau jalon", Action: "/jalons", Cancel: "/jalons", Submit: "Enregistrer le jalon",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, jalonsCrumb, {Label: "Nouveau jalon"}}
	forbidden := false
	if j == nil && !models.CanCreate(actor, models.EntityJalon) {
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet pas d'enregistrer de jalon.", true
	}
	if j != nil {
		href := "/jalons/" + strconv.FormatInt(j.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier le jalon", href, href, "Enregistrer"
		crumbs = []crumb{home, jalonsCrumb, {Label: j.Titre, Href: href}, {Label: "Modifier"}}
		ok, err := s.store.CanWrite(ctx, actor, models.EntityJalon, j.ID)
		if err != nil {
			return err
		}
		if !ok {
			v.Closed, forbidden = "Vous pouvez consulter ce jalon mais votre rôle ne permet pas de le modifier.", true
		}
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	links, err := s.store.JalonLinkChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	sel := func(name, label, all, value string, choices []models.Choice) selectField {
		return selectField{ID: "jalon-" + name, Name: name, Label: label, All: all, Value: value, Choices: choices, Error: errs[name]}
	}
	v.Titre = formField{ID: "jalon-titre", Name: "titre", Label: "Titre", Type: "text", Value: f.Titre, Error: errs["titre"]}
	v.Description = formField{ID: "jalon-description", Name: "description", Label: "Description", Hint: "Facultatif",
		Value: f.Description, Error: errs["description"]}
	v.Niveau = sel("niveau", "Niveau", "Choisir un niveau", f.Niveau, models.JalonNiveaux)
	v.Departement = sel("departement", "Département", "Choisir un département", f.Departement, deps)
	v.Departement.Hint = "Pour un jalon de niveau département"
	v.Commune = placeField{ID: "jalon-commune", Name: "commune", Kind: placeCommunes, Label: "Commune",
		Hint: "Pour un jalon de niveau commune : son nom ou son code INSEE (exemple : Bobigny)", Value: f.Commune, Error: errs["commune"]}
	v.DatePrevue = formField{ID: "jalon-date-prevue", Name: "date_prevue", Label: "Date prévue", Hint: "JJ/MM/AAAA", Type: "text",
		Value: f.DatePrevue, Error: errs["date_prevue"]}
	v.DateEffective = formField{ID: "jalon-date-effective", Name: "date_effective", Label: "Date effective",
		Hint: "JJ/MM/AAAA, pour un jalon atteint", Type: "text", Value: f.DateEffective, Error: errs["date_effective"]}
	v.Statut = sel("statut", "Statut", "À venir", f.Statut, models.JalonStatuts[1:])
	v.Convention = sel("convention", "Convention liée", "Aucune", f.Convention, links.Conventions)
	v.Vague = sel("vague", "Vague liée", "Aucune", f.Vague, links.Vagues)
	v.Decision = sel("decision", "Décision liée", "Aucune", f.Decision, links.Decisions)
	return s.render(c, forbiddenStatus(status, forbidden), "jalons/form", v.Heading, crumbs, v)
}

func (s *Server) newJalon(c echo.Context) error {
	f := jalonForm{Niveau: models.NiveauDepartement, Departement: s.scope(c).SoleDepartement(), Vague: c.QueryParam("vague")}
	if s.scope(c).CoversAcademie() {
		f.Niveau = models.NiveauAcademie
	}
	return s.jalonFormPage(c, http.StatusOK, nil, f, nil, "", nil)
}

func (s *Server) createJalon(c echo.Context) error {
	f, err := bindForm[jalonForm](c)
	if err != nil {
		return err
	}
	commune, err := s.readOnePlace(c, placeCommunes, "", f.Commune)
	if err != nil {
		return err
	}
	j, err := s.store.CreateJalon(c.Request().Context(), s.actor(c), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": commune.Error})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.jalonFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgJalonRefused, Redirect: "/jalons/" + strconv.FormatInt(j.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editJalon(c echo.Context) error {
	_, j, err := pathRecord(s, c, s.store.GetJalon)
	if err != nil {
		return err
	}
	return s.jalonFormPage(c, http.StatusOK, &j, jalonFormOf(j), nil, "", nil)
}

// updateJalon saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateJalon(c echo.Context) error {
	id, j, err := pathRecord(s, c, s.store.GetJalon)
	if err != nil {
		return err
	}
	f, err := bindForm[jalonForm](c)
	if err != nil {
		return err
	}
	commune, err := s.readOnePlace(c, placeCommunes, "", f.Commune)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateJalon(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input(commune))
	err = withPlaceErrors(err, map[string]string{"commune": commune.Error})
	return updated(c, err, j, func(ce *models.ConflictError, current models.JalonRow) error {
		cur := jalonFormOf(current)
		return s.jalonFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Titre", Current: cur.Titre, Typed: f.Titre}, {Label: "Date prévue", Current: cur.DatePrevue, Typed: f.DatePrevue},
			{Label: "Date effective", Current: cur.DateEffective, Typed: f.DateEffective},
			{Label: "Statut", Current: models.LabelOf(models.JalonStatuts, cur.Statut), Typed: models.LabelOf(models.JalonStatuts, f.Statut)}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.jalonFormPage(c, status, &j, f, errs, msg, nil)
	}, Refused: msgJalonRefused, Redirect: "/jalons/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
