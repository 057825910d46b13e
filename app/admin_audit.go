package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// journalQuery is the query string of the audit log page and of its export: the filters are
// a GET query, so a search can be bookmarked and exported as it is.
type journalQuery struct {
	Acteur      string `query:"acteur" validate:"max=19"`
	Entite      string `query:"entite" validate:"max=30"`
	Action      string `query:"action" validate:"max=30"`
	Identifiant string `query:"identifiant" validate:"max=100,validutf8"`
	Du          string `query:"du" validate:"max=30"`
	Au          string `query:"au" validate:"max=30"`
	Paging
}

// Messages of the audit log's filters.
const (
	msgDateOrder = "La date de fin précède la date de début."
	msgChoice    = "Valeur non reconnue : choisissez dans la liste."
)

// journalQuery validates the query and turns it into the audit filter; errs holds the French
// message of each invalid field, or is nil.
func (s *Server) journalQuery(c echo.Context) (journalQuery, models.AuditFilter, map[string]string) {
	var q journalQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	if errs == nil {
		errs = map[string]string{}
	}
	var f models.AuditFilter
	add := func(field, msg string) {
		if _, seen := errs[field]; !seen {
			errs[field] = msg
		}
	}
	if q.Acteur != "" {
		id, err := strconv.ParseInt(q.Acteur, 10, 64)
		if err != nil || id <= 0 {
			add("acteur", msgChoice)
		}
		f.ActorID = id
	}
	if q.Entite != "" && !slices.Contains(models.ChoiceValues(models.AuditEntities), q.Entite) {
		add("entite", msgChoice)
	}
	if q.Action != "" && !slices.Contains(models.ChoiceValues(models.AuditActions), q.Action) {
		add("action", msgChoice)
	}
	f.Entity, f.Action, f.EntityID = q.Entite, q.Action, strings.TrimSpace(q.Identifiant)
	var msg string
	if q.Du != "" {
		if f.From, msg = models.DayProblem("La date", q.Du); msg != "" {
			add("du", msg)
		}
	}
	if q.Au != "" {
		if f.To, msg = models.DayProblem("La date", q.Au); msg != "" {
			add("au", msg)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		add("au", msgDateOrder)
	}
	if len(errs) == 0 {
		errs = nil
	}
	return q, f, errs
}

// journalEntry is one event of the audit log as the page shows it: the event's cells span
// the rows of its changes (at least one row, empty for an event without changes).
type journalEntry struct {
	At        time.Time
	Actor     string
	Role      string
	Scope     string
	Action    string
	Entity    string
	EntityID  string
	Href      string // the record's page, when it has one
	RequestID string
	Changes   []models.Change
}

// recordPages are the pages of the records the audit log names by entity and id.
var recordPages = map[string]string{"commune": "/communes/", "ecole": "/ecoles/", "epci": "/epci/", "circonscription": "/admin/circonscriptions/"}

func newJournalEntry(ev models.AuditEvent) journalEntry {
	e := journalEntry{At: ev.At, Actor: ev.Actor, Role: models.Role(ev.Role).Label(), Scope: ev.Scope,
		Action: ev.ActionLabel(), Entity: models.LabelOf(models.AuditEntities, ev.Entity), EntityID: ev.EntityID,
		RequestID: ev.RequestID, Changes: ev.ChangeList()}
	if prefix, ok := recordPages[ev.Entity]; ok && ev.EntityID != "" {
		e.Href = prefix + ev.EntityID
	}
	if len(e.Changes) == 0 {
		e.Changes = []models.Change{{}}
	}
	return e
}

// journalView is the audit log page.
type journalView struct {
	list[journalQuery, models.AuditEvent]
	Entries []journalEntry
	XLSX    string // the export of the same search
	CSV     string // its CSV twin
}

func (s *Server) listJournal(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.journalQuery(c)
	var v journalView
	v.Filter, v.Errors = q, errs
	actors, err := s.actorChoices(ctx, actor, q.Acteur)
	if err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListAudit(ctx, actor, f, q.request()); err != nil {
			return err
		}
		for _, ev := range v.Page.Items {
			v.Entries = append(v.Entries, newJournalEntry(ev))
		}
	}
	v.Form = filterForm{Action: "/admin/journal", PerPage: q.PerPage,
		Search: formField{ID: "filtre-identifiant", Name: "identifiant", Label: "Identifiant de la fiche",
			Hint: "Code INSEE, UAI, SIREN ou numéro de compte", Type: "search", Value: q.Identifiant, Error: errs["identifiant"]}}
	v.Form.Inputs = append(v.Form.Inputs,
		formField{ID: "filtre-du", Name: "du", Label: "Du", Hint: "jj/mm/aaaa", Type: "text", Value: q.Du, Error: errs["du"]},
		formField{ID: "filtre-au", Name: "au", Label: "Au (inclus)", Hint: "jj/mm/aaaa", Type: "text", Value: q.Au, Error: errs["au"]})
	v.Form.sel("acteur", "Auteur", "Tous les auteurs", q.Acteur, actors, errs)
	v.Form.sel("entite", "Fiche", "Toutes les fiches", q.Entite, models.AuditEntities, errs)
	v.Form.sel("action", "Action", "Toutes les actions", q.Action, models.AuditActions, errs)
	u := newListURL(c, "/admin/journal")
	v.Pager, v.XLSX, v.CSV, v.Path = newPager(u, v.Page), u.as("/admin/journal.xlsx"), u.as("/admin/journal.csv"), "/admin/journal"
	return s.renderList(c, "admin/journal", "Journal des modifications",
		[]crumb{home, adminCrumb, {Label: "Journal des modifications"}}, v, errs != nil)
}

// actorChoices lists the accounts, live then archived, for the "Auteur" filter; a selected
// account missing from the list (past the first MaxPageSize) is kept as a choice.
func (s *Server) actorChoices(ctx context.Context, actor models.Actor, selected string) ([]models.Choice, error) {
	out := []models.Choice{}
	for _, archived := range []bool{false, true} {
		page, err := s.store.ListUsers(ctx, actor, models.UserFilter{Archived: archived}, models.PageRequest{Size: models.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, u := range page.Items {
			label := fmt.Sprintf("%s (n° %d)", u.Nom, u.ID)
			if archived {
				label += " — archivé"
			}
			out = append(out, models.Choice{Value: strconv.FormatInt(u.ID, 10), Label: label})
		}
	}
	if selected != "" && !slices.Contains(models.ChoiceValues(out), selected) {
		out = append(out, models.Choice{Value: selected, Label: "Compte n° " + selected})
	}
	return out, nil
}

// exportJournal streams the events of the search as Excel, one row per changed field.
func (s *Server) exportJournal(c echo.Context) error {
	_, f, errs := s.journalQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	return s.sendExport(c, "journal", exports.AuditTable, func(w exports.RowWriter) error {
		return s.store.EachAudit(ctx, actor, f, func(ev models.AuditEvent) error {
			for _, row := range exports.AuditValues(ev) {
				if err := w.WriteRow(row...); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
