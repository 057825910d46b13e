package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// run executes the command line with args against the database url.
func run(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("DATABASE_URL", url)
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestMigrateAndSeed(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t, false)
			out, _, err := run(t, url, "migrate")
			if err != nil || !strings.Contains(out, "Migration appliquée : 00001_territory") {
				t.Fatalf("migrate : %v\n%s", err, out)
			}
			if out, _, _ := run(t, url, "migrate"); !strings.Contains(out, "Aucune migration en attente") {
				t.Errorf("second migrate : %s", out)
			}
			out, _, err = run(t, url, "seed", "reference")
			if err != nil || !strings.Contains(out, "écoles :") || !strings.Contains(out, "2642 créé(s)") {
				t.Fatalf("seed reference : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "seed", "reference")
			if err != nil || strings.Contains(out, " 1 créé") || !strings.Contains(out, "0 créé(s), 0 mis à jour, 2642 inchangé(s)") {
				t.Errorf("second seed reference : %v\n%s", err, out)
			}
		})
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "ecoles.csv")
	content := "uai;nom;type;statut;code_insee\r\n0930388S;Ecole A;élémentaire;public;93048\r\n0930388T;Ecole B;élémentaire;public;93048\r\n"
	if err := os.WriteFile(bad, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "annuaire.csv")
	sample, err := os.ReadFile("../../../shared/data/samples/annuaire_education_extrait_94.csv")
	if err != nil {
		t.Skip("échantillon de l'annuaire absent")
	}
	if err := os.WriteFile(good, sample, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t, true)
			_, errOut, err := run(t, url, "import", "ecoles", bad)
			if err == nil || !strings.Contains(errOut, "ligne 3, colonne uai : UAI invalide") {
				t.Errorf("fichier invalide : %v\n%s", err, errOut)
			}
			out, _, err := run(t, url, "import", "ecoles", "--dry-run", good)
			if err != nil || !strings.Contains(out, "Simulation") || !strings.Contains(out, "Format : annuaire") {
				t.Errorf("simulation : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "import", "ecoles", good)
			if err != nil || !strings.Contains(out, "Import terminé") {
				t.Errorf("import : %v\n%s", err, out)
			}
			out, _, err = run(t, url, "import", "ecoles", good)
			if err != nil || !strings.Contains(out, "0 créé(s), 0 mis à jour") {
				t.Errorf("second import : %v\n%s", err, out)
			}
		})
	}
}

// TestServeShutsDownGracefully starts the server on a free port, checks it answers, then
// cancels its context as SIGINT would.
func TestServeShutsDownGracefully(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := config{DatabaseURL: filepath.Join(t.TempDir(), "pilotage.db"), Addr: addr, LogLevel: "error"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("le serveur ne répond pas")
		}
		time.Sleep(100 * time.Millisecond)
	}
	resp, err := http.Get("http://" + addr + "/api/v1/departements")
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("API sans jeton : %v %v", err, resp)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("arrêt : %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("le serveur ne s'arrête pas")
	}
}

func TestBrowseURL(t *testing.T) {
	cases := map[string]string{"127.0.0.1:8080": "http://localhost:8080", ":9000": "http://localhost:9000",
		"10.0.0.5:80": "http://10.0.0.5:80"}
	for addr, want := range cases {
		if got := browseURL(config{Addr: addr}); got != want {
			t.Errorf("%s : %s, attendu %s", addr, got, want)
		}
	}
}

func TestTrustedProxiesMustBeCIDR(t *testing.T) {
	if _, err := (config{TrustedProxies: "10.0.0.0/8, 192.168.1.7/32"}).appConfig(); err != nil {
		t.Errorf("plages valides refusées : %v", err)
	}
	if _, err := (config{TrustedProxies: "10.0.0.5"}).appConfig(); err == nil || !strings.Contains(err.Error(), "CIDR") {
		t.Errorf("adresse sans masque acceptée : %v", err)
	}
}

