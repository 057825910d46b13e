package models

import (
	"context"
	"fmt"
	"strconv"
)

// The dashboards' openings per quarter: the écoles whose opening is planned in the quarter
// (the current plan) against those actually opened in it, and both cumulated.

// QuarterOpenings is one calendar quarter of openings.
type QuarterOpenings struct {
	Annee, Trimestre    int
	Prevues, Effectives int64 // planned in the quarter, opened in it
	PrevuesCumul        int64 // planned up to the end of the quarter
	EffectivesCumul     int64 // opened up to the end of the quarter
}

// Label is the quarter in French: « T1 2026 ».
func (q QuarterOpenings) Label() string { return fmt.Sprintf("T%d %d", q.Trimestre, q.Annee) }

// monthCount is a number of deployments by month (YYYY-MM).
type monthCount struct {
	Mois string
	N    int64
}

// OpeningsByQuarter returns the quarters from the first planned or actual opening to the
// last, for the deployments of the scope (within the département dep when set) that are
// not abandoned.
func (s *Store) OpeningsByQuarter(ctx context.Context, scope Scope, dep string) ([]QuarterOpenings, error) {
	db := s.db.WithContext(ctx)
	count := func(col string) (map[int]int64, error) {
		month := "substr(" + s.dayText("d."+col) + ", 1, 7)"
		q := scope.within(db.Table("deploiements AS d"), "d", deploiementsTerritory, reachRead).
			Where("d." + col + " IS NOT NULL AND d.phase <> 'abandonne'")
		if dep = dbText(dep); dep != "" {
			q = q.Where("d.departement_code = ?", dep)
		}
		var rows []monthCount
		if err := q.Select(month + " AS mois, COUNT(*) AS n").Group(month).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := map[int]int64{}
		for _, r := range rows {
			y, err1 := strconv.Atoi(r.Mois[:min(4, len(r.Mois))])
			m, err2 := strconv.Atoi(r.Mois[min(5, len(r.Mois)):])
			if err1 == nil && err2 == nil && m >= 1 && m <= 12 {
				out[y*4+(m-1)/3] += r.N
			}
		}
		return out, nil
	}
	planned, err := count("ouverture_prevue")
	if err != nil {
		return nil, err
	}
	actual, err := count("ouverture_effective")
	if err != nil {
		return nil, err
	}
	return cumulateQuarters(planned, actual), nil
}

// cumulateQuarters lays out every quarter between the first and the last of either map
// (keys year*4 + quarter-1), with the running totals.
func cumulateQuarters(planned, actual map[int]int64) []QuarterOpenings {
	lo, hi, seen := 0, 0, false
	for _, m := range []map[int]int64{planned, actual} {
		for k := range m {
			if !seen || k < lo {
				lo = k
			}
			if !seen || k > hi {
				hi = k
			}
			seen = true
		}
	}
	if !seen {
		return nil
	}
	out := make([]QuarterOpenings, 0, hi-lo+1)
	var p, a int64
	for k := lo; k <= hi; k++ {
		p, a = p+planned[k], a+actual[k]
		out = append(out, QuarterOpenings{Annee: k / 4, Trimestre: k%4 + 1, Prevues: planned[k], Effectives: actual[k],
			PrevuesCumul: p, EffectivesCumul: a})
	}
	return out
}
