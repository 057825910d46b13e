package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Decisions: the register with its filters, exports and API, one decision's page with its
// actions, the decision form and archiving. Who may write is decided by the data layer
// (models.CanWriteDecision, i.e. whoever writes the meeting's body); pages only show the
// buttons it allows.

var decisionsCrumb = crumb{Label: "Décisions", Href: "/decisions"}

// decisionQuery is the query string of the register, its exports and its API.
type decisionQuery struct {
	Instance   string `query:"instance" validate:"omitempty,numeric,max=18"`
	Type       string `query:"type" validate:"max=30"`
	Territoire string `query:"territoire" validate:"max=100,validutf8"`
	Du         string `query:"du" validate:"max=10"`
	Au         string `query:"au" validate:"max=10"`
	Q          string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) decisionQuery(c echo.Context) (decisionQuery, models.DecisionFilter, map[string]string) {
	var q decisionQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	add := func(field, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[field] = msg
	}
	f := models.DecisionFilter{Kind: q.Type, Q: q.Q}
	f.Territoire, errs = s.territoireFilterCode(c, q.Territoire, errs)
	f.InstanceID, _ = strconv.ParseInt(q.Instance, 10, 64)
	if q.Type != "" && !models.ValidDecisionKind(q.Type) {
		add("type", "Type de décision inconnu : choisissez dans la liste.")
	}
	errs = dayRange(q.Du, q.Au, &f.Du, &f.Au, errs)
	return q, f, errs
}

// decisionsView is the register page.
type decisionsView struct {
	list[decisionQuery, models.DecisionRow]
	Done      string
	Archived  int64 // the decision just archived, which the page offers to restore
	CanCreate bool  // "Nouvelle décision": the role writes some bodies
}

func (s *Server) listDecisions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.decisionQuery(c)
	v := decisionsView{CanCreate: models.CanCreateInstances(actor)}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "La décision a été archivée : elle n'apparaît plus dans le registre ni dans les exports."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archivee"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-decisions", "Registre des décisions"
	v.Empty = emptyList{Text: "Aucune décision pour l'instant.",
		Hint: "Une décision s'enregistre après la réunion qui l'a prise, depuis la page de cette réunion (« Ajouter une décision »)."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/decisions/nouveau", "Ajouter une décision"
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
		if v.Page, err = s.store.ListDecisions(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/decisions", "Mots du texte de la décision", q.Q, q.Paging, errs)
	v.Form.sel("instance", "Instance", "Toutes les instances", q.Instance, bodyChoices, errs)
	v.Form.sel("type", "Type", "Tous les types", q.Type, models.DecisionKinds, errs)
	v.Form.Inputs = []formField{
		placeFilter(placeCommunes, "territoire", "Territoire", "Un département (93 ou Seine-Saint-Denis), ou une commune : son nom ou son code INSEE (exemple : Bobigny)",
			q.Territoire, errs["territoire"]),
		{ID: "filtre-du", Name: "du", Label: "Réunions du", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Du, Error: errs["du"]},
		{ID: "filtre-au", Name: "au", Label: "au", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Au, Error: errs["au"]},
	}
	u := newListURL(c, "/decisions")
	v.Columns = u.columns("", "", column{Label: "Réunion"}, column{Label: "Instance"}, column{Label: "Type"},
		column{Label: "Décision"}, column{Label: "Territoires"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "decisions/list", "Registre des décisions", []crumb{home, decisionsCrumb}, v, errs != nil)
}

func (s *Server) exportDecisions(c echo.Context) error {
	_, f, errs := s.decisionQuery(c)
	return exportScoped(s, c, "decisions", exports.DecisionsTable, f, errs, s.store.EachDecision, exports.DecisionValues)
}

// decisionJSON is a decision in the API.
type decisionJSON struct {
	ID          int64     `json:"id"`
	ReunionID   int64     `json:"reunion_id"`
	ReunionDate time.Time `json:"reunion_date"`
	InstanceID  int64     `json:"instance_id"`
	Instance    string    `json:"instance"`
	Type        string    `json:"type"`
	Texte       string    `json:"texte"`
	Territoires []string  `json:"territoires"`
	ModifieeLe  time.Time `json:"modifiee_le"`
	Version     int       `json:"version"`
}

func toDecisionJSON(d models.DecisionRow) decisionJSON {
	terr := []string{}
	for _, t := range d.Territoires {
		terr = append(terr, t.Label())
	}
	return decisionJSON{ID: d.ID, ReunionID: d.ReunionID, ReunionDate: d.ReunionDebut.UTC(), InstanceID: d.InstanceID, Instance: d.InstanceNom,
		Type: d.Kind, Texte: d.Texte, Territoires: terr, ModifieeLe: d.UpdatedAt.UTC(), Version: d.Version}
}

func (s *Server) apiDecisions(c echo.Context) error {
	q, f, errs := s.decisionQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListDecisions, toDecisionJSON)
}

// decisionView is one decision's page.
type decisionView struct {
	Decision models.DecisionRow
	CanWrite bool
	Done     string
	Actions  models.Page[models.ActionRow]
	History  []models.AuditEvent
}

var decisionDone = map[string]string{
	"creation":     "La décision a été enregistrée.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "La décision a été restaurée : elle apparaît de nouveau dans le registre.",
}

func (s *Server) showDecision(c echo.Context) error {
	id, d, err := pathRecord(s, c, s.store.GetDecision)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := decisionView{Decision: d, CanWrite: models.CanWriteDecision(actor, d), Done: decisionDone[c.QueryParam("fait")]}
	if v.Actions, err = s.store.ListActions(ctx, actor.Scope, models.ActionFilter{DecisionID: id}, models.PageRequest{Size: 100}); err != nil {
		return err
	}
	if v.History, err = s.history(c, "decision", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	title := "Décision n° " + strconv.FormatInt(id, 10)
	return s.render(c, http.StatusOK, "decisions/show", title, []crumb{home, decisionsCrumb, {Label: title}}, v)
}

// archiveDecision archives a decision; the register then offers to restore it.
func (s *Server) archiveDecision(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveDecision, func(id string) string { return "/decisions?fait=archivage&archivee=" + id })
}

func (s *Server) restoreDecision(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreDecision, func(id string) string { return "/decisions/" + id + "?fait=restauration" })
}

