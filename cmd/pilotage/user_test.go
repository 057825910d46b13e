package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// runIn is run with stdin: what a pipe would give the command.
func runIn(t *testing.T, url, stdin string, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("DATABASE_URL", url)
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// openURL opens the database the commands use, to check what they did.
func openURL(t *testing.T, url string) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), url, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

const testPassword = "phrase de passe longue"

func TestUserCommands(t *testing.T) {
	t.Setenv("PILOTAGE_BASE_URL", "")
	t.Setenv("PILOTAGE_ADDR", "")
	t.Setenv("PILOTAGE_LOG_LEVEL", "error")
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t, true)
			store := openURL(t, url)
			createUsersByCommand(t, url, store)
			refuseUsersByCommand(t, url, store)
			listDisableEnableByCommand(t, url, store)
			lastAdminAndTokenByCommand(t, url, store)
		})
	}
}

// createUsersByCommand creates an IA with the password from stdin, who can then sign in,
// and an IEN with a one-time link, which sets the password.
func createUsersByCommand(t *testing.T, url string, store *models.Store) {
	t.Helper()
	ctx := context.Background()
	// Password from stdin.
	out, errOut, err := runIn(t, url, testPassword+"\r\n", "user", "create", "--email", "Sacha.Martin@ac-creteil.fr",
		"--name", "Sacha Martin", "--role", "ia_dasen", "--departement", "93")
	if err != nil || !strings.Contains(out, "Compte créé") || !strings.Contains(out, "Mot de passe enregistré") {
		t.Fatalf("création : %v\n%s\n%s", err, out, errOut)
	}
	ia, err := store.Authenticate(ctx, "sacha.martin@ac-creteil.fr", testPassword, "127.0.0.1")
	if err != nil || ia.Role != models.RoleIA || *ia.DepartementCode != "93" {
		t.Fatalf("connexion avec le mot de passe lu : %v %+v", err, ia)
	}

	// One-time link.
	out, errOut, err = run(t, url, "user", "create", "--email", "ien@ac-creteil.fr", "--name", "Morgan Petit",
		"--role", "ien", "--circonscription", "0940920p", "--lien")
	m := regexp.MustCompile(`http://localhost:8080/mot-de-passe/(\S+)`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("création avec lien : %v\n%s\n%s", err, out, errOut)
	}
	if _, err := store.CheckLink(ctx, m[1], models.LinkPassword); err != nil {
		t.Fatalf("lien refusé : %v", err)
	}
	if _, err := store.UsePasswordLink(ctx, m[1], testPassword); err != nil {
		t.Fatalf("lien : %v", err)
	}
	if _, err := store.Authenticate(ctx, "ien@ac-creteil.fr", testPassword, "127.0.0.1"); err != nil {
		t.Fatalf("connexion après le lien : %v", err)
	}
}

// refuseUsersByCommand checks "user create" refusals: a message per field, nothing created.
func refuseUsersByCommand(t *testing.T, url string, store *models.Store) {
	t.Helper()
	ctx := context.Background()
	// Refusals: a message per field, nothing created.
	refusals := []struct {
		name, stdin, want string
		args              []string
	}{
		{"rôle inconnu", testPassword, "--role : Rôle inconnu", []string{"--role", "chef"}},
		{"IA sans département", testPassword, "--departement : Choisissez le département", []string{"--role", "ia_dasen"}},
		{"commune inconnue", testPassword, "--commune : Commune inconnue : 99999", []string{"--role", "referent_commune", "--commune", "99999"}},
		{"mot de passe court", "court\n", "mot de passe : Le mot de passe doit compter au moins 12 caractères", []string{"--role", "lecteur"}},
		{"pas de mot de passe", "", "aucun mot de passe sur l'entrée standard", []string{"--role", "lecteur"}},
		{"adresse prise", testPassword, "--email : Un compte existe déjà", []string{"--role", "lecteur", "--email", "sacha.martin@ac-creteil.fr"}},
	}
	for _, r := range refusals {
		args := append([]string{"user", "create", "--email", "refus@ac-creteil.fr", "--name", "Refus"}, r.args...)
		_, errOut, err := runIn(t, url, r.stdin, args...)
		if err == nil || !strings.Contains(errOut+err.Error(), r.want) {
			t.Errorf("%s : %v\n%s", r.name, err, errOut)
		}
	}
	if _, err := store.FindUserByEmail(ctx, "refus@ac-creteil.fr"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("un compte refusé a été créé : %v", err)
	}
}

