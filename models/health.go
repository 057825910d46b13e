package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// gooseTable is where goose records the applied migrations (its default name).
const gooseTable = "goose_db_version"

// readyTimeout bounds the whole readiness check: a probe must answer quickly, even while a
// writer holds SQLite's lock.
const readyTimeout = 3 * time.Second

// errRollback ends the write check's transaction without committing anything.
var errRollback = errors.New("annulation du contrôle d'écriture")

// Ready tells whether the Store can serve the application: the database answers, its schema
// is at the latest embedded migration, and it accepts a write. The write is an update of
// goose's row to the value it already has, in a transaction that is rolled back: nothing
// changes, no table is needed beyond goose's, and on SQLite the transaction begins with
// BEGIN IMMEDIATE, which takes the write lock. The error wraps ErrUnavailable, ErrNotMigrated
// or ErrReadOnly, and the database's own error.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		return fmt.Errorf("%w : %w", ErrUnavailable, err)
	}
	want, err := latestMigration()
	if err != nil {
		return err
	}
	var got int64
	if err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM " + gooseTable).Scan(&got).Error; err != nil {
		return unready(err)
	}
	switch {
	case got < want:
		return fmt.Errorf("%w : version %d, attendue %d", ErrNotMigrated, got, want)
	case got > want:
		return fmt.Errorf("%w : version %d, plus récente que celle de l'application (%d)", ErrNotMigrated, got, want)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE "+gooseTable+" SET is_applied = is_applied WHERE version_id = ?", want).Error; err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return unready(err)
	}
	return nil
}

// latestMigration returns the version of the newest embedded migration.
func latestMigration() (int64, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migration mal nommée : %s", e.Name())
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// unready wraps an error of the readiness check in the sentinel that names its cause.
func unready(err error) error {
	switch {
	case missingSchema(err):
		return fmt.Errorf("%w : %w", ErrNotMigrated, err)
	case readOnly(err):
		return fmt.Errorf("%w : %w", ErrReadOnly, err)
	}
	return fmt.Errorf("%w : %w", ErrUnavailable, err)
}

// IsUnavailable reports whether err means that the database cannot serve or write right
// now, whatever the request: unreachable, shutting down, out of resources, read-only,
// damaged, or without its schema. Such an error is the service's state, not the request's
// fault nor a bug: the HTTP layer answers 503.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	// io.ErrUnexpectedEOF is what pgx returns, unwrapped, when the server or the network
	// drops a pooled connection under a query.
	for _, target := range []error{ErrUnavailable, ErrNotMigrated, ErrReadOnly,
		driver.ErrBadConn, sql.ErrConnDone, context.DeadlineExceeded, pgconn.ErrConnClosed,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, io.ErrUnexpectedEOF} {
		if errors.Is(err, target) {
			return true
		}
	}
	var connectErr *pgconn.ConnectError // before PgError: a refused login is an outage too
	var pgErr *pgconn.PgError
	var liteErr *gosqlite.Error
	var netErr *net.OpError
	switch {
	case errors.As(err, &connectErr), pgconn.Timeout(err), errors.As(err, &netErr):
		return true
	case errors.As(err, &pgErr):
		return pgUnavailable(pgErr.Code)
	case errors.As(err, &liteErr):
		return sqliteUnavailable(liteErr)
	}
	// database/sql does not export the error of a closed *sql.DB.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// pgUnavailable tells which SQLSTATE codes mean an outage
// (https://www.postgresql.org/docs/current/errcodes-appendix.html).
func pgUnavailable(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"): // connection exception
		return true
	case strings.HasPrefix(code, "53"): // insufficient resources: disk full, out of memory, too many connections
		return true
	}
	switch code {
	case "57P01", "57P02", "57P03", "57P04": // admin or crash shutdown, cannot connect now, database dropped
		return true
	case "58030": // I/O error
		return true
	case "25006": // read-only SQL transaction
		return true
	case "3D000", "42P01": // database or table missing: the schema is not there
		return true
	}
	return false
}

// Primary SQLite result codes (https://www.sqlite.org/rescode.html); the driver reports
// extended codes, whose low byte is the primary one.
const (
	sqliteError    = 1
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// sqliteUnavailable tells which SQLite errors mean an outage.
func sqliteUnavailable(e *gosqlite.Error) bool {
	switch e.Code() & 0xff {
	case sqliteReadOnly, sqliteIOErr, sqliteCorrupt, sqliteFull, sqliteCantOpen, sqliteNotADB:
		return true
	case sqliteError:
		return strings.Contains(e.Error(), "no such table")
	}
	return false
}

// missingSchema reports whether err says that a table does not exist.
func missingSchema(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "42P01"
	}
	var liteErr *gosqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code()&0xff == sqliteError && strings.Contains(liteErr.Error(), "no such table")
}

// readOnly reports whether err is the refusal of a write by a read-only database.
func readOnly(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "25006"
	}
	var liteErr *gosqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code()&0xff == sqliteReadOnly
}
