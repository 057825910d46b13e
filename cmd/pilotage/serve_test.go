package main

import (
	"errors"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestServeOnBusyPort occupies a port, then runs the real binary (this test binary calling
// main) with "serve --addr" on it: the start stops at once with exit code 1 and a French
// message naming the port and another address to use, before announcing anything (no
// "prêt", no installation link) and before creating the database.
func TestServeOnBusyPort(t *testing.T) {
	if os.Getenv("PILOTAGE_TEST_RUN_MAIN") == "1" {
		os.Args = []string{"pilotage", "serve", "--addr", os.Getenv("PILOTAGE_TEST_ADDR")}
		main()
		os.Exit(0)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	next := "127.0.0.1:" + strconv.Itoa(n+1)
	db := filepath.Join(t.TempDir(), "pilotage.db")

	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestServeOnBusyPort$")
	cmd.Env = append(os.Environ(), "PILOTAGE_TEST_RUN_MAIN=1", "PILOTAGE_TEST_ADDR="+addr,
		"DATABASE_URL="+db, "PILOTAGE_ADDR=", "PILOTAGE_BASE_URL=")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("code de sortie : %v, attendu 1\n%s", err, out.String())
	}
	for _, want := range []string{
		"erreur : le port " + port + " est déjà utilisé",
		"lancez `pilotage serve --addr " + next + "`",
		"`PILOTAGE_ADDR=" + next + " pilotage serve`",
		"`make run ADDR=" + next + "`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("message sans « %s » :\n%s", want, out.String())
		}
	}
	for _, never := range []string{"prêt", "installation", "serveur démarré", "migration"} {
		if strings.Contains(out.String(), never) {
			t.Errorf("« %s » annoncé alors que le port est pris :\n%s", never, out.String())
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("la base a été créée alors que le port est pris : %v", err)
	}
}

// TestServeCommandOnBusyPort: the same through the command (as `make run` calls it): the
// error is returned, nothing is written to the console.
func TestServeCommandOnBusyPort(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, errOut, err := run(t, filepath.Join(t.TempDir(), "pilotage.db"), "serve", "--addr", busy.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "est déjà utilisé") {
		t.Fatalf("erreur : %v", err)
	}
	if strings.Contains(errOut, "prêt") || strings.Contains(errOut, "/installation/") {
		t.Errorf("annoncé malgré le port pris : %q", errOut)
	}
}

func TestNextAddr(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080":  "127.0.0.1:8081",
		":9000":           ":9001",
		"[::1]:8080":      "[::1]:8081",
		"0.0.0.0:65535":   "0.0.0.0:8081",
		"pas-une-adresse": "127.0.0.1:8081",
	} {
		if got := nextAddr(addr); got != want {
			t.Errorf("%s : %s, attendu %s", addr, got, want)
		}
	}
}

// TestListenOtherFailure: an address that cannot be listened on for another reason says
// so and how to choose another.
func TestListenOtherFailure(t *testing.T) {
	_, err := listen("127.0.0.1:pas-un-port")
	if err == nil || !strings.Contains(err.Error(), "impossible d'écouter sur 127.0.0.1:pas-un-port") ||
		!strings.Contains(err.Error(), "--addr") {
		t.Errorf("erreur : %v", err)
	}
}

// TestFirstAdminCommandOnLoginPage: on a fresh installation, the command the sign-in page
// gives to create the first administrator is one this binary accepts as written: run with
// a password on its standard input, it creates the account, and the page stops showing
// the message.
func TestFirstAdminCommandOnLoginPage(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dbURL := e.URL(t, true)
			addr := startServer(t, config{DatabaseURL: dbURL, LogLevel: "error"})
			status, body := get(t, http.DefaultClient, "http://"+addr+"/connexion")
			m := regexp.MustCompile(`<code>(pilotage user create [^<]*)</code>`).FindStringSubmatch(body)
			if status != http.StatusOK || m == nil || !strings.Contains(body, `id="premier-demarrage"`) {
				t.Fatalf("page de connexion (%d) sans la commande du premier administrateur :\n%s", status, body)
			}
			args := splitCommandLine(html.UnescapeString(m[1]))
			if len(args) < 3 || !slices.Contains(args, "--role") || !slices.Contains(args, "admin") {
				t.Fatalf("commande : %q", args)
			}
			out, errOut, err := runIn(t, dbURL, testPassword+"\n", args[1:]...)
			if err != nil || !strings.Contains(out, "Compte créé") || !strings.Contains(out, "Administrateur") {
				t.Fatalf("%q : %v\n%s\n%s", args, err, out, errOut)
			}
			if _, body := get(t, http.DefaultClient, "http://"+addr+"/connexion"); strings.Contains(body, "premier-demarrage") {
				t.Error("message de premier démarrage après la création de l'administrateur")
			}
		})
	}
}

// splitCommandLine cuts a shell command line at spaces, keeping "double-quoted" words whole.
func splitCommandLine(line string) []string {
	var args []string
	var cur strings.Builder
	quoted, started := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, started = !quoted, true
		case r == ' ' && !quoted:
			if started {
				args = append(args, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	if started {
		args = append(args, cur.String())
	}
	return args
}
