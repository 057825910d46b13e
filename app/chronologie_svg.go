package app

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// The charts of the timeline, laid out here and drawn by the partials of
// views/templates/partials/chronologie_svg.html: the templates only place what is computed.
// Shapes and patterns tell the series apart, not colours alone: the planned opening is a
// triangle, the actual span a hatched bar, the baseline a hollow circle or diamond.

// Geometry of the charts, in SVG units.
const (
	chartWidth  = 1000
	labelWidth  = 280
	chartRight  = 20
	axisHeight  = 40
	rowHeight   = 30
	legendSpace = 50
	maxLabel    = 40
)

// axisTick is a graduation of an axis; TextY is where its label sits.
type axisTick struct {
	X, Y, TextY float64
	Label       string
}

// ganttRow is one row of the timeline: a wave or a milestone, its shapes as SVG points.
type ganttRow struct {
	Y, TextY, BarY float64
	Label          string
	Full           string
	Vague          bool
	HasSpan        bool
	SpanX, SpanW   float64
	Planned        string // triangle (wave) or diamond (milestone)
	PlannedX       float64
	Actual, Check  string // the actual day's diamond and its tick
	ActualX        float64
	RefCircle      bool // a wave's baseline day: a hollow circle at RefX
	Ref            string
	RefX, MidY     float64
	Late           bool
	Note           string
	NoteX          float64
}

// diamond is the points of a diamond of radius r centred on x, y.
func diamond(x, y, r float64) string {
	return fmt.Sprintf("%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f", x, y-r, x+r, y, x, y+r, x-r, y)
}

// triangle is the points of a triangle pointing down onto x, from y.
func triangle(x, y float64) string {
	return fmt.Sprintf("%.1f,%.1f %.1f,%.1f %.1f,%.1f", x-7, y, x+7, y, x, y+12)
}

// ganttChart is the timeline's SVG.
type ganttChart struct {
	Width, Height float64
	Left, Right   float64
	AxisY         float64
	LegendY       float64
	Years         []axisTick
	HasToday      bool
	TodayX        float64
	Rows          []ganttRow
	HasReference  bool
	Desc          string
}

// timeScale maps days to abscissas between whole years.
type timeScale struct {
	start, end  time.Time
	left, width float64
}

// newTimeScale spans whole years around the days (and today).
func newTimeScale(days []time.Time, today time.Time) timeScale {
	lo, hi := today, today
	for _, d := range days {
		if d.Before(lo) {
			lo = d
		}
		if d.After(hi) {
			hi = d
		}
	}
	return timeScale{start: time.Date(lo.Year(), 1, 1, 0, 0, 0, 0, time.UTC), end: time.Date(hi.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC),
		left: labelWidth, width: chartWidth - labelWidth - chartRight}
}

func (s timeScale) x(t time.Time) float64 {
	return s.left + s.width*float64(t.Sub(s.start))/float64(s.end.Sub(s.start))
}

// years are the graduations of the whole years of the scale.
func (s timeScale) years(y float64) []axisTick {
	var out []axisTick
	for t := s.start; !t.After(s.end); t = t.AddDate(1, 0, 0) {
		out = append(out, axisTick{X: s.x(t), Y: y, TextY: y, Label: strconv.Itoa(t.Year())})
	}
	return out
}

func shorten(s string) string {
	if r := []rune(s); len(r) > maxLabel {
		return string(r[:maxLabel-1]) + "…"
	}
	return s
}

// timelineDays are every day the timeline draws.
func timelineDays(tl models.Timeline) []time.Time {
	var out []time.Time
	add := func(ds ...models.PlanDay) {
		for _, d := range ds {
			if t := d.Time(); t != nil {
				out = append(out, *t)
			}
		}
	}
	for _, v := range tl.Vagues {
		add(v.Prevue, v.Debut, v.Fin, v.Reference)
	}
	for _, j := range tl.Jalons {
		add(j.Prevue, j.Effective, j.Reference)
	}
	return out
}

