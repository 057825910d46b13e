package models_test

// Sessions and authentication in the data layer, with a fake clock: idle and absolute
// limits, revocation, and the per-account throttling computed from the logins table.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// sessionClock is a fake clock: time moves only when the test says so.
type sessionClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *sessionClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *sessionClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// eachWithClock runs fn on every engine with a Store reading a fake clock.
func eachWithClock(t *testing.T, fn func(t *testing.T, s *models.Store, clock *sessionClock)) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			clock := &sessionClock{now: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
			fn(t, e.OpenWith(t, true, models.Options{Now: clock.Now}), clock)
		})
	}
}

func sessionUser(t *testing.T, s *models.Store, email, password string) models.User {
	t.Helper()
	return userWithPassword(t, s, models.SystemActor("test"), models.UserInput{Email: email, Nom: "Test " + email, Role: models.RolePilote}, password)
}

// TestSessionLimitsWithClock: idle 30 min and absolute 12 h by default, other limits when
// given; an expired session is deleted, not only refused.
func TestSessionLimitsWithClock(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *models.Store, clock *sessionClock) {
		ctx := context.Background()
		u := sessionUser(t, s, "session@ac-creteil.fr", "")
		open := func() string {
			token, err := s.CreateSession(ctx, u.ID, "192.0.2.1", strings.Repeat("Mozilla ", 100))
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		check := func(token string, limits models.SessionLimits, want bool, when string) {
			t.Helper()
			got, err := s.SessionUser(ctx, token, limits)
			switch {
			case want && err != nil:
				t.Errorf("%s : %v", when, err)
			case want && got.ID != u.ID:
				t.Errorf("%s : utilisateur %d", when, got.ID)
			case !want && !errors.Is(err, models.ErrNotFound):
				t.Errorf("%s : %v, attendu ErrNotFound", when, err)
			}
		}
		var defaults models.SessionLimits

		idle := open()
		clock.Advance(29 * time.Minute)
		check(idle, defaults, true, "29 min")
		clock.Advance(29 * time.Minute)
		check(idle, defaults, true, "29 min après la dernière requête (rafraîchie)")
		clock.Advance(30*time.Minute + time.Second)
		check(idle, defaults, false, "30 min 01 sans requête")
		clock.Advance(-time.Hour)
		check(idle, defaults, false, "session expirée, horloge reculée (elle a été supprimée)")
		clock.Advance(time.Hour)

		absolute := open()
		for i := 0; i < 12*3-1; i++ { // every 20 minutes for 11 h 40
			clock.Advance(20 * time.Minute)
			check(absolute, defaults, true, "activité régulière")
		}
		clock.Advance(21 * time.Minute) // 12 h 01 after login
		check(absolute, defaults, false, "12 h 01 malgré l'activité")

		custom := models.SessionLimits{Idle: 2 * time.Minute, Absolute: 10 * time.Minute}
		short := open()
		clock.Advance(90 * time.Second)
		check(short, custom, true, "90 s (inactivité 2 min)")
		clock.Advance(150 * time.Second)
		check(short, custom, false, "150 s sans requête (inactivité 2 min)")
		long := open()
		for range 5 {
			clock.Advance(110 * time.Second)
			check(long, custom, true, "activité avant 10 min")
		}
		clock.Advance(110 * time.Second) // 11 min 40 after login
		check(long, custom, false, "après 10 min malgré l'activité")

		// Logout deletes the session; an unknown token is not found.
		out := open()
		if err := s.DeleteSession(ctx, out); err != nil {
			t.Fatal(err)
		}
		check(out, defaults, false, "après DeleteSession")
		check("inconnu", defaults, false, "jeton inconnu")
		check("", defaults, false, "jeton vide")

		// Two sessions never share a token.
		if a, b := open(), open(); a == b || len(a) < 40 {
			t.Errorf("jetons de session %q / %q", a, b)
		}
	})
}

