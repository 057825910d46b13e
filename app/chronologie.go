package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The timeline (/chronologie): waves and milestones, plan against actual and against a
// chosen baseline, drawn on the server as an accessible SVG with the same data as a table;
// and the cumulative openings (/chronologie/ouvertures), actual against the plan and the
// baseline.

var chronologieCrumb = crumb{Label: "Chronologie", Href: "/chronologie"}

// chronologieQuery is the query string of both pages.
type chronologieQuery struct {
	Departement string `query:"departement" validate:"omitempty,max=3"`
	Reference   string `query:"reference" validate:"omitempty,numeric,max=18"`
}

// chronologieView is what both pages show.
type chronologieView struct {
	Timeline  models.Timeline
	Gantt     ganttChart
	Openings  openingsChart
	Dep, Ref  selectField
	Errors    map[string]string
	Query     string // the query string of the page, for the link to the other page
	Reference *models.ReferenceRow
}

// chronologie reads the query, the choosers and the timeline.
func (s *Server) chronologie(c echo.Context, action string) (chronologieView, error) {
	ctx, scope := c.Request().Context(), s.scope(c)
	var q chronologieQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	if q.Departement != "" && !models.ValidDepartementCode(q.Departement) {
		errs = map[string]string{"departement": "Département inconnu : choisissez dans la liste."}
	}
	v := chronologieView{Errors: errs, Query: c.Request().URL.RawQuery}
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return v, err
	}
	refs, err := s.store.ReferenceChoices(ctx, scope)
	if err != nil {
		return v, err
	}
	v.Dep = selectField{ID: "chrono-departement", Name: "departement", Label: "Département", All: "Tous",
		Value: q.Departement, Choices: deps, Error: errs["departement"]}
	v.Ref = selectField{ID: "chrono-reference", Name: "reference", Label: "Référence du plan", All: "Aucune",
		Value: q.Reference, Choices: refs, Error: errs["reference"]}
	if errs != nil {
		return v, nil
	}
	ref, _ := strconv.ParseInt(q.Reference, 10, 64)
	v.Timeline, err = s.store.Timeline(ctx, scope, models.TimelineFilter{Departement: q.Departement, ReferenceID: ref})
	if err != nil {
		return v, err
	}
	v.Reference = v.Timeline.Reference
	today := s.store.Today()
	if action == "gantt" {
		v.Gantt = newGanttChart(v.Timeline, today)
	} else {
		v.Openings = newOpeningsChart(v.Timeline.Openings, ref > 0, today)
	}
	return v, nil
}

func chronologieStatus(v chronologieView) int {
	if v.Errors != nil {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

func (s *Server) showChronologie(c echo.Context) error {
	v, err := s.chronologie(c, "gantt")
	if err != nil {
		return err
	}
	return s.render(c, chronologieStatus(v), "chronologie/show", "Chronologie du programme", []crumb{home, {Label: "Chronologie"}}, v)
}

func (s *Server) showOuvertures(c echo.Context) error {
	v, err := s.chronologie(c, "ouvertures")
	if err != nil {
		return err
	}
	return s.render(c, chronologieStatus(v), "chronologie/ouvertures", "Ouvertures cumulées",
		[]crumb{home, chronologieCrumb, {Label: "Ouvertures cumulées"}}, v)
}
