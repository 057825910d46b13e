package models

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The reasons a row of a statistics file is skipped: reported with its line, never fatal.
const (
	UsageSansUAI         = "structure sans UAI"
	UsageUAIInconnue     = "UAI inconnue du référentiel"
	UsageHorsDepartement = "hors de votre département"
)

// UsageSkip is a row of a statistics file the import leaves aside, and why.
type UsageSkip struct {
	Line          int
	UAI           string
	Etablissement string
	Motif         string
}

// UsageImportReport is what importing a statistics file does (a preview) or did (ImportID set):
// the periods it covers, the rows and écoles it imports, the stored rows it replaces, the
// rows it skips, and the faults of the file, which refuse its application.
type UsageImportReport struct {
	ImportID     int64
	Fichier      string
	Format       string
	Granularite  string
	Periodes     []time.Time
	Lignes       int
	Ecoles       int
	Remplacees   int
	Departements []string
	Ignorees     []UsageSkip
	Errors       []FieldError
}

// GranulariteLabel is the French label of the report's granularity.
func (r UsageImportReport) GranulariteLabel() string {
	return LabelOf(UsageGranularites, r.Granularite)
}

// Applicable reports whether the file may be applied: no fault, some row to import.
func (r UsageImportReport) Applicable() bool { return len(r.Errors) == 0 && r.Lignes > 0 }

// usagePlace is the territory of an école, repeated on its usage rows.
type usagePlace struct {
	UAI                 string
	DepartementCode     string
	CodeCirconscription *string
	CodeINSEE           string
}

// usagePlan is a file sorted out for an actor: the report, the rows to import and the
// territory of their écoles.
type usagePlan struct {
	report UsageImportReport
	rows   []UsageRow
	places map[string]usagePlace
}

// CanImportUsages reports whether the actor imports statistics files: the admin and the
// pilote académique, an IA-DASEN for their département.
func CanImportUsages(actor Actor) bool { return accessOf(actor, EntityUsage) >= WritesOwn }

// importsUsagesOf reports whether the actor imports the figures of the écoles of the
// département dep.
func importsUsagesOf(actor Actor, dep string) bool {
	switch accessOf(actor, EntityUsage) {
	case WritesAll:
		return actor.Scope.CoversAcademie() || actor.Scope.CoversDepartement(dep)
	case WritesOwn:
		return actor.Scope.CoversDepartement(dep)
	}
	return false
}

// PreviewUsages computes, without writing, what ImportUsages(ctx, actor, f) would do.
func (s *Store) PreviewUsages(ctx context.Context, actor Actor, f *UsageFile) (UsageImportReport, error) {
	db := s.db.WithContext(ctx)
	p, err := s.planUsages(db, actor, f)
	if err != nil {
		return UsageImportReport{}, err
	}
	n, err := s.countReplaced(db, f.Granularite, p.rows)
	p.report.Remplacees = n
	return p.report, err
}

// planUsages sorts out the rows of f for the actor: rows without UAI, of an unknown UAI or
// outside the actor's départements are skipped; the others are to import. ErrForbidden when
// the actor imports no statistics.
func (s *Store) planUsages(db *gorm.DB, actor Actor, f *UsageFile) (*usagePlan, error) {
	if !CanImportUsages(actor) {
		return nil, ErrForbidden
	}
	p := &usagePlan{report: UsageImportReport{Fichier: f.Fichier, Format: f.Format, Granularite: f.Granularite,
		Errors: slices.Clone(f.Errors)}}
	var uais []string
	for _, r := range f.Rows {
		if r.UAI != "" {
			uais = append(uais, r.UAI)
		}
	}
	slices.Sort(uais)
	places, err := loadUsagePlaces(db, slices.Compact(uais))
	if err != nil {
		return nil, err
	}
	p.places = places
	periods, ecoles, deps := map[time.Time]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range f.Rows {
		motif := ""
		place, known := places[r.UAI]
		switch {
		case r.UAI == "":
			motif = UsageSansUAI
		case !known:
			motif = UsageUAIInconnue
		case !importsUsagesOf(actor, place.DepartementCode):
			motif = UsageHorsDepartement
		}
		if motif != "" {
			p.report.Ignorees = append(p.report.Ignorees, UsageSkip{Line: r.Line, UAI: r.UAI, Etablissement: r.Etablissement, Motif: motif})
			continue
		}
		p.rows = append(p.rows, r)
		periods[r.Periode], ecoles[r.UAI], deps[place.DepartementCode] = true, true, true
	}
	p.report.Lignes, p.report.Ecoles = len(p.rows), len(ecoles)
	for t := range periods {
		p.report.Periodes = append(p.report.Periodes, t)
	}
	slices.SortFunc(p.report.Periodes, func(a, b time.Time) int { return a.Compare(b) })
	for d := range deps {
		p.report.Departements = append(p.report.Departements, d)
	}
	slices.Sort(p.report.Departements)
	return p, nil
}

// loadUsagePlaces reads the territory of the écoles of uais (sorted, distinct) that exist.
func loadUsagePlaces(db *gorm.DB, uais []string) (map[string]usagePlace, error) {
	out := make(map[string]usagePlace, len(uais))
	for chunk := range slices.Chunk(uais, deploiementBulk) {
		var rows []usagePlace
		cond, arg := uaiSet(db, "uai", chunk)
		if err := db.Table("ecoles").Select("uai, departement_code, code_circonscription, code_insee").
			Where(cond, arg).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.UAI] = r
		}
	}
	return out, nil
}

// UsageSkipGroup is the rows skipped for one reason: their lines and the structures they
// name (distinct, in file order, at most usageSkipShown; MoreStructures counts the others).
type UsageSkipGroup struct {
	Motif          string
	Lines          []int
	Structures     []string
	MoreStructures int
}

// usageSkipShown bounds the structures, and the runs of lines, a group names.
const usageSkipShown = 30

// SkipGroups groups the skipped rows of the report by reason, in the order of the reasons.
func (r UsageImportReport) SkipGroups() []UsageSkipGroup {
	var out []UsageSkipGroup
	for _, motif := range []string{UsageSansUAI, UsageUAIInconnue, UsageHorsDepartement} {
		g := UsageSkipGroup{Motif: motif}
		seen := map[string]bool{}
		for _, k := range r.Ignorees {
			if k.Motif != motif {
				continue
			}
			g.Lines = append(g.Lines, k.Line)
			name := strings.TrimSpace(k.UAI + " " + k.Etablissement)
			switch {
			case seen[name]:
			case len(g.Structures) < usageSkipShown:
				g.Structures = append(g.Structures, name)
			default:
				g.MoreStructures++
			}
			seen[name] = true
		}
		if len(g.Lines) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// LinesText writes the lines of the group as runs, the first usageSkipShown of them:
// "12 à 21, 32 à 41, 43", "…" ending a list cut short.
func (g UsageSkipGroup) LinesText() string {
	var parts []string
	for i := 0; i < len(g.Lines); {
		if len(parts) == usageSkipShown {
			return strings.Join(parts, ", ") + "…"
		}
		j := i
		for j+1 < len(g.Lines) && g.Lines[j+1] == g.Lines[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, strconv.Itoa(g.Lines[i])+" à "+strconv.Itoa(g.Lines[j]))
		} else {
			parts = append(parts, strconv.Itoa(g.Lines[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
