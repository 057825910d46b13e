package models

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// ConventionPlan is a financing plan shown on a convention's page, with how it covers the
// convention: attached to it, or covering some of its communes while attached to its
// parent convention, to another convention or to none (a commune's or a group's plan).
type ConventionPlan struct {
	FinancementRow
	Own bool   // attached to the convention itself
	How string // "Rattaché à la convention parente CRE-93-2012-001 ; plan de la commune de Bobigny."
}

// PlansCoveringConvention returns the live plans of the scope that cover the convention:
// those attached to it, then (by title) those that cover one of its communes, wherever
// they are attached. A convention without communes (cadre, départementale) gets its own.
func (s *Store) PlansCoveringConvention(ctx context.Context, scope Scope, c ConventionRow) ([]ConventionPlan, error) {
	db := s.db.WithContext(ctx)
	codes := make([]string, len(c.Communes))
	for i, cc := range c.Communes {
		codes[i] = cc.CodeINSEE
	}
	q := withFinancementJoins(financementsIn(db, scope, false)).Select(financementColumns)
	if len(codes) > 0 {
		q = q.Where("(f.convention_id = ? OR f.id IN (SELECT xfc.financement_id FROM financement_communes xfc WHERE xfc.code_insee IN ?))", c.ID, codes)
	} else {
		q = q.Where("f.convention_id = ?", c.ID)
	}
	var rows []FinancementRow
	if err := q.Order(financementOrder).Limit(MaxPageSize).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if err := withFinancementTotals(db, rows); err != nil {
		return nil, err
	}
	out := make([]ConventionPlan, len(rows))
	for i, r := range rows {
		out[i] = ConventionPlan{FinancementRow: r, Own: r.ConventionID != nil && *r.ConventionID == c.ID, How: planCoverage(r, c, codes)}
	}
	slices.SortStableFunc(out, func(a, b ConventionPlan) int {
		switch {
		case a.Own == b.Own:
			return 0
		case a.Own:
			return -1
		}
		return 1
	})
	return out, nil
}

// planCoverage says in French how the plan covers the convention whose communes are codes.
func planCoverage(r FinancementRow, c ConventionRow, codes []string) string {
	var attached string
	switch {
	case r.ConventionID != nil && *r.ConventionID == c.ID:
		attached = "Rattaché à cette convention"
	case r.ConventionID != nil && c.ParentID != nil && *r.ConventionID == *c.ParentID:
		attached = "Rattaché à la convention parente " + deref(r.ConventionReference)
	case r.ConventionID != nil:
		attached = "Rattaché à la convention " + deref(r.ConventionReference)
	default:
		attached = "Sans convention"
	}
	var ours []string // the convention's communes the plan covers, by name
	for i, code := range r.CommuneCodes {
		if slices.Contains(codes, code) {
			ours = append(ours, r.Communes[i])
		}
	}
	n := len(r.CommuneCodes)
	var portage string
	switch {
	case r.Portage == PortageCommune && n == 1:
		portage = "plan de la commune de " + r.Communes[0]
	case r.Portage == PortageIntercommunalite:
		portage = "porté par l'intercommunalité " + r.EPCILabel() + " pour " + strconv.Itoa(n) + " communes"
	case r.Portage == PortageGroupement:
		portage = "groupement de commandes de " + strconv.Itoa(n) + " communes"
	default:
		portage = strconv.Itoa(n) + " communes"
	}
	if n > 1 && len(ours) > 0 {
		portage += ", dont " + strings.Join(ours, ", ")
	}
	return attached + " ; " + portage + "."
}
