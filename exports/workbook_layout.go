package exports

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// Layout of every sheet.
const (
	// sampleRows is how many first rows are held to size the columns: the
	// widths must be known before the first row is streamed.
	sampleRows = 200
	// lineHeight is the height in points of a line of 11 pt text, and
	// headingHeight of the 14 pt title.
	lineHeight, headingHeight = 15.0, 19.0
	// landscapeWidth is the total width in characters beyond which a sheet
	// prints in landscape (A4 portrait holds about 100 characters at 100 %),
	// as it does beyond landscapeColumns columns.
	landscapeWidth, landscapeColumns = 100, 6
	// paperA4 is the paper size code of A4 in the page setup.
	paperA4 = 9
	// titleWidth is the least width in characters of the title block: under a
	// narrow table its lines span empty columns of defaultWidth too, rather
	// than wrapping word by word.
	titleWidth, defaultWidth = 72, 9.140625
)

// begin writes what precedes the data, now that the widths are known: the
// column widths and styles, the frozen panes, the title block, the header row,
// then the rows held so far.
func (s *Sheet) begin() error {
	s.started = true
	widths := s.widths()
	s.colWidths = widths
	// excelize prepends each new <col>: columns are set from last to first
	// to get the ascending order Excel expects.
	for n := len(widths); n >= 1; n-- {
		if err := s.sw.SetColWidth(n, n, widths[n-1]); err != nil {
			return err
		}
	}
	s.styles = make([]int, len(s.t.Columns))
	for i, c := range s.t.Columns {
		s.styles[i] = s.wb.st.cells[c.Kind]
	}
	lines := s.titleLines()
	s.header = len(lines) + 2 // a blank row between the title block and the header
	top := "A" + strconv.Itoa(s.header+1)
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: s.header, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	if err := s.writeTitle(lines, widths); err != nil {
		return err
	}
	if err := s.writeHeader(widths); err != nil {
		return err
	}
	for _, r := range s.sample {
		if err := s.writeData(r); err != nil {
			return err
		}
	}
	s.sample = nil
	return nil
}

// widths sizes each column: wide enough for the longest word of its header
// (the header wraps) and for the content of the first rows, but a text column
// no wider than its Width (60 characters by default), beyond which text wraps.
// Numbers and dates do not wrap: they get their width.
func (s *Sheet) widths() []float64 {
	out := make([]float64, len(s.t.Columns))
	for i, c := range s.t.Columns {
		limit := float64(maxWidth)
		switch {
		case c.Kind != Text:
			limit = maxExcelWidth
		case c.Width > 0:
			limit = min(c.Width, maxExcelWidth)
		}
		header := longestWord(c.Header)*boldFactor + 2
		out[i] = max(header, min(s.content[i]+2, limit), minWidth)
	}
	return out
}

// measure widens the columns' content widths with one converted row.
func (s *Sheet) measure(values []any) {
	for i, v := range values {
		s.content[i] = max(s.content[i], displayWidth(s.t.Columns[i].Kind, v))
	}
}

// displayWidth is about how many characters a cell shows in a French Excel.
func displayWidth(k Kind, v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return longestLine(x)
	case float64:
		switch k {
		case Date:
			return 10
		case DateTime:
			return 16
		case Time:
			return 5
		case Percent:
			return 7
		}
		digits := groupedDigits(int64(math.Abs(x)))
		if k == Euros {
			return digits + 5 // ",50 €"
		}
		if k == Decimal {
			return digits + 3
		}
		return digits
	case int:
		return groupedDigits(int64(x))
	case int64:
		return groupedDigits(x)
	}
	return 0
}

// groupedDigits is the width of n written with thousands separators.
func groupedDigits(n int64) float64 {
	s := strconv.FormatInt(n, 10)
	d := len(strings.TrimPrefix(s, "-"))
	return float64(len(s) + (d-1)/3)
}

