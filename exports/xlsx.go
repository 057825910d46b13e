package exports

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// maxDataRows is the number of data rows an Excel sheet can hold below the
// header row.
const maxDataRows = excelize.TotalRows - 1

// xlsxWriter streams rows into one worksheet with excelize's StreamWriter.
type xlsxWriter struct {
	w       io.Writer
	f       *excelize.File
	sw      *excelize.StreamWriter
	cols    []Column
	sheet   string
	lastCol string // column letters of the last column, e.g. "T"
	row     int    // number of the last written row (1 = header)
	buf     []any  // reused cell buffer
	closed  bool
}

// NewXLSX starts an Excel workbook with one sheet shaped by t and returns a
// RowWriter that streams rows into it. The header row is bold and frozen,
// an autofilter covers the header and every written row, and Close writes
// the finished .xlsx file to w.
func NewXLSX(w io.Writer, t Table) (RowWriter, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	if len(t.Columns) > excelize.MaxColumns {
		return nil, fmt.Errorf("exports : %d colonnes, Excel en accepte %d au plus", len(t.Columns), excelize.MaxColumns)
	}
	x := &xlsxWriter{
		w:     w,
		f:     excelize.NewFile().SetZipWriter(fastZip),
		cols:  t.Columns,
		sheet: sheetName(t.Sheet),
		buf:   make([]any, len(t.Columns)),
	}
	if err := x.start(t); err != nil {
		_ = x.f.Close()
		return nil, fmt.Errorf("exports : préparation du classeur Excel : %w", err)
	}
	return x, nil
}

// WriteRow converts and streams one row. Nothing is written on error.
func (x *xlsxWriter) WriteRow(values ...any) error {
	if x.closed {
		return ErrClosed
	}
	if err := checkCount(len(values), len(x.cols)); err != nil {
		return err
	}
	if x.row > maxDataRows {
		return fmt.Errorf("exports : une feuille Excel ne peut contenir que %d lignes de données", maxDataRows)
	}
	for i, v := range values {
		cell, err := xlsxCell(x.cols[i].Kind, v)
		if err != nil {
			return columnError(i, x.cols[i], err)
		}
		x.buf[i] = cell
	}
	x.row++
	if err := x.sw.SetRow("A"+strconv.Itoa(x.row), x.buf); err != nil {
		return fmt.Errorf("exports : écriture de la ligne %d : %w", x.row, err)
	}
	clear(x.buf)
	return nil
}

// Close adds the autofilter, flushes the stream, writes the workbook to w
// and releases temporary files.
func (x *xlsxWriter) Close() (err error) {
	if x.closed {
		return ErrClosed
	}
	x.closed = true
	defer func() { err = errors.Join(err, x.f.Close()) }()
	// The autofilter must be set before Flush, which serialises the
	// worksheet's <autoFilter>. Called after Flush, f.AutoFilter only adds
	// the workbook's _FilterDatabase name and the sheet filter is lost.
	ref := "A1:" + x.lastCol + strconv.Itoa(x.row)
	if err := x.f.AutoFilter(x.sheet, ref, nil); err != nil {
		return fmt.Errorf("exports : filtre automatique : %w", err)
	}
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("exports : finalisation de la feuille : %w", err)
	}
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("exports : écriture du classeur Excel : %w", err)
	}
	return nil
}
