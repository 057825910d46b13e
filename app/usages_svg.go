package app

import (
	"fmt"
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// The trend of the usage figures, drawn on the server (partials/usages_svg.html): the
// activation rate and the activity rate of each of the twelve months, as two lines told
// apart by their stroke and their marks (solid with circles, dashed with squares), not by
// colour alone; a month without figures breaks the lines. The table of the same data
// follows the chart on the page.

// usageChart is the laid-out chart.
type usageChart struct {
	Width, Height        float64
	Left, Right          float64
	Top, Bottom          float64
	Ticks                []axisTick // the graduations of the rates
	Months               []axisTick // the months, under the axis
	Activation, Activite []string   // polylines (a month without figures splits them)
	ActivationPoints     []chartPoint
	ActivitePoints       []chartPoint
	Desc                 string
}

// chartPoint is a mark of a line at a month, with its value in words for the tooltip.
type chartPoint struct {
	X, Y  float64
	Title string
}

// newUsageChart lays out the rates of the trend.
func newUsageChart(trend []models.UsageMonth) usageChart {
	c := usageChart{Width: chartWidth, Height: 330, Left: 70, Right: chartWidth - chartRight, Top: 20, Bottom: 270}
	y := func(rate float64) float64 { return c.Bottom - (c.Bottom-c.Top)*min(rate, 1) }
	for pct := 0; pct <= 100; pct += 25 {
		r := float64(pct) / 100
		c.Ticks = append(c.Ticks, axisTick{X: c.Left - 8, Y: y(r), TextY: y(r) + 4, Label: fmt.Sprintf("%d %%", pct)})
	}
	n := float64(max(len(trend), 1))
	x := func(i int) float64 { return c.Left + (c.Right-c.Left)*(float64(i)+0.5)/n }
	line := func(rate func(models.UsageFigures) (float64, bool), name string) ([]string, []chartPoint) {
		var lines []string
		var points []chartPoint
		cur := ""
		for i, m := range trend {
			r, ok := rate(m.UsageFigures)
			if !ok {
				if cur != "" {
					lines, cur = append(lines, cur), ""
				}
				continue
			}
			cur += fmt.Sprintf("%.1f,%.1f ", x(i), y(r))
			points = append(points, chartPoint{X: x(i), Y: y(r), Title: name + " en " + monthLabel(m.Mois) + " : " + percent(r)})
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		return lines, points
	}
	c.Activation, c.ActivationPoints = line(models.UsageFigures.ActivationRate, "Taux d'activation")
	c.Activite, c.ActivitePoints = line(models.UsageFigures.ActivityRate, "Taux d'activité")
	var names []string
	for i, m := range trend {
		label := monthLabel(m.Mois)
		c.Months = append(c.Months, axisTick{X: x(i), TextY: c.Bottom + 20, Label: shortMonth(m.Mois)})
		names = append(names, label)
	}
	if len(names) > 0 {
		c.Desc = "Taux d'activation (trait plein, ronds) et taux d'activité (tirets, carrés) de " + names[0] + " à " +
			names[len(names)-1] + ", de 0 à 100 %. Les mêmes données figurent dans le tableau qui suit."
	}
	return c
}

// shortMonth is a month YYYY-MM as "nov. 25".
func shortMonth(m string) string {
	l := monthLabel(m)
	name, year, ok := strings.Cut(l, " ")
	if !ok || len(year) != 4 {
		return m
	}
	if r := []rune(name); len(r) > 4 {
		name = string(r[:4]) + "."
	}
	return name + " " + year[2:]
}
