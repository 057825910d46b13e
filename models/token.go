package models

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// APIToken is a personal token for the JSON API; only its hash is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Nom        string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// TableName is the api_tokens table.
func (APIToken) TableName() string { return "api_tokens" }

// CreateAPIToken creates a token for a user and returns it; it is never shown again.
func (s *Store) CreateAPIToken(ctx context.Context, actor Actor, userID int64, nom string) (string, error) {
	nom = strings.TrimSpace(nom)
	if nom == "" {
		nom = "Jeton du " + fr.ParisDay(s.now())
	}
	if !utf8.ValidString(nom) || strings.ContainsRune(nom, 0) || utf8.RuneCountInString(nom) > 100 {
		return "", &ValidationError{Errors: []FieldError{{Field: "nom", Msg: "Nom invalide (100 caractères au plus)."}}}
	}
	token, hash, err := newSecret("pe1_")
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getUser(tx, userID); err != nil {
			return err
		}
		t := APIToken{UserID: userID, Nom: nom, TokenHash: hash, CreatedAt: s.now().UTC()}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "jeton", "utilisateur", strconv.FormatInt(userID, 10),
			[]Change{{Field: "jeton", Label: "Jeton d'API", New: "créé : " + nom}})
	})
	return token, err
}

// TokenUser returns the active user of a live API token.
func (s *Store) TokenUser(ctx context.Context, token string) (User, error) {
	db := s.db.WithContext(ctx)
	var t APIToken
	if err := db.Where("token_hash = ? AND revoked_at IS NULL", secretHash(token)).Take(&t).Error; err != nil {
		return User{}, notFound(err)
	}
	u, err := getUser(db, t.UserID)
	if err != nil || !u.Active {
		return User{}, ErrNotFound
	}
	now := s.now().UTC()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		db.Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now)
	}
	return u, nil
}

// ListAPITokens lists a user's live tokens.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var out []APIToken
	err := s.db.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", userID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, err
}

// RevokeAPIToken revokes one of the actor's own tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, actor Actor, tokenID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var t APIToken
		if err := tx.Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, actor.UserID).Take(&t).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Model(&APIToken{}).Where("id = ?", t.ID).Update("revoked_at", s.now().UTC()).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "revocation", "utilisateur", strconv.FormatInt(actor.UserID, 10),
			[]Change{{Field: "jeton", Label: "Jeton d'API", Old: t.Nom, New: "révoqué"}})
	})
}
