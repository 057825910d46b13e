package seeds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// ErrEmptyFile is returned by ReadCSV when the file holds no header: it is
// empty, or contains only a byte order mark, blank lines or separators.
var ErrEmptyFile = errors.New("le fichier est vide")

// csvMaxSize is the largest input ReadCSV accepts: the whole file is read
// into memory so that its encoding can be decided on every byte.
const csvMaxSize = 64 << 20

var (
	csvErrTooLarge = errors.New("fichier trop volumineux (64 Mio maximum)")
	csvErrXLSX     = errors.New("le fichier est un classeur (.xlsx, .ods) ou une archive ZIP, pas un fichier CSV : " +
		"ouvrez-le dans le tableur puis « Enregistrer sous » au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »")
	csvErrXLS = errors.New("le fichier est un classeur Excel 97-2003 (.xls), pas un fichier CSV : " +
		"ouvrez-le dans Excel puis « Enregistrer sous » au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »")
	csvErrUTF16 = errors.New("encodage UTF-16 non pris en charge : enregistrez le fichier au format « CSV UTF-8 »")
)

const (
	csvEncodingUTF8    = "UTF-8"
	csvEncodingWin1252 = "Windows-1252"
	csvQuoteMsg        = "guillemet non fermé ou mal placé"
)

var (
	csvBOM      = []byte{0xEF, 0xBB, 0xBF}
	csvZipMagic = []byte("PK\x03\x04")
	csvOLEMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// CSVFile reads a delimited text file with a header row, whatever its encoding and separator.
//
// It is built for the files French users and ministries publish: UTF-8 with
// or without BOM or Windows-1252 (French Excel « CSV (séparateur :
// point-virgule) »), separated by ';', ',' or tabs, with CRLF or LF line
// endings. Blank lines, and lines holding only empty fields (";;;" rows
// left by Excel), are skipped.
type CSVFile struct {
	r          *csv.Reader
	header     []string
	index      map[string]int
	sep        rune
	encoding   string
	headerLine int
}

// ReadCSV prepares r for reading: it strips a UTF-8 BOM, detects the encoding (valid UTF-8, otherwise
// Windows-1252 decoded with golang.org/x/text/encoding/charmap), detects the separator from the
// header line (';', ',' or tab: the one that appears most outside quotes in the first line), and reads the header.
// Header names are normalised with NormalizeHeader. It returns ErrEmptyFile (exported sentinel, French message
// "le fichier est vide") for an empty file or a file with only a BOM/whitespace, and an error naming duplicate
// header columns ("colonne « x » en double").
//
// The whole input is read into memory; inputs over 64 Mio are refused.
// Empty header names at the end of the header (Excel's trailing ";;;") are
// ignored. Ties between separators favour ';', then tab, then ','; a header
// without any separator is read as a single ';'-separated column.
// Excel workbooks (.xlsx, .xls) and UTF-16 files are refused with an
// explanatory French error.
func ReadCSV(r io.Reader) (*CSVFile, error) {
	return csvRead(r, csvMaxSize)
}

// csvRead is ReadCSV with a configurable size limit (for tests).
func csvRead(r io.Reader, maxSize int64) (*CSVFile, error) {
	data, encoding, err := csvText(r, maxSize)
	if err != nil {
		return nil, err
	}
	f := &CSVFile{encoding: encoding, sep: csvDetectSeparator(data)}
	f.r = csv.NewReader(bytes.NewReader(data))
	f.r.Comma = f.sep
	f.r.LazyQuotes = false
	f.r.FieldsPerRecord = -1
	f.r.ReuseRecord = false

	raw, err := f.firstRecord()
	if err != nil {
		return nil, err
	}
	f.headerLine, _ = f.r.FieldPos(0)
	if err := f.setHeader(raw); err != nil {
		return nil, err
	}
	return f, nil
}

// csvText reads the whole input (at most maxSize bytes), refuses workbooks and UTF-16,
// strips the BOM and returns the text in UTF-8 with the encoding it was found in.
func csvText(r io.Reader, maxSize int64) ([]byte, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, "", fmt.Errorf("lecture du fichier : %w", err)
	}
	if int64(len(data)) > maxSize {
		return nil, "", csvErrTooLarge
	}
	switch {
	case bytes.HasPrefix(data, csvZipMagic):
		return nil, "", csvErrXLSX
	case bytes.HasPrefix(data, csvOLEMagic):
		return nil, "", csvErrXLS
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, "", csvErrUTF16
	}
	for bytes.HasPrefix(data, csvBOM) {
		data = data[len(csvBOM):]
	}
	if utf8.Valid(data) {
		return data, csvEncodingUTF8, nil
	}
	data, err = charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen: every byte has a mapping
		return nil, "", fmt.Errorf("décodage Windows-1252 : %w", err)
	}
	return data, csvEncodingWin1252, nil
}

// firstRecord returns the first record that is not blank: the header.
func (f *CSVFile) firstRecord() ([]string, error) {
	for {
		raw, err := f.r.Read()
		if err == io.EOF {
			return nil, ErrEmptyFile
		}
		if err != nil {
			return nil, csvConvertError(err)
		}
		if !csvBlankRecord(raw) {
			return raw, nil
		}
	}
}

