package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Actions: the list with its filters and API, "Mes actions", one action's page, the
// action form, the quick status change, archiving, and the "Préparer la prochaine
// réunion" page of a body, and the archived actions. Who may write is decided by the data
// layer (models.CanWriteAction: whoever writes the meeting's body; the action's owner may
// also change its status, models.CanChangeActionStatut).

var actionsCrumb = crumb{Label: "Actions", Href: "/actions"}

// actionQuery is the query string of the actions list and its API.
type actionQuery struct {
	Instance string `query:"instance" validate:"omitempty,numeric,max=18"`
	Statut   string `query:"statut" validate:"max=30"`
	Retard   string `query:"retard" validate:"omitempty,oneof=1"`
	Paging
}

func (s *Server) actionQuery(c echo.Context) (actionQuery, models.ActionFilter, map[string]string) {
	var q actionQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	if q.Statut != "" && q.Statut != "ouverte" && !models.ValidActionStatut(q.Statut) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["statut"] = "Statut inconnu : choisissez dans la liste."
	}
	f := models.ActionFilter{Statut: q.Statut, Overdue: q.Retard == "1"}
	f.InstanceID, _ = strconv.ParseInt(q.Instance, 10, 64)
	return q, f, errs
}

// actionFilterStatuses are the statuses of the list's filter.
var actionFilterStatuses = append([]models.Choice{{Value: "ouverte", Label: "À faire ou en cours"}}, models.ActionStatuses...)

// actionsView is the actions list, and "Mes actions".
type actionsView struct {
	list[actionQuery, models.ActionRow]
	Mine      bool
	CanCreate bool  // "Nouvelle action": the role writes some bodies
	Archived  int64 // the action just archived, offered for restoring
}

