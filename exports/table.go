package exports

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind says how a column's values are written.
type Kind int

const (
	// Text writes a string cell, always text: codes like INSEE "01001" or
	// UAI "0930388S" keep their leading zeros in XLSX (in CSV, Excel itself
	// may drop them when opening the file). Accepts string, *string, []byte
	// and nil (empty cell), and formats any other value with fmt.Sprint.
	// XLSX cells are cut at Excel's limit of 32,767 characters.
	Text Kind = iota
	// Integer writes a whole number cell. Accepts int, int8…int64, uint…uint64,
	// *int, *int64 and nil (a nil pointer gives an empty cell).
	Integer
	// Decimal writes a float64 number cell, Excel format "#,##0.00" and a
	// decimal comma in CSV. Accepts float64, float32, *float64, integers and
	// nil. NaN and infinities give an empty cell.
	Decimal
	// Date writes a time.Time or *time.Time as a real Excel date (format
	// "dd/mm/yyyy") or as "02/01/2006" in CSV. Only the calendar date in the
	// value's own location is kept (the time of day is dropped). A nil
	// pointer or a zero time gives an empty cell.
	Date
)

// String returns the Go name of the kind, for error messages and debugging.
func (k Kind) String() string {
	switch k {
	case Text:
		return "Text"
	case Integer:
		return "Integer"
	case Decimal:
		return "Decimal"
	case Date:
		return "Date"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Column describes one column of an export.
type Column struct {
	Header string  // French header
	Kind   Kind    // how values are written
	Width  float64 // Excel column width in characters; 0 = computed default from header length (min 8, max 60)
}

// Table is the shape of one sheet.
type Table struct {
	Sheet   string   // sheet name (max 31 chars, truncated safely)
	Title   string   // optional, unused in CSV; used as the XLSX document title
	Columns []Column // at least one column
}

// RowWriter receives rows one by one.
type RowWriter interface {
	// WriteRow writes one row; len(values) must equal len(Columns) else an
	// error is returned and nothing is written.
	WriteRow(values ...any) error
	// Close flushes and finishes the file; it must be called exactly once.
	Close() error
}

// ErrClosed is returned by WriteRow and Close once the writer is closed.
var ErrClosed = errors.New("exports : export déjà terminé")

const (
	minWidth      = 8
	maxWidth      = 60
	maxExcelWidth = 255
	maxSheetName  = 31
	defaultSheet  = "Export"
)

// validate checks the table shape shared by both formats.
func (t Table) validate() error {
	if len(t.Columns) == 0 {
		return errors.New("exports : le tableau n'a aucune colonne")
	}
	for i, c := range t.Columns {
		if c.Kind < Text || c.Kind > Date {
			return fmt.Errorf("exports : colonne %d (%q) : type %v inconnu", i+1, c.Header, c.Kind)
		}
	}
	return nil
}

// checkCount reports a wrong number of values for a row.
func checkCount(got, want int) error {
	if got != want {
		return fmt.Errorf("exports : %d valeurs reçues pour %d colonnes", got, want)
	}
	return nil
}

// width returns the Excel width to use for the column.
func (c Column) width() float64 {
	if c.Width > 0 {
		return min(c.Width, maxExcelWidth)
	}
	return float64(min(max(utf8.RuneCountInString(c.Header)+2, minWidth), maxWidth))
}

// sheetName makes a valid Excel sheet name: forbidden characters replaced,
// apostrophes made typographic, at most 31 UTF-16 units, never empty.
func sheetName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, r), r < ' ':
			return '-'
		case r == '\'':
			return '’'
		}
		return r
	}, strings.TrimSpace(name))
	units := 0
	for i, r := range name {
		units += utf16Len(r)
		if units > maxSheetName {
			name = name[:i]
			break
		}
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return defaultSheet
	case strings.EqualFold(name, "History"): // reserved by Excel
		return name + "-"
	}
	return name
}

// utf16Len is the number of UTF-16 code units of r (Excel counts those).
func utf16Len(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
