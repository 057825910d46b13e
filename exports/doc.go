// Package exports builds tabular exports (Excel .xlsx and CSV for French
// Excel) in a streaming, pure way, and the other documents built from rows:
// iCalendar feeds of meetings and due dates ([CalendarICS]) and the Markdown
// draft of a convention from a model ([ConventionDraft]).
//
// Contract:
//
//   - One workbook builder serves every Excel export: a [Workbook] started by
//     [NewWorkbook] with a [Document] (what was exported, the filters in
//     French, the reader's scope, the date), sheets added by AddSheet from a
//     [Table] (French headers, one [Kind] per column), rows streamed by
//     [Sheet.WriteRow], charts added by [Sheet.AddChart], and Close, or
//     Discard after an error. [NewXLSX] wraps a workbook of one sheet as a
//     [RowWriter]; [NewCSV] is its CSV twin. Call Close exactly once, even
//     after an error ([Discard] for a RowWriter), so that temporary resources
//     are released.
//   - Every sheet prints and reads the same way: a title block above the
//     header, a bold header row that is frozen, filtered, repeated on every
//     printed page and wraps rather than being cut, column widths from the
//     header and the first rows, A4 pages one page wide (landscape when the
//     sheet is wide) with the title and "Page n / N" in the footer, the
//     product as the document's author, and the real range as the sheet's
//     dimension.
//   - Numbers, amounts, percentages, dates and times are number cells with
//     French formats ("12 500", "12 500,50 €", "42,5 %", "02/01/2006 15:04"
//     in a French Excel or LibreOffice), never text. A [Date] is a calendar
//     day, never shifted by a time zone; [DateTime] and [Time] show Paris time.
//   - The package does no HTTP, no database access and no logging: it only
//     writes bytes to the io.Writer it is given. Setting HTTP headers
//     (Content-Type, Content-Disposition built with [SafeFileName]) is the
//     caller's job.
//   - Memory stays low whatever the number of rows: XLSX rows go through
//     the excelize StreamWriter (sheet XML spilled to a temporary file beyond
//     16 MiB; only the compressed workbook, about 4 MB for 45,000 rows × 20
//     columns, is assembled in memory by Close; the first 200 rows of a sheet
//     are held to size its columns), and CSV rows go through a buffered
//     encoding/csv writer.
//   - Values are never interpreted as formulas: XLSX text cells are plain
//     string cells, and CSV text fields starting with '=', '+', '-', '@', tab
//     or CR are prefixed with a single quote. Invalid UTF-8 is replaced with
//     U+FFFD in both formats.
//   - Codes such as INSEE "01001" or UAI "0930388S" must use the [Text] kind:
//     they stay text and keep their leading zeros.
//   - A Workbook or a RowWriter is not safe for concurrent use.
//
// Error messages are in French because they may be shown to end users.
package exports
