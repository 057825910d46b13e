package exports

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Document says what a workbook holds, for the title block above each sheet's
// header, the page footer and the document properties.
type Document struct {
	// Title is what was exported ("Communes", "Plan de financement — …"): the
	// first line of every title block, the footer and the document's title.
	Title string
	// Filters are the filters of the exported list, in French. A non-nil
	// empty slice says that the whole list was exported; nil (an export of
	// one record) leaves the line out.
	Filters []Field
	// Scope is the reader's scope in French ("Département 93 — Seine-Saint-Denis");
	// "" leaves the line out.
	Scope string
	// At is when the export was made, shown in Paris time; zero means now.
	At time.Time
}

// Field is a line of a title block, or one filter: a French label and its value.
type Field struct{ Label, Value string }

// Workbook builds an Excel workbook sheet after sheet, each sheet streamed row
// by row with excelize's StreamWriter. Every sheet gets the same layout: a
// title block (what was exported, the filters, the scope, the date), a bold
// header row that is frozen, filtered and repeated on every printed page,
// column widths from the header and the first rows, French number formats on
// real number and date cells, and a print setup (A4, landscape when wide,
// one page wide, title and page numbers in the footer).
//
// NewWorkbook starts it, AddSheet adds a sheet (finishing the previous one),
// Close writes the file to w. Discard releases it without writing, after an
// error. A Workbook is not safe for concurrent use.
type Workbook struct {
	w      io.Writer
	f      *excelize.File
	zip    *dimensionZip
	doc    Document
	st     styles
	cur    *Sheet
	closed bool
}

// NewWorkbook starts a workbook described by doc, to be written to w by Close.
func NewWorkbook(w io.Writer, doc Document) (*Workbook, error) {
	if doc.At.IsZero() {
		doc.At = time.Now()
	}
	doc.Title, doc.Scope = cleanText(doc.Title), cleanText(doc.Scope)
	wb := &Workbook{w: w, doc: doc, zip: &dimensionZip{refs: map[string]string{}}}
	wb.f = excelize.NewFile().SetZipWriter(wb.zip.open)
	if err := wb.start(); err != nil {
		_ = wb.f.Close()
		return nil, fmt.Errorf("exports : préparation du classeur Excel : %w", err)
	}
	return wb, nil
}

// start sets the document properties and creates the styles.
func (wb *Workbook) start() error {
	at := wb.doc.At.UTC().Format(time.RFC3339)
	if err := wb.f.SetDocProps(&excelize.DocProperties{
		Title: wb.doc.Title, Subject: wb.doc.Scope, Description: filtersLine(wb.doc.Filters),
		Creator: productName, LastModifiedBy: productName, Language: xlsxLanguage, Created: at, Modified: at,
	}); err != nil {
		return err
	}
	if err := wb.f.SetAppProps(&excelize.AppProperties{Application: productName}); err != nil {
		return err
	}
	st, err := newStyles(wb.f)
	wb.st = st
	return err
}

// AddSheet finishes the sheet being written, if any, and starts a sheet shaped
// by t. notes are more lines of its title block, under the scope (the next
// meeting, the plan's figures…).
func (wb *Workbook) AddSheet(t Table, notes ...Field) (*Sheet, error) {
	if wb.closed {
		return nil, ErrClosed
	}
	if err := t.validate(); err != nil {
		return nil, err
	}
	if len(t.Columns) > excelize.MaxColumns {
		return nil, fmt.Errorf("exports : %d colonnes, Excel en accepte %d au plus", len(t.Columns), excelize.MaxColumns)
	}
	if err := wb.finishSheet(); err != nil {
		return nil, err
	}
	s, err := wb.newSheet(t, notes)
	if err != nil {
		return nil, fmt.Errorf("exports : préparation de la feuille %q : %w", t.Sheet, err)
	}
	wb.cur = s
	return s, nil
}

// newSheet creates the worksheet (renaming the first, empty one) and its stream.
func (wb *Workbook) newSheet(t Table, notes []Field) (*Sheet, error) {
	name := sheetName(t.Sheet)
	if idx, _ := wb.f.GetSheetIndex(name); idx >= 0 && wb.cur != nil {
		return nil, fmt.Errorf("la feuille %q existe déjà", name)
	}
	if wb.cur == nil {
		if err := wb.f.SetSheetName(wb.f.GetSheetName(0), name); err != nil {
			return nil, err
		}
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return nil, err
	}
	// The sheet's properties are written when its stream starts: fit to page
	// must be set before.
	if err := wb.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: ptrTo(true)}); err != nil {
		return nil, err
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &Sheet{wb: wb, t: t, name: name, notes: notes, sw: sw, part: wb.partOf(name),
		cells: make([]excelize.Cell, len(t.Columns)), buf: make([]any, len(t.Columns)),
		content: make([]float64, len(t.Columns))}
	s.lastCol, err = excelize.ColumnNumberToName(len(t.Columns))
	return s, err
}

