package seeds_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
)

// FuzzReadEcoles sends arbitrary bytes through ReadCSV then ReadEcoles and ReadCommunes: they
// never panic, rows come in file order after the header, and every error names its line.
func FuzzReadEcoles(f *testing.F) {
	if file, err := os.Open(annuairePath); err == nil {
		var head []byte
		sc := bufio.NewScanner(file)
		sc.Buffer(nil, 1<<20)
		for i := 0; i < 4 && sc.Scan(); i++ {
			head = append(append(head, sc.Bytes()...), '\r', '\n')
			f.Add(bytes.Clone(head))
		}
		file.Close()
	}
	f.Add([]byte(ecoleHeader + "0940204L;Ecole élémentaire Jules Ferry;élémentaire;Public;94046;212;9;REP\n"))
	f.Add([]byte(ecoleHeader + "0940204L;\"École \"\"A\"\"\n;sur deux lignes\";M;PU;94046;1 234;12,00;REP +\n"))
	f.Add([]byte(ecoleHeader + "0940204L;\"École inachev"))
	f.Add([]byte("\xef\xbb\xbfuai,nom,type,statut,code_insee\r\n0940204l,\xc9cole,p,pr,2a004\r\n"))
	f.Add([]byte(communeHeader + creteil("93\u00a0500") + "94068;Saint-Maur;094;-1;94100|94210;;\r\n"))
	f.Add([]byte("Code_commune;Nom_commune;Code_departement;Code_postal\n94028;Créteil;094;94000\n94028;Créteil;094;94010\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if csv, err := seeds.ReadCSV(bytes.NewReader(data)); err == nil {
			file, err := seeds.ReadEcoles(csv)
			checkReadError(t, err)
			if file.Format != "annuaire" && file.Format != "seeds" {
				t.Errorf("format %q", file.Format)
			}
			last := 1
			for _, r := range file.Rows {
				if r.Line <= last {
					t.Errorf("école ligne %d après la ligne %d", r.Line, last)
				}
				last = r.Line
			}
		}
		if csv, err := seeds.ReadCSV(bytes.NewReader(data)); err == nil {
			rows, err := seeds.ReadCommunes(csv)
			checkReadError(t, err)
			for _, r := range rows {
				if r.Line < 2 {
					t.Errorf("commune lue ligne %d", r.Line)
				}
			}
		}
	})
}

func checkReadError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ve *models.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) == 0 {
		t.Fatalf("erreur %v (%T), attendu une *models.ValidationError", err, err)
	}
	for _, fe := range ve.Errors {
		if fe.Line < 1 || fe.Msg == "" {
			t.Errorf("erreur sans ligne ou sans message : %+v", fe)
		}
	}
}