// TestSessionRevokedByAccountChanges: disabling the account, changing its password or its
// role ends its sessions at once.
func TestSessionRevokedByAccountChanges(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *models.Store, clock *sessionClock) {
		ctx := context.Background()
		sys := models.SystemActor("test")
		u := sessionUser(t, s, "revocation@ac-creteil.fr", "une phrase de passe correcte")
		open := func() string {
			token, err := s.CreateSession(ctx, u.ID, "192.0.2.1", "test")
			if err != nil {
				t.Fatal(err)
			}
			return token
		}
		alive := func(token string) bool {
			_, err := s.SessionUser(ctx, token, models.SessionLimits{})
			return err == nil
		}

		token := open()
		if err := s.SetUserActive(ctx, sys, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if alive(token) {
			t.Error("session d'un compte désactivé encore ouverte")
		}
		if err := s.SetUserActive(ctx, sys, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if alive(token) {
			t.Error("la réactivation rouvre l'ancienne session")
		}

		token = open()
		if err := s.SetPasswordDirect(ctx, sys, u.ID, "une autre phrase de passe"); err != nil {
			t.Fatal(err)
		}
		if alive(token) {
			t.Error("session encore ouverte après un changement de mot de passe")
		}

		token = open()
		cur, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, sys, u.ID, cur.Version, models.UserInput{Email: cur.Email, Nom: cur.Nom,
			Role: models.RoleIA, Departement: "93"}); err != nil {
			t.Fatal(err)
		}
		if alive(token) {
			t.Error("session encore ouverte après un changement de rôle")
		}
	})
}

// TestAuthenticateThrottling: after 5 failures in a row for an email, each attempt waits
// twice as long (1 s, 2 s, 4 s ... at most 1 min), even with the right password, and for
// unknown addresses alike; a success resets the count; failures older than 15 minutes no
// longer count. Unknown email, wrong password, disabled account and account without password
// all give ErrBadCredentials.
func TestAuthenticateThrottling(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *models.Store, clock *sessionClock) {
		ctx := context.Background()
		const good = "la bonne phrase de passe"
		u := sessionUser(t, s, "lent@ac-creteil.fr", good)
		auth := func(email, password string) error { return authenticateAt(s, email, password) }
		wait := throttleWait

		for i := range 5 {
			if err := auth("lent@ac-creteil.fr", "mauvais"); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("échec %d : %v", i+1, err)
			}
		}
		// Case and spaces do not make another account.
		if w := wait(auth("  LENT@ac-creteil.FR ", good)); w != time.Second {
			t.Errorf("après 5 échecs, bon mot de passe : attente %v, attendu 1 s", w)
		}
		for i, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute} {
			clock.Advance(wait(auth("lent@ac-creteil.fr", "mauvais")))
			if err := auth("lent@ac-creteil.fr", "mauvais"); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("échec %d une fois le délai passé : %v", 6+i, err)
			}
			if w := wait(auth("lent@ac-creteil.fr", good)); w != want {
				t.Errorf("après %d échecs : attente %v, attendu %v", 6+i, w, want)
			}
		}
		clock.Advance(time.Minute)
		got, err := s.Authenticate(ctx, "lent@ac-creteil.fr", good, "192.0.2.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("bon mot de passe après le délai : %v", err)
		}
		if got.LastLoginAt == nil || !got.LastLoginAt.Equal(clock.Now()) {
			t.Errorf("dernière connexion %v, attendu %v", got.LastLoginAt, clock.Now())
		}
		// The success resets the count.
		for i := range 5 {
			if err := auth("lent@ac-creteil.fr", "mauvais"); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("après un succès, échec %d : %v", i+1, err)
			}
		}
		if w := wait(auth("lent@ac-creteil.fr", "mauvais")); w != time.Second {
			t.Errorf("5 échecs après un succès : attente %v", w)
		}
		// Failures older than 15 minutes are forgotten.
		clock.Advance(15*time.Minute + time.Second)
		if err := auth("lent@ac-creteil.fr", good); err != nil {
			t.Errorf("15 min plus tard : %v", err)
		}
		slowedAndOneAnswer(t, s, good)
	})
}

// authenticateAt signs in from 192.0.2.1, and returns the error.
func authenticateAt(s *models.Store, email, password string) error {
	_, err := s.Authenticate(context.Background(), email, password, "192.0.2.1")
	return err
}

// throttleWait is how long a throttled sign-in says to wait, 0 when err is no ErrThrottled.
func throttleWait(err error) time.Duration {
	var th *models.ErrThrottled
	if errors.As(err, &th) {
		return th.Wait
	}
	return 0
}

