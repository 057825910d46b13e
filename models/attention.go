package models

import "context"

// Attention is what needs the user's attention in their scope, for the home page: each
// count is the total of a list with one filter (the page links to it, and they agree by
// construction), or -1 when the role has nothing to do with it (the home page hides it).
type Attention struct {
	ActionsEnRetard    int64 // open actions past their due date (/actions?retard=1)
	JalonsEnRetard     int64 // milestones past their date, not reached (/jalons?retard=1)
	SessionsAClore     int64 // sessions past, attendance not taken (/formations?statut=a_clore)
	CandidaturesANoter int64 // candidatures without a decision (/candidatures?decision=sans)
	// EcolesASurveiller counts the écoles opened whose pupils' accounts are activated under
	// the threshold, in the latest month with figures (/usages?mois=…#a-surveiller): -1
	// without figures, or with too many écoles opened for the count on a page.
	EcolesASurveiller int64
	UsageMois         string // that month, YYYY-MM
}

// Any reports whether something needs attention.
func (a Attention) Any() bool {
	return a.ActionsEnRetard > 0 || a.JalonsEnRetard > 0 || a.SessionsAClore > 0 || a.CandidaturesANoter > 0 ||
		a.EcolesASurveiller > 0
}

// AttentionOf counts what needs the actor's attention: the late actions and milestones of
// their scope for everyone; the sessions to close for the roles that take attendance; the
// candidatures to decide for the roles that run the campaigns; the écoles opened to watch
// for a threshold in percent of their pupils.
func (s *Store) AttentionOf(ctx context.Context, actor Actor, threshold int) (Attention, error) {
	one := PageRequest{Size: 1}
	out := Attention{SessionsAClore: -1, CandidaturesANoter: -1, EcolesASurveiller: -1}
	if err := s.attentionUsage(ctx, actor.Scope, threshold, &out); err != nil {
		return out, err
	}
	actions, err := s.ListActions(ctx, actor.Scope, ActionFilter{Overdue: true}, one)
	if err != nil {
		return out, err
	}
	jalons, err := s.ListJalons(ctx, actor.Scope, JalonFilter{EnRetard: true}, one)
	if err != nil {
		return out, err
	}
	out.ActionsEnRetard, out.JalonsEnRetard = actions.Total, jalons.Total
	if CanCreate(actor, EntityFormation) && MayTakeAttendance(actor) {
		sessions, err := s.ListFormations(ctx, actor.Scope, FormationFilter{Statut: FormationAClore}, one)
		if err != nil {
			return out, err
		}
		out.SessionsAClore = sessions.Total
	}
	if CanCreateCampagnes(actor) {
		cands, err := s.ListCandidatures(ctx, actor.Scope, CandidatureFilter{Decision: "sans"}, one)
		if err != nil {
			return out, err
		}
		out.CandidaturesANoter = cands.Total
	}
	return out, nil
}

// attentionUsage counts the écoles opened to watch in the latest month with figures, when
// the scope's écoles opened are few enough for a page (UsageDetailed).
func (s *Store) attentionUsage(ctx context.Context, scope Scope, threshold int, out *Attention) error {
	months, err := s.UsageMonths(ctx, scope)
	if err != nil || len(months) == 0 {
		return err
	}
	f := UsageFilter{Mois: months[0]}
	detailed, err := s.UsageDetailed(ctx, scope, f)
	if err != nil || !detailed {
		return err
	}
	_, n, err := s.UsageWatch(ctx, scope, f, threshold, 1)
	out.EcolesASurveiller, out.UsageMois = n, months[0]
	return err
}
