package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The ENT usage figures as users read them (issue 14): per level of the territory, for a
// month and a profile, the accounts loaded and activated, the logins and unique visitors,
// the activation rate (activated over loaded) and the activity rate (visitors over
// activated), each rate computed only over the écoles × profiles that reported both of its
// terms; the trend over the twelve months up to the month read. The académie and
// département levels read the figures kept per circonscription × month × profile
// (usages_mois); the finer levels, a filter on an EPCI, a commune or an école, and the
// scopes of communes read the imported rows (usages), months from any granularity as the
// kept figures do: flows summed over the month, stocks as at the latest period of the month.

// UsageLevels are the levels of the usage figures: each lists the units just below it (the
// académie its départements, a département its circonscriptions, a circonscription or an
// EPCI their communes, a commune its écoles, an école its months × profiles).
var UsageLevels = []Choice{
	{"academie", "Académie"},
	{"departement", "Département"},
	{"circonscription", "Circonscription"},
	{"epci", "EPCI ou EPT"},
	{"commune", "Commune"},
	{"ecole", "École"},
}

// UsageRowLabels is the French name of the rows of each level.
var UsageRowLabels = map[string]string{
	"academie": "Département", "departement": "Circonscription", "circonscription": "Commune",
	"epci": "Commune", "commune": "École", "ecole": "Mois et profil",
}

// UsageTrendMonths is the number of months of the trend.
const UsageTrendMonths = 12

// UsageFilter narrows the usage figures: a level (what the rows are; by default the one
// below the narrowest place chosen), places, a month ("2025-11"; "" is the latest with
// figures in the scope) and a profile ("" sums them all).
type UsageFilter struct {
	Niveau          string
	Departement     string
	Circonscription string
	EPCI            string
	Commune         string
	UAI             string
	Mois            string
	Profil          string
}

// Level is the level of the filter: the one chosen, or the one of the narrowest place.
func (f UsageFilter) Level() string {
	switch {
	case f.Niveau != "":
		return f.Niveau
	case f.UAI != "":
		return "ecole"
	case f.Commune != "":
		return "commune"
	case f.EPCI != "":
		return "epci"
	case f.Circonscription != "":
		return "circonscription"
	case f.Departement != "":
		return "departement"
	}
	return "academie"
}

// ValidUsageMonth reports whether m is a month written YYYY-MM ("" too: the latest).
func ValidUsageMonth(m string) bool {
	if m == "" {
		return true
	}
	_, err := time.Parse("2006-01", m)
	return err == nil
}

// UsageFigures are the figures of a group of écoles for a month: how many écoles reported
// (the most of any profile), the sums of the known counts (nil when none is known), and the
// terms of each rate summed over the écoles × profiles that reported both.
type UsageFigures struct {
	Ecoles            int64
	ComptesCharges    *int64
	ComptesActives    *int64
	Connexions        *int64
	Visiteurs         *int64
	ActivationCharges int64
	ActivationActives int64
	ActiviteActives   int64
	ActiviteVisiteurs int64
}

// ActivationRate is the accounts activated over the accounts loaded; ok is false when no
// école reported both.
func (f UsageFigures) ActivationRate() (rate float64, ok bool) {
	return share(f.ActivationActives, f.ActivationCharges), f.ActivationCharges > 0
}

// ActivityRate is the unique visitors over the accounts activated; ok is false when no
// école reported both.
func (f UsageFigures) ActivityRate() (rate float64, ok bool) {
	return share(f.ActiviteVisiteurs, f.ActiviteActives), f.ActiviteActives > 0
}

// UsageLine is a row of the usage table: a unit of the level (its code and name; at the
// école level a month and a profile) and its figures.
type UsageLine struct {
	Code   string
	Label  string
	Mois   string // the école level's month, YYYY-MM
	Profil string // the école level's profile
	UsageFigures
}

// UsageMonth is a month of the trend (YYYY-MM) and its figures (no école: no figures).
type UsageMonth struct {
	Mois string
	UsageFigures
}

// UsageStats is what the usage page shows: the filter as read (its month resolved), the
// months with figures in the scope (latest first), the rows and their total for the month,
// whether rows were left out (limit), and the trend.
type UsageStats struct {
	Filter UsageFilter
	Months []string
	Rows   []UsageLine
	Total  UsageFigures
	More   bool
	Trend  []UsageMonth
}

