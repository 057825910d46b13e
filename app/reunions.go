package app

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// Meetings (réunions) of the steering bodies: the list, one meeting's page with its agenda,
// invitees and minutes, its .ics, archiving, agenda items and attendance. The form is in
// reunions_form.go. A meeting is seen and written through its body.

var reunionsCrumb = crumb{Label: "Réunions", Href: "/reunions"}

// reunionsView is the list of meetings.
type reunionsView struct {
	Page             models.Page[models.ReunionRow]
	Pager            pager
	Instance, Statut selectField
	Du, Au           formField
	Error            string
	CanCreate        bool
	Filtered         bool  // a filter is set: an empty page is a search without result
	Archived         int64 // the meeting just archived, offered for restoring
}

// reunionQuery is the query string of the meetings list, its exports and its API.
type reunionQuery struct {
	Instance string `query:"instance"`
	Statut   string `query:"statut"`
	Du       string `query:"du"`
	Au       string `query:"au"`
	Paging
}

// reunionQuery reads the filters of the meetings list and their errors (empty when valid).
func (s *Server) reunionQuery(c echo.Context) (reunionQuery, models.ReunionFilter, map[string]string) {
	var q reunionQuery
	bindQuery(c, &q)
	errs := map[string]string{}
	f := models.ReunionFilter{Statut: q.Statut}
	if q.Instance != "" {
		var err error
		if f.InstanceID, err = strconv.ParseInt(q.Instance, 10, 64); err != nil {
			errs["instance"] = "Instance inconnue : choisissez dans la liste."
		}
	}
	if q.Statut != "" && models.LabelOf(models.ReunionStatuses, q.Statut) == q.Statut {
		errs["statut"] = "Statut inconnu : choisissez dans la liste."
	}
	errs = dayRange(q.Du, q.Au, &f.Du, &f.Au, errs)
	if fieldErrors(s.valid, q.Paging) != nil {
		errs["page"] = "Pagination invalide."
	}
	return q, f, errs
}

func (s *Server) listReunions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.reunionQuery(c)
	v := reunionsView{CanCreate: models.CanCreateInstances(actor), Filtered: q.Instance != "" || q.Statut != "" || q.Du != "" || q.Au != ""}
	bodies, err := s.store.ListInstances(ctx, actor.Scope, models.InstanceFilter{}, models.PageRequest{Size: 200})
	if err != nil {
		return err
	}
	var choices []models.Choice
	for _, i := range bodies.Items {
		choices = append(choices, models.Choice{Value: strconv.FormatInt(i.ID, 10), Label: i.Nom})
	}
	v.Instance = selectField{ID: "filtre-instance", Name: "instance", Label: "Instance", All: "Toutes les instances", Value: q.Instance, Choices: choices, Error: errs["instance"]}
	v.Statut = selectField{ID: "filtre-statut", Name: "statut", Label: "Statut", All: "Tous les statuts", Value: q.Statut, Choices: models.ReunionStatuses, Error: errs["statut"]}
	v.Du = formField{ID: "filtre-du", Name: "du", Label: "Du", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Du, Error: errs["du"]}
	v.Au = formField{ID: "filtre-au", Name: "au", Label: "Au", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Au, Error: errs["au"]}
	if c.QueryParam("fait") == "archivage" {
		v.Archived, _ = strconv.ParseInt(c.QueryParam("id"), 10, 64)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		v.Error, status = "Filtre invalide : corrigez les champs signalés.", http.StatusBadRequest
	} else {
		if v.Page, err = s.store.ListReunions(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
		v.Pager = newPager(newListURL(c, "/reunions"), v.Page)
	}
	return s.render(c, status, "reunions/list", "Réunions", []crumb{home, reunionsCrumb}, v)
}

// reunionView is one meeting's page.
type reunionView struct {
	Reunion           models.ReunionRow
	Date              string
	CompteRendu       template.HTML
	Points            []models.ReunionPoint
	Invites           []models.InviteRow
	Warnings          []string
	CanWrite          bool
	Done, Error       string
	PointTitre        formField
	PointPresentateur formField
	Presences         []models.Choice
	History           []models.AuditEvent
	Documents         *documentsView
	// What the meeting decided: its decisions, oldest first, and its actions (its own and
	// those of its decisions), each with how many more the register holds.
	Decisions                  []models.DecisionRow
	Actions                    []models.ActionRow
	MoreDecisions, MoreActions int
}

// meetingOutcomesShown is how many decisions and actions a meeting's page lists.
const meetingOutcomesShown = 100

var reunionDone = map[string]string{
	"creation":     "La réunion a été planifiée. Les membres actuels de l'instance sont invités.",
	"modification": "Les modifications ont été enregistrées.",
	"point":        "L'ordre du jour a été mis à jour.",
	"presence":     "La présence a été enregistrée.",
	"restauration": "La réunion a été restaurée.",
}

// showReunion is a meeting's page.
func (s *Server) showReunion(c echo.Context) error {
	return s.reunionPage(c, http.StatusOK, nil, "", "")
}

