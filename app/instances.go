package app

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Steering bodies (instances): the list, one body's page with its members and meetings,
// the body form, archiving, members, and the body's subscribable calendar. Who may write is
// decided by the data layer (models.canWriteInstance); pages only show what it allows.

var instancesCrumb = crumb{Label: "Instances", Href: "/instances"}

// instancesView is the list of bodies.
type instancesView struct {
	Page              models.Page[models.InstanceRow]
	Pager             pager
	Type, Departement selectField
	CanCreate         bool
	Filtered          bool // a filter is set: an empty page is a search without result
	Error             string
	Archived          int64 // the body just archived, offered for restoring
}

// instanceQuery is the query string of the bodies list, its exports and its API.
type instanceQuery struct {
	Type        string `query:"type"`
	Departement string `query:"departement"`
	Paging
}

// instanceQuery reads the filters of the bodies list; ok is false when one is invalid.
func (s *Server) instanceQuery(c echo.Context) (q instanceQuery, f models.InstanceFilter, ok bool) {
	bindQuery(c, &q)
	ok = (q.Type == "" || models.ValidInstanceKind(q.Type)) && fieldErrors(s.valid, q.Paging) == nil
	return q, models.InstanceFilter{Kind: q.Type, Departement: q.Departement}, ok
}

func (s *Server) listInstances(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, ok := s.instanceQuery(c)
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	deps = append([]models.Choice{{Value: "academie", Label: "Académie"}}, deps...)
	v := instancesView{CanCreate: models.CanCreateInstances(actor),
		Type: selectField{ID: "filtre-type", Name: "type", Label: "Type", All: "Tous les types", Value: q.Type, Choices: models.InstanceKinds},
		Departement: selectField{ID: "filtre-departement", Name: "departement", Label: "Périmètre", All: "Tous les périmètres",
			Value: q.Departement, Choices: deps}, Filtered: q.Type != "" || q.Departement != ""}
	if c.QueryParam("fait") == "archivage" {
		v.Archived, _ = strconv.ParseInt(c.QueryParam("id"), 10, 64)
	}
	status := http.StatusOK
	if !ok {
		v.Error, status = "Filtre invalide : choisissez dans les listes.", http.StatusBadRequest
	} else {
		if v.Page, err = s.store.ListInstances(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
		v.Pager = newPager(newListURL(c, "/instances"), v.Page)
	}
	return s.render(c, status, "instances/list", "Instances", []crumb{home, instancesCrumb}, v)
}

// instanceView is one body's page.
type instanceView struct {
	Instance         models.InstanceRow
	Mandat           template.HTML
	Members          []models.MemberRow
	Upcoming, Past   []models.ReunionRow
	CanWrite         bool
	Done, Error      string
	FeedURL          string
	FeedRefused      string // why no feed URL is shown (no public address)
	Contact, Role    selectField
	Debut, Fin       formField
	History          []models.AuditEvent
	MemberFormErrors bool
}

var instanceDone = map[string]string{
	"creation":     "L'instance a été créée.",
	"modification": "Les modifications ont été enregistrées.",
	"membre":       "Le membre a été ajouté.",
	"retrait":      "Le membre a été retiré.",
	"calendrier":   "Un nouveau lien de calendrier a été créé : l'ancien ne fonctionne plus.",
	"restauration": "L'instance a été restaurée.",
}

func (s *Server) showInstance(c echo.Context) error {
	return s.instancePage(c, http.StatusOK, nil, memberTyped{})
}

// memberTyped is the member form as typed, shown again with its errors.
type memberTyped struct{ Contact, Role, Debut, Fin string }

func (s *Server) instancePage(c echo.Context, status int, errs map[string]string, typed memberTyped) error {
	id, i, err := pathRecord(s, c, s.store.GetInstance)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := instanceView{Instance: i, Mandat: markdownHTML(i.Mandat), CanWrite: models.CanWriteInstance(actor, i.Instance),
		Done: instanceDone[c.QueryParam("fait")], MemberFormErrors: len(errs) > 0}
	if errs["_"] != "" {
		v.Error = errs["_"]
	}
	if v.Members, err = s.store.ListMembers(ctx, actor, id); err != nil {
		return err
	}
	meetings, err := s.store.ListReunions(ctx, actor.Scope, models.ReunionFilter{InstanceID: id}, models.PageRequest{Size: 100})
	if err != nil {
		return err
	}
	for _, r := range meetings.Items {
		if r.Fin.After(time.Now()) {
			v.Upcoming = append(v.Upcoming, r)
		} else {
			v.Past = append(v.Past, r)
		}
	}
	if v.CanWrite {
		v.FeedURL = s.link("/instances/" + strconv.FormatInt(id, 10) + "/calendrier.ics?jeton=" + i.CalendarToken)
		if v.FeedURL == "" {
			v.FeedRefused = msgNoBaseURL
		}
		contacts, err := s.store.ListContacts(ctx, actor, models.ContactFilter{}, models.PageRequest{Size: 200})
		if err != nil {
			return err
		}
		var choices []models.Choice
		for _, ct := range contacts.Items {
			choices = append(choices, models.Choice{Value: strconv.FormatInt(ct.ID, 10), Label: ct.FullName()})
		}
		v.Contact = selectField{ID: "membre-contact", Name: "contact", Label: "Contact", All: "Choisir un contact", Value: typed.Contact, Choices: choices, Error: errs["contact"]}
		v.Role = selectField{ID: "membre-role", Name: "role", Label: "Rôle", All: "Choisir un rôle", Value: typed.Role, Choices: models.MemberRoles, Error: errs["role"]}
		v.Debut = formField{ID: "membre-debut", Name: "debut", Label: "Début du mandat", Hint: "Facultatif. Format attendu : JJ/MM/AAAA", Type: "text", Value: typed.Debut, Error: errs["debut"]}
		v.Fin = formField{ID: "membre-fin", Name: "fin", Label: "Fin du mandat", Hint: "Facultatif. Format attendu : JJ/MM/AAAA", Type: "text", Value: typed.Fin, Error: errs["fin"]}
	}
	if v.History, err = s.history(c, "instance", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, status, "instances/show", i.Nom, []crumb{home, instancesCrumb, {Label: i.Nom}}, v)
}

func (s *Server) addMember(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	typed := memberTyped{Contact: c.FormValue("contact"), Role: c.FormValue("role"), Debut: c.FormValue("debut"), Fin: c.FormValue("fin")}
	contactID, _ := strconv.ParseInt(typed.Contact, 10, 64)
	err = s.store.AddMember(c.Request().Context(), s.actor(c), id,
		models.MemberInput{ContactID: contactID, Role: typed.Role, Debut: typed.Debut, Fin: typed.Fin})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.instancePage(c, status, pageErrors(errs, msg), typed)
	}, Refused: msgInstanceRefused, Redirect: "/instances/" + strconv.FormatInt(id, 10) + "?fait=membre#membres"}.saved(c, err)
}