// newGanttChart lays out the timeline: the waves first, then the milestones by day.
func newGanttChart(tl models.Timeline, today time.Time) ganttChart {
	sc := newTimeScale(timelineDays(tl), today)
	n := len(tl.Vagues) + len(tl.Jalons)
	g := ganttChart{Width: chartWidth, Left: labelWidth, Right: chartWidth - chartRight, AxisY: axisHeight,
		HasReference: tl.Reference != nil}
	g.Height = axisHeight + float64(max(n, 1))*rowHeight + legendSpace
	g.LegendY = g.Height - legendSpace + 10
	g.Years = sc.years(axisHeight - 12)
	if !today.Before(sc.start) && today.Before(sc.end) {
		g.HasToday, g.TodayX = true, sc.x(today)
	}
	at := func(d models.PlanDay) (float64, bool) {
		if t := d.Time(); t != nil {
			return sc.x(*t), true
		}
		return 0, false
	}
	for i, v := range tl.Vagues {
		r := ganttRow{Y: axisHeight + float64(i)*rowHeight, Label: shorten(v.Nom), Full: v.Nom, Vague: true}
		r.MidY = r.Y + rowHeight/2
		if x, ok := at(v.Prevue); ok {
			r.PlannedX, r.Planned = x, triangle(x, r.Y+3)
		}
		if x, ok := at(v.Reference); ok {
			r.RefX, r.RefCircle = x, true
		}
		if x1, ok := at(v.Debut); ok {
			x2, _ := at(v.Fin)
			r.HasSpan, r.SpanX, r.SpanW, r.BarY = true, x1, max(x2-x1, 3), r.Y+6
		}
		r.Note = fmt.Sprintf("%d/%d ouvertes", v.NbOuvertes, v.NbEcoles)
		r.NoteX = max(r.PlannedX, r.SpanX+r.SpanW, r.RefX, labelWidth) + 10
		g.Rows = append(g.Rows, r)
	}
	for i, j := range tl.Jalons {
		r := ganttRow{Y: axisHeight + float64(len(tl.Vagues)+i)*rowHeight, Label: shorten(j.Titre), Full: j.Titre, Late: j.EnRetard}
		r.MidY = r.Y + rowHeight/2
		if x, ok := at(j.Prevue); ok {
			r.PlannedX, r.Planned = x, diamond(x, r.MidY, 8)
		}
		if x, ok := at(j.Effective); ok {
			r.ActualX, r.Actual = x, diamond(x, r.MidY, 8)
			r.Check = fmt.Sprintf("M%.1f %.1f l3 3 l5 -6", x-4, r.MidY)
		}
		if x, ok := at(j.Reference); ok {
			r.RefX, r.Ref = x, diamond(x, r.MidY, 10)
		}
		if j.EnRetard {
			r.Note, r.NoteX = "en retard", max(r.PlannedX, r.RefX)+12
		}
		g.Rows = append(g.Rows, r)
	}
	for i := range g.Rows {
		g.Rows[i].TextY = g.Rows[i].Y + rowHeight/2 + 4
	}
	g.Desc = fmt.Sprintf("%d vague(s) et %d jalon(s) de %d à %d. Chaque vague : triangle à l'ouverture prévue, barre hachurée "+
		"de la première à la dernière ouverture effective de ses écoles. Chaque jalon : losange plein à la date prévue, "+
		"losange coché à la date effective. Cercle ou losange vide : date de la référence choisie. Trait vertical : aujourd'hui. "+
		"Les mêmes données figurent dans le tableau qui suit.", len(tl.Vagues), len(tl.Jalons), sc.start.Year(), sc.end.Year()-1)
	return g
}

// openingsChart is the chart of the cumulative openings.
type openingsChart struct {
	Width, Height   float64
	Left, Right     float64
	Top, Bottom     float64
	Years           []axisTick
	Ticks           []axisTick // the graduations of the number of écoles
	Actual, Planned string     // polyline points
	Reference       string
	HasReference    bool
	LegendY         float64
	Desc            string
}

// newOpeningsChart lays out the cumulative openings by month: actual, current plan and
// baseline, as step lines.
func newOpeningsChart(months []models.OpeningMonth, hasRef bool, today time.Time) openingsChart {
	var days []time.Time
	var top int64 = 1
	for _, m := range months {
		if t, err := time.Parse("2006-01", m.Mois); err == nil {
			days = append(days, t)
		}
		top = max(top, m.CumulOuvertes, m.CumulPrevues, m.CumulReference)
	}
	sc := newTimeScale(days, today)
	sc.left, sc.width = 80, chartWidth-80-chartRight
	c := openingsChart{Width: chartWidth, Height: 380, Left: 80, Right: chartWidth - chartRight, Top: 20, Bottom: 300,
		HasReference: hasRef, LegendY: 360}
	c.Years = sc.years(c.Bottom + 20)
	step := niceStep(top)
	y := func(n int64) float64 { return c.Bottom - (c.Bottom-c.Top)*float64(n)/float64(roundUp(top, step)) }
	for n := int64(0); n <= roundUp(top, step); n += step {
		c.Ticks = append(c.Ticks, axisTick{X: c.Left - 8, Y: y(n), TextY: y(n) + 4, Label: strconv.FormatInt(n, 10)})
	}
	line := func(value func(models.OpeningMonth) int64) string {
		pts, prev := "", int64(0)
		for i, m := range months {
			x := sc.x(days[i])
			pts += fmt.Sprintf("%.1f,%.1f %.1f,%.1f ", x, y(prev), x, y(value(m)))
			prev = value(m)
		}
		return pts + fmt.Sprintf("%.1f,%.1f", c.Right, y(prev))
	}
	if len(days) == len(months) && len(months) > 0 {
		c.Actual = line(func(m models.OpeningMonth) int64 { return m.CumulOuvertes })
		c.Planned = line(func(m models.OpeningMonth) int64 { return m.CumulPrevues })
		c.Reference = line(func(m models.OpeningMonth) int64 { return m.CumulReference })
	}
	c.Desc = fmt.Sprintf("Nombre cumulé d'écoles ouvertes par mois, de %d à %d : trait plein pour le réalisé, tirets pour le plan actuel%s. "+
		"Les mêmes données figurent dans le tableau qui suit.", sc.start.Year(), sc.end.Year()-1,
		map[bool]string{true: ", pointillés pour la référence", false: ""}[hasRef])
	return c
}

// niceStep is the smallest round step (1, 2 or 5 times a power of ten) giving at most
// five graduations up to top.
func niceStep(top int64) int64 {
	for m := int64(1); ; m *= 10 {
		for _, f := range []int64{1, 2, 5} {
			if s := f * m; top <= 5*s {
				return s
			}
		}
	}
}

func roundUp(n, step int64) int64 { return (n + step - 1) / step * step }
