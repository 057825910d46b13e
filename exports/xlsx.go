package exports

import "io"

// xlsxWriter is the RowWriter of a workbook of one sheet.
type xlsxWriter struct {
	wb     *Workbook
	sheet  *Sheet
	closed bool
}

// NewXLSX starts an Excel workbook described by doc with one sheet shaped by
// t, and returns a RowWriter that streams rows into it. The sheet has the
// layout of every Workbook sheet (title block, frozen and filtered header,
// print setup); Close writes the finished .xlsx file to w.
func NewXLSX(w io.Writer, doc Document, t Table) (RowWriter, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	wb, err := NewWorkbook(w, doc)
	if err != nil {
		return nil, err
	}
	s, err := wb.AddSheet(t)
	if err != nil {
		wb.Discard()
		return nil, err
	}
	return &xlsxWriter{wb: wb, sheet: s}, nil
}

// WriteRow converts and streams one row. Nothing is written on error.
func (x *xlsxWriter) WriteRow(values ...any) error {
	if x.closed {
		return ErrClosed
	}
	return x.sheet.WriteRow(values...)
}

// Close finishes the sheet, writes the workbook to w and releases temporary
// files.
func (x *xlsxWriter) Close() error {
	if x.closed {
		return ErrClosed
	}
	x.closed = true
	return x.wb.Close()
}

// Discard releases a RowWriter without finishing its file, after an error:
// an Excel workbook is then never written (a CSV has already written its rows).
func Discard(rw RowWriter) {
	if x, ok := rw.(*xlsxWriter); ok && !x.closed {
		x.closed = true
		x.wb.Discard()
	}
}