// titleLines are the lines of the title block: what was exported, the
// filters, the scope, the notes, and when.
func (s *Sheet) titleLines() []string {
	doc := s.wb.doc
	heading := doc.Title
	if t := cleanText(s.t.Title); t != "" && t != heading {
		heading = strings.TrimPrefix(heading+" — "+t, " — ")
	}
	lines := []string{heading}
	if doc.Filters != nil {
		lines = append(lines, filtersLine(doc.Filters))
	}
	if doc.Scope != "" {
		lines = append(lines, "Périmètre : "+doc.Scope)
	}
	for _, n := range s.notes {
		lines = append(lines, cleanText(n.Label+" : "+n.Value))
	}
	return append(lines, "Exporté le "+doc.At.In(paris()).Format("02/01/2006 à 15:04")+" (heure de Paris)")
}

// filtersLine describes the filters of a list in French.
func filtersLine(filters []Field) string {
	if len(filters) == 0 {
		return "Filtres : aucun, toute la liste"
	}
	parts := make([]string, len(filters))
	for i, f := range filters {
		parts[i] = f.Label + " : " + f.Value
	}
	return cleanText("Filtres : " + strings.Join(parts, " ; "))
}

// writeTitle writes the title block, each line merged across the columns (and
// more under a narrow table) and tall enough for its wrapped text.
func (s *Sheet) writeTitle(lines []string, widths []float64) error {
	width, span := sum(widths), len(widths)
	for ; width < titleWidth; span++ {
		width += defaultWidth
	}
	s.titleCol, _ = excelize.ColumnNumberToName(span)
	for i, text := range lines {
		style, height, factor := s.wb.st.line, lineHeight, 1.0
		if i == 0 {
			style, height, factor = s.wb.st.heading, headingHeight, 14.0/11
		}
		n := wrappedLines(text, width/factor)
		row := strconv.Itoa(i + 1)
		if err := s.sw.SetRow("A"+row, []any{excelize.Cell{StyleID: style, Value: text}},
			excelize.RowOpts{Height: min(height*float64(n), excelize.MaxRowHeight)}); err != nil {
			return err
		}
		if s.titleCol != "A" {
			if err := s.sw.MergeCell("A"+row, s.titleCol+row); err != nil {
				return err
			}
		}
	}
	s.row = len(lines) + 1
	return nil
}

// writeHeader writes the header row, tall enough for the wrapped headers.
func (s *Sheet) writeHeader(widths []float64) error {
	lines := 1
	header := make([]any, len(s.t.Columns))
	for i, c := range s.t.Columns {
		text := cleanText(c.Header)
		header[i] = excelize.Cell{StyleID: s.wb.st.header, Value: text}
		lines = max(lines, wrappedLines(text, widths[i]/boldFactor))
	}
	s.row = s.header
	return s.sw.SetRow("A"+strconv.Itoa(s.header), header, excelize.RowOpts{Height: lineHeight*float64(lines) + 3})
}

// finish completes the sheet once its rows are written: the autofilter, the
// print setup, the charts, then the flush of the stream. The stream writes
// these parts of the sheet at Flush, so they are set just before.
func (s *Sheet) finish() error {
	if !s.started {
		if err := s.begin(); err != nil {
			return err
		}
	}
	f, last := s.wb.f, strconv.Itoa(s.row)
	if err := f.AutoFilter(s.name, "A"+strconv.Itoa(s.header)+":"+s.lastCol+last, nil); err != nil {
		return err
	}
	if err := s.printSetup(); err != nil {
		return err
	}
	if err := s.drawCharts(); err != nil {
		return err
	}
	if err := s.applyFlag(); err != nil {
		return err
	}
	right := s.lastCol
	if len(s.titleCol) > len(right) || len(s.titleCol) == len(right) && s.titleCol > right {
		right = s.titleCol
	}
	s.wb.zip.refs[s.part] = "A1:" + right + last
	return s.sw.Flush()
}

