package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestUnknownSubcommand: an unknown command, at the root or in a group, is an error in
// French (a non-zero exit), with a suggestion when one is near; a group without a
// subcommand prints its help.
func TestUnknownSubcommand(t *testing.T) {
	tests := []struct {
		args []string
		want string // in the error; "" for none
	}{
		{[]string{"foo"}, "commande inconnue « pilotage foo » ; « pilotage --help » liste les commandes"},
		{[]string{"sed"}, "vouliez-vous dire « seed » ?"},
		{[]string{"import", "epci", "x.csv"}, "commande inconnue « pilotage import epci » ; « pilotage import --help »"},
		{[]string{"seed", "foo"}, "commande inconnue « pilotage seed foo »"},
		{[]string{"user", "delete"}, "commande inconnue « pilotage user delete »"},
		{[]string{"import"}, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, _, err := run(t, "", tt.args...)
			switch {
			case tt.want == "" && (err != nil || !strings.Contains(out, "Commandes :")):
				t.Errorf("err = %v, out = %q; want the group's help", err, out)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestImportErrorsSuggestExistingCommands: an error of an import only suggests commands
// that exist (an unknown EPCI once suggested "pilotage import epci").
func TestImportErrorsSuggestExistingCommands(t *testing.T) {
	file := filepath.Join(t.TempDir(), "communes.csv")
	content := "code_insee;nom;departement;population;codes_postaux;epci_siren;ept_siren\r\n" +
		"94046;Maisons-Alfort;94;56000;94700;999999999;200058006\r\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	e := dbtest.Engines()[0]
	url := e.URL(t, true)
	_, errOut, err := run(t, url, "import", "communes", file)
	if err == nil || !strings.Contains(errOut, "EPCI 999999999 inconnu") || !strings.Contains(errOut, "pilotage seed reference") {
		t.Fatalf("EPCI inconnu : %v\n%s", err, errOut)
	}
	for _, m := range regexp.MustCompile(`pilotage ([a-z]+)(?: ([a-z]+))?`).FindAllStringSubmatch(errOut, -1) {
		args := []string{m[1]}
		if m[2] != "" {
			args = append(args, m[2])
		}
		if cmd, rest, err := newRootCommand().Find(args); err != nil || len(rest) > 0 || cmd.Name() != args[len(args)-1] {
			t.Errorf("le message suggère « %s », qui n'existe pas", m[0])
		}
	}
}
