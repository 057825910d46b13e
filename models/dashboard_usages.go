package models

import (
	"context"
	"strconv"
)

// The dashboards' ENT usage: the activation and activity rates of the latest month with
// figures, by département (académie) or circonscription (a département), and the écoles
// opened to watch, linked to the usage page that lists them.

// DashboardUsage is the usage section of a dashboard; Mois is "" without figures.
type DashboardUsage struct {
	Mois  string // YYYY-MM
	Total UsageFigures
	Rows  []UsageLine
	Href  string
	// Watch counts the écoles opened under the threshold; nil when there are too many écoles
	// opened in the scope for the count on a page (UsageDetailed).
	Watch     *Figure
	Threshold int
}

// DashboardUsageOf reads the usage section of the scope (within the département dep when
// set) for a threshold in percent of the pupils.
func (s *Store) DashboardUsageOf(ctx context.Context, scope Scope, dep string, threshold int) (DashboardUsage, error) {
	// A level lists the units below it: the académie its départements, a département its
	// circonscriptions.
	f := UsageFilter{Departement: dep, Niveau: "academie"}
	if dep != "" {
		f.Niveau = "departement"
	}
	out := DashboardUsage{Threshold: threshold, Href: listHref("/usages", "departement", dep)}
	st, err := s.Usages(ctx, scope, f, 0)
	if err != nil || len(st.Months) == 0 {
		return out, err
	}
	out.Mois, out.Total, out.Rows = st.Filter.Mois, st.Total, st.Rows
	f.Mois, f.Niveau = st.Filter.Mois, ""
	detailed, err := s.UsageDetailed(ctx, scope, f)
	if err != nil || !detailed {
		return out, err
	}
	_, n, err := s.UsageWatch(ctx, scope, f, threshold, 1)
	if err != nil {
		return out, err
	}
	out.Watch = &Figure{Label: "Écoles ouvertes à surveiller", Value: n,
		Href: listHref("/usages", "departement", dep, "mois", f.Mois, "seuil", strconv.Itoa(threshold)) + "#a-surveiller"}
	return out, nil
}
