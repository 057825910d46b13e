// Package dbtest gives tests real databases built by the real migrations: a fresh SQLite
// file per test, and a fresh PostgreSQL database per test when PILOTAGE_TEST_DATABASE_URL
// points to a server (the user must be allowed to create databases). Databases holding the
// reference data are cloned from a template built once per test binary.
//
// It lives under seeds, not models, because it loads the reference data (package seeds):
// only external test packages (package models_test, app tests…) may import it.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// EnvPostgres names the variable holding the PostgreSQL server URL for tests.
const EnvPostgres = "PILOTAGE_TEST_DATABASE_URL"

// Engine is one database engine the tests run on.
type Engine struct {
	Name string // "sqlite" or "postgres"
	url  string
}

// Engines returns SQLite, and PostgreSQL when EnvPostgres is set.
func Engines() []Engine {
	out := []Engine{{Name: "sqlite"}}
	if u := os.Getenv(EnvPostgres); u != "" {
		out = append(out, Engine{Name: "postgres", url: u})
	}
	return out
}

// Postgres returns the PostgreSQL engine, for a test of PostgreSQL alone; it skips the test
// when EnvPostgres is not set.
func Postgres(t testing.TB) Engine {
	t.Helper()
	u := os.Getenv(EnvPostgres)
	if u == "" {
		t.Skip("PostgreSQL seulement (" + EnvPostgres + ")")
	}
	return Engine{Name: "postgres", url: u}
}

// Each runs fn once per engine, as a subtest, with a fresh database holding the reference data.
func Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t, true)) })
	}
}

// EachEmpty runs fn once per engine with a fresh, migrated, empty database.
func EachEmpty(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t, false)) })
	}
}

// Open returns a fresh database of the engine, migrated, with the reference data when
// withReference is set; it is dropped when the test ends.
func (e Engine) Open(t testing.TB, withReference bool) *models.Store {
	t.Helper()
	return e.OpenWith(t, withReference, models.Options{})
}

// OpenWith is Open with store options (a fake clock, for example).
func (e Engine) OpenWith(t testing.TB, withReference bool, opts models.Options) *models.Store {
	t.Helper()
	url, err := e.fresh(t, withReference)
	if err != nil {
		t.Fatalf("base de test %s : %v", e.Name, err)
	}
	s, err := models.Open(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("ouverture %s : %v", e.Name, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if !withReference {
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("migration %s : %v", e.Name, err)
		}
	}
	return s
}

// URL returns a fresh database URL of the engine (for tests that open the store themselves).
func (e Engine) URL(t testing.TB, withReference bool) string {
	t.Helper()
	url, err := e.fresh(t, withReference)
	if err != nil {
		t.Fatalf("base de test %s : %v", e.Name, err)
	}
	return url
}

// ReadOnlyURL returns a URL of the database at dbURL (from URL) whose connections refuse
// writes: SQLite's URI parameter mode=ro (tests run as root, whom chmod does not stop), or
// PostgreSQL's default_transaction_read_only for every session.
func ReadOnlyURL(dbURL string) string {
	if models.DialectOf(dbURL) == models.SQLite {
		return "file:" + dbURL + "?mode=ro"
	}
	sep := "?"
	if strings.Contains(dbURL, "?") {
		sep = "&"
	}
	return dbURL + sep + "options=-c%20default_transaction_read_only%3Don" // pgx reads no "+" as a space
}

func (e Engine) fresh(t testing.TB, withReference bool) (string, error) {
	if e.Name == "sqlite" {
		path := filepath.Join(t.TempDir(), "pilotage.db")
		if withReference {
			tpl, err := sqliteTemplate()
			if err != nil {
				return "", err
			}
			if err := copyFile(tpl, path); err != nil {
				return "", err
			}
		}
		return path, nil
	}
	name := "pilotage_t_" + randomHex(6)
	admin, err := adminDB(e.url)
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	stmt := "CREATE DATABASE " + name
	if withReference {
		tpl, err := postgresTemplate(e.url)
		if err != nil {
			return "", err
		}
		stmt += " TEMPLATE " + tpl
	}
	if err := admin.Exec(stmt).Error; err != nil {
		return "", err
	}
	t.Cleanup(func() {
		admin, err := adminDB(e.url)
		if err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			closeDB(admin)
		}
	})
	return withDatabase(e.url, name), nil
}

var (
	sqliteOnce sync.Once
	sqlitePath string
	sqliteErr  error
	pgOnce     sync.Once
	pgName     string
	pgErr      error
)

// sqliteTemplate builds, once per test binary, a SQLite file migrated and loaded with the reference data.
func sqliteTemplate() (string, error) {
	sqliteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pilotage-tpl-")
		if err != nil {
			sqliteErr = err
			return
		}
		build := filepath.Join(dir, "build.db")
		sqlitePath = filepath.Join(dir, "template.db")
		sqliteErr = buildReference(build)
		if sqliteErr == nil {
			sqliteErr = vacuumInto(build, sqlitePath)
		}
	})
	return sqlitePath, sqliteErr
}

// postgresTemplate builds once per migrations and reference-data content a template
// database; concurrent test binaries wait for each other with an advisory lock.
func postgresTemplate(base string) (string, error) {
	pgOnce.Do(func() {
		pgName = "pilotage_tpl_" + models.SchemaDigest() + "_" + seeds.ReferenceDigest()
		admin, err := adminDB(base)
		if err != nil {
			pgErr = err
			return
		}
		defer closeDB(admin)
		pgErr = admin.Connection(func(conn *gorm.DB) error {
			if err := conn.Exec("SELECT pg_advisory_lock(4242)").Error; err != nil {
				return err
			}
			defer conn.Exec("SELECT pg_advisory_unlock(4242)")
			var n int64
			if err := conn.Raw("SELECT COUNT(*) FROM pg_database WHERE datname = ?", pgName).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			building := pgName + "_build"
			conn.Exec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)")
			if err := conn.Exec("CREATE DATABASE " + building).Error; err != nil {
				return err
			}
			if err := buildReference(withDatabase(base, building)); err != nil {
				return err
			}
			return conn.Exec("ALTER DATABASE " + building + " RENAME TO " + pgName).Error
		})
	})
	return pgName, pgErr
}

func buildReference(url string) error {
	ctx := context.Background()
	s, err := models.Open(ctx, url, models.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	_, err = seeds.LoadReference(ctx, s)
	return err
}

func vacuumInto(from, to string) error {
	s, err := models.Open(context.Background(), from, models.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Backup(context.Background(), to)
}

func adminDB(base string) (*gorm.DB, error) {
	return gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// withDatabase returns base with its database name replaced.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
