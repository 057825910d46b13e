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
}

// Any reports whether something needs attention.
func (a Attention) Any() bool {
	return a.ActionsEnRetard > 0 || a.JalonsEnRetard > 0 || a.SessionsAClore > 0 || a.CandidaturesANoter > 0
}

// AttentionOf counts what needs the actor's attention: the late actions and milestones of
// their scope for everyone; the sessions to close for the roles that take attendance; the
// candidatures to decide for the roles that run the campaigns.
func (s *Store) AttentionOf(ctx context.Context, actor Actor) (Attention, error) {
	one := PageRequest{Size: 1}
	out := Attention{SessionsAClore: -1, CandidaturesANoter: -1}
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
