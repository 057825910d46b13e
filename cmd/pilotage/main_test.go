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

	"github.com/ac-creteil/pilotage/models/dbtest"
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