// slowedAndOneAnswer checks unknown addresses are slowed the same way, and that every kind
// of failure (good being a valid password) gives ErrBadCredentials.
func slowedAndOneAnswer(t *testing.T, s *models.Store, good string) {
	t.Helper()
	// Unknown addresses are slowed the same way.
	for range 5 {
		if err := authenticateAt(s, "personne@ac-creteil.fr", "mauvais"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("adresse inconnue : %v", err)
		}
	}
	if w := throttleWait(authenticateAt(s, "personne@ac-creteil.fr", "mauvais")); w != time.Second {
		t.Errorf("adresse inconnue après 5 échecs : attente %v", w)
	}

	// One answer for every kind of failure.
	off := sessionUser(t, s, "off@ac-creteil.fr", good)
	if err := s.SetUserActive(context.Background(), models.SystemActor("test"), off.ID, false); err != nil {
		t.Fatal(err)
	}
	sessionUser(t, s, "sans@ac-creteil.fr", "")
	for _, c := range []struct{ what, email, password string }{
		{"adresse inconnue", "inconnu@ac-creteil.fr", good},
		{"mauvais mot de passe", "lent@ac-creteil.fr", "mauvais"},
		{"compte désactivé", "off@ac-creteil.fr", good},
		{"compte sans mot de passe", "sans@ac-creteil.fr", ""},
		{"mot de passe vide", "lent@ac-creteil.fr", ""},
		{"adresse vide", "", ""},
	} {
		if err := authenticateAt(s, c.email, c.password); !errors.Is(err, models.ErrBadCredentials) {
			t.Errorf("%s : %v, attendu ErrBadCredentials", c.what, err)
		}
	}
}

// TestAuthenticateHostileEmail: whatever the email typed, Authenticate answers
// ErrBadCredentials, never a database error: long addresses are cut on a character
// boundary before they are logged (PostgreSQL refuses invalid UTF-8), invalid UTF-8 and NUL
// bytes are replaced.
func TestAuthenticateHostileEmail(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *models.Store, clock *sessionClock) {
		ctx := context.Background()
		for _, email := range []string{
			strings.Repeat("€", 10000), "a" + strings.Repeat("é", 300), strings.Repeat("😀", 100) + "@ac-creteil.fr",
			"caf\xe9@ac-creteil.fr", "nul\x00@ac-creteil.fr", "<script>alert(1)</script>", "' OR 1=1 --",
		} {
			clock.Advance(16 * time.Minute)
			if _, err := s.Authenticate(ctx, email, "mauvais", "192.0.2.1"); !errors.Is(err, models.ErrBadCredentials) {
				t.Errorf("%.20q : %v", email, err)
			}
		}
		logins, err := s.ListLogins(ctx, models.SystemActor("test"), models.PageRequest{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range logins.Items {
			if len(l.Email) > 254 || strings.ContainsRune(l.Email, 0) || !strings.EqualFold(strings.ToValidUTF8(l.Email, ""), l.Email) {
				t.Errorf("adresse enregistrée invalide : %.40q (%d octets)", l.Email, len(l.Email))
			}
		}
	})
}

// TestAuthenticateSameWorkForUnknownEmailAndWrongPassword: an unknown email, a wrong
// password and an account without a password run the same statements (the throttling
// query, the account lookup, the attempt's insert) in the same order, and each leaves one
// failed attempt in the login history: nothing in the database's work tells them apart.
func TestAuthenticateSameWorkForUnknownEmailAndWrongPassword(t *testing.T) {
	eachWithClock(t, func(t *testing.T, s *models.Store, clock *sessionClock) {
		ctx := context.Background()
		sessionUser(t, s, "reel@ac-creteil.fr", "une phrase de passe correcte")
		sessionUser(t, s, "sans-mot-de-passe@ac-creteil.fr", "")
		trace := models.TraceSQL(t, s)
		// The first attempt of a Store makes its dummy hash, whatever the email: warm up.
		if _, err := s.Authenticate(ctx, "echauffement@ac-creteil.fr", "pas le bon mot de passe", "192.0.2.1"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatal(err)
		}
		trace()
		statements := map[string][]string{}
		for _, email := range []string{"inconnu@ac-creteil.fr", "reel@ac-creteil.fr", "sans-mot-de-passe@ac-creteil.fr"} {
			clock.Advance(time.Minute)
			if _, err := s.Authenticate(ctx, email, "pas le bon mot de passe", "192.0.2.1"); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("%s : %v", email, err)
			}
			statements[email] = trace()
		}
		want := statements["reel@ac-creteil.fr"]
		if len(want) != 3 {
			t.Errorf("mauvais mot de passe : %d requêtes, attendu 3 (limitation, compte, tentative) : %q", len(want), want)
		}
		for email, got := range statements {
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s : requêtes\n%q\nmauvais mot de passe :\n%q", email, got, want)
			}
		}
		logins, err := s.ListLogins(ctx, models.SystemActor("test"), models.PageRequest{Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if logins.Total != 4 {
			t.Errorf("%d tentatives enregistrées, attendu 4 (une par essai)", logins.Total)
		}
		for _, l := range logins.Items {
			if l.Success {
				t.Errorf("tentative %s enregistrée comme réussie", l.Email)
			}
		}
	})
}
