package app

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	Form         filterForm      // the level of the breakdown and the baseline
	ParLabel     string          // the level of the breakdown inside a sentence: « par EPCI »
	Query        string          // the choices as a query string, for the workbook's link
	Quarters     []dashboardQuarter
	QuartersMax  int64  // the highest cumulative count, the top of the openings' chart
	PlanLine     string // the points of the planned and actual cumulative openings
	ActualLine   string
	Usage        dashboardUsage
	// The shares in French: écoles opened, communes and pupils covered by the charter,
	// teachers trained of the écoles opened.
	OpenShare, CharteCommunes, CharteEleves, FormesRate string
}

func (s *Server) showDashboard(c echo.Context) error {
	return s.dashboardPage(c, "")
}

func (s *Server) showDepartementDashboard(c echo.Context) error {
	dep := c.Param("dep")
	if err := s.dashboardDepartement(c, dep); err != nil {
		return err
	}
	return s.dashboardPage(c, dep)
}

// dashboardDepartement refuses a département outside the reader's scope (not found).
func (s *Server) dashboardDepartement(c echo.Context, dep string) error {
	deps, err := s.store.DepartementChoicesIn(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(deps, func(ch models.Choice) bool { return ch.Value == dep }) {
		return models.ErrNotFound
	}
	return nil
}

// dashboardQuery is the dashboard's choices: the level of the rollout's breakdown and the
// baseline of the slippage.
type dashboardQuery struct {
	Par       string `query:"par" validate:"omitempty,oneof=departement circonscription epci commune"`
	Reference string `query:"reference" validate:"omitempty,numeric,max=18"`
}

// dashboardRequest reads the dashboard's choices; a wrong one is left out with its French
// message.
func (s *Server) dashboardRequest(c echo.Context, dep string) (models.DashboardRequest, dashboardQuery, map[string]string) {
	var q dashboardQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	r := models.DashboardRequest{Departement: dep, Par: q.Par, Seuil: s.usageThreshold()}
	if errs["par"] != "" {
		r.Par, q.Par = "", ""
		errs["par"] = "Niveau inconnu : choisissez département, circonscription, EPCI ou commune."
	}
	if errs["reference"] != "" {
		q.Reference = ""
		errs["reference"] = "Référence inconnue."
	}
	r.Reference, _ = strconv.ParseInt(q.Reference, 10, 64)
	return r, q, errs
}

func (s *Server) dashboardPage(c echo.Context, dep string) error {
	ctx := c.Request().Context()
	r, q, errs := s.dashboardRequest(c, dep)
	d, err := s.store.DashboardOf(ctx, s.actor(c), r)
	if errors.Is(err, models.ErrNotFound) && r.Reference != 0 {
		errs = withError(errs, "reference", "Référence inconnue ou hors de votre périmètre : la plus récente est utilisée.")
		r.Reference, q.Reference = 0, ""
		d, err = s.store.DashboardOf(ctx, s.actor(c), r)
	}
	if err != nil {
		return err
	}
	v := dashboardView{Dashboard: d, Title: "Tableau de bord académique"}
	if dep != "" {
		v.Title = "Tableau de bord du département " + dep
	} else if v.Links, err = s.store.DepartementChoicesIn(ctx, s.scope(c)); err != nil {
		return err
	}
	if err := s.dashboardChoices(c, &v, q, errs); err != nil {
		return err
	}
	v.ParLabel = "par " + strings.ToLower(models.LabelOf(models.ProgressLevels, d.Par))
	if d.Par == "epci" {
		v.ParLabel = "par EPCI"
	}
	v.Query = dashboardQueryString(q)
	if m := d.Evaluations.MeanSatisfaction(); m != nil {
		v.Satisfaction = fr.Decimal(*m, 1)
	}
	v.Bars, v.ChartHeight = dashboardBars(d.Progress)
	v.Quarters, v.QuartersMax = dashboardQuarters(d.Ouvertures)
	v.PlanLine, v.ActualLine = quarterPoints(v.Quarters, false), quarterPoints(v.Quarters, true)
	v.Usage = dashboardUsageOf(d.Usage)
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
// /tableau-de-bord/93.xlsx), with the same choices as the page.
func (s *Server) exportDashboard(c echo.Context) error {
	ctx, dep := c.Request().Context(), c.Param("dep")
	title := "Tableau de bord académique"
	if dep != "" {
		if err := s.dashboardDepartement(c, dep); err != nil {
			return err
		}
		title = "Tableau de bord du département " + dep
	}
	r, _, _ := s.dashboardRequest(c, dep)
	d, err := s.store.DashboardOf(ctx, s.actor(c), r)
	if err != nil {
		return err
	}
	doc, err := s.exportDocument(c, title)
	if err != nil {
		return err
	}
	s.attachment(c, "tableau-de-bord-"+cmp.Or(dep, "academie"), doc, "xlsx")
	return exports.DashboardWorkbook(c.Response(), doc, d, exports.DashboardThemes(ctx, s.store, s.scope(c), dep)...)
}

// dashboardQueryString is the choices read, as a query string ("" for none).
func dashboardQueryString(q dashboardQuery) string {
	v := url.Values{}
	if q.Par != "" {
		v.Set("par", q.Par)
	}
	if q.Reference != "" {
		v.Set("reference", q.Reference)
	}
	return v.Encode()
}
