package seeds

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// MaxUsagesFileSize is the largest statistics file read, checked before reading (as for the
// other imports).
const MaxUsagesFileSize = 50 << 20

// Whole-file refusals of a statistics file, in French.
var (
	ErrUsagesTooLarge = errors.New("fichier trop volumineux : 50 Mo au plus ; exportez moins de mois à la fois. Rien n'a été enregistré")
	ErrUsagesFormat   = errors.New("ce fichier n'est pas un fichier CSV : importez le fichier exporté par l'application « Statistiques » de l'ENT (bouton « Exporter »)")
	ErrUsagesEmpty    = errors.New("le fichier est vide : il ne contient ni en-tête ni ligne de statistiques")
)

// usageColumns are the columns of a statistics file: key, label (for messages) and the
// normalised header names accepted, first the exporter's.
var usageColumns = []struct {
	Key, Label string
	Aliases    []string
}{
	{"etablissement", "Établissement", []string{"etablissement", "structure"}},
	{"uai", "UAI", []string{"uai", "code_uai"}},
	{"date", "Date", []string{"date", "periode"}},
	{"profil", "Profil", []string{"profil", "profile"}},
	{"connexions", "Connexions", []string{"connexions", "connections"}},
	{"visiteurs", "Visiteurs uniques", []string{"visiteurs_uniques", "unique_visitors"}},
	{"charges", "Comptes chargés", []string{"comptes_charges", "loaded_accounts"}},
	{"actives", "Comptes activés", []string{"comptes_actives", "activated_accounts"}},
}

// usageProfils maps the profiles as the platform writes them (French labels, singular or
// plural, or the raw English keys), normalised, to the values of models.UsageProfils.
var usageProfils = map[string]string{
	"eleve": "eleve", "eleves": "eleve", "student": "eleve", "students": "eleve",
	"parent": "parent", "parents": "parent", "relative": "parent", "relatives": "parent",
	"enseignant": "enseignant", "enseignants": "enseignant", "teacher": "enseignant", "teachers": "enseignant",
	"personnel": "personnel", "personnels": "personnel",
	"invite": "invite", "invites": "invite", "guest": "invite", "guests": "invite",
}

// ReadUsagesFile reads a statistics file of the ENT (the "accounts" export of the
// « Statistiques » application) of size bytes (-1 when unknown): UTF-8 with or without BOM
// or Windows-1252, « ; », « , » or tab, CRLF or LF, quoted or not. A whole-file refusal
// (too large, not a CSV, empty, a column missing) is an error in French; the faults of rows
// (a negative or non-numeric count, an unknown profile, a bad date, a truncated line, a row
// given twice) are in UsageFile.Errors with their line and column. Rows without UAI are kept
// as they are, for the import to report them.
func ReadUsagesFile(r io.Reader, size int64, name string) (*models.UsageFile, error) {
	if size > MaxUsagesFileSize {
		return nil, ErrUsagesTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxUsagesFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("lecture du fichier : %w", err)
	}
	if len(data) > MaxUsagesFileSize {
		return nil, ErrUsagesTooLarge
	}
	if bytes.IndexByte(data, 0) >= 0 && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
		bytes.HasPrefix(data, []byte("%PDF")) {
		return nil, ErrUsagesFormat
	}
	c, err := csvRead(bytes.NewReader(data), MaxUsagesFileSize)
	if errors.Is(err, ErrEmptyFile) {
		return nil, ErrUsagesEmpty
	}
	if err != nil {
		return nil, err
	}
	cols, err := usageHeader(c.Header())
	if err != nil {
		return nil, err
	}
	f := &models.UsageFile{Fichier: name, Format: "CSV (" + c.Encoding() + ")",
		Rows: make([]models.UsageRow, 0, bytes.Count(data, []byte{'\n'}))}
	readUsageRows(c, cols, f)
	f.Granularite = usageGranularite(f.Rows)
	return f, nil
}

// usageHeader finds the columns of the header, refusing a header that lacks some, naming
// them.
func usageHeader(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var missing []string
	for _, c := range usageColumns {
		for _, a := range c.Aliases {
			if i := indexOf(header, a); i >= 0 {
				cols[c.Key] = i
				break
			}
		}
		if _, ok := cols[c.Key]; !ok {
			missing = append(missing, "« "+c.Label+" »")
		}
	}
	switch len(missing) {
	case 0:
		return cols, nil
	case 1:
		return nil, fmt.Errorf("ligne 1 : la colonne %s est absente de l'en-tête ; rien n'a été enregistré", missing[0])
	}
	return nil, fmt.Errorf("ligne 1 : les colonnes %s sont absentes de l'en-tête ; rien n'a été enregistré", strings.Join(missing, ", "))
}

