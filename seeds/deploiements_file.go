package seeds

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
)

// The limits of a deployment status file: its size (checked before reading), its data rows,
// and for a workbook the size of its unzipped parts (a zip bomb is refused before it is
// inflated: the declared sizes are summed, and archive/zip refuses a part longer than
// declared) and the size of a sheet kept in memory (beyond, excelize spools it to a
// temporary file).
const (
	MaxDeploiementsFileSize = 50 << 20
	MaxDeploiementsRows     = 100_000
	xlsxUnzipLimit          = 256 << 20
	xlsxXMLMemory           = 16 << 20
)

// Whole-file refusals of a deployment status file, in French.
var (
	ErrDeploiementsTooLarge = errors.New("fichier trop volumineux : 50 Mo au plus ; rien n'a été enregistré")
	ErrDeploiementsTooMany  = fmt.Errorf("fichier trop long : %d lignes au plus ; rien n'a été enregistré", MaxDeploiementsRows)
	ErrDeploiementsBomb     = errors.New("classeur refusé : décompressé, il dépasserait 256 Mo (fichier corrompu ou piégé) ; rien n'a été enregistré")
	ErrDeploiementsFormat   = errors.New("ce fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV : " +
		"enregistrez-le au format « Classeur Excel (.xlsx) » ou « CSV (séparateur : point-virgule) »")
	ErrDeploiementsNoUAI = errors.New("ligne 1, colonne UAI : colonne absente de l'en-tête ; la première ligne doit nommer les colonnes (UAI, Phase, Date d'effet, Vague, Solution…)")
)

// DeploiementLine is one data row of a status file, read but not resolved: the wave and the
// solution are the names (or numbers) written in the file, "" when the cell is empty (kept).
type DeploiementLine struct {
	Line               int // line in the file (the header is line 1)
	UAI                string
	Phase              string // code of the phase, "" keeps it
	DateEffet          time.Time
	Vague, Solution    string
	OuverturePrevue    *time.Time
	OuvertureEffective *time.Time
}

// DeploiementsFile is a status file read: its format, its rows, and the faults of its cells
// (FieldError.Line is the line in the file, Field the column's label).
type DeploiementsFile struct {
	Format string
	Rows   []DeploiementLine
	Errors []models.FieldError
	phases map[string]string // phase code by value written
}

// deploiementColumns are the columns of a status file: label (for messages and the
// template) and the normalised header names accepted, first the canonical one.
var deploiementColumns = []struct {
	Key, Label string
	Aliases    []string
}{
	{"uai", "UAI", []string{"uai", "code_uai", "numero_uai", "identifiant_de_l_etablissement"}},
	{"phase", "Phase", []string{"phase", "etat", "etape"}},
	{"date", "Date d'effet", []string{"date_d_effet", "date", "date_effet", "date_de_la_phase", "date_phase"}},
	{"vague", "Vague", []string{"vague", "vague_de_deploiement"}},
	{"solution", "Solution", []string{"solution", "solution_ent", "ent", "produit"}},
	{"ouverture_prevue", "Ouverture prévue", []string{"ouverture_prevue", "date_d_ouverture_prevue", "date_ouverture_prevue"}},
	{"ouverture_effective", "Ouverture effective", []string{"ouverture_effective", "date_d_ouverture_effective", "date_ouverture_effective", "date_d_ouverture"}},
}

// DeploiementColumnLabels are the labels of the columns of a status file, in order.
func DeploiementColumnLabels() []string {
	out := make([]string, len(deploiementColumns))
	for i, c := range deploiementColumns {
		out[i] = c.Label
	}
	return out
}

