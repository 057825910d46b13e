package models

import (
	"cmp"
	"context"
	"errors"
	"net/url"
)

// The dashboards (issue 15): the académie's, or one département's, as the steering
// committee reads them. Every count is the total of a list with the same filters, read by
// the list's own function, and carries the address of that list: the figure and the list
// agree by construction, and a test walks them.

// Figure is a count with the list it comes from.
type Figure struct {
	Label string
	Value int64
	Href  string
}

// DashboardRequest chooses a dashboard: the académie's (Departement "") or a
// département's; the level of the rollout's breakdown (ProgressLevels; by default the
// département for the académie, the circonscription for a département); the baseline the
// slippage is measured against (0: the latest the scope reads); the threshold of the écoles
// to watch (percent of pupils; 0: DefaultUsageThreshold).
type DashboardRequest struct {
	Departement string
	Par         string
	Reference   int64
	Seuil       int
}

// Dashboard is the académie's dashboard (Departement "") or a département's, in a scope.
type Dashboard struct {
	Departement string
	Par         string
	Progress    Progress // by Par
	Ouvertures  []QuarterOpenings
	Reference   *ReferenceRow // the baseline of the slippage (nil: none frozen)
	Glissement  *Comparison   // the slippage by wave against Reference (actuals)
	Financement DashboardFinancement
	Usage       DashboardUsage
	Conventions []Figure // by status
	Charte      *Coverage
	Formation   []Figure // sessions held, teachers trained, écoles opened with nobody trained
	Formes      FormationCoverageRow
	Evaluations EvaluationRow
	Gouvernance []Figure // open and late actions (the académie's dashboard)
}

// listHref is a list's address with its filters (empty values left out).
func listHref(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// DashboardOf returns the dashboard r asks for, in the actor's scope.
func (s *Store) DashboardOf(ctx context.Context, actor Actor, r DashboardRequest) (Dashboard, error) {
	dep := r.Departement
	d := Dashboard{Departement: dep, Par: r.Par}
	scope := actor.Scope
	if !progressLevel(d.Par) || d.Par == "departement" && dep != "" {
		d.Par = "departement"
		if dep != "" {
			d.Par = "circonscription"
		}
	}
	var err error
	if d.Progress, err = s.DeploiementProgress(ctx, scope, d.Par, dep); err != nil {
		return d, err
	}
	if d.Ouvertures, err = s.OpeningsByQuarter(ctx, scope, dep); err != nil {
		return d, err
	}
	if err := s.dashboardGlissement(ctx, scope, r, &d); err != nil {
		return d, err
	}
	for _, st := range ConventionStatuts {
		page, err := s.ListConventions(ctx, scope, ConventionFilter{Statut: st.Value, Departement: dep}, PageRequest{Size: 1})
		if err != nil {
			return d, err
		}
		d.Conventions = append(d.Conventions, Figure{st.Label, page.Total, listHref("/conventions", "statut", st.Value, "departement", dep)})
	}
	if err := s.dashboardCharte(ctx, scope, &d); err != nil {
		return d, err
	}
	if err := s.dashboardFormation(ctx, scope, &d); err != nil {
		return d, err
	}
	if d.Financement, err = s.DashboardFinancementOf(ctx, scope, dep); err != nil {
		return d, err
	}
	if d.Usage, err = s.DashboardUsageOf(ctx, scope, dep, cmp.Or(r.Seuil, DefaultUsageThreshold)); err != nil {
		return d, err
	}
	if dep == "" {
		err = s.dashboardGouvernance(ctx, scope, &d)
	}
	return d, err
}

// dashboardGlissement compares the chosen baseline (the latest by default) with the
// actuals, by wave.
func (s *Store) dashboardGlissement(ctx context.Context, scope Scope, r DashboardRequest, d *Dashboard) error {
	id := r.Reference
	if id == 0 {
		refs, err := s.ListReferences(ctx, scope, PageRequest{Size: 1})
		if err != nil || len(refs.Items) == 0 {
			return err
		}
		id = refs.Items[0].ID
	}
	ref, err := s.GetReference(ctx, scope, id)
	if err != nil {
		return err
	}
	c, err := s.SlippageByWave(ctx, scope, id, CompareFilter{Mode: CompareActuals, Departement: r.Departement})
	if err != nil {
		return err
	}
	d.Reference, d.Glissement = &ref, &c
	return nil
}

// dashboardCharte reads the charter's coverage (none before a version is adopted).
func (s *Store) dashboardCharte(ctx context.Context, scope Scope, d *Dashboard) error {
	cov, err := s.CoverageOf(ctx, scope)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Departement != "" {
		for _, r := range cov.Departements {
			if r.Code == d.Departement {
				cov.Departements, cov.Total = []CoverageRow{r}, r
				break
			}
		}
	}
	d.Charte = &cov
	return nil
}

// dashboardFormation reads the sessions held, the coverage of the écoles opened and the
// evaluations.
func (s *Store) dashboardFormation(ctx context.Context, scope Scope, d *Dashboard) error {
	held, err := s.ListFormations(ctx, scope, FormationFilter{Statut: FormationTenue, Departement: d.Departement}, PageRequest{Size: 1})
	if err != nil {
		return err
	}
	cov, err := s.CoverageFormation(ctx, scope, CoverageFilter{Departement: d.Departement}, "departement")
	if err != nil {
		return err
	}
	ev, err := s.EvaluationSummary(ctx, scope, EvaluationFilter{Departement: d.Departement}, "departement")
	if err != nil {
		return err
	}
	d.Formes, d.Evaluations = cov.Total, ev.Total
	d.Formation = []Figure{
		{"Sessions tenues", held.Total, listHref("/formations", "statut", FormationTenue, "departement", d.Departement)},
		{"Enseignants formés", cov.Total.Formes, listHref("/formations/couverture", "departement", d.Departement)},
		{"Écoles ouvertes sans personne formée", cov.Total.SansFormation, listHref("/formations/couverture", "departement", d.Departement) + "#ecoles"},
	}
	return nil
}

// dashboardGouvernance reads the open and the late actions of the scope.
func (s *Store) dashboardGouvernance(ctx context.Context, scope Scope, d *Dashboard) error {
	open, err := s.ListActions(ctx, scope, ActionFilter{Statut: "ouverte"}, PageRequest{Size: 1})
	if err != nil {
		return err
	}
	late, err := s.ListActions(ctx, scope, ActionFilter{Overdue: true}, PageRequest{Size: 1})
	if err != nil {
		return err
	}
	d.Gouvernance = []Figure{{"Actions à faire ou en cours", open.Total, "/actions?statut=ouverte"},
		{"Actions en retard", late.Total, "/actions?retard=1"}}
	return nil
}
