package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// recordEdit describes the one write path of an existing record of an entity: read in the
// actor's scope (ErrNotFound outside it), the write rule, the version (*ConflictError when
// stale), the new values, the conditional update, what changes with it, the record read
// again and the audit of its changed fields, all in one transaction.
type recordEdit[R interface{ auditValues() map[string]string }] struct {
	entity  string   // the audit's entity, "decision"
	model   any      // the gorm model of the table, &Decision{}
	fields  []Choice // the audited fields
	get     func(tx *gorm.DB, scope Scope, id int64, archived bool) (R, error)
	version func(R) int
	may     func(tx *gorm.DB, before R) error // the write rule on the record as it is
}

// apply changes the record id still at version to values(before), then runs after
// (optional) in the same transaction. values returns a nil map when nothing changes: the
// record is returned as it is, nothing is written nor audited.
func (e recordEdit[R]) apply(ctx context.Context, s *Store, actor Actor, id int64, version int,
	values func(tx *gorm.DB, before R) (map[string]any, error), after func(tx *gorm.DB) error) (R, error) {
	var row R
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := e.get(tx, actor.Scope, id, false)
		if err != nil {
			return err
		}
		if err := e.may(tx, before); err != nil {
			return err
		}
		key := strconv.FormatInt(id, 10)
		if e.version(before) != version {
			return s.conflict(tx, e.entity, key, before)
		}
		set, err := values(tx, before)
		if err != nil {
			return err
		}
		if set == nil {
			row = before
			return nil
		}
		current := func() (any, error) { return e.get(tx, actor.Scope, id, false) }
		if err := s.updateVersioned(tx, e.model, e.entity, id, version, set, current); err != nil {
			return err
		}
		if after != nil {
			if err := after(tx); err != nil {
				return err
			}
		}
		if row, err = e.get(tx, actor.Scope, id, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", e.entity, key, diff(e.fields, before.auditValues(), row.auditValues()))
	})
	return row, err
}
