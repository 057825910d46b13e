package exports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// utf8BOM lets Excel detect UTF-8 when opening the CSV file.
const utf8BOM = "\uFEFF"

// csvDateLayout is the French date layout used in CSV files.
const csvDateLayout = "02/01/2006"

// csvWriter streams rows as CSV for French Excel.
type csvWriter struct {
	cw     *csv.Writer
	cols   []Column
	record []string // reused field buffer
	closed bool
}

// NewCSV starts a "CSV pour Excel français" export shaped by t: UTF-8 with
// BOM, ';' separator, CRLF line ends, a header row, decimal commas and
// dd/mm/yyyy dates. Text fields that could be read as formulas are prefixed
// with a single quote. Close flushes the buffered output to w; it does not
// close w.
func NewCSV(w io.Writer, t Table) (RowWriter, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, fmt.Errorf("exports : écriture du CSV : %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	c := &csvWriter{cw: cw, cols: t.Columns, record: make([]string, len(t.Columns))}
	for i, col := range t.Columns {
		c.record[i] = neutralize(cleanText(col.Header))
	}
	if err := c.flushRecord(); err != nil {
		return nil, err
	}
	return c, nil
}

// WriteRow converts and writes one row. Nothing is written on error.
func (c *csvWriter) WriteRow(values ...any) error {
	if c.closed {
		return ErrClosed
	}
	if err := checkCount(len(values), len(c.cols)); err != nil {
		return err
	}
	for i, v := range values {
		s, err := csvField(c.cols[i].Kind, v)
		if err != nil {
			return columnError(i, c.cols[i], err)
		}
		c.record[i] = s
	}
	return c.flushRecord()
}

// flushRecord hands the record buffer to the CSV writer (which copies it
// into its own buffer) and clears it.
func (c *csvWriter) flushRecord() error {
	err := c.cw.Write(c.record)
	clear(c.record)
	if err != nil {
		return fmt.Errorf("exports : écriture du CSV : %w", err)
	}
	return nil
}

// csvField formats one value for its column kind.
func csvField(k Kind, v any) (string, error) {
	switch k {
	case Integer:
		n, ok, err := intOf(v)
		if !ok {
			return "", err
		}
		return strconv.FormatInt(n, 10), nil
	case Decimal:
		f, ok, err := floatOf(v)
		if !ok {
			return "", err
		}
		return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1), nil
	case Date:
		t, ok, err := timeOf(v)
		if !ok {
			return "", err
		}
		return t.Format(csvDateLayout), nil
	}
	return neutralize(textOf(v)), nil
}

// neutralize prefixes with a single quote a text that Excel could take for
// a formula (CSV/formula injection): leading '=', '+', '-', '@', tab or CR.
func neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Close flushes buffered rows to the underlying writer.
func (c *csvWriter) Close() error {
	if c.closed {
		return ErrClosed
	}
	c.closed = true
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("exports : écriture du CSV : %w", err)
	}
	return nil
}