// partOf is the package part of a sheet of this new workbook: excelize names
// them after the sheet's id.
func (wb *Workbook) partOf(name string) string {
	for id, n := range wb.f.GetSheetMap() {
		if n == name {
			return "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml"
		}
	}
	return ""
}

// finishSheet lays out and flushes the sheet being written.
func (wb *Workbook) finishSheet() error {
	s := wb.cur
	if s == nil || s.done {
		return nil
	}
	s.done = true
	if err := s.finish(); err != nil {
		return fmt.Errorf("exports : finalisation de la feuille %q : %w", s.name, err)
	}
	return nil
}

// Close finishes the last sheet, writes the workbook to w and releases the
// temporary files. It must be called once; Discard instead after an error.
func (wb *Workbook) Close() (err error) {
	if wb.closed {
		return ErrClosed
	}
	defer func() { err = errors.Join(err, wb.release()) }()
	if wb.cur == nil {
		return errors.New("exports : le classeur n'a aucune feuille")
	}
	if err := wb.finishSheet(); err != nil {
		return err
	}
	wb.f.SetActiveSheet(0)
	if err := wb.f.Write(wb.w); err != nil {
		return fmt.Errorf("exports : écriture du classeur Excel : %w", err)
	}
	return nil
}

// Discard releases the workbook without writing anything, after an error.
// It does nothing once the workbook is closed.
func (wb *Workbook) Discard() {
	if !wb.closed {
		_ = wb.release()
	}
}

func (wb *Workbook) release() error {
	wb.closed = true
	return wb.f.Close()
}

// Sheet is one sheet of a Workbook: WriteRow streams its rows in order.
type Sheet struct {
	wb        *Workbook
	t         Table
	name      string
	part      string // package part, for its dimension
	notes     []Field
	sw        *excelize.StreamWriter
	lastCol   string    // column letters of the last column, e.g. "T"
	titleCol  string    // column letters of the title block's last column
	header    int       // row number of the header row
	row       int       // last row written
	sample    [][]any   // the first rows, held until the widths are known
	content   []float64 // widest content of each column in the sample, in characters
	colWidths []float64 // the columns' widths, once known
	styles    []int     // style of each column's cells
	cells     []excelize.Cell
	buf       []any
	charts    []Chart
	flag      *Flag // rows to highlight (Highlight)
	started   bool
	done      bool
}

// WriteRow converts and writes one row; len(values) must equal the number of
// columns. Nothing is written on error.
func (s *Sheet) WriteRow(values ...any) error {
	if s.done || s.wb.closed {
		return ErrClosed
	}
	if err := checkCount(len(values), len(s.t.Columns)); err != nil {
		return err
	}
	if s.row >= excelize.TotalRows {
		return fmt.Errorf("exports : une feuille Excel ne peut contenir que %d lignes", excelize.TotalRows)
	}
	for i, v := range values {
		cell, err := xlsxValue(s.t.Columns[i].Kind, v)
		if err != nil {
			return columnError(i, s.t.Columns[i], err)
		}
		s.buf[i] = cell
	}
	if s.started {
		return s.writeData(s.buf)
	}
	s.measure(s.buf)
	s.sample = append(s.sample, append([]any(nil), s.buf...))
	clear(s.buf)
	if len(s.sample) == sampleRows {
		return s.begin()
	}
	return nil
}

// writeData writes one converted row below the last, each cell with its
// column's style (empty cells too, for their borders).
func (s *Sheet) writeData(values []any) error {
	for i, v := range values {
		s.cells[i] = excelize.Cell{StyleID: s.styles[i], Value: v}
		s.buf[i] = &s.cells[i]
	}
	s.row++
	var err error
	if lines := s.rowLines(values); lines > 1 {
		// Neither Excel nor LibreOffice sizes a row to its wrapped text on opening.
		err = s.sw.SetRow("A"+strconv.Itoa(s.row), s.buf, excelize.RowOpts{Height: min(lineHeight*float64(lines), excelize.MaxRowHeight)})
	} else {
		err = s.sw.SetRow("A"+strconv.Itoa(s.row), s.buf)
	}
	clear(s.buf)
	clear(s.cells)
	if err != nil {
		return fmt.Errorf("exports : écriture de la ligne %d : %w", s.row, err)
	}
	return nil
}

func ptrTo[T any](v T) *T { return &v }

// writeWorkbook writes to w the workbook described by doc whose sheets fill
// adds; after an error nothing is written.
func writeWorkbook(w io.Writer, doc Document, fill func(*Workbook) error) error {
	wb, err := NewWorkbook(w, doc)
	if err != nil {
		return err
	}
	if err := fill(wb); err != nil {
		wb.Discard()
		return err
	}
	return wb.Close()
}
