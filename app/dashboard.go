package app

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The dashboards (/tableau-de-bord, /tableau-de-bord/93): the rollout, the conventions,
// the charter, the training and the actions of the reader's scope, each figure a link to
// its list (models/dashboard.go), with a chart drawn on the server and its data table.

// dashboardBar is one bar of the rollout chart: a territory's share of écoles opened.
type dashboardBar struct {
	Label         string
	Opened        int64
	Ecoles        int64
	Share         string
	Y, Width      int // in the SVG's units (the bar area is 600 wide)
	TextY, ValueX int
}

// dashboardView is a dashboard page.
type dashboardView struct {
	models.Dashboard
	Title        string
	Bars         []dashboardBar
	ChartHeight  int
	Links        []models.Choice // the départements' dashboards, from the académie's
	Satisfaction string          // the mean satisfaction in French, "" under the minimum of answers
	// The shares in French: écoles opened, communes and pupils covered by the charter,
	// teachers trained of the écoles opened.
	OpenShare, CharteCommunes, CharteEleves, FormesRate string
}

func (s *Server) showDashboard(c echo.Context) error {
	return s.dashboardPage(c, "")
}

func (s *Server) showDepartementDashboard(c echo.Context) error {
	dep := c.Param("dep")
	deps, err := s.store.DepartementChoicesIn(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(deps, func(ch models.Choice) bool { return ch.Value == dep }) {
		return models.ErrNotFound
	}
	return s.dashboardPage(c, dep)
}

func (s *Server) dashboardPage(c echo.Context, dep string) error {
	ctx := c.Request().Context()
	d, err := s.store.DashboardOf(ctx, s.actor(c), dep)
	if err != nil {
		return err
	}
	v := dashboardView{Dashboard: d, Title: "Tableau de bord académique"}
	if dep != "" {
		v.Title = "Tableau de bord du département " + dep
	} else if v.Links, err = s.store.DepartementChoicesIn(ctx, s.scope(c)); err != nil {
		return err
	}
	if m := d.Evaluations.MeanSatisfaction(); m != nil {
		v.Satisfaction = fr.Decimal(*m, 1)
	}
	v.Bars, v.ChartHeight = dashboardBars(d.Progress)
	v.OpenShare, v.FormesRate = percent(d.Progress.Total.OpenShare()), percent(d.Formes.Rate())
	if d.Charte != nil {
		v.CharteCommunes, v.CharteEleves = percent(d.Charte.Total.CommunesShare()), percent(d.Charte.Total.ElevesShare())
	}
	crumbs := []crumb{home, {Label: "Tableau de bord", Href: "/tableau-de-bord"}}
	if dep != "" {
		crumbs = append(crumbs, crumb{Label: dep})
	}
	return s.render(c, http.StatusOK, "dashboard/show", v.Title, crumbs, v)
}

// dashboardBars lays out the bars of the share of écoles opened per row, 28 units apart.
func dashboardBars(p models.Progress) ([]dashboardBar, int) {
	out := make([]dashboardBar, 0, len(p.Rows))
	for i, r := range p.Rows {
		w := int(r.OpenShare()*600 + 0.5)
		out = append(out, dashboardBar{Label: r.Label, Opened: r.Opened(), Ecoles: r.Total.Ecoles, Share: percent(r.OpenShare()),
			Y: 10 + 28*i, Width: w, TextY: 27 + 28*i, ValueX: 230 + w + 6})
	}
	return out, 20 + 28*len(out)
}

// exportDashboard writes the dashboard as a workbook (/tableau-de-bord.xlsx,
// /tableau-de-bord/93.xlsx).
func (s *Server) exportDashboard(c echo.Context) error {
	ctx, dep := c.Request().Context(), c.Param("dep")
	title := "Tableau de bord académique"
	if dep != "" {
		deps, err := s.store.DepartementChoicesIn(ctx, s.scope(c))
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(deps, func(ch models.Choice) bool { return ch.Value == dep }) {
			return models.ErrNotFound
		}
		title = "Tableau de bord du département " + dep
	}
	d, err := s.store.DashboardOf(ctx, s.actor(c), dep)
	if err != nil {
		return err
	}
	doc, err := s.exportDocument(c, title)
	if err != nil {
		return err
	}
	s.attachment(c, "tableau-de-bord-"+cmp.Or(dep, "academie"), doc, "xlsx")
	return exports.DashboardWorkbook(c.Response(), doc, d)
}