// deploiementColumnLabel is the label of the column key ("uai" → "UAI"), key itself if unknown.
func deploiementColumnLabel(key string) string {
	for _, c := range deploiementColumns {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// sheetRows is a table read from a file: its normalised header and a function returning the
// next non-blank row with its line (io.EOF at the end).
type sheetRows struct {
	format string
	serial bool // numbers are Excel date serials
	header []string
	next   func() (int, []string, error)
}

// ReadDeploiementsFile reads a status file of size bytes (-1 when unknown): an Excel
// workbook (first sheet, header on the first row) or a French CSV file (UTF-8 with or
// without BOM, or Windows-1252; « ; », « , » or tab). A whole-file refusal is an error in
// French (too large, zip bomb, too many rows, not a CSV nor XLSX, no UAI column, broken
// CSV); the faults of rows are in DeploiementsFile.Errors.
func ReadDeploiementsFile(r io.Reader, size int64) (*DeploiementsFile, error) {
	if size > MaxDeploiementsFileSize {
		return nil, ErrDeploiementsTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxDeploiementsFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("lecture du fichier : %w", err)
	}
	if len(data) > MaxDeploiementsFileSize {
		return nil, ErrDeploiementsTooLarge
	}
	var rows *sheetRows
	switch {
	case bytes.HasPrefix(data, csvZipMagic):
		rows, err = xlsxRows(data)
	case bytes.HasPrefix(data, csvOLEMagic), bytes.HasPrefix(data, []byte("%PDF")), bytes.IndexByte(data, 0) >= 0 && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, ErrDeploiementsFormat
	default:
		rows, err = csvRows(data)
	}
	if err != nil {
		return nil, err
	}
	return readDeploiementRows(rows)
}

// csvRows reads a CSV file's header and prepares its rows.
func csvRows(data []byte) (*sheetRows, error) {
	f, err := ReadCSV(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	next := func() (int, []string, error) {
		rec, err := f.Next()
		if err != nil {
			return 0, nil, err
		}
		return rec.Line, rec.fields, nil
	}
	return &sheetRows{format: "CSV (" + f.Encoding() + ")", header: f.Header(), next: next}, nil
}

// xlsxRows opens a workbook within the unzip limits and prepares the rows of its first
// sheet, with raw cell values (dates as serial numbers: 3 times faster than formatted).
func xlsxRows(data []byte) (*sheetRows, error) {
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxXMLMemory, RawCellValue: true})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, ErrDeploiementsBomb
		}
		return nil, ErrDeploiementsFormat
	}
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		_ = wb.Close()
		return nil, ErrEmptyFile
	}
	it, err := wb.Rows(sheets[0])
	if err != nil {
		_ = wb.Close()
		return nil, ErrDeploiementsFormat
	}
	line := 0
	next := func() (int, []string, error) {
		for it.Next() {
			line++
			cols, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return 0, nil, ErrDeploiementsFormat
			}
			if !csvBlankRecord(cols) {
				return line, cols, nil
			}
		}
		_ = it.Close()
		_ = wb.Close()
		return 0, nil, io.EOF
	}
	header, err := xlsxHeader(next)
	if err != nil {
		return nil, err
	}
	return &sheetRows{format: "XLSX", serial: true, header: header, next: next}, nil
}

// xlsxHeader finds the header among the first rows of a sheet: the first that names a UAI
// column (a workbook exported by the product opens with a title block), else the first.
func xlsxHeader(next func() (int, []string, error)) ([]string, error) {
	var first []string
	for range 20 {
		_, head, err := next()
		if errors.Is(err, io.EOF) && first != nil {
			break
		}
		if errors.Is(err, io.EOF) {
			return nil, ErrEmptyFile
		}
		if err != nil {
			return nil, err
		}
		header := make([]string, len(head))
		for i, h := range head {
			header[i] = NormalizeHeader(h)
		}
		for _, a := range deploiementColumns[0].Aliases {
			if indexOf(header, a) >= 0 {
				return header, nil
			}
		}
		if first == nil {
			first = header
		}
	}
	return first, nil
}

// readDeploiementRows reads every row of the table: the columns are found by their names,
// each cell is checked, and the UAI given twice are reported.
func readDeploiementRows(t *sheetRows) (*DeploiementsFile, error) {
	cols := map[string]int{}
	for _, c := range deploiementColumns {
		for _, a := range c.Aliases {
			if i := indexOf(t.header, a); i >= 0 {
				cols[c.Key] = i
				break
			}
		}
	}
	if _, ok := cols["uai"]; !ok {
		return nil, ErrDeploiementsNoUAI
	}
	f := &DeploiementsFile{Format: t.format}
	seen := map[string]int{}
	for n := 0; ; n++ {
		line, fields, err := t.next()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		var le *LineError
		if errors.As(err, &le) {
			return nil, le
		}
		if err != nil {
			return nil, err
		}
		if n >= MaxDeploiementsRows {
			return nil, ErrDeploiementsTooMany
		}
		cell := func(key string) string {
			if i, ok := cols[key]; ok && i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		row, ok := f.readLine(line, cell, t.serial)
		if !ok {
			continue
		}
		if first, dup := seen[row.UAI]; dup {
			f.fault(line, "uai", fmt.Sprintf("l'école %s figure déjà ligne %d.", row.UAI, first))
			continue
		}
		seen[row.UAI] = line
		f.Rows = append(f.Rows, row)
	}
}

// indexOf is the index of name in header, -1 when absent.
func indexOf(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// fault records the fault of a cell.
func (f *DeploiementsFile) fault(line int, key, msg string) {
	f.Errors = append(f.Errors, models.FieldError{Line: line, Field: deploiementColumnLabel(key), Msg: msg})
}
