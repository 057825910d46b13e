package models

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OIDCIdentity is what the identity provider (ProConnect) says of the person who signed
// in, once the HTTP layer has verified the ID token (signature, issuer, audience, expiry,
// nonce).
type OIDCIdentity struct {
	Subject       string // the provider's stable identifier of the person (sub)
	Email         string
	EmailVerified bool // the provider vouches for the email (email_verified, or trusted by configuration)
}

// ErrOIDCNoAccount refuses a sign-in whose identity opens no live, active account: email
// unknown or not verified, account disabled or archived, account already linked to another
// identity. One error for every case: the page says the same, so that nothing is learnt of
// the accounts.
var ErrOIDCNoAccount = errors.New("aucun compte actif pour cette identité ProConnect")

// oidcEntity and oidcEntityID name the ProConnect settings in the audit log.
const (
	oidcEntity   = "proconnect"
	oidcEntityID = "reglages"
)

// LinkedToOIDC reports whether the account is linked to an identity of the provider.
func (u User) LinkedToOIDC() bool { return u.OIDCSub != nil && *u.OIDCSub != "" }

// SignInOIDC finds the account of a verified identity: the account linked to its sub, or
// else the live account an administrator created with its email when the provider vouches
// for that email (case-insensitive), which is then linked to the sub (audited). It never
// creates an account. The attempt is recorded in the login history, success or not; a
// refusal is ErrOIDCNoAccount.
func (s *Store) SignInOIDC(ctx context.Context, id OIDCIdentity, ip string) (User, error) {
	sub := dbText(strings.TrimSpace(id.Subject))
	email := dbText(strings.ToLower(strings.TrimSpace(id.Email)))
	if sub == "" {
		return User{}, ErrOIDCNoAccount
	}
	var u User
	ok := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		found, err := oidcAccount(tx, sub, email, id.EmailVerified, &u)
		if err != nil {
			return err
		}
		ok = found && u.Active
		now := s.now().UTC()
		attempt := Login{Email: email, At: now, IP: ip, Success: ok}
		if found {
			attempt.UserID, attempt.Email = &u.ID, u.Email
		}
		if len(attempt.Email) > 254 {
			attempt.Email = strings.ToValidUTF8(attempt.Email[:254], "")
		}
		if err := tx.Create(&attempt).Error; err != nil || !ok {
			return err
		}
		if !u.LinkedToOIDC() {
			if err := s.linkOIDC(tx, u, sub); err != nil {
				return err
			}
		}
		return tx.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error
	})
	if err != nil {
		return User{}, err
	}
	if !ok {
		return User{}, ErrOIDCNoAccount
	}
	return getUser(s.db.WithContext(ctx), u.ID)
}

// oidcAccount loads into u the live account of an identity: linked to sub, or else with the
// verified email and linked to no other identity. found is false when there is none.
func oidcAccount(tx *gorm.DB, sub, email string, verified bool, u *User) (found bool, err error) {
	err = tx.Where("oidc_sub = ? AND archived_at IS NULL", sub).Take(u).Error
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return false, err
	}
	if !verified || email == "" {
		return false, nil
	}
	err = tx.Where("email = ? AND archived_at IS NULL", email).Take(u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// An account linked to another identity is not taken over by whoever shows its email.
	return !u.LinkedToOIDC(), nil
}

// linkOIDC links an account to an identity, in the sign-in's transaction. An archived
// account may still hold the sub (unique): it lets it go, the live account takes it.
func (s *Store) linkOIDC(tx *gorm.DB, u User, sub string) error {
	if err := tx.Model(&User{}).Where("oidc_sub = ? AND archived_at IS NOT NULL", sub).Update("oidc_sub", nil).Error; err != nil {
		return err
	}
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("oidc_sub", sub).Error; err != nil {
		return err
	}
	scope, err := s.UserScope(tx.Statement.Context, u)
	if err != nil {
		return err
	}
	actor := ActorFor(u, scope, "")
	return s.audit(tx, actor, "modification", "utilisateur", strconv.FormatInt(u.ID, 10),
		[]Change{{Field: "proconnect", Label: "Identité ProConnect", Old: "non liée", New: "liée à la première connexion"}})
}

// UnlinkOIDC removes the link of an account to its ProConnect identity (administrator
// only, audited): its next ProConnect sign-in matches it again by its email.
func (s *Store) UnlinkOIDC(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if !Administers(actor) {
			return ErrForbidden
		}
		u, err := getUser(tx, id)
		if err != nil || !u.LinkedToOIDC() {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Update("oidc_sub", nil).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "utilisateur", strconv.FormatInt(id, 10),
			[]Change{{Field: "proconnect", Label: "Identité ProConnect", Old: "liée", New: "déliée"}})
	})
}

// OIDCSettings is what the administrator decides of ProConnect: whether it is required.
// There is one row at most; the zero value (Required false) accepts passwords.
type OIDCSettings struct {
	ID        int64
	Required  bool
	UpdatedAt time.Time
	Version   int
}

// TableName is the oidc_settings table.
func (OIDCSettings) TableName() string { return "oidc_settings" }

// OIDCSettings returns the ProConnect settings, the zero value when none are kept.
func (s *Store) OIDCSettings(ctx context.Context) (OIDCSettings, error) {
	return getOIDCSettings(s.db.WithContext(ctx))
}

