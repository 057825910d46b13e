package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// archiveChange is the audit line of archiving and restoring a record.
func archiveChange(before, after string) Change {
	return Change{Field: "archive", Label: "Archivé", Old: before, New: after}
}

// markArchived archives the live row id of model's table (archive) or restores the archived
// one (!archive): archived_at set or cleared, updated_at now, version + 1. ErrNotFound when
// no such row; a database error is returned as is.
func (s *Store) markArchived(tx *gorm.DB, model any, id int64, archive bool) error {
	now := s.now().UTC()
	var at any
	cond := "archived_at IS NOT NULL"
	if archive {
		at, cond = now, "archived_at IS NULL"
	}
	res := tx.Model(model).Where("id = ? AND "+cond, id).Updates(map[string]any{
		"archived_at": at, "updated_at": now, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// auditArchived records the archiving (archive) or the restoration of the entity id.
func (s *Store) auditArchived(tx *gorm.DB, actor Actor, entity string, id int64, archive bool) error {
	if archive {
		return s.audit(tx, actor, "archivage", entity, strconv.FormatInt(id, 10), []Change{archiveChange("non", "oui")})
	}
	return s.audit(tx, actor, "restauration", entity, strconv.FormatInt(id, 10), []Change{archiveChange("oui", "non")})
}

// setArchived archives or restores the row id of model's table (markArchived) and audits it
// under entity: the common tail of every archive and restore, once the record is read in
// the actor's scope and the write rule checked.
func (s *Store) setArchived(tx *gorm.DB, actor Actor, model any, entity string, id int64, archive bool) error {
	if err := s.markArchived(tx, model, id, archive); err != nil {
		return err
	}
	return s.auditArchived(tx, actor, entity, id, archive)
}

// setRecordArchived archives (archive) or restores the record id of entity in a
// transaction: read with get in the actor's scope (among the archived records to restore),
// refused with may's error, then setArchived.
func setRecordArchived[R any](ctx context.Context, s *Store, actor Actor, model any, entity string, id int64, archive bool,
	get func(tx *gorm.DB, scope Scope, id int64, archived bool) (R, error), may func(R) error) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := get(tx, actor.Scope, id, !archive)
		if err != nil {
			return err
		}
		if err := may(before); err != nil {
			return err
		}
		return s.setArchived(tx, actor, model, entity, id, archive)
	})
}

// forbiddenUnless is ErrForbidden unless ok.
func forbiddenUnless(ok bool) error {
	if !ok {
		return ErrForbidden
	}
	return nil
}
