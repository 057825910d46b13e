package models

import (
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// TraceSQL records the statements the Store runs from now on (their SQL text, without the
// values), for the external tests that prove two paths do the same work; the function it
// returns gives the statements recorded so far and starts a new record. Being in a _test.go
// file, it is no part of the package's API.
func TraceSQL(t testing.TB, s *Store) func() []string {
	t.Helper()
	var mu sync.Mutex
	var out []string
	record := func(db *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, db.Statement.SQL.String())
	}
	cb := s.db.Callback()
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:trace_query", record),
		"create": cb.Create().After("gorm:create").Register("test:trace_create", record),
		"update": cb.Update().After("gorm:update").Register("test:trace_update", record),
		"delete": cb.Delete().After("gorm:delete").Register("test:trace_delete", record),
		"row":    cb.Row().After("gorm:row").Register("test:trace_row", record),
		"raw":    cb.Raw().After("gorm:raw").Register("test:trace_raw", record),
	} {
		if err != nil {
			t.Fatalf("trace %s : %v", name, err)
		}
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		got := out
		out = nil
		return got
	}
}

// TestDummyHashIsMadeByHashPassword: the hash verified for an unknown email has the
// algorithm and cost parameters of a real hash (it is made by hashPassword, so a change of
// parameters cannot leave it cheaper or dearer), is made once per Store, and matches no
// password.
func TestDummyHashIsMadeByHashPassword(t *testing.T) {
	s := &Store{}
	dummy, err := s.dummyHash()
	if err != nil {
		t.Fatal(err)
	}
	real, err := hashPassword("une phrase de passe correcte")
	if err != nil {
		t.Fatal(err)
	}
	params := func(h string) string { // "$argon2id$v=19$m=…,t=…,p=…$salt$key": the first three fields
		parts := strings.Split(h, "$")
		if len(parts) != 6 {
			t.Fatalf("empreinte mal formée : %q", h)
		}
		return strings.Join(parts[1:4], "$")
	}
	if params(dummy) != params(real) {
		t.Errorf("paramètres de l'empreinte factice %q, d'une vraie empreinte %q", params(dummy), params(real))
	}
	if len(dummy) != len(real) {
		t.Errorf("longueur de l'empreinte factice %d, d'une vraie empreinte %d (sel ou clé de taille différente)", len(dummy), len(real))
	}
	if again, _ := s.dummyHash(); again != dummy {
		t.Error("l'empreinte factice est refaite à chaque appel")
	}
	for _, pw := range []string{"", "une phrase de passe correcte", "pas le bon mot de passe"} {
		if verifyPassword(dummy, pw) {
			t.Errorf("l'empreinte factice accepte %q", pw)
		}
	}
}