// listDisableEnableByCommand lists the accounts, then disables and enables the IA's.
func listDisableEnableByCommand(t *testing.T, url string, store *models.Store) {
	t.Helper()
	ctx := context.Background()
	// List.
	out, _, err := run(t, url, "user", "list")
	if err != nil || !strings.Contains(out, "sacha.martin@ac-creteil.fr") || !strings.Contains(out, "département 93") ||
		!strings.Contains(out, "circonscription 0940920P") || !strings.Contains(out, "PÉRIMÈTRE") || !strings.Contains(out, "2 compte(s)") {
		t.Errorf("liste : %v\n%s", err, out)
	}

	// Disable, enable.
	out, _, err = run(t, url, "user", "disable", "sacha.martin@ac-creteil.fr")
	if err != nil || !strings.Contains(out, "désactivé") {
		t.Fatalf("désactivation : %v\n%s", err, out)
	}
	if _, err := store.Authenticate(ctx, "sacha.martin@ac-creteil.fr", testPassword, "127.0.0.1"); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("un compte désactivé se connecte : %v", err)
	}
	if out, _, _ := run(t, url, "user", "disable", "sacha.martin@ac-creteil.fr"); !strings.Contains(out, "déjà désactivé") {
		t.Errorf("seconde désactivation : %s", out)
	}
	if out, _, err := run(t, url, "user", "enable", "sacha.martin@ac-creteil.fr"); err != nil || !strings.Contains(out, "réactivé") {
		t.Errorf("réactivation : %v\n%s", err, out)
	}
	if _, err := store.Authenticate(ctx, "sacha.martin@ac-creteil.fr", testPassword, "127.0.0.1"); err != nil {
		t.Errorf("connexion après réactivation : %v", err)
	}
	if _, _, err := run(t, url, "user", "disable", "personne@ac-creteil.fr"); err == nil || !strings.Contains(err.Error(), "aucun compte") {
		t.Errorf("adresse inconnue : %v", err)
	}
}

// lastAdminAndTokenByCommand checks the last administrator cannot be disabled, and that
// "token create" prints the token alone on stdout, explained on stderr.
func lastAdminAndTokenByCommand(t *testing.T, url string, store *models.Store) {
	t.Helper()
	ctx := context.Background()
	// The last administrator stays.
	if _, _, err := runIn(t, url, testPassword, "user", "create", "--email", "admin@ac-creteil.fr", "--name", "Admin", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := run(t, url, "user", "disable", "admin@ac-creteil.fr"); err == nil || !strings.Contains(errOut, "au moins un administrateur") {
		t.Errorf("dernier administrateur : %v\n%s", err, errOut)
	}

	// API token: alone on stdout, explained on stderr.
	out, errOut, err := run(t, url, "token", "create", "--email", "sacha.martin@ac-creteil.fr", "--name", "Tableur")
	if err != nil || !strings.Contains(errOut, "plus jamais affiché") || !strings.Contains(errOut, "Authorization: Bearer") {
		t.Fatalf("jeton : %v\n%s\n%s", err, out, errOut)
	}
	u, err := store.TokenUser(ctx, strings.TrimSpace(out))
	if err != nil || u.Email != "sacha.martin@ac-creteil.fr" {
		t.Errorf("le jeton affiché ne fonctionne pas : %v %q", err, out)
	}
	if _, _, err := run(t, url, "token", "create", "--email", "personne@ac-creteil.fr"); err == nil {
		t.Error("jeton pour une adresse inconnue")
	}
}

// startServer runs serve with cfg on a free port until the test ends, and returns its
// address once it is ready.
func startServer(t *testing.T, cfg config) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("arrêt : %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("le serveur ne s'arrête pas")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("le serveur s'est arrêté : %v", err)
		default:
		}
		if resp, err := http.Get("http://" + cfg.Addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cfg.Addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("le serveur ne répond pas")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeDemo runs "seed demo" on an empty base (the reference data is loaded first), then
// starts "serve --demo" on it (which loads the demonstration again), reads the login page,
// signs in with a demo account, then checks that the server refuses to start without
// --demo on this base, whose only administrator has a public password.
func TestServeDemo(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dbURL := e.URL(t, false)
			t.Run("seed", func(t *testing.T) {
				t.Setenv("PILOTAGE_LOG_LEVEL", "error")
				out, errOut, err := run(t, dbURL, "seed", "demo")
				if err != nil || !strings.Contains(out, seeds.DemoPassword) || !strings.Contains(out, "ia93@demo.invalid") ||
					!strings.Contains(out, "serve --demo") {
					t.Fatalf("seed demo : %v\n%s\n%s", err, out, errOut)
				}
				if _, err := openURL(t, dbURL).Authenticate(context.Background(), "ien94@demo.invalid", seeds.DemoPassword, "127.0.0.1"); err != nil {
					t.Errorf("compte de démonstration : %v", err)
				}
			})
			cfg := config{DatabaseURL: dbURL, LogLevel: "error", Demo: true}
			t.Run("demo", func(t *testing.T) {
				addr := startServer(t, cfg)
				jar, _ := cookiejar.New(nil)
				c := &http.Client{Jar: jar}
				status, body := get(t, c, "http://"+addr+"/connexion")
				for _, want := range []string{"Comptes de démonstration", "Données de démonstration", seeds.DemoPassword,
					"ia93@demo.invalid", "IA-DASEN (département), département 93", "referent93@demo.invalid"} {
					if status != http.StatusOK || !strings.Contains(body, want) {
						t.Errorf("page de connexion (%d) sans « %s »", status, want)
					}
				}
				m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(body)
				if m == nil {
					t.Fatal("pas de jeton CSRF")
				}
				resp, err := c.PostForm("http://"+addr+"/connexion", url.Values{"_csrf": {m[1]},
					"email": {"ia93@demo.invalid"}, "password": {seeds.DemoPassword}})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || !strings.Contains(string(b), "Données de démonstration") {
					t.Errorf("connexion de démonstration : %d %s", resp.StatusCode, resp.Request.URL)
				}
			})
			cfg.Demo = false
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := serve(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), "base de démonstration") {
				t.Errorf("démarrage sans --demo sur une base de démonstration : %v", err)
			}
		})
	}
}
