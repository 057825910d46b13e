package exports

import (
	"errors"
	"fmt"
	"strings"
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
	// Integer writes a whole number cell shown with thousands separators
	// ("12 500" in a French Excel). Accepts int, int8…int64, uint…uint64,
	// *int, *int64 and nil (a nil pointer gives an empty cell).
	Integer
	// Decimal writes a float64 number cell, Excel format "#,##0.00" and a
	// decimal comma in CSV. Accepts float64, float32, *float64, integers and
	// nil. NaN and infinities give an empty cell.
	Decimal
	// Date writes a time.Time or *time.Time as a real Excel date (format
	// "dd/mm/yyyy") or as "02/01/2006" in CSV. Only the calendar date in the
	// value's own location is kept (the time of day is dropped): a date stored
	// at midnight UTC stays that day. A nil pointer or a zero time gives an
	// empty cell.
	Date
	// Euros writes an amount given in integer cents (int64, int, *int64) as a
	// number of euros, shown "12 500,50 €" in a French Excel and "12500,50"
	// in CSV. The application computes in cents; only the cell holds euros.
	Euros
	// Percent writes a share given as a fraction (float64, 0.425 for
	// 42,5 %) as a number shown "42,5 %"; "42,5 %" in CSV.
	Percent
	// DateTime writes an instant (time.Time, *time.Time) as a real Excel date
	// and time in Paris time, shown "02/01/2006 15:04"; the same text in CSV.
	DateTime
	// Time writes the time of day of an instant in Paris time as a real Excel
	// time, shown "15:04"; the same text in CSV.
	Time
)

// kindNames are the Go names of the kinds, for error messages and debugging.
var kindNames = [...]string{Text: "Text", Integer: "Integer", Decimal: "Decimal", Date: "Date", Euros: "Euros",
	Percent: "Percent", DateTime: "DateTime", Time: "Time"}

// String returns the Go name of the kind, for error messages and debugging.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Column describes one column of an export.
type Column struct {
	Header string // French header
	Kind   Kind   // how values are written
	// Width is the widest the column may grow, in characters: the width
	// follows the header's longest word and the content, up to this (60 when
	// 0); longer texts wrap. A number or a date, which cannot wrap, always
	// gets the width it needs (Excel would show "####").
	Width float64
}

// Table is the shape of one sheet.
type Table struct {
	Sheet   string   // sheet name (max 31 chars, truncated safely)
	Title   string   // optional, unused in CSV; what the sheet holds, after the document's title in its title block
	Columns []Column // at least one column
}

// RowWriter receives rows one by one.
type RowWriter interface {
	// WriteRow writes one row; len(values) must equal len(Columns) else an
	// error is returned and nothing is written.
	WriteRow(values ...any) error
	// Close flushes and finishes the file; it must be called exactly once
	// (or Discard, after an error).
	Close() error
}

// ErrClosed is returned by WriteRow and Close once the writer is closed.
var ErrClosed = errors.New("exports : export déjà terminé")

const (
	minWidth      = 6
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
		if c.Kind < Text || c.Kind > Time {
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
