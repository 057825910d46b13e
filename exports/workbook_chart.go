package exports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Chart is a native Excel column chart drawn under a sheet's rows, from the
// sheet's own cells, with French titles and French number formats.
type Chart struct {
	Title      string // the chart's title
	Categories int    // the column of the categories (the horizontal axis), from 0
	Series     []int  // the columns of the values, from 0: one series each, named by its header
	Rows       int    // how many data rows from the first the chart shows (a total row left out); 0: all
	Stacked    bool   // stacked columns rather than side by side
	Axis       string // title of the value axis, "Montant prévu"
}

// chartHeight is the height of a chart in pixels, and chartRows the rows it
// covers with the gap under it.
const chartHeight, chartRows = 320, 24

// AddChart adds a chart drawn under the sheet's rows when the sheet is
// finished; it shows nothing when the sheet has no data rows.
func (s *Sheet) AddChart(c Chart) error {
	if s.done || s.wb.closed {
		return ErrClosed
	}
	if len(c.Series) == 0 {
		return errors.New("exports : un graphique sans série")
	}
	for _, col := range append([]int{c.Categories}, c.Series...) {
		if col < 0 || col >= len(s.t.Columns) {
			return fmt.Errorf("exports : graphique %q : colonne %d hors du tableau", c.Title, col+1)
		}
	}
	s.charts = append(s.charts, c)
	return nil
}

// drawCharts draws the charts one under the other, two rows under the data.
func (s *Sheet) drawCharts() error {
	at := s.row + 3
	for _, c := range s.charts {
		last := s.row
		if c.Rows > 0 {
			last = min(s.header+c.Rows, s.row)
		}
		if last <= s.header {
			continue
		}
		if err := s.wb.f.AddChart(s.name, "A"+strconv.Itoa(at), s.excelChart(c, last)); err != nil {
			return err
		}
		at += chartRows
	}
	return nil
}

// excelChart describes c for excelize, over the data rows up to last.
func (s *Sheet) excelChart(c Chart, last int) *excelize.Chart {
	sheet := "'" + strings.ReplaceAll(s.name, "'", "''") + "'!"
	ref := func(col, from, to int) string {
		name, _ := excelize.ColumnNumberToName(col + 1)
		return fmt.Sprintf("%s$%s$%d:$%s$%d", sheet, name, from, name, to)
	}
	kind := excelize.Col
	if c.Stacked {
		kind = excelize.ColStacked
	}
	width := uint(min(max(sum(s.widths())*7+20, 480), 900))
	axisFont := excelize.Font{Color: "404040", Size: 9}
	chart := &excelize.Chart{Type: kind, VaryColors: ptrTo(false), Dimension: excelize.ChartDimension{Width: width, Height: chartHeight},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cleanText(c.Title)}}},
		Legend: excelize.ChartLegend{Position: "bottom"},
		// Labels dark enough to print (excelize's default grey fades on paper).
		XAxis: excelize.ChartAxis{Font: axisFont},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: axisFont,
			NumFmt: excelize.ChartNumFmt{CustomNumFmt: chartFormat(s.t.Columns[c.Series[0]].Kind)},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cleanText(c.Axis)}}}},
	}
	for _, col := range c.Series {
		name, _ := excelize.ColumnNumberToName(col + 1)
		chart.Series = append(chart.Series, excelize.ChartSeries{Name: sheet + "$" + name + "$" + strconv.Itoa(s.header),
			Categories: ref(c.Categories, s.header+1, last), Values: ref(col, s.header+1, last)})
	}
	return chart
}

// chartFormat is the number format of a value axis: whole euros for amounts.
func chartFormat(k Kind) string {
	switch k {
	case Euros:
		return `#,##0\ "€"`
	case Percent:
		return `0\ %`
	}
	return "#,##0"
}
