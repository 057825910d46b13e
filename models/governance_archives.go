package models

import (
	"context"
)

// Governance lists beyond the pages' own: the archived bodies, meetings and actions (for
// their archives pages), every body matching a filter (exports), and the agenda items and
// decision counts of a set of meetings (exports and API).

// ListArchivedInstances returns one page of the archived bodies of the actor's scope that
// the actor may restore (canWriteInstance), last archived first. For the roles that write
// no body the list is empty.
func (s *Store) ListArchivedInstances(ctx context.Context, actor Actor, p PageRequest) (Page[InstanceRow], error) {
	return archivedPage(actor, p, func(rows *[]InstanceRow) error {
		return withDepartementName(instancesIn(s.db.WithContext(ctx), actor.Scope, true)).
			Order("i.archived_at DESC, i.id DESC").Scan(rows).Error
	}, func(r InstanceRow) bool { return canWriteInstance(actor, r.Instance) })
}

// ListArchivedReunions returns one page of the archived meetings of live bodies of the
// actor's scope that the actor may restore, last archived first; empty for the roles that
// write no body.
func (s *Store) ListArchivedReunions(ctx context.Context, actor Actor, p PageRequest) (Page[ReunionRow], error) {
	return archivedPage(actor, p, func(rows *[]ReunionRow) error {
		return reunionsIn(s.db.WithContext(ctx), actor.Scope, true).Select(reunionColumns).
			Order("r.archived_at DESC, r.id DESC").Scan(rows).Error
	}, func(r ReunionRow) bool { return canWriteInstance(actor, r.instance()) })
}

// ListArchivedActions returns one page of the archived actions of live meetings (and live
// decisions) of the actor's scope that the actor may restore (CanWriteAction), last
// archived first; empty for the roles that write no body.
func (s *Store) ListArchivedActions(ctx context.Context, actor Actor, p PageRequest) (Page[ActionRow], error) {
	return archivedPage(actor, p, func(rows *[]ActionRow) error {
		db := s.db.WithContext(ctx)
		if err := withOwners(actionsIn(db, actor.Scope, true)).Order("a.archived_at DESC, a.id DESC").Scan(rows).Error; err != nil {
			return err
		}
		return publishOwners(db, actor.Scope, *rows)
	}, func(r ActionRow) bool { return CanWriteAction(actor, r) })
}

// archivedPage returns one page of the archived rows that scan reads, last archived first,
// keeping those the actor may restore (mine); empty for the roles that write no body.
func archivedPage[T any](actor Actor, p PageRequest, scan func(*[]T) error, mine func(T) bool) (Page[T], error) {
	p = p.normalized()
	page := Page[T]{Number: p.Number, Size: p.Size}
	if !CanCreateInstances(actor) {
		return page, nil
	}
	var rows []T
	if err := scan(&rows); err != nil {
		return page, err
	}
	var kept []T
	for _, r := range rows {
		if mine(r) {
			kept = append(kept, r)
		}
	}
	return pageOf(kept, p), nil
}

// pageOf cuts one page out of rows already filtered and ordered.
func pageOf[T any](rows []T, p PageRequest) Page[T] {
	page := Page[T]{Number: p.Number, Size: p.Size, Total: int64(len(rows))}
	if from := p.offset(); from < len(rows) {
		page.Items = rows[from:min(from+p.Size, len(rows))]
	}
	return page
}

// EachInstance calls fn for every live body of the scope matching f, in the order of the
// list.
func (s *Store) EachInstance(ctx context.Context, scope Scope, f InstanceFilter, fn func(InstanceRow) error) error {
	var rows []InstanceRow
	if err := withDepartementName(filterInstances(instancesIn(s.db.WithContext(ctx), scope, false), f)).
		Order("COALESCE(i.departement_code, '') ASC, i.nom ASC, i.id ASC").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// ReunionPoints returns the agenda items of the meetings, by meeting id, in order. The
// ids come from a scoped list: this function does not check the scope again.
func (s *Store) ReunionPoints(ctx context.Context, ids []int64) (map[int64][]ReunionPoint, error) {
	out := map[int64][]ReunionPoint{}
	for chunk := range chunks(ids, 500) {
		var points []ReunionPoint
		if err := s.db.WithContext(ctx).Where("reunion_id IN ?", chunk).Order("reunion_id, position, id").Find(&points).Error; err != nil {
			return nil, err
		}
		for _, p := range points {
			out[p.ReunionID] = append(out[p.ReunionID], p)
		}
	}
	return out, nil
}

// ReunionDecisionCounts returns the number of live decisions of each meeting, by meeting
// id (absent: none). Like ReunionPoints, the ids come from a scoped list.
func (s *Store) ReunionDecisionCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	for chunk := range chunks(ids, 500) {
		var rows []struct {
			ReunionID int64
			N         int
		}
		if err := s.db.WithContext(ctx).Table("decisions").Select("reunion_id, COUNT(*) AS n").
			Where("reunion_id IN ? AND archived_at IS NULL", chunk).Group("reunion_id").Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ReunionID] = r.N
		}
	}
	return out, nil
}

// chunks yields ids by groups of at most n, for IN lists of bounded length.
func chunks(ids []int64, n int) func(func([]int64) bool) {
	return func(yield func([]int64) bool) {
		for len(ids) > 0 {
			k := min(n, len(ids))
			if !yield(ids[:k]) {
				return
			}
			ids = ids[k:]
		}
	}
}