func getOIDCSettings(tx *gorm.DB) (OIDCSettings, error) {
	var o OIDCSettings
	err := tx.Where("id = 1").Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return OIDCSettings{}, nil
	}
	return o, err
}

// SetOIDCRequired requires ProConnect for every account but the administrators, or accepts
// passwords again, if the settings are still at version (0 when none are kept);
// administrator only, audited. A stale form gets a *ConflictError.
func (s *Store) SetOIDCRequired(ctx context.Context, actor Actor, version int, required bool) (OIDCSettings, error) {
	var out OIDCSettings
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if !Administers(actor) {
			return ErrForbidden
		}
		before, err := getOIDCSettings(tx)
		if err != nil {
			return err
		}
		if before.Version != version {
			return s.conflict(tx, oidcEntity, oidcEntityID, before)
		}
		if before.Version > 0 && before.Required == required {
			out = before
			return nil
		}
		now := s.now().UTC()
		action := "modification"
		if before.Version == 0 {
			action = "creation"
			err = tx.Create(&OIDCSettings{ID: 1, Required: required, UpdatedAt: now, Version: 1}).Error
		} else {
			res := tx.Model(&OIDCSettings{}).Where("id = 1 AND version = ?", version).Updates(map[string]any{
				"required": required, "updated_at": now, "version": gorm.Expr("version + 1")})
			if err = res.Error; err == nil && res.RowsAffected == 0 {
				return s.conflict(tx, oidcEntity, oidcEntityID, before)
			}
		}
		if err != nil {
			return err
		}
		if out, err = getOIDCSettings(tx); err != nil {
			return err
		}
		yes := map[bool]string{true: "oui", false: "non"}
		return s.audit(tx, actor, action, oidcEntity, oidcEntityID, []Change{{Field: "required",
			Label: "ProConnect obligatoire (sauf administrateurs)", Old: yes[before.Required], New: yes[required]}})
	})
	return out, err
}

// RefusePasswordSignIn records that a password sign-in, right as it was, was refused
// because ProConnect is required for the account.
func (s *Store) RefusePasswordSignIn(ctx context.Context, u User, ip string) error {
	return s.db.WithContext(ctx).Create(&Login{UserID: &u.ID, Email: u.Email, At: s.now().UTC(), IP: ip}).Error
}

// OIDCRequestLifetime is how long a sign-in started with ProConnect may take to come back.
const OIDCRequestLifetime = 10 * time.Minute

// OIDCRequest is a ProConnect sign-in under way: what the callback must find again. It is
// kept server-side under the hash of a random handle that only the browser's cookie holds.
type OIDCRequest struct {
	ID        string // hash of the handle
	State     string
	Nonce     string
	Verifier  string // PKCE code verifier
	Next      string // the local page to go to after sign-in
	CreatedAt time.Time
}

// TableName is the oidc_requests table.
func (OIDCRequest) TableName() string { return "oidc_requests" }

// CreateOIDCRequest keeps a sign-in under way and returns the handle for the browser's
// cookie. Requests older than OIDCRequestLifetime are deleted on the way.
func (s *Store) CreateOIDCRequest(ctx context.Context, r OIDCRequest) (string, error) {
	handle, hash, err := newSecret("")
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	r.ID, r.CreatedAt = hash, now
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", now.Add(-OIDCRequestLifetime)).Delete(&OIDCRequest{}).Error; err != nil {
			return err
		}
		return tx.Create(&r).Error
	})
	return handle, err
}

// TakeOIDCRequest returns the sign-in under way of a handle and deletes it (single use);
// ErrNotFound when there is none or it is too old.
func (s *Store) TakeOIDCRequest(ctx context.Context, handle string) (OIDCRequest, error) {
	var r OIDCRequest
	if handle == "" {
		return r, ErrNotFound
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", secretHash(handle)).Take(&r).Error; err != nil {
			return notFound(err)
		}
		return tx.Where("id = ?", r.ID).Delete(&OIDCRequest{}).Error
	})
	if err == nil && s.now().UTC().Sub(r.CreatedAt) > OIDCRequestLifetime {
		return OIDCRequest{}, ErrNotFound
	}
	return r, err
}

// CreateOIDCSession opens a session for a ProConnect sign-in (see CreateSession) and keeps
// its ID token, to end the provider's session at sign-out.
func (s *Store) CreateOIDCSession(ctx context.Context, userID int64, ip, userAgent, idToken string) (string, error) {
	token, err := s.CreateSession(ctx, userID, ip, userAgent)
	if err != nil {
		return "", err
	}
	err = s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", secretHash(token)).Update("oidc_id_token", idToken).Error
	return token, err
}

// SessionIDToken returns the ID token of a session opened by ProConnect, "" otherwise.
func (s *Store) SessionIDToken(ctx context.Context, token string) (string, error) {
	var idToken *string
	err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", secretHash(token)).Select("oidc_id_token").Scan(&idToken).Error
	if err != nil || idToken == nil {
		return "", err
	}
	return *idToken, nil
}

// CountOIDCLinked counts the live accounts linked to a ProConnect identity.
func (s *Store) CountOIDCLinked(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).Where("oidc_sub IS NOT NULL AND archived_at IS NULL").Count(&n).Error
	return n, err
}