const msgInstanceRefused = "Rien n'a été enregistré : votre rôle ne permet pas de modifier cette instance."

func (s *Server) removeMember(c echo.Context) error {
	id, mid, err := pathIDs(c, "mid")
	if err != nil {
		return err
	}
	if err := s.store.RemoveMember(c.Request().Context(), s.actor(c), id, mid); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/instances/"+strconv.FormatInt(id, 10)+"?fait=retrait#membres")
}

func (s *Server) archiveInstance(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveInstance, func(id string) string { return "/instances?fait=archivage&id=" + id })
}

func (s *Server) restoreInstance(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreInstance, func(id string) string { return "/instances/" + id + "?fait=restauration" })
}

func (s *Server) renewInstanceCalendar(c echo.Context) error {
	return s.onRecord(c, s.store.RenewCalendarToken, func(id string) string { return "/instances/" + id + "?fait=calendrier#calendrier" })
}

// instanceCalendar is the body's subscribable feed: the secret token of the URL is the
// only credential, and a wrong or missing one is a page that does not exist.
func (s *Server) instanceCalendar(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	i, err := s.store.InstanceByCalendarToken(ctx, id, c.QueryParam("jeton"))
	if err != nil {
		return err
	}
	var events []exports.CalendarEvent
	scope := models.AcademieScope() // the token designates this body only
	err = s.store.EachReunion(ctx, scope, models.ReunionFilter{InstanceID: i.ID}, func(r models.ReunionRow) error {
		events = append(events, exports.CalendarEvent{Reunion: r, URL: s.link("/reunions/" + strconv.FormatInt(r.ID, 10))})
		return nil
	})
	if err != nil {
		return err
	}
	return sendICS(c, "instance-"+strconv.FormatInt(id, 10)+".ics", exports.MeetingsICS(i.Nom, events, time.Now()))
}

// instanceForm is the body form; the id and version are never bound into the model.
type instanceForm struct {
	Nom         string `form:"nom"`
	Type        string `form:"type"`
	Departement string `form:"departement"`
	Mandat      string `form:"mandat"`
	Version     string `form:"version"`
}