// setHeader normalises the header's names and indexes them, refusing duplicates.
func (f *CSVFile) setHeader(raw []string) error {
	// Ignore trailing empty header cells (Excel's ";;;").
	n := len(raw)
	for n > 0 && strings.TrimSpace(raw[n-1]) == "" {
		n--
	}
	f.header = make([]string, n)
	f.index = make(map[string]int, n)
	var dups []string
	for i, name := range raw[:n] {
		norm := NormalizeHeader(name)
		f.header[i] = norm
		if norm == "" {
			continue // unnamed column: kept for the width, not addressable
		}
		if _, seen := f.index[norm]; seen {
			if !slices.Contains(dups, norm) {
				dups = append(dups, norm)
			}
			continue
		}
		f.index[norm] = i
	}
	if len(dups) == 0 {
		return nil
	}
	msgs := make([]string, len(dups))
	for i, d := range dups {
		msgs[i] = "colonne « " + d + " » en double"
	}
	return &LineError{Line: f.headerLine, Msg: strings.Join(msgs, ", ")}
}

// csvDetectSeparator returns ';', ',' or '\t', whichever appears most often
// outside quotes in the first non-blank line of data (a line is blank when it
// holds only spaces, separators and quotes). Ties favour ';', then tab, then
// ','; no separator at all gives ';'.
func csvDetectSeparator(data []byte) rune {
	var semi, comma, tab int
	inQuote, blank := false, true
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		i += size
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
			blank = false
		case r == '\n':
			if !blank {
				return csvBestSeparator(semi, comma, tab)
			}
			semi, comma, tab = 0, 0, 0
		case r == ';':
			semi++
		case r == ',':
			comma++
		case r == '\t':
			tab++
		case !unicode.IsSpace(r):
			blank = false
		}
	}
	if blank {
		return ';'
	}
	return csvBestSeparator(semi, comma, tab)
}

func csvBestSeparator(semi, comma, tab int) rune {
	switch {
	case semi >= tab && semi >= comma:
		return ';'
	case tab >= comma:
		return '\t'
	default:
		return ','
	}
}

// csvBlankRecord reports whether every field of rec is empty or white space.
func csvBlankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvConvertError turns an encoding/csv error into a *LineError.
func csvConvertError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("lecture du fichier : %w", err)
	}
	line := pe.StartLine
	if line <= 0 {
		line = pe.Line
	}
	if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
		return &LineError{Line: line, Msg: csvQuoteMsg}
	}
	return &LineError{Line: line, Msg: pe.Err.Error()}
}

// Has reports whether the header holds the normalised column name.
// A name that is not normalised is normalised first ("Code INSEE" finds
// "code_insee").
func (f *CSVFile) Has(col string) bool {
	_, ok := csvLookup(f.index, col)
	return ok
}

// Header returns the normalised header names in file order.
// Unnamed columns in the middle of the header are returned as "".
func (f *CSVFile) Header() []string {
	return slices.Clone(f.header)
}

// Separator returns the detected separator: ';', ',' or '\t'.
func (f *CSVFile) Separator() rune { return f.sep }

// Encoding returns the detected encoding: "UTF-8" or "Windows-1252".
func (f *CSVFile) Encoding() string { return f.encoding }

// Next reads the next data record. It returns io.EOF at the end. Blank lines are skipped.
// A record with a different number of fields than the header is an error naming the line:
// "ligne 12 : 5 colonnes au lieu de 9" (a *LineError). A quote error (truncated file inside quotes) is a *LineError
// too: "ligne 40 : guillemet non fermé ou mal placé". Lines are numbered as the user sees them in a text editor / Excel
// (the header is line 1, multi-line quoted fields count for all their lines); Record.Line and
// LineError.Line are the line where the record starts.
//
// Records whose fields are all empty (";;;" lines) count as blank lines.
// Empty fields beyond the header width are dropped. After a *LineError,
// Next may be called again: it resumes with the following record.
func (f *CSVFile) Next() (Record, error) {
	for {
		rec, err := f.r.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, csvConvertError(err)
		}
		if csvBlankRecord(rec) {
			continue
		}
		line, _ := f.r.FieldPos(0)
		width := len(f.header)
		if len(rec) > width && csvBlankRecord(rec[width:]) {
			rec = rec[:width:width]
		}
		if len(rec) != width {
			return Record{}, &LineError{Line: line, Msg: fmt.Sprintf("%d %s au lieu de %d", len(rec), csvPlural(len(rec), "colonne", "colonnes"), width)}
		}
		return Record{Line: line, fields: rec, index: f.index}, nil
	}
}

func csvPlural(n int, one, many string) string {
	if n == 1 || n == 0 {
		return one
	}
	return many
}

// Record is one data row.
type Record struct {
	// Line is the line where the record starts (the header is line 1).
	Line int

	fields []string
	index  map[string]int
}