// readUsageRows reads every data row of c into f: the rows read, and the faults of the
// others.
func readUsageRows(c *CSVFile, cols map[string]int, f *models.UsageFile) {
	seen := map[usageKey]int{}
	for {
		rec, err := c.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		var le *LineError
		if errors.As(err, &le) {
			f.Errors = append(f.Errors, models.FieldError{Line: le.Line, Msg: usageLineMsg(le.Msg)})
			continue
		}
		if err != nil { // cannot happen: the whole file is in memory
			f.Errors = append(f.Errors, models.FieldError{Msg: err.Error()})
			return
		}
		row, ok := readUsageRow(rec, cols, f)
		if !ok {
			continue
		}
		if row.UAI != "" {
			k := usageKey{row.UAI, row.Periode, row.Profil}
			if first, dup := seen[k]; dup {
				f.Errors = append(f.Errors, models.FieldError{Line: row.Line, Field: "UAI",
					Msg: fmt.Sprintf("l'école %s figure déjà ligne %d pour la même date et le même profil.", row.UAI, first)})
				continue
			}
			seen[k] = row.Line
		}
		f.Rows = append(f.Rows, row)
	}
}

// usageKey is the natural key of a row within a file.
type usageKey struct {
	uai     string
	periode time.Time
	profil  string
}

// usageLineMsg is the message of a line the CSV reader refuses as a whole: a line with
// fewer columns is what a truncated file ends with.
func usageLineMsg(msg string) string {
	if msg == csvQuoteMsg || strings.Contains(msg, "au lieu de") {
		return "ligne incomplète ou mal formée (" + msg + ") : fichier tronqué ?"
	}
	return msg
}

// readUsageRow reads one data row, recording the faults of its cells in f. A row without
// UAI is kept with its name only (the import reports it).
func readUsageRow(rec Record, cols map[string]int, f *models.UsageFile) (models.UsageRow, bool) {
	cell := func(key string) string {
		if i := cols[key]; i < len(rec.fields) {
			return strings.TrimSpace(rec.fields[i])
		}
		return ""
	}
	row := models.UsageRow{Line: rec.Line, Etablissement: strings.TrimSpace(html.UnescapeString(cell("etablissement"))),
		UAI: strings.ToUpper(cell("uai"))}
	if row.UAI == "" {
		return row, true
	}
	ok := true
	fault := func(key, msg string) {
		f.Errors = append(f.Errors, models.FieldError{Line: rec.Line, Field: usageColumnLabel(key), Msg: msg})
		ok = false
	}
	if d, err := parseUsageDate(cell("date")); err != nil {
		fault("date", err.Error())
	} else {
		row.Periode = d
	}
	if p, known := usageProfil(cell("profil")); known {
		row.Profil = p
	} else {
		fault("profil", fmt.Sprintf("profil « %s » inconnu : Élève, Parent, Enseignant, Personnel ou Invité attendu.", cell("profil")))
	}
	for _, c := range []struct {
		key string
		dst **int64
	}{{"connexions", &row.Connexions}, {"visiteurs", &row.Visiteurs}, {"charges", &row.ComptesCharges}, {"actives", &row.ComptesActives}} {
		n, err := parseUsageCount(cell(c.key))
		if err != nil {
			fault(c.key, err.Error())
			continue
		}
		*c.dst = n
	}
	return row, ok
}

// usageProfil is the profile written s, by its exact spelling first (the platform writes
// the same few on every row), then normalised.
func usageProfil(s string) (string, bool) {
	switch s {
	case "Élève":
		return "eleve", true
	case "Parent":
		return "parent", true
	case "Enseignant":
		return "enseignant", true
	case "Personnel":
		return "personnel", true
	case "Invité":
		return "invite", true
	}
	p, ok := usageProfils[NormalizeHeader(s)]
	return p, ok
}

// usageColumnLabel is the label of the column key.
func usageColumnLabel(key string) string {
	for _, c := range usageColumns {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

// parseUsageCount reads a count: empty is unknown (nil), otherwise a whole number ≥ 0.
func parseUsageCount(s string) (*int64, error) {
	n, ok, err := ParseFrenchInt(s)
	if err != nil {
		return nil, fmt.Errorf("%s : un nombre entier positif ou nul est attendu (vide si inconnu).", err.Error())
	}
	if !ok {
		return nil, nil
	}
	if n < 0 {
		return nil, fmt.Errorf("« %s » : un nombre de comptes ou de connexions ne peut pas être négatif.", strings.TrimSpace(s))
	}
	v := int64(n)
	return &v, nil
}

// usageDateLayouts are the ways a period's start is written: the exporter's (Java's
// LocalDateTime), with seconds, a date alone, and as a French spreadsheet rewrites it.
var usageDateLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"02/01/2006", "02/01/2006 15:04", "02/01/2006 15:04:05"}

// parseUsageDate reads the start of a period: its day (the time of day is ignored), in UTC.
func parseUsageDate(s string) (time.Time, error) {
	for _, l := range usageDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	if s == "" {
		return time.Time{}, errors.New("date absente : le début de la période est attendu, par exemple 2025-11-01T00:00.")
	}
	return time.Time{}, fmt.Errorf("« %s » n'est pas une date : le début de la période est attendu, par exemple 2025-11-01T00:00.", s)
}

// usageGranularite is the length of the periods of the rows, from their dates: months when
// every period starts on the first of a month, ISO weeks when every one starts on a Monday,
// days otherwise (a file of months is the platform's default).
func usageGranularite(rows []models.UsageRow) string {
	months, weeks := true, true
	for _, r := range rows {
		if r.UAI == "" {
			continue
		}
		months = months && r.Periode.Day() == 1
		weeks = weeks && r.Periode.Weekday() == time.Monday
	}
	switch {
	case months:
		return "mois"
	case weeks:
		return "semaine"
	}
	return "jour"
}
