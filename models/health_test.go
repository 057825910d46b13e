package models_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestHealthIsUnavailable(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("requête : %w", &pgconn.PgError{Code: code}) }
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"introuvable", models.ErrNotFound, false},
		{"conflit", models.ErrConflict, false},
		{"erreur quelconque", errors.New("boum"), false},
		{"requête annulée", context.Canceled, false},
		{"pg unicité", pg("23505"), false},
		{"pg syntaxe", pg("42601"), false},
		{"pg connexion perdue", pg("08006"), true},
		{"pg arrêt", pg("57P01"), true},
		{"pg démarrage", pg("57P03"), true},
		{"pg disque plein", pg("53100"), true},
		{"pg trop de connexions", pg("53300"), true},
		{"pg lecture seule", pg("25006"), true},
		{"pg base absente", pg("3D000"), true},
		{"pg table absente", pg("42P01"), true},
		{"délai dépassé", fmt.Errorf("x : %w", context.DeadlineExceeded), true},
		{"connexion refusée", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"connexion coupée", io.ErrUnexpectedEOF, true},
		{"connexion invalide", driver.ErrBadConn, true},
		{"connexion fermée", sql.ErrConnDone, true},
		{"pool fermé", errors.New("sql: database is closed"), true},
		{"lecture seule", fmt.Errorf("%w : x", models.ErrReadOnly), true},
		{"non migré", fmt.Errorf("%w : x", models.ErrNotMigrated), true},
	} {
		if got := models.IsUnavailable(c.err); got != c.want {
			t.Errorf("%s : IsUnavailable(%v) = %v", c.name, c.err, got)
		}
	}
}

// TestHealthReady checks Ready and IsUnavailable against each engine's real errors: a
// migrated database is ready; an empty one is not migrated and its reads fail as
// unavailable; a read-only one is read-only and its writes fail as unavailable; a closed
// Store is unavailable.
func TestHealthReady(t *testing.T) {
	ctx := context.Background()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dbURL := e.URL(t, false)
			s, err := models.Open(ctx, dbURL, models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Ready(ctx); !errors.Is(err, models.ErrNotMigrated) {
				t.Errorf("base vide : Ready %v", err)
			}
			if _, err := s.SessionUser(ctx, "jeton", models.SessionLimits{}); !models.IsUnavailable(err) {
				t.Errorf("base vide : lecture %v, non reconnue comme indisponibilité", err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(ctx); err != nil {
				t.Errorf("base migrée : Ready %v", err)
			}
			user, err := s.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: "sante@ac-creteil.fr", Nom: "Santé", Role: models.RolePilote})
			if err != nil {
				t.Fatal(err)
			}
			ro, err := models.Open(ctx, dbtest.ReadOnlyURL(dbURL), models.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ro.Close()
			if err := ro.Ready(ctx); !errors.Is(err, models.ErrReadOnly) {
				t.Errorf("lecture seule : Ready %v", err)
			}
			if _, err := ro.FindUserByEmail(ctx, user.Email); err != nil {
				t.Errorf("lecture seule : lecture %v", err)
			}
			if _, err := ro.CreateSession(ctx, user.ID, "192.0.2.1", "test"); !models.IsUnavailable(err) {
				t.Errorf("lecture seule : écriture %v, non reconnue comme indisponibilité", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(ctx); !errors.Is(err, models.ErrUnavailable) {
				t.Errorf("Store fermé : Ready %v", err)
			}
			if _, err := s.FindUserByEmail(ctx, user.Email); !models.IsUnavailable(err) {
				t.Errorf("Store fermé : lecture %v, non reconnue comme indisponibilité", err)
			}
		})
	}
}