func (f instanceForm) input() models.InstanceInput {
	return models.InstanceInput{Nom: f.Nom, Kind: f.Type, Departement: f.Departement, Mandat: f.Mandat}
}

func instanceFormOf(i models.InstanceRow) instanceForm {
	return instanceForm{Nom: i.Nom, Type: i.Kind, Departement: deref(i.DepartementCode), Mandat: i.Mandat, Version: strconv.Itoa(i.Version)}
}

// instanceFormView is the body form page; Closed replaces the form for a role that writes
// no body, Refused explains a save the write rule refused.
type instanceFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Nom, Mandat                     formField
	Type, Departement               selectField
	Conflict                        *formConflict
}

func (s *Server) instanceFormPage(c echo.Context, status int, inst *models.InstanceRow, f instanceForm, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := instanceFormView{Heading: "Nouvelle instance", Action: "/instances", Cancel: "/instances", Submit: "Créer l'instance",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, instancesCrumb, {Label: "Nouvelle instance"}}
	if !models.CanCreateInstances(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet ni de créer ni de modifier une instance."
	}
	if inst != nil {
		href := "/instances/" + strconv.FormatInt(inst.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier l'instance "+inst.Nom, href, href, "Enregistrer"
		crumbs = []crumb{home, instancesCrumb, {Label: inst.Nom, Href: href}, {Label: "Modifier"}}
		if !models.CanWriteInstance(actor, inst.Instance) && v.Closed == "" {
			v.Closed = "Vous pouvez consulter cette instance mais votre rôle ne permet pas de la modifier."
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	all := "Académie (toute l'académie)"
	if !models.CanWriteAcademieRecords(actor, models.EntityInstance) {
		all = "Choisir le département"
	}
	v.Nom = formField{ID: "instance-nom", Name: "nom", Label: "Nom", Type: "text", Value: f.Nom, Error: errs["nom"]}
	v.Type = selectField{ID: "instance-type", Name: "type", Label: "Type d'instance", All: "Choisir un type", Value: f.Type,
		Choices: models.InstanceKinds, Error: errs["type"]}
	v.Departement = selectField{ID: "instance-departement", Name: "departement", Label: "Périmètre",
		Hint: "L'académie, ou un département", All: all, Value: f.Departement, Choices: deps, Error: errs["departement"]}
	v.Mandat = formField{ID: "instance-mandat", Name: "mandat", Label: "Mandat", Hint: "Facultatif. Markdown accepté (titres, listes, liens).",
		Value: f.Mandat, Error: errs["mandat"]}
	return s.render(c, closedStatus(status, v.Closed), "instances/form", v.Heading, crumbs, v)
}

func (s *Server) newInstance(c echo.Context) error {
	return s.instanceFormPage(c, http.StatusOK, nil, instanceForm{}, nil, "", nil)
}

func (s *Server) createInstance(c echo.Context) error {
	f, err := bindForm[instanceForm](c)
	if err != nil {
		return err
	}
	i, err := s.store.CreateInstance(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.instanceFormPage(c, status, nil, f, errs, msg, nil)
	}, Refused: msgInstanceRefused, Redirect: "/instances/" + strconv.FormatInt(i.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editInstance(c echo.Context) error {
	_, i, err := pathRecord(s, c, s.store.GetInstance)
	if err != nil {
		return err
	}
	return s.instanceFormPage(c, http.StatusOK, &i, instanceFormOf(i), nil, "", nil)
}

// updateInstance saves an edit: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateInstance(c echo.Context) error {
	id, i, err := pathRecord(s, c, s.store.GetInstance)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindForm[instanceForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateInstance(ctx, actor, id, formVersion(f.Version), f.input())
	return updated(c, err, i, func(ce *models.ConflictError, current models.InstanceRow) error {
		cur := instanceFormOf(current)
		kind := func(v string) string { return models.LabelOf(models.InstanceKinds, v) }
		return s.instanceFormPage(c, http.StatusConflict, &current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Nom", Current: cur.Nom, Typed: f.Nom}, {Label: "Type", Current: kind(cur.Type), Typed: kind(f.Type)},
			{Label: "Périmètre", Current: cur.Departement, Typed: f.Departement}, {Label: "Mandat", Current: cur.Mandat, Typed: f.Mandat}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.instanceFormPage(c, status, &i, f, errs, msg, nil)
	}, Refused: msgInstanceRefused, Redirect: "/instances/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}