func (s *Server) listActions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.actionQuery(c)
	v := actionsView{CanCreate: models.CanCreateInstances(actor)}
	if c.QueryParam("fait") == "archivage" {
		v.Archived, _ = strconv.ParseInt(c.QueryParam("id"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-actions", "Actions"
	v.Empty = emptyList{Text: "Aucune action pour l'instant.",
		Hint: "Une action se décide en réunion : elle s'ajoute depuis la page de la réunion ou de la décision dont elle découle."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/actions/nouveau", "Ajouter une action"
	}
	bodies, err := s.store.ListInstances(ctx, actor.Scope, models.InstanceFilter{}, models.PageRequest{Size: models.MaxChoices})
	if err != nil {
		return err
	}
	var bodyChoices []models.Choice
	for _, b := range bodies.Items {
		bodyChoices = append(bodyChoices, models.Choice{Value: strconv.FormatInt(b.ID, 10), Label: b.Nom})
	}
	if errs == nil {
		if v.Page, err = s.store.ListActions(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/actions", "", "", q.Paging, errs)
	v.Form.Search = formField{}
	v.Form.sel("instance", "Instance", "Toutes les instances", q.Instance, bodyChoices, errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, actionFilterStatuses, errs)
	v.Form.sel("retard", "Échéance", "Toutes les échéances", q.Retard, []models.Choice{{Value: "1", Label: "En retard seulement"}}, errs)
	u := newListURL(c, "/actions")
	v.Columns = actionColumns(u)
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "actions/list", "Actions", []crumb{home, actionsCrumb}, v, errs != nil)
}

func actionColumns(u listURL) []column {
	return u.columns("", "", column{Label: "Action"}, column{Label: "Instance et réunion"}, column{Label: "Responsable"},
		column{Label: "Échéance"}, column{Label: "Statut"})
}

// myActions lists the actions whose owner is the signed-in user, overdue first.
func (s *Server) myActions(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	page, err := s.store.MyActions(c.Request().Context(), s.actor(c), p)
	if err != nil {
		return err
	}
	v := actionsView{Mine: true}
	v.Empty = emptyList{Text: "Aucune action ne vous est confiée pour l'instant.",
		Hint: "Les actions dont vous serez responsable, décidées en réunion, apparaîtront ici."}
	v.Page, v.TableID, v.Caption = page, "tableau-mes-actions", "Mes actions, les actions en retard d'abord"
	u := newListURL(c, "/mes-actions")
	v.Columns, v.Pager, v.Exports = actionColumns(u), newPager(u, page), u.exports()
	return s.render(c, http.StatusOK, "actions/list", "Mes actions", []crumb{home, {Label: "Mes actions", Href: "/mes-actions"}}, v)
}

// actionJSON is an action in the API. Its owner acts in a public capacity: name, function
// and organisation; responsable_contact_id only when the caller may read the contact
// (absent otherwise), never an email or a phone.
type actionJSON struct {
	ID                      int64     `json:"id"`
	ReunionID               int64     `json:"reunion_id"`
	DecisionID              *int64    `json:"decision_id,omitempty"`
	InstanceID              int64     `json:"instance_id"`
	Instance                string    `json:"instance"`
	Titre                   string    `json:"titre"`
	Responsable             string    `json:"responsable"`
	ResponsableFonction     string    `json:"responsable_fonction,omitempty"`
	ResponsableOrganisation string    `json:"responsable_organisation,omitempty"`
	ResponsableContactID    int64     `json:"responsable_contact_id,omitempty"`
	Echeance                string    `json:"echeance,omitempty"`
	Statut                  string    `json:"statut"`
	EnRetard                bool      `json:"en_retard"`
	ModifieeLe              time.Time `json:"modifiee_le"`
	Version                 int       `json:"version"`
}

func toActionJSON(a models.ActionRow) actionJSON {
	j := actionJSON{ID: a.ID, ReunionID: a.SourceReunionID, DecisionID: a.DecisionID, InstanceID: a.InstanceID, Instance: a.InstanceNom,
		Titre: a.Titre, Responsable: a.Owner.FullName(), ResponsableFonction: a.Owner.Fonction, ResponsableOrganisation: a.Owner.Organisation,
		ResponsableContactID: a.Owner.ContactID, Statut: a.Statut, EnRetard: a.Overdue, ModifieeLe: a.UpdatedAt.UTC(), Version: a.Version}
	if a.Echeance != nil {
		j.Echeance = a.Echeance.UTC().Format("2006-01-02")
	}
	return j
}

func (s *Server) apiActions(c echo.Context) error {
	q, f, errs := s.actionQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListActions, toActionJSON)
}

// actionView is one action's page.
type actionView struct {
	Action          models.ActionRow
	CanWrite        bool // edit and archive: whoever writes the body
	CanChangeStatut bool // the quick status change: also the action's owner
	Done            string
	Statut          selectField
	History         []models.AuditEvent
}

var actionDone = map[string]string{
	"creation":     "L'action a été enregistrée.",
	"modification": "Les modifications ont été enregistrées.",
	"statut":       "Le statut de l'action a été changé.",
	"restauration": "L'action a été restaurée.",
}

func (s *Server) showAction(c echo.Context) error {
	id, a, err := pathRecord(s, c, s.store.GetAction)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	v := actionView{Action: a, CanWrite: models.CanWriteAction(actor, a), CanChangeStatut: models.CanChangeActionStatut(actor, a),
		Done:   actionDone[c.QueryParam("fait")],
		Statut: selectField{ID: "action-statut-rapide", Name: "statut", Label: "Nouveau statut", All: "Choisir", Value: a.Statut, Choices: models.ActionStatuses}}
	if v.History, err = s.history(c, "action", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	title := "Action n° " + strconv.FormatInt(id, 10)
	return s.render(c, http.StatusOK, "actions/show", title, []crumb{home, actionsCrumb, {Label: title}}, v)
}

// setActionStatut changes only an action's status (with its version: 409 when stale).
func (s *Server) setActionStatut(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.store.SetActionStatut(c.Request().Context(), s.actor(c), id, formVersion(c.FormValue("version")), c.FormValue("statut"))
	if _, invalid := formErrors(err); invalid {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Statut inconnu : choisissez dans la liste.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/actions/"+strconv.FormatInt(id, 10)+"?fait=statut")
}

func (s *Server) archiveAction(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveAction, func(id string) string { return "/actions?fait=archivage&id=" + id })
}

// restoreAction brings an archived action back (whoever writes its body): 404 outside the
// scope or when it is not archived, 403 for the other roles.
func (s *Server) restoreAction(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreAction, func(id string) string { return "/actions/" + id + "?fait=restauration" })
}

// preparationView is the "Préparer la prochaine réunion" page of a body.
type preparationView struct {
	models.Preparation
	Overdue int
	// The conventions' deadlines of the body's territory (its département, or the académie):
	// expiring soon, waiting for signatures.
	Expiring, Waiting []models.ConventionRow
	AlertDays         int
	NextAgenda        []models.ReunionPoint // the agenda of the next meeting (the page's)
	Jalons            []models.JalonRow     // the milestones of the body's territory due within 60 days or late
}

func (s *Server) prepareMeeting(c echo.Context) error {
	v, err := s.preparation(c)
	if err != nil {
		return err
	}
	if v.Jalons, err = s.store.JalonsDue(c.Request().Context(), s.scope(c), v.Instance.DepartementCode, 60); err != nil {
		return err
	}
	// The next meeting comes from the scoped preparation: its agenda may be read.
	if v.Next != nil {
		points, err := s.store.ReunionPoints(c.Request().Context(), []int64{v.Next.ID})
		if err != nil {
			return err
		}
		v.NextAgenda = points[v.Next.ID]
	}
	href := "/instances/" + strconv.FormatInt(v.Instance.ID, 10)
	return s.render(c, http.StatusOK, "actions/preparer", "Préparer la prochaine réunion — "+v.Instance.Nom,
		[]crumb{home, instancesCrumb, {Label: v.Instance.Nom, Href: href}, {Label: "Préparer la prochaine réunion"}}, v)
}

// actionForm is the action form; the id and version are never bound into the model.
type actionForm struct {
	Reunion     string `form:"reunion"`
	Decision    string `form:"decision"`
	Titre       string `form:"titre"`
	Responsable string `form:"responsable"`
	Echeance    string `form:"echeance"`
	Statut      string `form:"statut"`
	Version     string `form:"version"`
}

func (f actionForm) input() models.ActionInput {
	r, _ := strconv.ParseInt(f.Reunion, 10, 64)
	d, _ := strconv.ParseInt(f.Decision, 10, 64)
	return models.ActionInput{ReunionID: r, DecisionID: d, Titre: f.Titre, Responsable: f.Responsable, Echeance: f.Echeance, Statut: f.Statut}
}

func actionFormOf(a models.ActionRow) actionForm {
	f := actionForm{Titre: a.Titre, Responsable: a.Responsable(), Echeance: a.EcheanceLabel(), Statut: a.Statut, Version: strconv.Itoa(a.Version)}
	if a.DecisionID != nil {
		f.Decision = strconv.FormatInt(*a.DecisionID, 10)
	} else {
		f.Reunion = strconv.FormatInt(a.SourceReunionID, 10)
	}
	return f
}

// actionFormView is the action form page.
type actionFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Decision                        string // the decision the action follows (hidden field)
	DecisionLabel, OrigineError     string
	Reunion, Responsable, Statut    selectField
	Titre, Echeance                 formField
	Conflict                        *formConflict
}

const msgActionRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer les actions de cette instance."

func (s *Server) actionFormPage(c echo.Context, status int, a *models.ActionRow, f actionForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := actionFormView{Heading: "Nouvelle action", Action: "/actions", Cancel: "/actions", Submit: "Enregistrer l'action",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, Decision: f.Decision, OrigineError: errs["origine"]}
	crumbs := []crumb{home, actionsCrumb, {Label: "Nouvelle action"}}
	meetings, err := s.store.MeetingChoices(ctx, actor)
	if err != nil {
		return err
	}
	forbidden := false
	switch {
	case a == nil && !models.CanCreateInstances(actor):
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet d'enregistrer les actions d'aucune réunion.", true
	case a == nil && len(meetings) == 0:
		v.Closed = msgNoWritableMeeting
	}
	if a != nil {
		href := "/actions/" + strconv.FormatInt(a.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier l'action n° "+strconv.FormatInt(a.ID, 10), href, href, "Enregistrer"
		crumbs = []crumb{home, actionsCrumb, {Label: "Action n° " + strconv.FormatInt(a.ID, 10), Href: href}, {Label: "Modifier"}}
		if !models.CanWriteAction(actor, *a) {
			v.Closed, forbidden = "Vous pouvez consulter cette action mais votre rôle ne permet pas de la modifier.", true
		}
	}
	if id, err := strconv.ParseInt(f.Decision, 10, 64); err == nil && id > 0 {
		d, err := s.store.GetDecision(ctx, actor.Scope, id)
		switch {
		case err == nil:
			v.DecisionLabel = "Décision n° " + f.Decision + " (" + d.ReunionLabel() + ")"
		case !errors.Is(err, models.ErrNotFound):
			return err
		default:
			v.Decision = ""
		}
	}
	owners, err := s.store.OwnerChoices(ctx, actor)
	if err != nil {
		return err
	}
	v.Reunion = selectField{ID: "action-reunion", Name: "reunion", Label: "Réunion", All: "Choisir une réunion", Value: f.Reunion,
		Choices: meetings, Error: errs["origine"]}
	v.Responsable = selectField{ID: "action-responsable", Name: "responsable", Label: "Responsable", Hint: "Un compte du back-office ou un contact",
		All: "Aucun responsable", Value: f.Responsable, Choices: owners, Error: errs["responsable"]}
	v.Statut = selectField{ID: "action-statut", Name: "statut", Label: "Statut", All: "À faire (par défaut)", Value: f.Statut,
		Choices: models.ActionStatuses, Error: errs["statut"]}
	v.Titre = formField{ID: "action-titre", Name: "titre", Label: "Titre", Type: "text", Value: f.Titre, Error: errs["titre"]}
	v.Echeance = formField{ID: "action-echeance", Name: "echeance", Label: "Échéance", Hint: "Facultatif. Format attendu : JJ/MM/AAAA",
		Type: "text", Value: f.Echeance, Error: errs["echeance"]}
	return s.render(c, forbiddenStatus(status, forbidden), "actions/form", v.Heading, crumbs, v)
}

func (s *Server) newAction(c echo.Context) error {
	return s.actionFormPage(c, http.StatusOK, nil, actionForm{Reunion: c.QueryParam("reunion"), Decision: c.QueryParam("decision")}, nil, "", nil)
}

func (s *Server) createAction(c echo.Context) error {
	f, err := bindForm[actionForm](c)
	if err != nil {
		return err
	}
	a, err := s.store.CreateAction(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.actionFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgActionRefused, Redirect: "/actions/" + strconv.FormatInt(a.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editAction(c echo.Context) error {
	_, a, err := pathRecord(s, c, s.store.GetAction)
	if err != nil {
		return err
	}
	return s.actionFormPage(c, http.StatusOK, &a, actionFormOf(a), nil, "", nil)
}

// updateAction saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateAction(c echo.Context) error {
	id, a, err := pathRecord(s, c, s.store.GetAction)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindForm[actionForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateAction(ctx, actor, id, formVersion(f.Version), f.input())
	return updated(c, err, a, func(ce *models.ConflictError, current models.ActionRow) error {
		cur := actionFormOf(current)
		status := func(v string) string { return models.LabelOf(models.ActionStatuses, v) }
		return s.actionFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Titre", Current: cur.Titre, Typed: f.Titre}, {Label: "Échéance", Current: cur.Echeance, Typed: f.Echeance},
			{Label: "Statut", Current: status(cur.Statut), Typed: status(f.Statut)}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.actionFormPage(c, status, &a, f, errs, msg, nil)
	}, Refused: msgActionRefused, Redirect: "/actions/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
