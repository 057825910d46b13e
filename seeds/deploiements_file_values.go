package seeds

import (
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/xuri/excelize/v2"
)

// readLine checks the cells of one row; ok is false when a cell is at fault (the row is
// then left out, its faults recorded).
func (f *DeploiementsFile) readLine(line int, cell func(string) string, serial bool) (DeploiementLine, bool) {
	before := len(f.Errors)
	row := DeploiementLine{Line: line, Vague: cell("vague"), Solution: cell("solution")}
	row.UAI = strings.ToUpper(cell("uai"))
	switch {
	case row.UAI == "":
		f.fault(line, "uai", "UAI manquant.")
	case !validUAI(row.UAI):
		f.fault(line, "uai", "« "+row.UAI+" » n'est pas un UAI (7 chiffres et une lettre, par exemple 0930123A).")
	}
	if v := cell("phase"); v != "" {
		row.Phase = f.phaseCode(v)
		if row.Phase == "" {
			f.fault(line, "phase", "phase inconnue : « "+v+" » (attendu : "+phaseLabels()+").")
		}
	}
	date := func(key string) *time.Time {
		v := cell(key)
		if v == "" {
			return nil
		}
		d, ok := parseFileDate(v, serial)
		if !ok {
			f.fault(line, key, "« "+v+" » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).")
			return nil
		}
		return &d
	}
	if d := date("date"); d != nil {
		row.DateEffet = *d
	}
	row.OuverturePrevue = date("ouverture_prevue")
	row.OuvertureEffective = date("ouverture_effective")
	return row, len(f.Errors) == before
}

// validUAI reports whether s has the form of a UAI: 7 digits and a letter.
func validUAI(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := range 7 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[7] >= 'A' && s[7] <= 'Z'
}

// phaseCode is the code of the phase written v (its code or its French label, whatever the
// case, accents, spaces or underscores), "" when no phase matches. The names are
// normalised once per file, and each value written once.
func (f *DeploiementsFile) phaseCode(v string) string {
	if f.phases == nil {
		f.phases = map[string]string{}
		for _, p := range models.DeploiementPhases {
			f.phases[NormalizeHeader(p.Value)], f.phases[NormalizeHeader(p.Label)] = p.Value, p.Value
		}
	}
	if code, ok := f.phases[v]; ok {
		return code
	}
	code := f.phases[NormalizeHeader(v)]
	if len(f.phases) < 1000 {
		f.phases[v] = code
	}
	return code
}

// phaseLabels lists the French labels of the phases.
func phaseLabels() string {
	labels := make([]string, len(models.DeploiementPhases))
	for i, p := range models.DeploiementPhases {
		labels[i] = p.Label
	}
	return strings.Join(labels, ", ")
}

// parseFileDate reads a date written JJ/MM/AAAA (or J/M/AAAA), AAAA-MM-JJ, with an optional
// time after it, or, in a workbook (serial), as Excel's day number.
func parseFileDate(v string, serial bool) (time.Time, bool) {
	if serial {
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			if n < 1 || n > 2958465 {
				return time.Time{}, false
			}
			t, err := excelize.ExcelDateToTime(n, false)
			if err != nil {
				return time.Time{}, false
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	for _, layout := range []string{"2/1/2006", "2006-01-02", "2/1/06", "2.1.2006", "2-1-2006"} {
		if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1900 {
			return t, true
		}
	}
	return time.Time{}, false
}

// resolver finds the waves and solutions a file names, by name (whatever the case and
// accents) or by number.
type resolver struct {
	vagues, solutions map[string]int64
}

// newResolver indexes the waves and solutions the actor reads.
func newResolver(vagues []models.Vague, solutions []models.SolutionENT) resolver {
	r := resolver{vagues: map[string]int64{}, solutions: map[string]int64{}}
	for _, v := range vagues {
		r.vagues[NormalizeHeader(v.Nom)] = v.ID
		r.vagues[strconv.FormatInt(v.ID, 10)] = v.ID
	}
	for _, s := range solutions {
		r.solutions[NormalizeHeader(s.Produit)] = s.ID
		r.solutions[strconv.FormatInt(s.ID, 10)] = s.ID
	}
	return r
}

// lookup finds the id named v in m: "aucune" (or "aucun") is 0, which clears.
func lookup(m map[string]int64, v string) (*int64, bool) {
	if v == "" {
		return nil, true
	}
	n := NormalizeHeader(v)
	if n == "aucune" || n == "aucun" {
		zero := int64(0)
		return &zero, true
	}
	if id, ok := m[n]; ok {
		return &id, true
	}
	if id, ok := m[strings.TrimSpace(v)]; ok {
		return &id, true
	}
	return nil, false
}

// Edits resolves the rows read into the edits of ChangeDeploiements, with the line of each
// edit in the file; the waves and solutions not found are recorded as faults (and their
// rows left out).
func (f *DeploiementsFile) Edits(vagues []models.Vague, solutions []models.SolutionENT) ([]models.DeploiementEdit, []int) {
	r := newResolver(vagues, solutions)
	edits := make([]models.DeploiementEdit, 0, len(f.Rows))
	lines := make([]int, 0, len(f.Rows))
	for _, row := range f.Rows {
		e := models.DeploiementEdit{UAI: row.UAI, Phase: row.Phase, DateEffet: row.DateEffet,
			OuverturePrevue: row.OuverturePrevue, OuvertureEffective: row.OuvertureEffective}
		var ok bool
		bad := false
		if e.VagueID, ok = lookup(r.vagues, row.Vague); !ok {
			f.fault(row.Line, "vague", "vague inconnue : « "+row.Vague+" ».")
			bad = true
		}
		if e.SolutionID, ok = lookup(r.solutions, row.Solution); !ok {
			f.fault(row.Line, "solution", "solution ENT inconnue : « "+row.Solution+" ».")
			bad = true
		}
		if !bad {
			edits = append(edits, e)
			lines = append(lines, row.Line)
		}
	}
	return edits, lines
}
