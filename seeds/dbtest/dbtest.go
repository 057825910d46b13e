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
	"testing"

	"github.com/ac-creteil/pilotage/models"
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

// Quickest returns the engine for a test of what does not depend on the database (the
// HTTP layer, the markup, a browser's behaviour): PostgreSQL when EnvPostgres is set, whose
// driver costs far less under the race detector than the pure-Go SQLite, else SQLite.
func Quickest() Engine {
	all := Engines()
	return all[len(all)-1]
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

// EachDemo runs fn once per engine, as a subtest, with a fresh database holding the
// reference data and the demonstration (OpenDemo).
func EachDemo(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.OpenDemo(t)) })
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

// OpenDemo returns a fresh database of the engine holding the reference data and the
// demonstration as seeds.LoadDemo leaves it (accounts with seeds.DemoPassword), cloned from a
// template loaded once per test binary: loading the demonstration is the slowest fixture.
func (e Engine) OpenDemo(t testing.TB) *models.Store {
	t.Helper()
	url, err := e.freshDemo(t)
	if err != nil {
		t.Fatalf("base de démonstration %s : %v", e.Name, err)
	}
	s, err := models.Open(context.Background(), url, models.Options{})
	if err != nil {
		t.Fatalf("ouverture %s : %v", e.Name, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
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
	if withReference {
		return e.clone(t, reference)
	}
	return e.clone(t, empty)
}

func (e Engine) freshDemo(t testing.TB) (string, error) { return e.clone(t, demo) }

// clone returns the URL of a new database of the engine, a copy of the template of kind
// (nothing for empty), dropped when the test ends.
func (e Engine) clone(t testing.TB, kind template) (string, error) {
	if e.Name == "sqlite" {
		path := filepath.Join(t.TempDir(), "pilotage.db")
		if kind != empty {
			tpl, err := sqliteTemplate(kind)
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
	if kind != empty {
		tpl, err := postgresTemplate(e.url, kind)
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
