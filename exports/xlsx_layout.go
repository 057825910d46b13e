package exports

import (
	"archive/zip"
	"compress/flate"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Document properties set on every workbook.
const (
	xlsxCreator  = "Pilotage ENT 1D"
	xlsxLanguage = "fr-FR"
)

// Excel number formats used for typed columns.
const (
	decimalFormat = "#,##0.00"
	dateFormat    = "dd/mm/yyyy"
)

// zipLevel is the deflate level of the .xlsx package. Deflate dominates the
// cost of large exports; on a 43 MB sheet (45,000 × 20) level 2 takes about
// 0.13 s for 3.9 MB, where the default level 6 takes 0.64 s for 2.9 MB.
const zipLevel = 2

// fastZip is the excelize ZipWriter factory compressing at zipLevel.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, zipLevel)
	})
	return zw
}

// start sets properties, styles, widths, panes and writes the header row.
func (x *xlsxWriter) start(t Table) error {
	f := x.f
	if err := f.SetSheetName(f.GetSheetName(0), x.sheet); err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: xlsxCreator, LastModifiedBy: xlsxCreator, Language: xlsxLanguage,
		Title: cleanText(t.Title), Created: now, Modified: now,
	}); err != nil {
		return err
	}
	// Name and size repeat the workbook default: excelize would otherwise
	// write a font element with neither.
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}})
	if err != nil {
		return err
	}
	decimalFmt, dateFmt := decimalFormat, dateFormat
	decimal, err := f.NewStyle(&excelize.Style{CustomNumFmt: &decimalFmt})
	if err != nil {
		return err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	if x.sw, err = f.NewStreamWriter(x.sheet); err != nil {
		return err
	}
	if x.lastCol, err = excelize.ColumnNumberToName(len(x.cols)); err != nil {
		return err
	}
	// Widths, column styles and panes must precede the first SetRow.
	// excelize prepends each new <col>, so columns are set from last to
	// first to get the ascending order Excel expects.
	for n := len(x.cols); n >= 1; n-- {
		c := x.cols[n-1]
		if err := x.sw.SetColWidth(n, n, c.width()); err != nil {
			return err
		}
		// Column styles give typed cells their format without wrapping
		// every value in an excelize.Cell.
		switch c.Kind {
		case Decimal:
			err = x.sw.SetColStyle(n, n, decimal)
		case Date:
			err = x.sw.SetColStyle(n, n, date)
		}
		if err != nil {
			return err
		}
	}
	header := make([]any, len(x.cols))
	for i, c := range x.cols {
		header[i] = excelize.Cell{StyleID: bold, Value: cleanText(c.Header)}
	}
	if err := x.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	x.row = 1
	return x.sw.SetRow("A1", header)
}