// Get returns the trimmed value of the normalised column name, "" if the column is absent.
// A name that is not normalised is normalised first.
func (r Record) Get(col string) string {
	v, _ := r.lookup(col)
	return v
}

// GetAny returns the first non-absent column among names (aliases), trimmed.
// A present but empty column stops the search; "" if none is present.
func (r Record) GetAny(cols ...string) string {
	for _, c := range cols {
		if v, ok := r.lookup(c); ok {
			return v
		}
	}
	return ""
}

func (r Record) lookup(col string) (string, bool) {
	i, ok := csvLookup(r.index, col)
	if !ok || i >= len(r.fields) {
		return "", false
	}
	return strings.TrimSpace(r.fields[i]), true
}

// csvLookup finds col in index, normalising it when it is not found as is.
func csvLookup(index map[string]int, col string) (int, bool) {
	if i, ok := index[col]; ok {
		return i, true
	}
	if csvIsNormalized(col) {
		return 0, false
	}
	i, ok := index[NormalizeHeader(col)]
	return i, ok
}

// csvIsNormalized is a cheap check for the common already-normalised ASCII
// names, to avoid normalising them again on every missed lookup.
func csvIsNormalized(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' && i > 0 && i < len(s)-1 && s[i-1] != '_') {
			return false
		}
	}
	return true
}

// NormalizeHeader lowercases, strips accents (é→e, ç→c …, via golang.org/x/text/unicode/norm + removing Mn runes),
// trims spaces, and replaces runs of spaces, '-', '.', apostrophes (' and ’) and other non-alphanumerics
// with '_' (trimmed).
// "Identifiant_de_l_etablissement" → "identifiant_de_l_etablissement", "Comptes activés" → "comptes_actives",
// " Code INSEE " → "code_insee".
//
// Compatibility forms are folded too (NFKD: "1ʳᵉ" → "1re", "m²" → "m2"), and the
// ligatures œ, æ and ß are spelt out ("Vœu" → "voeu").
func NormalizeHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false // a separator run is waiting to be written
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.M, r):
			// Accents and other combining marks are dropped.
		case (unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r)) || unicode.IsDigit(r):
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			switch r = unicode.ToLower(r); r {
			case 'œ':
				b.WriteString("oe")
			case 'æ':
				b.WriteString("ae")
			case 'ß':
				b.WriteString("ss")
			default:
				b.WriteRune(r)
			}
		default:
			pending = true
		}
	}
	return b.String()
}

// ParseFrenchInt parses "1 234", "1234", "1\u00a0234", "1\u202f234", "" (→ ok=false, err=nil). Error in French.
//
// Thousands separators (space, no-break space, narrow no-break space, thin
// space) must separate groups of three digits. A leading '+', '-' or '−' sign
// is accepted, and so is a zero decimal part as Excel writes it ("12,00").
func ParseFrenchInt(s string) (n int, ok bool, err error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false, nil
	}
	invalid := func() (int, bool, error) {
		return 0, false, fmt.Errorf("« %s » n'est pas un nombre entier", t)
	}
	digits := make([]byte, 0, len(t)+1)
	rest := t
	switch {
	case strings.HasPrefix(rest, "-"):
		digits = append(digits, '-')
		rest = rest[1:]
	case strings.HasPrefix(rest, "\u2212"):
		digits = append(digits, '-')
		rest = rest[len("\u2212"):]
	case strings.HasPrefix(rest, "+"):
		rest = rest[1:]
	}
	if i := strings.IndexByte(rest, ','); i >= 0 {
		frac := rest[i+1:]
		if frac == "" || strings.Trim(frac, "0") != "" {
			return invalid()
		}
		rest = rest[:i]
	}
	groups := csvSplitGroups(rest)
	if groups == nil {
		return invalid()
	}
	for i, g := range groups {
		if g == "" || (len(groups) > 1 && (i == 0 && len(g) > 3 || i > 0 && len(g) != 3)) {
			return invalid()
		}
		for j := 0; j < len(g); j++ {
			if g[j] < '0' || g[j] > '9' {
				return invalid()
			}
		}
		digits = append(digits, g...)
	}
	v, err := strconv.Atoi(string(digits))
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, false, fmt.Errorf("« %s » : nombre trop grand", t)
		}
		return invalid()
	}
	return v, true, nil
}

// csvSplitGroups splits s on single thousands separators; it returns nil if s
// holds an invalid UTF-8 sequence.
func csvSplitGroups(s string) []string {
	var groups []string
	start := 0
	for i, r := range s {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009':
			groups = append(groups, s[start:i])
			start = i + utf8.RuneLen(r)
		case utf8.RuneError:
			return nil
		}
	}
	return append(groups, s[start:])
}

// LineError is an error attached to a line and optionally a column.
type LineError struct {
	Line   int
	Column string
	Msg    string
}

// Error returns "ligne 437, colonne uai : message", or "ligne 437 : message"
// when Column is "" (and leaves out the line when Line is not positive).
func (e *LineError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("ligne ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Column != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("colonne ")
		b.WriteString(e.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" : ")
	}
	b.WriteString(e.Msg)
	return b.String()
}