// printSetup prints the sheet on A4, one page wide (as many pages high as
// needed), in landscape when it is wide, with the header row repeated on every
// page and the title, the date and the page number in the footer.
func (s *Sheet) printSetup() error {
	f := s.wb.f
	orientation := "portrait"
	if len(s.t.Columns) > landscapeColumns || sum(s.widths()) > landscapeWidth {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(s.name, &excelize.PageLayoutOptions{Size: ptrTo(paperA4), Orientation: &orientation,
		FitToWidth: ptrTo(1), FitToHeight: ptrTo(0)}); err != nil {
		return err
	}
	if err := f.SetPageMargins(s.name, &excelize.PageLayoutMarginsOptions{Left: ptrTo(0.4), Right: ptrTo(0.4),
		Top: ptrTo(0.5), Bottom: ptrTo(0.7), Header: ptrTo(0.3), Footer: ptrTo(0.3), Horizontally: ptrTo(true)}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{OddFooter: s.footer()}); err != nil {
		return err
	}
	header := "$" + strconv.Itoa(s.header)
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.name,
		RefersTo: "'" + strings.ReplaceAll(s.name, "'", "''") + "'!" + header + ":" + header})
}

// footerTitle bounds the title in the footer's left third (at 8 points, about 60
// characters on an A4 landscape page), lest it run over the date in the centre.
const footerTitle = 60

// footer is the page footer: the title on the left, the export date in the
// centre, "Page 2 / 5" on the right ('&' doubled: it starts the codes).
func (s *Sheet) footer() string {
	title := []rune(s.wb.doc.Title)
	if len(title) > footerTitle {
		title = append(title[:footerTitle-1], '…')
	}
	title = []rune(strings.ReplaceAll(string(title), "&", "&&"))
	return "&L&8" + string(title) + "&C&8Exporté le " + s.wb.doc.At.In(paris()).Format("02/01/2006") + "&R&8Page &P / &N"
}

// wrappedLines is about how many lines text takes once wrapped in a width of
// the given number of characters (paragraphs on lines of their own).
func wrappedLines(text string, width float64) int {
	limit := max(width-cellPadding, 1)
	lines := 0
	for para := range strings.SplitSeq(text, "\n") {
		lines++
		used := 0.0
		for _, word := range strings.Fields(para) {
			n := textWidth(word)
			switch {
			case used == 0:
				used = n
			case used+lowerWidth+n <= limit: // a space, then the word
				used += lowerWidth + n
			default:
				lines, used = lines+1, n
			}
			for ; used > limit; used -= limit { // a word longer than the line is cut
				lines++
			}
		}
	}
	return lines
}

// textWidth is about how many characters (widths of the digit 0, Excel's unit)
// s takes: capitals are a little wider than digits, other letters narrower.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			w += upperWidth
		case r >= '0' && r <= '9':
			w++
		default:
			w += lowerWidth
		}
	}
	return w
}

// upperWidth and lowerWidth are the widths of a capital and of another letter in
// widths of the digit 0, and cellPadding the part of a column's width that text
// does not use.
const upperWidth, lowerWidth, cellPadding = 1.05, 0.9, 0.5

// rowLines is how many lines the tallest text cell of a converted row takes in
// its column.
func (s *Sheet) rowLines(values []any) int {
	lines := 1
	for i, v := range values {
		text, ok := v.(string)
		if !ok || s.t.Columns[i].Kind != Text {
			continue
		}
		// Bytes are at least runes: a short text fits without being measured.
		if float64(len(text))*upperWidth > s.colWidths[i]-cellPadding || strings.IndexByte(text, '\n') >= 0 {
			lines = max(lines, wrappedLines(text, s.colWidths[i]))
		}
	}
	return lines
}

// longestWord is the width of the longest word of s.
func longestWord(s string) float64 {
	n := 0.0
	for _, w := range strings.Fields(s) {
		n = max(n, textWidth(w))
	}
	return n
}

// longestLine is the width of the longest line of s.
func longestLine(s string) float64 {
	n := 0.0
	for line := range strings.SplitSeq(s, "\n") {
		n = max(n, textWidth(line))
	}
	return n
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
