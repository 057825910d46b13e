package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// EachRestitutionRow streams the rows of a file of the restitution to fn, one at a time, its
// values in the order of t.Fields: nil (unknown), string, int64, float64, bool, or a date as
// a time.Time at midnight UTC (amounts stay in cents: see RestitutionField.Cents). The bundle
// is the académie's: only a scope that covers the whole académie reads it (ErrForbidden
// otherwise), so that a narrower user never receives figures of a territory they do not see.
func (s *Store) EachRestitutionRow(ctx context.Context, scope Scope, t RestitutionTable, fn func([]any) error) error {
	if !scope.CoversAcademie() {
		return ErrForbidden
	}
	if t.each != nil {
		return t.each(ctx, s, scope, fn)
	}
	rows, err := s.db.WithContext(ctx).Raw(t.query(s)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]any, len(t.Fields))
	for i, f := range t.Fields {
		switch f.Type {
		case RestInteger:
			dest[i] = new(sql.NullInt64)
		case RestNumber:
			if f.Cents {
				dest[i] = new(sql.NullInt64)
			} else {
				dest[i] = new(sql.NullFloat64)
			}
		case RestBoolean:
			dest[i] = new(sql.NullBool)
		case RestDate:
			dest[i] = new(any)
		default:
			dest[i] = new(sql.NullString)
		}
	}
	row := make([]any, len(t.Fields))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, d := range dest {
			if row[i], err = restValue(d); err != nil {
				return fmt.Errorf("restitution %s, colonne %s : %w", t.Name, t.Fields[i].Name, err)
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// restValue is the plain value of a scanned column.
func restValue(d any) (any, error) {
	switch v := d.(type) {
	case *sql.NullInt64:
		if v.Valid {
			return v.Int64, nil
		}
	case *sql.NullFloat64:
		if v.Valid {
			return v.Float64, nil
		}
	case *sql.NullBool:
		if v.Valid {
			return v.Bool, nil
		}
	case *sql.NullString:
		if v.Valid {
			return v.String, nil
		}
	case *any:
		return restDate(*v)
	}
	return nil, nil
}

// restDate reads a date as the drivers give it: a time (PostgreSQL, and SQLite for a column
// declared DATE or TIMESTAMP) or the text SQLite stores ("2012-09-03 00:00:00+00:00",
// "2012-09-03" from an expression); an instant counts for its day in UTC.
func restDate(v any) (any, error) {
	var s string
	switch d := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		u := d.UTC()
		return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC), nil
	case string:
		s = d
	case []byte:
		s = string(d)
	default:
		return nil, fmt.Errorf("date illisible : %T", v)
	}
	if len(s) < 10 {
		return nil, fmt.Errorf("date illisible : %q", s)
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return nil, fmt.Errorf("date illisible : %q", s)
	}
	return t, nil
}

// restPlanBatch is how many plans eachFinancementShare reads at a time.
const restPlanBatch = 200

// eachFinancementShare streams, plan by plan (by keyset on the id), each commune's share of
// each total of the plan (year × funder × nature), split by the plan's key with the same
// weights as the plan's page (FinancementPlan.shares): the shares add up to the totals.
func eachFinancementShare(ctx context.Context, s *Store, scope Scope, fn func([]any) error) error {
	var after int64
	for {
		var ids []int64
		if err := scope.restrictTo(s.db.WithContext(ctx).Table("financements AS f"), EntityFinancement, "f").
			Where("f.archived_at IS NULL AND f.id > ?", after).Order("f.id").Limit(restPlanBatch).
			Pluck("f.id", &ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			p, err := s.GetFinancementPlan(ctx, scope, id)
			if err != nil {
				return err
			}
			if err := planShares(p, fn); err != nil {
				return err
			}
		}
		if len(ids) < restPlanBatch {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// planShares emits the rows of one plan.
func planShares(p FinancementPlan, fn func([]any) error) error {
	weights := make([]int64, len(p.CommunesDetail))
	for i, c := range p.CommunesDetail {
		weights[i] = c.Weight
	}
	for _, t := range p.Totals {
		prevu, realise := SplitCents(t.Prevu, weights), SplitCents(t.Realise, weights)
		for i, c := range p.CommunesDetail {
			var r any
			if t.NbRealises > 0 {
				r = realise[i]
			}
			if err := fn([]any{p.ID, c.CodeINSEE, c.Nom, p.DepartementCode, p.Portage, p.CleRepartition,
				int64(t.Annee), t.TypeAnnee, t.Financeur, t.Nature, prevu[i], r}); err != nil {
				return err
			}
		}
	}
	return nil
}

// RestitutionAcademie is the name of the académie the bundle describes ("Créteil"): that of
// its départements, "" when none is loaded.
func (s *Store) RestitutionAcademie(ctx context.Context) (string, error) {
	var names []string
	err := s.db.WithContext(ctx).Table("departements").Distinct("academie").Order("academie").Limit(1).Pluck("academie", &names).Error
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}