// TestSessionLimitsSettings: PILOTAGE_SESSION_IDLE under a minute (session activity is
// recorded at most once a minute) or not a duration stops the start with a French message
// naming the setting, before the database is opened; unset, the defaults apply.
func TestSessionLimitsSettings(t *testing.T) {
	cases := []struct {
		idle, max string
		wantIdle  time.Duration
		wantMax   time.Duration
		err       string
	}{
		{"", "", 30 * time.Minute, 12 * time.Hour, ""},
		{"1m", "8h", time.Minute, 8 * time.Hour, ""},
		{"45m", "", 45 * time.Minute, 12 * time.Hour, ""},
		{" 90s ", "", 90 * time.Second, 12 * time.Hour, ""},
		{"59s", "", 0, 0, "PILOTAGE_SESSION_IDLE : « 59s » est trop court, minimum 1m : l'activité d'une session est enregistrée au plus une fois par minute"},
		{"1s", "", 0, 0, "minimum 1m"},
		{"0s", "", 0, 0, "minimum 1m"},
		{"-5m", "", 0, 0, "minimum 1m"},
		{"30", "", 0, 0, "PILOTAGE_SESSION_IDLE : « 30 » n'est pas une durée (ex. 45m, 8h)"},
		{"", "douze heures", 0, 0, "PILOTAGE_SESSION_MAX : « douze heures » n'est pas une durée"},
		{"", "0s", 0, 0, "PILOTAGE_SESSION_MAX : « 0s » est trop court"},
	}
	for _, c := range cases {
		t.Setenv("PILOTAGE_SESSION_IDLE", c.idle)
		t.Setenv("PILOTAGE_SESSION_MAX", c.max)
		ac, err := configFromEnv().appConfig()
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q / %q : %v", c.idle, c.max, err)
		case c.err == "" && (ac.Sessions.Idle != c.wantIdle || ac.Sessions.Absolute != c.wantMax):
			t.Errorf("%q / %q : inactivité %v, durée maximale %v ; attendu %v, %v", c.idle, c.max, ac.Sessions.Idle, ac.Sessions.Absolute, c.wantIdle, c.wantMax)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q / %q : erreur %v, attendu %q", c.idle, c.max, err, c.err)
		}
	}

	// serve refuses to start, and does so before creating the database.
	t.Setenv("PILOTAGE_SESSION_IDLE", "30s")
	t.Setenv("PILOTAGE_SESSION_MAX", "")
	t.Setenv("PILOTAGE_ADDR", "127.0.0.1:0")
	db := filepath.Join(t.TempDir(), "pilotage.db")
	_, _, err := run(t, db, "serve")
	if err == nil || !strings.Contains(err.Error(), "PILOTAGE_SESSION_IDLE") || !strings.Contains(err.Error(), "minimum 1m") {
		t.Fatalf("serve avec PILOTAGE_SESSION_IDLE=30s : %v", err)
	}
	if _, statErr := os.Stat(db); !os.IsNotExist(statErr) {
		t.Errorf("la base a été créée malgré le réglage refusé : %v", statErr)
	}
}

// TestInstallationLinkOnPublicAddress: the installation link printed at start is built on
// PILOTAGE_BASE_URL, or on the loopback address the server listens on; a server listening
// beyond the loopback without PILOTAGE_BASE_URL makes no link and says how to get one.
func TestInstallationLinkOnPublicAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		for _, c := range []struct {
			cfg  app.Config
			want string
		}{
			{app.Config{Addr: "0.0.0.0:8080", BaseURL: "https://pilotage.ac-creteil.fr/"}, "\n  https://pilotage.ac-creteil.fr/installation/inst_"},
			{app.Config{Addr: "127.0.0.1:8080"}, "\n  http://127.0.0.1:8080/installation/inst_"},
			{app.Config{Addr: "0.0.0.0:8080"}, "Configurez PILOTAGE_BASE_URL (ou --base-url) pour recevoir le lien d'installation"},
			{app.Config{Addr: ":8080"}, "le serveur écoute sur :8080, pas seulement sur cet ordinateur"},
		} {
			var out bytes.Buffer
			if err := announceInstallation(t.Context(), s, c.cfg, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), c.want) {
				t.Errorf("%+v : %q, attendu %q", c.cfg, out.String(), c.want)
			}
			if !strings.HasPrefix(c.cfg.BaseURL, "https://") && !strings.HasPrefix(c.cfg.Addr, "127.") && strings.Contains(out.String(), "/installation/") {
				t.Errorf("%+v : lien d'installation sans adresse publique : %q", c.cfg, out.String())
			}
		}
	})
}
