package models

import (
	"strconv"

	"gorm.io/gorm"
)

// updateVersioned writes values on the live row id of model's table if it is still at
// version, with updated_at now and version + 1. When no row matches (another write came
// first, or the row was archived), it rereads the record with current and returns the
// conflict of entity; a database error is returned as is.
func (s *Store) updateVersioned(tx *gorm.DB, model any, entity string, id int64, version int, values map[string]any, current func() (any, error)) error {
	values["updated_at"], values["version"] = s.now().UTC(), gorm.Expr("version + 1")
	res := tx.Model(model).Where("id = ? AND version = ? AND archived_at IS NULL", id, version).Updates(values)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected > 0 {
		return nil
	}
	now, err := current()
	if err != nil {
		return err
	}
	return s.conflict(tx, entity, strconv.FormatInt(id, 10), now)
}