func (s *Server) reunionPage(c echo.Context, status int, errs map[string]string, titre, presentateur string) error {
	id, r, err := pathRecord(s, c, s.store.GetReunion)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := reunionView{Reunion: r, Date: meetingDate(r), CompteRendu: markdownHTML(r.CompteRendu), CanWrite: models.CanWriteReunion(actor, r),
		Done: reunionDone[c.QueryParam("fait")], Error: errs["_"], Presences: models.Presences[1:]}
	if v.Points, v.Invites, err = s.store.ReunionDetails(ctx, actor, id); err != nil {
		return err
	}
	if r.Statut == models.ReunionPlanifiee {
		if v.Warnings, err = s.store.MeetingWarnings(ctx, r.Debut); err != nil {
			return err
		}
	}
	if err := s.meetingOutcomes(c, &v); err != nil {
		return err
	}
	v.PointTitre = formField{ID: "point-titre", Name: "titre", Label: "Point", Type: "text", Value: titre, Error: errs["point_titre"]}
	v.PointPresentateur = formField{ID: "point-presentateur", Name: "presentateur", Label: "Présenté par", Hint: "Facultatif",
		Type: "text", Value: presentateur, Error: errs["point_presentateur"]}
	if v.Documents, err = s.documentsSection(c, models.DocumentReunion, id, v.CanWrite); err != nil {
		return err
	}
	if v.History, err = s.history(c, "reunion", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, status, "reunions/show", r.Label(), []crumb{home, reunionsCrumb, {Label: r.Label()}}, v)
}

// meetingOutcomes adds to a meeting's page the decisions taken there and the actions
// decided there (directly or through a decision), as the scope reads them.
func (s *Server) meetingOutcomes(c echo.Context, v *reunionView) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	page := models.PageRequest{Size: meetingOutcomesShown}
	decisions, err := s.store.ListDecisions(ctx, scope, models.DecisionFilter{ReunionID: v.Reunion.ID}, page)
	if err != nil {
		return err
	}
	actions, err := s.store.ListActions(ctx, scope, models.ActionFilter{ReunionID: v.Reunion.ID}, page)
	if err != nil {
		return err
	}
	v.Decisions, v.Actions = decisions.Items, actions.Items
	slices.Reverse(v.Decisions) // the register lists the latest first; a meeting reads in order
	v.MoreDecisions = int(decisions.Total) - len(decisions.Items)
	v.MoreActions = int(actions.Total) - len(actions.Items)
	return nil
}

// meetingDate is "mardi 12/03/2024, 14:00 – 16:00" in Europe/Paris.
func meetingDate(r models.ReunionRow) string {
	d, f := r.Debut.In(fr.Paris()), r.Fin.In(fr.Paris())
	return fr.Weekday(d.Weekday()) + " " + d.Format("02/01/2006, 15:04") + " – " + f.Format("15:04")
}

// reunionICS is one meeting as an iCalendar file.
func (s *Server) reunionICS(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetReunion)
	if err != nil {
		return err
	}
	ev := exports.CalendarEvent{Reunion: r, URL: s.link("/reunions/" + strconv.FormatInt(id, 10))}
	return sendICS(c, "reunion-"+strconv.FormatInt(id, 10)+".ics", exports.MeetingsICS("", []exports.CalendarEvent{ev}, time.Now()))
}

func (s *Server) archiveReunion(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveReunion, func(id string) string { return "/reunions?fait=archivage&id=" + id })
}

func (s *Server) restoreReunion(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreReunion, func(id string) string { return "/reunions/" + id + "?fait=restauration" })
}

func (s *Server) addReunionPoint(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	titre, presentateur := c.FormValue("titre"), c.FormValue("presentateur")
	err = s.store.AddPoint(c.Request().Context(), s.actor(c), id, titre, presentateur)
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.reunionPage(c, status, pageErrors(errs, msg), titre, presentateur)
	}, Refused: msgReunionRefused, Redirect: "/reunions/" + strconv.FormatInt(id, 10) + "?fait=point#ordre-du-jour"}.saved(c, err)
}

const msgReunionRefused = "Rien n'a été enregistré : votre rôle ne permet pas de modifier les réunions de cette instance."

// changeReunionPoint removes an agenda item or moves it up (action "retirer" or "monter").
func (s *Server) changeReunionPoint(c echo.Context) error {
	id, pid, err := pathIDs(c, "pid")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	switch c.Param("action") {
	case "retirer":
		err = s.store.RemovePoint(ctx, actor, id, pid)
	case "monter":
		err = s.store.MovePointUp(ctx, actor, id, pid)
	default:
		err = models.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/reunions/"+strconv.FormatInt(id, 10)+"?fait=point#ordre-du-jour")
}

func (s *Server) setReunionPresence(c echo.Context) error {
	id, cid, err := pathIDs(c, "cid")
	if err != nil {
		return err
	}
	err = s.store.SetPresence(c.Request().Context(), s.actor(c), id, cid, c.FormValue("presence"))
	if errs, ok := formErrors(err); ok {
		return s.reunionPage(c, http.StatusUnprocessableEntity, map[string]string{"_": errs["presence"]}, "", "")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/reunions/"+strconv.FormatInt(id, 10)+"?fait=presence#invites")
}
