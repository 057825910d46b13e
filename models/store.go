package models

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a Store.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the data layer: every read and write of the product goes through it.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	now     func() time.Time
	dummy   dummyPassword // see Authenticate
}

// Options tune how a Store is opened.
type Options struct {
	// MaxOpenConns bounds the connection pool (0: 8 for SQLite, 16 for PostgreSQL).
	MaxOpenConns int
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// DialectOf tells which engine a database URL designates: "postgres://" and "postgresql://"
// are PostgreSQL, anything else is a SQLite file path (optionally prefixed with "sqlite:" or "file:").
func DialectOf(url string) Dialect {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open connects to the database designated by url (see DialectOf). A SQLite file and its
// folder are created if missing, and the connection is set up for a server: foreign keys on,
// WAL journal, busy timeout, and write transactions that take the lock when they begin.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	dialect := DialectOf(url)
	var dial gorm.Dialector
	maxConns := opts.MaxOpenConns
	switch dialect {
	case Postgres:
		dial = postgres.Open(url)
		if maxConns == 0 {
			maxConns = 16
		}
	default:
		dsn, err := sqliteDSN(url)
		if err != nil {
			return nil, err
		}
		dial = sqlite.Open(dsn)
		if maxConns == 0 {
			maxConns = 8
		}
	}
	db, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base de données : %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{db: db, dialect: dialect, now: now}
	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("la base de données ne répond pas : %w", err)
	}
	return s, nil
}

// sqliteDSN builds the driver's DSN for a SQLite URL. The URL's own query parameters come
// after the server settings and are passed on, so "file:pilotage.db?mode=ro" opens the file
// read-only.
func sqliteDSN(url string) (string, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	query := ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		if path[i+1:] != "" {
			query = "&" + path[i+1:]
		}
		path = path[:i]
	}
	if path == "" {
		return "", fmt.Errorf("chemin de la base SQLite vide")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("création du dossier %s : %w", dir, err)
		}
	}
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate" + query, nil
}

// Dialect returns the engine behind the Store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// sqlDB returns the underlying database/sql handle.
func (s *Store) sqlDB() (*sql.DB, error) { return s.db.DB() }

// tx runs fn in one transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}
