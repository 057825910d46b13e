package models

import (
	"context"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Purposes of one-time links.
const (
	LinkInstallation = "installation" // creates the first administrator
	LinkPassword     = "mot_de_passe" // sets an account's password
)

// LoginLink is a one-time link: the URL holds a random token, the table its hash.
type LoginLink struct {
	ID        string
	UserID    *int64
	Purpose   string
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// TableName is the login_links table.
func (LoginLink) TableName() string { return "login_links" }

// CreateInstallationLink returns a link token to create the first administrator, valid for
// ttl, only while no administrator exists.
func (s *Store) CreateInstallationLink(ctx context.Context, ttl time.Duration) (string, error) {
	token, hash, err := newSecret("inst_")
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	link := LoginLink{ID: hash, Purpose: LinkInstallation, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	return token, s.db.WithContext(ctx).Create(&link).Error
}

// CreatePasswordLink returns a one-time link token for a user to set their password; it
// replaces the user's earlier unused links.
func (s *Store) CreatePasswordLink(ctx context.Context, actor Actor, userID int64, ttl time.Duration) (string, error) {
	token, hash, err := newSecret("mdp_")
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getUser(tx, userID); err != nil {
			return err
		}
		now := s.now().UTC()
		if err := tx.Where("user_id = ? AND used_at IS NULL", userID).Delete(&LoginLink{}).Error; err != nil {
			return err
		}
		link := LoginLink{ID: hash, UserID: &userID, Purpose: LinkPassword, CreatedAt: now, ExpiresAt: now.Add(ttl)}
		if actor.UserID != 0 {
			link.CreatedBy = &actor.UserID
		}
		if err := tx.Create(&link).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "lien", "utilisateur", strconv.FormatInt(userID, 10),
			[]Change{{Field: "lien", Label: "Lien de mot de passe", New: "émis, valable jusqu'au " + link.ExpiresAt.In(fr.Paris()).Format("02/01/2006 15:04")}})
	})
	return token, err
}

// CheckLink returns the valid (unused, unexpired) link of a token for a purpose.
func (s *Store) CheckLink(ctx context.Context, token, purpose string) (LoginLink, error) {
	return s.checkLink(s.db.WithContext(ctx), token, purpose)
}

func (s *Store) checkLink(tx *gorm.DB, token, purpose string) (LoginLink, error) {
	var link LoginLink
	err := tx.Where("id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", secretHash(token), purpose, s.now().UTC()).Take(&link).Error
	if err != nil {
		return link, notFound(err)
	}
	if purpose == LinkInstallation {
		if n, err := countAdmins(tx); err != nil || n > 0 {
			return link, ErrNotFound
		}
	}
	return link, nil
}

// UsePasswordLink sets the password of the link's user and spends the link.
func (s *Store) UsePasswordLink(ctx context.Context, token, password string) (User, error) {
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		link, err := s.checkLink(tx, token, LinkPassword)
		if err != nil {
			return err
		}
		if u, err = getUser(tx, *link.UserID); err != nil {
			return err
		}
		if err := tx.Model(&LoginLink{}).Where("id = ?", link.ID).Update("used_at", s.now().UTC()).Error; err != nil {
			return err
		}
		return s.setPassword(tx, Actor{UserID: u.ID, Name: u.Nom + " (lien à usage unique)", Role: u.Role}, u, password)
	})
	return u, err
}

// Install creates the first administrator from an installation link, with a password.
func (s *Store) Install(ctx context.Context, token string, in UserInput, password string) (User, error) {
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		link, err := s.checkLink(tx, token, LinkInstallation)
		if err != nil {
			return err
		}
		in.Role = RoleAdmin
		in = in.normalize()
		if err := s.validateUser(tx, in, 0); err != nil {
			return err
		}
		if msg := CheckPassword(password); msg != "" {
			return &ValidationError{Errors: []FieldError{{Field: "password", Msg: msg}}}
		}
		hash, err := hashPassword(password)
		if err != nil {
			return err
		}
		u = User{Email: in.Email, Nom: in.Nom, Role: RoleAdmin, PasswordHash: hash, Active: true, Version: 1}
		if err := tx.Omit("Communes").Create(&u).Error; err != nil {
			return err
		}
		if err := tx.Model(&LoginLink{}).Where("id = ?", link.ID).Update("used_at", s.now().UTC()).Error; err != nil {
			return err
		}
		return s.audit(tx, SystemActor("installation"), "creation", "utilisateur", strconv.FormatInt(u.ID, 10),
			diff(userFields, nil, u.auditValues()))
	})
	return u, err
}

// SetPassword changes a password after checking the current one (Mon compte). Other
// sessions of the user end.
func (s *Store) SetPassword(ctx context.Context, actor Actor, current, password string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := getUser(tx, actor.UserID)
		if err != nil {
			return err
		}
		if !verifyPassword(u.PasswordHash, current) {
			return &ValidationError{Errors: []FieldError{{Field: "current", Msg: "Le mot de passe actuel est incorrect."}}}
		}
		return s.setPassword(tx, actor, u, password)
	})
}

// SetPasswordDirect sets a password without the current one (command line).
func (s *Store) SetPasswordDirect(ctx context.Context, actor Actor, userID int64, password string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		return s.setPassword(tx, actor, u, password)
	})
}

func (s *Store) setPassword(tx *gorm.DB, actor Actor, u User, password string) error {
	if msg := CheckPassword(password); msg != "" {
		return &ValidationError{Errors: []FieldError{{Field: "password", Msg: msg}}}
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	// The version is left alone: it guards the account's form (name, role, scope), which a
	// new password does not change (an administrator's open form stays valid).
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash,
		"updated_at": s.now().UTC()}).Error; err != nil {
		return err
	}
	if err := tx.Exec("DELETE FROM sessions WHERE user_id = ?", u.ID).Error; err != nil {
		return err
	}
	return s.audit(tx, actor, "mot_de_passe", "utilisateur", strconv.FormatInt(u.ID, 10),
		[]Change{{Field: "password_hash", Label: "Mot de passe", New: "modifié"}})
}