// decisionForm is the decision form; the id and version are never bound into the model.
type decisionForm struct {
	Reunion      string   `form:"reunion"`
	Texte        string   `form:"texte"`
	Type         string   `form:"type"`
	Academie     string   `form:"academie"`
	Departements []string `form:"departements"`
	Communes     []string `form:"communes"`
	Version      string   `form:"version"`
}

// input is the decision the form describes, with its communes read back.
func (f decisionForm) input(communes placesValue) models.DecisionInput {
	id, _ := strconv.ParseInt(f.Reunion, 10, 64)
	return models.DecisionInput{ReunionID: id, Texte: f.Texte, Kind: f.Type, Academie: f.Academie != "",
		Departements: f.Departements, Communes: communes.input(", ")}
}

func decisionFormOf(d models.DecisionRow) decisionForm {
	f := decisionForm{Reunion: strconv.FormatInt(d.ReunionID, 10), Texte: d.Texte, Type: d.Kind,
		Departements: d.Departements(), Communes: d.Communes(), Version: strconv.Itoa(d.Version)}
	if d.Academie() {
		f.Academie = "1"
	}
	return f
}

// decisionFormView is the decision form page; Closed replaces the form for a role that
// may record no decision, Refused explains a save the write rule refused.
type decisionFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Reunion, Type                   selectField
	Texte                           formField
	Communes                        placesField
	Academie                        *checkField  // nil: the académie is outside the actor's scope
	Departements                    []checkField // the actor's, and those typed
	DepartementsError               string
	Conflict                        *formConflict
}

const msgDecisionRefused = "Rien n'a été enregistré : votre rôle ne permet pas d'enregistrer les décisions de cette instance."

