package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestBackupDuringWritesAndRestore backs a SQLite database up while goroutines keep
// creating organisations through the store's write path, restores the backup into a new
// database through `pilotage restore`, and finds there every organisation committed before
// the backup began, none half-written, and a database SQLite finds consistent.
func TestBackupDuringWritesAndRestore(t *testing.T) {
	url := dbtest.Engines()[0].URL(t, false) // SQLite: PostgreSQL backs up with pg_dump
	store, err := models.Open(t.Context(), url, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var committed []string // names of the organisations whose creation returned
	stop := make(chan struct{})
	var wg sync.WaitGroup
	actor := models.SystemActor("test de sauvegarde")
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("Organisation %d-%d", w, i)
				if _, err := store.CreateOrganisation(context.Background(), actor, models.OrganisationInput{Nom: name, Kind: models.OrgAMIF}); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				committed = append(committed, name)
				mu.Unlock()
			}
		}()
	}
	waitFor := func(n int) {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			got := len(committed)
			mu.Unlock()
			if got >= n {
				return
			}
		}
		t.Fatalf("moins de %d écritures en 30 s", n)
	}
	waitFor(12)
	mu.Lock()
	before := append([]string(nil), committed...)
	mu.Unlock()
	backup := filepath.Join(t.TempDir(), "sauvegarde.db")
	out, errOut, err := run(t, url, "backup", "-o", backup)
	mu.Lock()
	during := len(committed) - len(before)
	mu.Unlock()
	waitFor(len(before) + during + 6) // writes went on after the backup
	close(stop)
	wg.Wait()
	if err != nil || !strings.Contains(out, "Sauvegarde de SQLite") {
		t.Fatalf("backup : %v\n%s%s", err, out, errOut)
	}
	if _, _, err := run(t, url, "backup", "-o", backup); err == nil {
		t.Error("sauvegarde écrite sur un fichier existant")
	}

	restored := filepath.Join(t.TempDir(), "restauree", "pilotage.db")
	out, errOut, err = run(t, restored, "restore", backup)
	if err != nil || !strings.Contains(out, "restaurée dans") {
		t.Fatalf("restore : %v\n%s%s", err, out, errOut)
	}
	if _, errOut, err := run(t, restored, "restore", backup); err == nil || !strings.Contains(errOut+err.Error(), "--force") {
		t.Errorf("restauration sur une base existante sans --force : %v", err)
	}
	if _, errOut, err := run(t, restored, "restore", "--force", backup); err != nil {
		t.Errorf("restore --force : %v\n%s", err, errOut)
	}

	r, err := sql.Open("sqlite", restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	count := func(query string, args ...any) (n int, err error) {
		err = r.QueryRowContext(t.Context(), query, args...).Scan(&n)
		return n, err
	}
	if n, err := count("SELECT COUNT(*) FROM organisations WHERE nom LIKE 'Organisation %'"); err != nil || n < len(before) {
		t.Fatalf("%d organisations restaurées (%v), au moins %d validées avant la sauvegarde", n, err, len(before))
	}
	for _, name := range before {
		if n, err := count("SELECT COUNT(*) FROM organisations WHERE nom = ?", name); err != nil || n != 1 {
			t.Fatalf("%s validée avant la sauvegarde : %d dans la base restaurée (%v)", name, n, err)
		}
	}
	// Each organisation's creation wrote its audit event in the same transaction: the copy
	// holds both or neither.
	if n, err := count(`SELECT COUNT(*) FROM organisations o WHERE o.nom LIKE 'Organisation %'
		AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.entity = 'organisation' AND a.entity_id = CAST(o.id AS TEXT))`); err != nil || n != 0 {
		t.Errorf("%d organisations sans leur événement d'audit (%v)", n, err)
	}
	var check string
	if err := r.QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check : %q, %v", check, err)
	}
}

// TestBackupRefusals: PostgreSQL points to pg_dump; restore refuses a file that is not a
// backup of the product.
func TestBackupRefusals(t *testing.T) {
	_, _, err := run(t, "postgres://u@127.0.0.1:1/x", "backup", "-o", filepath.Join(t.TempDir(), "x.db"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup PostgreSQL : %v", err)
	}
	if _, _, err := run(t, "postgres://u@127.0.0.1:1/x", "restore", "x.dump"); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Errorf("restore PostgreSQL : %v", err)
	}
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("pas une base"), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "pilotage.db")
	if _, _, err := run(t, target, "restore", notDB); err == nil || !strings.Contains(err.Error(), "n'est pas une base SQLite") {
		t.Errorf("restauration d'un fichier texte : %v", err)
	}
	other := filepath.Join(dir, "autre.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, _, err := run(t, target, "restore", other); err == nil || !strings.Contains(err.Error(), "pas une sauvegarde de Pilotage") {
		t.Errorf("restauration d'une autre base SQLite : %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("une restauration refusée a créé la base")
	}
}
