package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ArchiveUser archives an account: it vanishes from the lists, can no longer sign in, its
// sessions, unused one-time links, API tokens and calendar feed end, and its email becomes
// free for a new account. Nothing is destroyed: RestoreUser brings it back. An
// administrator cannot archive their own account, nor the last active administrator.
func (s *Store) ArchiveUser(ctx context.Context, actor Actor, id int64) error {
	if actor.Role != RoleAdmin {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockAdmins(tx); err != nil {
			return err
		}
		before, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if actor.UserID == id {
			return &ValidationError{Errors: []FieldError{{Field: "archive", Msg: "Vous ne pouvez pas archiver votre propre compte."}}}
		}
		if err := keepOneAdmin(tx, before, "archive"); err != nil {
			return err
		}
		if err := s.markArchived(tx, &User{}, id, true); err != nil {
			return err
		}
		now := s.now().UTC()
		// An archived account keeps no way in: were it restored, old links and tokens
		// must not come back to life with it.
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"DELETE FROM sessions WHERE user_id = ?", []any{id}},
			{"DELETE FROM login_links WHERE user_id = ? AND used_at IS NULL", []any{id}},
			{"UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", []any{now, id}},
			{"DELETE FROM user_calendars WHERE user_id = ?", []any{id}},
		} {
			if err := tx.Exec(q.sql, q.args...).Error; err != nil {
				return err
			}
		}
		return s.auditArchived(tx, actor, "utilisateur", id, true)
	})
}

// RestoreUser brings an archived account back, as it was when archived (active or not, same
// role and scope). It is refused, with a French message on the field "email", when a live
// account now uses the same email.
func (s *Store) RestoreUser(ctx context.Context, actor Actor, id int64) (User, error) {
	if actor.Role != RoleAdmin {
		return User{}, ErrForbidden
	}
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getArchivedUser(tx, id)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&User{}).Where("email = ? AND archived_at IS NULL", before.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return emailUsedByLive()
		}
		if err := s.markArchived(tx, &User{}, id, false); err != nil {
			return err
		}
		if u, err = getUser(tx, id); err != nil {
			return err
		}
		return s.auditArchived(tx, actor, "utilisateur", id, false)
	})
	// A live account created with the same email at the same moment: the partial unique
	// index refuses the restoration.
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return User{}, emailUsedByLive()
	}
	return u, err
}

// emailUsedByLive refuses to restore an account whose email a live account now uses.
func emailUsedByLive() error {
	return &ValidationError{Errors: []FieldError{{Field: "email",
		Msg: "Un compte actif utilise déjà cette adresse électronique : changez l'adresse de ce compte ou archivez-le avant de restaurer celui-ci."}}}
}

// getArchivedUser reads one archived account with its communes (getUser reads only live ones).
func getArchivedUser(tx *gorm.DB, id int64) (User, error) {
	var u User
	if err := tx.Where("id = ? AND archived_at IS NOT NULL", id).Take(&u).Error; err != nil {
		return u, notFound(err)
	}
	if err := tx.Table("user_communes").Where("user_id = ?", id).Order("code_insee").Pluck("code_insee", &u.Communes).Error; err != nil {
		return u, err
	}
	return u, nil
}

// lockAdmins makes concurrent changes that could remove the last administrator wait for
// each other. SQLite write transactions already hold the database lock from their start
// (_txlock=immediate); PostgreSQL needs the administrators' rows locked.
func (s *Store) lockAdmins(tx *gorm.DB) error {
	if s.dialect != Postgres {
		return nil
	}
	var ids []int64
	return tx.Raw("SELECT id FROM users WHERE role = ? AND active AND archived_at IS NULL FOR UPDATE", RoleAdmin).Scan(&ids).Error
}
