package exports

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// utf8BOM lets Excel detect UTF-8 when opening the CSV file.
const utf8BOM = "\uFEFF"

// csvLayouts are the French layouts of dates and times in CSV files (and of
// the rare XLSX date Excel cannot hold, before 1900).
var csvLayouts = map[Kind]string{Date: "02/01/2006", DateTime: "02/01/2006 15:04", Time: "15:04"}

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
	case Decimal, Percent:
		f, ok, err := floatOf(v, k)
		if !ok {
			return "", err
		}
		if k == Percent {
			return decimalComma(math.Round(f*1e6)/1e4) + " %", nil
		}
		return decimalComma(f), nil
	case Euros:
		n, ok, err := centsOf(v)
		if !ok {
			return "", err
		}
		return centsText(n), nil
	case Date, DateTime, Time:
		t, ok, err := timeOf(v, k)
		if !ok {
			return "", err
		}
		return t.Format(csvLayouts[k]), nil
	}
	return neutralize(textOf(v)), nil
}

// centsText writes an amount in cents as euros with two decimals: "12500,50".
func centsText(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d,%02d", sign, n/100, n%100)
}

// decimalComma formats f with as many decimals as it needs and a decimal comma.
func decimalComma(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
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
