package dbtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"gorm.io/gorm"
)

// template names what a fresh database starts from.
type template int

const (
	empty     template = iota // migrated by the test itself (OpenWith)
	reference                 // migrated, with the reference data
	demo                      // reference data and the demonstration (seeds.LoadDemo)
)

// built is a template made at most once per test binary.
type built struct {
	once sync.Once
	name string // a file (SQLite) or a database (PostgreSQL)
	err  error
}

var (
	sqliteBuilt [3]built
	pgBuilt     [3]built
	dirBuilt    built
)

// demoPrefix starts the names of the demonstration templates on PostgreSQL, each followed
// by the id of the test process that made it (the next run drops those of dead processes).
const demoPrefix = "pilotage_demo_p"

// sqliteTemplate returns the template file of kind: the reference data's shared by the test
// binaries (sharedReferenceFile), the demonstration's built once per test binary in a folder
// of the process (templateDir).
func sqliteTemplate(kind template) (string, error) {
	b := &sqliteBuilt[kind]
	b.once.Do(func() {
		dir, err := templateDir()
		if err != nil {
			b.err = err
			return
		}
		if kind == reference {
			b.name, b.err = sharedReferenceFile()
			return
		}
		b.name = filepath.Join(dir, "demo.db")
		build := filepath.Join(dir, "demo-build.db")
		if b.err = buildDemoFile(build); b.err == nil {
			b.err = vacuumInto(build, b.name)
		}
		_ = os.Remove(build)
	})
	return b.name, b.err
}

// sharedReferenceFile returns the SQLite reference template, shared by the test binaries
// that run at once or one after the other: named by the digests of the migrations and the
// reference data, built by the first one while the others wait on a file lock. Templates of
// other digests older than a day are removed.
func sharedReferenceFile() (string, error) {
	prefix := filepath.Join(os.TempDir(), "pilotage-ref-")
	name := prefix + models.SchemaDigest() + "_" + seeds.ReferenceDigest() + ".db"
	lock, err := os.OpenFile(prefix+"lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close() // releases the lock
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	if _, err := os.Stat(name); err == nil {
		return name, nil
	}
	old, _ := filepath.Glob(prefix + "*.db")
	for _, f := range old {
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			_ = os.Remove(f)
		}
	}
	build, tmp := name+".build", name+".tmp"
	defer os.Remove(build)
	_ = os.Remove(build)
	if err := buildReference(build); err != nil {
		return "", err
	}
	if err := vacuumInto(build, tmp); err != nil {
		return "", err
	}
	return name, os.Rename(tmp, name)
}

// buildDemoFile copies the reference template to path and loads the demonstration in it.
func buildDemoFile(path string) error {
	ref, err := sqliteTemplate(reference)
	if err != nil {
		return err
	}
	if err := copyFile(ref, path); err != nil {
		return err
	}
	return loadDemo(path)
}

// templateDir is the folder of this process's SQLite templates; it removes the folders that
// processes no longer running left behind.
func templateDir() (string, error) {
	dirBuilt.once.Do(func() {
		old, _ := filepath.Glob(filepath.Join(os.TempDir(), "pilotage-tpl-*"))
		for _, d := range old {
			if pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "pilotage-tpl-")); err != nil || !running(pid) {
				_ = os.RemoveAll(d)
			}
		}
		dirBuilt.name = filepath.Join(os.TempDir(), fmt.Sprintf("pilotage-tpl-%d", os.Getpid()))
		_ = os.RemoveAll(dirBuilt.name) // a dead process's folder, whose id came back
		dirBuilt.err = os.Mkdir(dirBuilt.name, 0o700)
	})
	return dirBuilt.name, dirBuilt.err
}

// running reports whether a process of that id exists.
func running(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// postgresTemplate returns the template database of kind. The reference template is shared
// by all test binaries (named by the digests of the migrations and the reference data; they
// wait for each other with an advisory lock); the demonstration's is made per binary, since
// the demonstration is code.
func postgresTemplate(base string, kind template) (string, error) {
	b := &pgBuilt[kind]
	b.once.Do(func() {
		if kind == reference {
			b.name, b.err = referenceDatabase(base)
		} else {
			b.name, b.err = demoDatabase(base)
		}
	})
	return b.name, b.err
}

func referenceDatabase(base string) (string, error) {
	name := "pilotage_tpl_" + models.SchemaDigest() + "_" + seeds.ReferenceDigest()
	admin, err := adminDB(base)
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	return name, admin.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(4242)").Error; err != nil {
			return err
		}
		defer conn.Exec("SELECT pg_advisory_unlock(4242)")
		var n int64
		if err := conn.Raw("SELECT COUNT(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		building := name + "_build"
		conn.Exec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)")
		if err := conn.Exec("CREATE DATABASE " + building).Error; err != nil {
			return err
		}
		if err := buildReference(withDatabase(base, building)); err != nil {
			return err
		}
		return conn.Exec("ALTER DATABASE " + building + " RENAME TO " + name).Error
	})
}

// demoDatabase makes this process's demonstration template from the reference template,
// after dropping those of processes no longer running.
func demoDatabase(base string) (string, error) {
	ref, err := postgresTemplate(base, reference)
	if err != nil {
		return "", err
	}
	admin, err := adminDB(base)
	if err != nil {
		return "", err
	}
	defer closeDB(admin)
	var names []string
	if err := admin.Raw("SELECT datname FROM pg_database WHERE datname LIKE ?", demoPrefix+"%").Scan(&names).Error; err != nil {
		return "", err
	}
	name := demoPrefix + strconv.Itoa(os.Getpid())
	for _, n := range names {
		if pid, err := strconv.Atoi(strings.TrimPrefix(n, demoPrefix)); err != nil || !running(pid) || n == name {
			admin.Exec("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)")
		}
	}
	if err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + ref).Error; err != nil {
		return "", err
	}
	return name, loadDemo(withDatabase(base, name))
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

// loadDemo loads the demonstration into the database at url, and closes it.
func loadDemo(url string) error {
	s, err := models.Open(context.Background(), url, models.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	_, _, err = seeds.LoadDemo(context.Background(), s)
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