// Usages returns the usage figures of the scope within the filter, at most limit rows (0:
// all, for the exports). Without figures in the scope the report is empty (no month).
func (s *Store) Usages(ctx context.Context, scope Scope, f UsageFilter, limit int) (UsageStats, error) {
	out := UsageStats{Filter: f}
	if err := scope.readReference(); err != nil {
		return out, err
	}
	db := s.db.WithContext(ctx)
	months, err := s.usageMonths(db, scope)
	if err != nil || len(months) == 0 {
		return out, err
	}
	out.Months = months
	if out.Filter.Mois == "" {
		out.Filter.Mois = months[0]
	}
	f = out.Filter
	month, _ := time.Parse("2006-01", f.Mois)
	first := month.AddDate(0, 1-UsageTrendMonths, 0)
	level := f.Level()
	if level == "ecole" {
		out.Rows, err = s.usageGroups(db, scope, f, first, month, level)
	} else {
		out.Rows, err = s.usageGroups(db, scope, f, month, month, level)
	}
	if err != nil {
		return out, err
	}
	if limit > 0 && len(out.Rows) > limit {
		out.Rows, out.More = out.Rows[:limit], true
	}
	total, err := s.usageGroups(db, scope, f, month, month, "")
	if err != nil {
		return out, err
	}
	if len(total) > 0 {
		out.Total = total[0].UsageFigures
	}
	trend, err := s.usageGroups(db, scope, f, first, month, "mois")
	if err != nil {
		return out, err
	}
	out.Trend = usageTrend(first, trend)
	return out, nil
}

// usageTrend is the twelve months from first with their figures (none when missing).
func usageTrend(first time.Time, lines []UsageLine) []UsageMonth {
	out := make([]UsageMonth, UsageTrendMonths)
	for i := range out {
		out[i].Mois = first.AddDate(0, i, 0).Format("2006-01")
		if j := slices.IndexFunc(lines, func(l UsageLine) bool { return l.Code == out[i].Mois }); j >= 0 {
			out[i].UsageFigures = lines[j].UsageFigures
		}
	}
	return out
}

// usageMonths returns the months with figures in the scope, latest first (YYYY-MM): from
// the latest, each next one by an index seek (the months before the last found), rather
// than a scan of every row. The kept figures answer, but for a scope of communes, which
// reads its rows.
func (s *Store) usageMonths(db *gorm.DB, scope Scope) ([]string, error) {
	latest := func() *gorm.DB {
		if scope.Kind == ScopeCommunes {
			return scope.restrictTo(db.Table("usages AS u"), EntityUsage, "u").Select("MAX(u.periode)")
		}
		return scope.within(db.Table("usages_mois AS m"), "m", usagesKeptTerritory, reachRead).Select("MAX(m.mois)")
	}
	before := latest().Where("m.mois < ms.d")
	if scope.Kind == ScopeCommunes {
		before = latest().Where("u.periode < " + s.monthStartSQL("ms.d"))
	}
	var days []string
	err := db.Raw("WITH RECURSIVE ms(d) AS (SELECT (?) UNION ALL SELECT (?) FROM ms WHERE ms.d IS NOT NULL) "+
		"SELECT d FROM ms WHERE d IS NOT NULL", latest(), before).Scan(&days).Error
	out := make([]string, 0, len(days))
	for _, d := range days {
		if len(d) >= 7 {
			out = append(out, d[:7])
		}
	}
	return out, err
}

// monthStartSQL is an SQL expression of the first day of the month of a DATE expression.
func (s *Store) monthStartSQL(expr string) string {
	if s.dialect == Postgres {
		return "CAST(date_trunc('month', " + expr + ") AS DATE)"
	}
	return "substr(" + expr + ", 1, 7) || '-01'"
}

// usagesKeptTerritory is how the kept monthly figures lie in the territory: on their
// département and circonscription (not a commune: a scope of communes reads the rows).
var usagesKeptTerritory = Territory{Departement: "departement_code", Circonscription: "code_circonscription"}

// usageFigureColumns are the figure columns of a usage source, summed when grouped.
var usageFigureColumns = []string{"comptes_charges", "comptes_actives", "connexions", "visiteurs",
	"activation_charges", "activation_actives", "activite_actives", "activite_visiteurs"}

