package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser, stored server-side so that any instance of the
// application sees it and an administrator can end it. The cookie holds a random token;
// the table holds its hash.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string `gorm:"column:ip"`
	UserAgent  string
}

// TableName is the sessions table.
func (Session) TableName() string { return "sessions" }

// MinSessionIdle is the shortest idle limit: a session's activity (last_seen_at) is
// recorded at most once every MinSessionIdle, so a shorter limit would close sessions in
// use. The configuration refuses less.
const MinSessionIdle = time.Minute

// SessionLimits bound a session's life.
type SessionLimits struct {
	Idle     time.Duration // without a request (default 30 min)
	Absolute time.Duration // since login (default 12 h)
}

func (l SessionLimits) withDefaults() SessionLimits {
	if l.Idle <= 0 {
		l.Idle = 30 * time.Minute
	}
	if l.Absolute <= 0 {
		l.Absolute = 12 * time.Hour
	}
	return l
}

// CreateSession opens a session for a user and returns the cookie's token. Logging in
// always creates a new session: the id changes at login.
func (s *Store) CreateSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	token, hash, err := newSecret("")
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	sess := Session{ID: hash, UserID: userID, CreatedAt: now, LastSeenAt: now, IP: ip, UserAgent: dbText(userAgent)}
	return token, s.db.WithContext(ctx).Create(&sess).Error
}

// SessionUser returns the user of a session token, if the session is open and the account
// active. An expired session is deleted. The last-seen time is refreshed at most once a
// minute (MinSessionIdle): a write per request would cost more than the precision is worth.
func (s *Store) SessionUser(ctx context.Context, token string, limits SessionLimits) (User, error) {
	limits = limits.withDefaults()
	db := s.db.WithContext(ctx)
	var sess Session
	if err := db.Where("id = ?", secretHash(token)).Take(&sess).Error; err != nil {
		return User{}, notFound(err)
	}
	now := s.now().UTC()
	if now.Sub(sess.LastSeenAt) > limits.Idle || now.Sub(sess.CreatedAt) > limits.Absolute {
		db.Where("id = ?", sess.ID).Delete(&Session{})
		return User{}, ErrNotFound
	}
	u, err := getUser(db, sess.UserID)
	if err != nil {
		return User{}, err
	}
	if !u.Active {
		db.Where("user_id = ?", u.ID).Delete(&Session{})
		return User{}, ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) > MinSessionIdle {
		db.Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now)
	}
	return u, nil
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("id = ?", secretHash(token)).Delete(&Session{}).Error
}

// ErrThrottled refuses a login attempt made too soon after repeated failures.
type ErrThrottled struct {
	Wait time.Duration
}

func (e *ErrThrottled) Error() string { return "trop de tentatives de connexion" }

// ErrBadCredentials is the one answer to a wrong email or a wrong password.
var ErrBadCredentials = errors.New("adresse électronique ou mot de passe incorrect")

// Login is one attempt to sign in, kept for the login history and the throttling.
type Login struct {
	ID      int64
	UserID  *int64
	Email   string
	At      time.Time
	IP      string `gorm:"column:ip"`
	Success bool
}

// TableName is the logins table.
func (Login) TableName() string { return "logins" }

// throttle returns how long the next attempt for email must wait: after 5 failures in a row
// (within 15 minutes) each attempt waits twice as long as the previous one, from 1 s up to 1 min.
func (s *Store) throttle(tx *gorm.DB, email string) (time.Duration, error) {
	now := s.now().UTC()
	var recent []Login
	if err := tx.Where("email = ? AND at > ?", email, now.Add(-15*time.Minute)).Order("at DESC, id DESC").Limit(20).Find(&recent).Error; err != nil {
		return 0, err
	}
	failures := 0
	for _, l := range recent {
		if l.Success {
			break
		}
		failures++
	}
	if failures < 5 {
		return 0, nil
	}
	wait := time.Second << min(failures-5, 6)
	wait = min(wait, time.Minute)
	if left := recent[0].At.Add(wait).Sub(now); left > 0 {
		return left, nil
	}
	return 0, nil
}

// Authenticate checks an email and a password. Unknown email and wrong password give the
// same error after the same work: the same queries, the same write (the attempt), and one
// argon2id verification, against the account's hash or the Store's dummy one (made with
// the same parameters; the first call of the process makes it, whatever the email).
// Repeated failures for one email make the next attempts wait (*ErrThrottled), whether the
// account exists or not.
func (s *Store) Authenticate(ctx context.Context, email, password, ip string) (User, error) {
	hash, err := s.dummyHash()
	if err != nil {
		return User{}, err
	}
	email = dbText(strings.ToLower(strings.TrimSpace(email)))
	db := s.db.WithContext(ctx)
	wait, err := s.throttle(db, email)
	if err != nil {
		return User{}, err
	}
	if wait > 0 {
		return User{}, &ErrThrottled{Wait: wait}
	}
	var u User
	found := db.Where("email = ? AND archived_at IS NULL", email).Take(&u).Error == nil
	if found && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok := verifyPassword(hash, password) && found && u.Active && u.PasswordHash != ""
	now := s.now().UTC()
	attempt := Login{Email: email, At: now, IP: ip, Success: ok}
	if found {
		attempt.UserID = &u.ID
	}
	if len(attempt.Email) > 254 {
		attempt.Email = strings.ToValidUTF8(attempt.Email[:254], "") // never cut a character in two (PostgreSQL refuses invalid UTF-8)
	}
	if err := db.Create(&attempt).Error; err != nil {
		return User{}, err
	}
	if !ok {
		return User{}, ErrBadCredentials
	}
	if err := db.Model(&User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error; err != nil {
		return User{}, err
	}
	return getUser(db, u.ID)
}

// LoginRow is one line of the login history.
type LoginRow struct {
	At      time.Time
	Email   string
	Nom     string
	IP      string `gorm:"column:ip"`
	Success bool
}

// ListLogins returns the login history, newest first (admin only).
func (s *Store) ListLogins(ctx context.Context, actor Actor, p PageRequest) (Page[LoginRow], error) {
	p = p.normalized()
	page := Page[LoginRow]{Number: p.Number, Size: p.Size}
	if actor.Role != RoleAdmin {
		return page, ErrForbidden
	}
	q := s.db.WithContext(ctx).Table("logins AS l").Joins("LEFT JOIN users u ON u.id = l.user_id")
	if err := q.Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := q.Select("l.at, l.email, COALESCE(u.nom, '') AS nom, l.ip, l.success").
		Order("l.at DESC, l.id DESC").Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}
