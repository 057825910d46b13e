package models

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// UserCalendar is an account's personal calendar feed ("Mon agenda"): the secret token of
// its URL is the only credential, and only its SHA-256 is stored. An account has at most
// one; renewing replaces the token, revoking deletes the row.
type UserCalendar struct {
	UserID    int64 `gorm:"primaryKey;autoIncrement:false"`
	TokenHash string
	CreatedAt time.Time
}

// TableName is the user_calendars table.
func (UserCalendar) TableName() string { return "user_calendars" }

// UserCalendarOf returns the account's live feed, nil when it has none.
func (s *Store) UserCalendarOf(ctx context.Context, userID int64) (*UserCalendar, error) {
	var rows []UserCalendar
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// NewUserCalendar gives the actor's own account a new feed token and returns it; it is
// never shown again. An existing feed is renewed: its old URL stops working at once.
func (s *Store) NewUserCalendar(ctx context.Context, actor Actor) (string, error) {
	if actor.UserID <= 0 {
		return "", ErrForbidden
	}
	token, hash, err := newSecret("")
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getUser(tx, actor.UserID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&UserCalendar{}).Where("user_id = ?", actor.UserID).Count(&n).Error; err != nil {
			return err
		}
		change := Change{Field: "agenda", Label: "Lien d'agenda", New: "créé"}
		if n > 0 {
			change = Change{Field: "agenda", Label: "Lien d'agenda", Old: "ancien lien", New: "nouveau lien"}
			if err := tx.Model(&UserCalendar{}).Where("user_id = ?", actor.UserID).
				Updates(map[string]any{"token_hash": hash, "created_at": s.now().UTC()}).Error; err != nil {
				return err
			}
		} else if err := tx.Create(&UserCalendar{UserID: actor.UserID, TokenHash: hash, CreatedAt: s.now().UTC()}).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "agenda", "utilisateur", strconv.FormatInt(actor.UserID, 10), []Change{change})
	})
	return token, err
}

// RevokeUserCalendar ends the actor's own feed: its URL stops working. ErrNotFound when
// there is none.
func (s *Store) RevokeUserCalendar(ctx context.Context, actor Actor) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ?", actor.UserID).Delete(&UserCalendar{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return s.audit(tx, actor, "revocation", "utilisateur", strconv.FormatInt(actor.UserID, 10),
			[]Change{{Field: "agenda", Label: "Lien d'agenda", Old: "actif", New: "révoqué"}})
	})
}

// UserByCalendarToken returns the active, live account whose feed token is token;
// ErrNotFound for an unknown, renewed or revoked token, or a disabled or archived account.
// The account's scope is evaluated by the caller at fetch time, from its current role.
func (s *Store) UserByCalendarToken(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 200 {
		return User{}, ErrNotFound
	}
	db := s.db.WithContext(ctx)
	var cal UserCalendar
	if err := db.Where("token_hash = ?", secretHash(token)).Take(&cal).Error; err != nil {
		return User{}, notFound(err)
	}
	u, err := getUser(db, cal.UserID)
	if err != nil {
		return User{}, err
	}
	if !u.Active {
		return User{}, ErrNotFound
	}
	return u, nil
}

// DueActions returns the open actions of the scope with a due date whose owner is the
// actor's account, by due date: the all-day events of the personal calendar feed.
func (s *Store) DueActions(ctx context.Context, actor Actor) ([]ActionRow, error) {
	if actor.UserID <= 0 {
		return nil, nil
	}
	var rows []ActionRow
	db, today := s.db.WithContext(ctx), s.today()
	err := withOwners(filterActions(actionsIn(db, actor.Scope, false), ActionFilter{UserID: actor.UserID, Statut: "ouverte"}, today)).
		Where("a.echeance IS NOT NULL").Order("a.echeance ASC, a.id ASC").Limit(MaxPageSize * 10).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Overdue = rows[i].overdue(today)
	}
	return rows, publishOwners(db, actor.Scope, rows)
}
