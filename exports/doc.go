// Package exports builds tabular exports (Excel .xlsx and CSV for French
// Excel) in a streaming, pure way.
//
// Contract:
//
//   - The caller describes one sheet with a [Table] (French headers, one
//     [Kind] per column), opens a [RowWriter] with [NewXLSX] or [NewCSV],
//     calls WriteRow once per row, then Close exactly once, even after an
//     error, so that temporary resources are released.
//   - The package does no HTTP, no database access and no logging: it only
//     writes bytes to the io.Writer it is given. Setting HTTP headers
//     (Content-Type, Content-Disposition built with [SafeFileName]) is the
//     caller's job.
//   - Memory stays low whatever the number of rows: XLSX rows go through
//     the excelize StreamWriter (sheet XML spilled to a temporary file beyond
//     16 MiB; only the compressed workbook, about 4 MB for 45,000 rows × 20
//     columns, is assembled in memory by Close), and CSV rows go through a
//     buffered encoding/csv writer.
//   - Values are never interpreted as formulas: XLSX text cells are plain
//     string cells, and CSV text fields starting with '=', '+', '-', '@', tab
//     or CR are prefixed with a single quote. Invalid UTF-8 is replaced with
//     U+FFFD in both formats.
//   - Codes such as INSEE "01001" or UAI "0930388S" must use the [Text] kind:
//     they stay text and keep their leading zeros.
//   - A RowWriter is not safe for concurrent use.
//
// Error messages are in French because they may be shown to end users.
package exports