// usageGroups returns the figures of the months from first to last (YYYY-MM-01) grouped by
// the rows of level, by month ("mois") or all together (""), sorted by name (the école
// level by month, latest first, then profile).
func (s *Store) usageGroups(db *gorm.DB, scope Scope, f UsageFilter, first, last time.Time, level string) ([]UsageLine, error) {
	src := s.usageSource(db, scope, f, first, last, level)
	key := usageKey(level)
	sums := make([]string, len(usageFigureColumns))
	outer := make([]string, len(usageFigureColumns))
	for i, c := range usageFigureColumns {
		sums[i] = "SUM(src." + c + ") AS " + c
		outer[i] = "SUM(p." + c + ") AS " + c
	}
	perProfile := db.Table("(?) AS src", src).
		Select(key + " AS code, src.profil, SUM(src.ecoles) AS ecoles, " + strings.Join(sums, ", ")).
		Group(key + ", src.profil")
	join, label := usageLabel(level)
	q := db.Table("(?) AS p", perProfile)
	if join != "" {
		q = q.Joins(join)
	}
	var rows []struct {
		Code  string
		Label string
		UsageFigures
	}
	group := "p.code"
	if join != "" {
		group += ", " + label
	}
	err := q.Select("p.code, " + label + " AS label, MAX(p.ecoles) AS ecoles, " + strings.Join(outer, ", ")).
		Group(group).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]UsageLine, len(rows))
	for i, r := range rows {
		out[i] = UsageLine{Code: r.Code, Label: r.Label, UsageFigures: r.UsageFigures}
	}
	sortUsageLines(level, out)
	return out, nil
}

// usageLabel is the join and the expression naming the rows of level.
func usageLabel(level string) (join, label string) {
	switch level {
	case "academie":
		return "LEFT JOIN departements AS l ON l.code = p.code", "COALESCE(l.nom, p.code)"
	case "departement":
		return "LEFT JOIN circonscriptions AS l ON l.code = p.code", "COALESCE(l.nom, 'Sans circonscription')"
	case "circonscription", "epci":
		return "LEFT JOIN communes AS l ON l.code_insee = p.code", "COALESCE(l.nom, p.code)"
	case "commune":
		return "LEFT JOIN ecoles AS l ON l.uai = p.code", "COALESCE(l.nom, p.code)"
	}
	return "", "''"
}

// sortUsageLines sorts the rows by name (French order), the months in order, and the
// école's months latest first, each by profile.
func sortUsageLines(level string, lines []UsageLine) {
	switch level {
	case "", "mois":
		slices.SortFunc(lines, func(a, b UsageLine) int { return strings.Compare(a.Code, b.Code) })
	case "ecole":
		order := map[string]int{}
		for i, p := range UsageProfils {
			order[p.Value] = i
		}
		for i := range lines {
			lines[i].Mois, lines[i].Profil, _ = strings.Cut(lines[i].Code, "|")
			lines[i].Label = LabelOf(UsageProfils, lines[i].Profil)
		}
		slices.SortFunc(lines, func(a, b UsageLine) int {
			if c := strings.Compare(b.Mois, a.Mois); c != 0 {
				return c
			}
			return order[a.Profil] - order[b.Profil]
		})
	default:
		slices.SortFunc(lines, func(a, b UsageLine) int {
			if c := strings.Compare(SearchKey(a.Label), SearchKey(b.Label)); c != 0 {
				return c
			}
			return strings.Compare(a.Code, b.Code)
		})
	}
}

// usageKey is the expression grouping a source's rows into the rows of level.
func usageKey(level string) string {
	switch level {
	case "", "mois": // the total is read for one month
		return "src.mois"
	case "academie":
		return "src.departement_code"
	case "departement":
		return "COALESCE(src.code_circonscription, '')"
	case "circonscription", "epci":
		return "src.code_insee"
	case "commune":
		return "src.uai"
	}
	return "src.mois || '|' || src.profil" // the école's months × profiles
}

// keptUsable reports whether the kept monthly figures answer the filter at this level: they
// hold départements and circonscriptions, not communes, EPCI or écoles.
func keptUsable(scope Scope, f UsageFilter, level string) bool {
	switch level {
	case "", "mois", "academie", "departement":
		return scope.Kind != ScopeCommunes && f.EPCI == "" && f.Commune == "" && f.UAI == ""
	}
	return false
}

// UsageEcoleName returns the name of the école uai when the scope reaches it (where its
// usage figures lie), ErrNotFound otherwise.
func (s *Store) UsageEcoleName(ctx context.Context, scope Scope, uai string) (string, error) {
	var names []string
	err := scope.within(s.db.WithContext(ctx).Table("ecoles AS e"), "e", usagesTerritory, reachRead).
		Where("e.uai = ?", dbText(uai)).Limit(1).Pluck("e.nom", &names).Error
	if err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "", ErrNotFound
	}
	return names[0], nil
}

// UsageMonths returns the months with figures in the scope, latest first (YYYY-MM).
func (s *Store) UsageMonths(ctx context.Context, scope Scope) ([]string, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	return s.usageMonths(s.db.WithContext(ctx), scope)
}