func (s *Server) decisionFormPage(c echo.Context, status int, d *models.DecisionRow, f decisionForm, communes placesValue, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := decisionFormView{Heading: "Nouvelle décision", Action: "/decisions", Cancel: "/decisions", Submit: "Enregistrer la décision",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, DepartementsError: errs["departements"]}
	crumbs := []crumb{home, decisionsCrumb, {Label: "Nouvelle décision"}}
	meetings, err := s.store.MeetingChoices(ctx, actor)
	if err != nil {
		return err
	}
	forbidden := false
	switch {
	case d == nil && !models.CanCreateInstances(actor):
		v.Closed, forbidden = "Votre rôle ("+actor.Role.Label()+") ne permet d'enregistrer les décisions d'aucune réunion.", true
	case d == nil && len(meetings) == 0:
		v.Closed = msgNoWritableMeeting
	}
	if d != nil {
		href := "/decisions/" + strconv.FormatInt(d.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la décision n° "+strconv.FormatInt(d.ID, 10), href, href, "Enregistrer"
		crumbs = []crumb{home, decisionsCrumb, {Label: "Décision n° " + strconv.FormatInt(d.ID, 10), Href: href}, {Label: "Modifier"}}
		if !models.CanWriteDecision(actor, *d) {
			v.Closed, forbidden = "Vous pouvez consulter cette décision mais votre rôle ne permet pas de la modifier.", true
		}
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Reunion = selectField{ID: "decision-reunion", Name: "reunion", Label: "Réunion", All: "Choisir une réunion", Value: f.Reunion,
		Choices: meetings, Error: errs["reunion"]}
	v.Type = selectField{ID: "decision-type", Name: "type", Label: "Type de décision", All: "Choisir un type", Value: f.Type,
		Choices: models.DecisionKinds, Error: errs["type"]}
	v.Texte = formField{ID: "decision-texte", Name: "texte", Label: "Texte de la décision", Value: f.Texte, Error: errs["texte"]}
	v.Communes = communes.field(placesField{Legend: "Communes concernées", Name: "communes", Empty: "Aucune commune choisie.",
		Hint: "Facultatif : les communes que la décision concerne en propre.",
		Add: placeField{ID: "decision-communes", Kind: placeCommunes, Label: "Ajouter une commune",
			Hint: "Son nom ou son code INSEE (exemple : Bobigny)"}})
	if msg := errs["communes"]; msg != "" && v.Communes.Add.Error == "" {
		v.Communes.Add.Error = msg
	}
	// The territories offered are those of the actor's scope (the data layer refuses the
	// others), and those already ticked, so that a refused choice is shown with its message.
	if actor.Scope.CoversAcademie() || f.Academie != "" {
		v.Academie = &checkField{ID: "decision-academie", Name: "academie", Value: "1", Label: "Toute l'académie", Checked: f.Academie != ""}
	}
	for _, dep := range deps {
		checked := slices.Contains(f.Departements, dep.Value)
		if !checked && !actor.Scope.CoversDepartement(dep.Value) {
			continue
		}
		v.Departements = append(v.Departements, checkField{ID: "decision-departement-" + dep.Value, Name: "departements",
			Value: dep.Value, Label: dep.Label, Checked: checked})
	}
	return s.render(c, forbiddenStatus(status, forbidden), "decisions/form", v.Heading, crumbs, v)
}

// decisionCommunes reads back the communes of the posted form; when the form was posted by
// a list field's "Ajouter" or "Retirer" button it answers the form again, changed and
// unsaved, and reports edited.
func (s *Server) decisionCommunes(c echo.Context, d *models.DecisionRow, f decisionForm) (placesValue, bool, error) {
	communes, err := s.readPlaces(c, placeCommunes, "communes", "", f.Communes)
	if err != nil || !listEdit(c) {
		return communes, false, err
	}
	return communes, true, s.decisionFormPage(c, http.StatusOK, d, f, communes, nil, "", nil)
}

func (s *Server) newDecision(c echo.Context) error {
	return s.decisionFormPage(c, http.StatusOK, nil, decisionForm{Reunion: c.QueryParam("reunion")}, placesValue{}, nil, "", nil)
}

func (s *Server) createDecision(c echo.Context) error {
	f, err := bindForm[decisionForm](c)
	if err != nil {
		return err
	}
	communes, edited, err := s.decisionCommunes(c, nil, f)
	if err != nil || edited {
		return err
	}
	d, err := s.store.CreateDecision(c.Request().Context(), s.actor(c), f.input(communes))
	err = withPlaceErrors(err, map[string]string{"communes": communes.Error})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.decisionFormPage(c, status, nil, f, communes, errs, msg, nil)
	}, Refused: msgDecisionRefused, Redirect: "/decisions/" + strconv.FormatInt(d.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editDecision(c echo.Context) error {
	_, d, err := pathRecord(s, c, s.store.GetDecision)
	if err != nil {
		return err
	}
	f := decisionFormOf(d)
	communes, err := s.storedPlaces(c, placeCommunes, f.Communes)
	if err != nil {
		return err
	}
	return s.decisionFormPage(c, http.StatusOK, &d, f, communes, nil, "", nil)
}

// updateDecision saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateDecision(c echo.Context) error {
	id, d, err := pathRecord(s, c, s.store.GetDecision)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindForm[decisionForm](c)
	if err != nil {
		return err
	}
	communes, edited, err := s.decisionCommunes(c, &d, f)
	if err != nil || edited {
		return err
	}
	_, err = s.store.UpdateDecision(ctx, actor, id, formVersion(f.Version), f.input(communes))
	err = withPlaceErrors(err, map[string]string{"communes": communes.Error})
	return updated(c, err, d, func(ce *models.ConflictError, current models.DecisionRow) error {
		cur := decisionFormOf(current)
		curCommunes, err := s.storedPlaces(c, placeCommunes, cur.Communes)
		if err != nil {
			return err
		}
		kind := func(v string) string { return models.LabelOf(models.DecisionKinds, v) }
		return s.decisionFormPage(c, http.StatusConflict, &current, cur, curCommunes, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Texte", Current: cur.Texte, Typed: f.Texte}, {Label: "Type", Current: kind(cur.Type), Typed: kind(f.Type)},
			{Label: "Départements", Current: strings.Join(cur.Departements, ", "), Typed: strings.Join(f.Departements, ", ")},
			{Label: "Communes", Current: curCommunes.labels(), Typed: communes.labels()}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.decisionFormPage(c, status, &d, f, communes, errs, msg, nil)
	}, Refused: msgDecisionRefused, Redirect: "/decisions/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
