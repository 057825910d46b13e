package app

import (
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The sections of the dashboard page after the rollout by territory: the choices of the
// page (level of the breakdown, baseline), the openings per quarter drawn as two
// cumulative lines, and the ENT usage in French.

// dashboardChoices builds the form of the page's choices.
func (s *Server) dashboardChoices(c echo.Context, v *dashboardView, q dashboardQuery, errs map[string]string) error {
	refs, err := s.store.ReferenceChoices(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	levels := models.ProgressLevels
	if v.Departement != "" {
		levels = levels[1:] // a département's dashboard breaks down below it
	}
	v.Form = filterForm{Action: c.Request().URL.Path}
	v.Form.sel("par", "Détail du déploiement par", "Par défaut", q.Par, levels, errs)
	ref := q.Reference
	if ref == "" && v.Reference != nil {
		ref = strconv.FormatInt(v.Reference.ID, 10)
	}
	v.Form.sel("reference", "Référence du plan (glissement)", "La plus récente", ref, refs, errs)
	return nil
}

// dashboardQuarter is a quarter of the openings' chart and table.
type dashboardQuarter struct {
	models.QuarterOpenings
	X               int    // the quarter's place on the chart, in its units
	PlanY, ActualY  int    // the cumulative counts' heights
	PlanPt, RealPt  string // "x,y" of each line's point
	ShowLabel       bool   // the quarter's label is written under the axis
	LabelX, LabelY0 int
}

// The openings' chart area: 60 units of margin on the left, 820 wide, 200 high.
const quarterLeft, quarterWidth, quarterTop, quarterHeight = 60, 820, 20, 200

// dashboardQuarters lays out the openings' chart, whose top is the highest cumulative count.
func dashboardQuarters(qs []models.QuarterOpenings) ([]dashboardQuarter, int64) {
	var top int64 = 1
	for _, q := range qs {
		top = max(top, q.PrevuesCumul, q.EffectivesCumul)
	}
	out := make([]dashboardQuarter, 0, len(qs))
	step := quarterWidth / max(1, len(qs)-1)
	every := max(1, (len(qs)+11)/12) // at most a dozen labels
	for i, q := range qs {
		x := quarterLeft + i*step
		if len(qs) == 1 {
			x = quarterLeft + quarterWidth/2
		}
		py := quarterTop + quarterHeight - int(q.PrevuesCumul*quarterHeight/top)
		ay := quarterTop + quarterHeight - int(q.EffectivesCumul*quarterHeight/top)
		out = append(out, dashboardQuarter{QuarterOpenings: q, X: x, PlanY: py, ActualY: ay,
			PlanPt: strconv.Itoa(x) + "," + strconv.Itoa(py), RealPt: strconv.Itoa(x) + "," + strconv.Itoa(ay),
			ShowLabel: i%every == 0 || i == len(qs)-1, LabelX: x, LabelY0: quarterTop + quarterHeight + 18})
	}
	return out, top
}

// quarterPoints is the polyline of the planned (real false) or actual cumulative openings.
func quarterPoints(qs []dashboardQuarter, actual bool) string {
	out := ""
	for i, q := range qs {
		if i > 0 {
			out += " "
		}
		if actual {
			out += q.RealPt
		} else {
			out += q.PlanPt
		}
	}
	return out
}

// dashboardUsage is the usage section in French.
type dashboardUsage struct {
	models.DashboardUsage
	Month                string // « novembre 2025 »
	Activation, Activite string // the rates, « — » when unknown
	Rows                 []dashboardUsageRow
}

// dashboardUsageRow is a territory's rates in French.
type dashboardUsageRow struct {
	Label, Activation, Activite string
	Ecoles                      int64
}

func dashboardUsageOf(u models.DashboardUsage) dashboardUsage {
	out := dashboardUsage{DashboardUsage: u, Activation: rateText(u.Total.ActivationRate()), Activite: rateText(u.Total.ActivityRate())}
	if u.Mois != "" {
		out.Month = monthLabel(u.Mois)
	}
	for _, r := range u.Rows {
		out.Rows = append(out.Rows, dashboardUsageRow{Label: r.Label, Ecoles: r.Ecoles,
			Activation: rateText(r.ActivationRate()), Activite: rateText(r.ActivityRate())})
	}
	return out
}

// rateText is a rate in French, « — » when unknown.
func rateText(rate float64, ok bool) string {
	if !ok {
		return "—"
	}
	return percent(rate)
}
