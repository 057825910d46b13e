package seeds_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"golang.org/x/text/encoding/charmap"
)

// usagesSample is the platform's export of the sample (4 écoles × 2 months × 5 profiles).
const usagesSample = "testdata/one_statistiques_extrait.csv"

func readSample(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(usagesSample)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readUsages(t *testing.T, data string) *models.UsageFile {
	t.Helper()
	f, err := seeds.ReadUsagesFile(strings.NewReader(data), int64(len(data)), "export-stats-accounts.csv")
	if err != nil {
		t.Fatalf("lecture : %v", err)
	}
	return f
}

// TestReadUsagesFileVariants reads the sample and the variants real exports and their
// re-saves produce: each gives the same 40 rows.
func TestReadUsagesFileVariants(t *testing.T) {
	sample := readSample(t)
	plain := strings.TrimPrefix(sample, "\uFEFF")
	w1252, err := charmap.Windows1252.NewEncoder().String(plain)
	if err != nil {
		t.Fatal(err)
	}
	english := strings.NewReplacer(`"Élève"`, `"Student"`, `"Parent"`, `"Relative"`, `"Enseignant"`, `"Teacher"`, `"Invité"`, `"Guest"`).Replace(sample)
	var extra strings.Builder
	for i, l := range strings.SplitAfter(plain, "\n") {
		if l == "" {
			continue
		}
		v, w := `"x"`, `""`
		if i == 0 {
			v, w = `"Commentaire"`, `"Remarque"`
		}
		extra.WriteString(v + ";" + strings.TrimSuffix(l, "\n") + ";" + w + "\n")
	}
	variants := map[string]string{
		"exemple":                 sample,
		"sans BOM":                plain,
		"Windows-1252":            w1252,
		"CRLF":                    strings.ReplaceAll(sample, "\n", "\r\n"),
		"sans guillemets":         strings.ReplaceAll(strings.ReplaceAll(sample, "&#39;", "'"), `"`, ""),
		"profils anglais":         english,
		"colonnes en plus":        extra.String(),
		"dernière ligne sans fin": strings.TrimSuffix(sample, "\n"),
	}
	for name, data := range variants {
		t.Run(name, func(t *testing.T) {
			f := readUsages(t, data)
			if len(f.Errors) != 0 || len(f.Rows) != 40 || f.Granularite != "mois" {
				t.Fatalf("%s : %d lignes, %v, %s", f.Format, len(f.Rows), f.Errors, f.Granularite)
			}
			r := f.Rows[0]
			if r.Line != 2 || r.UAI != "0930388S" || r.Etablissement != "ECOLE ELEMENTAIRE PUBLIQUE D'ESTIENNE D'ORVES" ||
				r.Periode.Format("2006-01-02") != "2025-11-01" || r.Profil != "invite" ||
				*r.Connexions != 0 || *r.Visiteurs != 0 || *r.ComptesCharges != 1 || *r.ComptesActives != 0 {
				t.Fatalf("ligne 2 : %+v", r)
			}
			profils := map[string]int{}
			for _, r := range f.Rows {
				profils[r.Profil]++
			}
			for _, p := range models.ChoiceValues(models.UsageProfils) {
				if profils[p] != 8 {
					t.Fatalf("profils : %v", profils)
				}
			}
			if e := f.Rows[18]; e.Etablissement != "École élémentaire Irène Joliot-Curie A" || e.Profil != "eleve" || *e.ComptesActives != 83 {
				t.Fatalf("ligne 20 : %+v", e)
			}
		})
	}
}

// TestReadUsagesFileFaults reports the faults of rows with their line and column, and keeps
// the rows without UAI for the import to report.
func TestReadUsagesFileFaults(t *testing.T) {
	head := `"Établissement";"UAI";"Date";"Profil";"Connexions";"Visiteurs uniques";"Comptes chargés";"Comptes activés"` + "\n"
	data := head +
		`"A &amp; B";"0930388S";"2025-11-01T00:00";"Élèves";"-5";"abc";"2";"3"` + "\n" +
		`"A";"0930388S";"2025-11-01T00:00";"Enseignant";"12";"";"";"3"` + "\n" +
		`"Circonscription";"";"2025-11-01T00:00";"Élève";"1";"1";"1";"1"` + "\n" +
		`"A";"0930388S";"2025-11-01T00:00";"Directeur";"1";"1";"1";"1"` + "\n" +
		`"A";"0930388S";"01/13/2025";"Parent";"1";"1";"1";"1"` + "\n" +
		`"A";"0930388S";"2025-11-01T00:00";"Teacher";"1";"1";"1";"1"` + "\n" +
		`"A";"0930388S";"2025-11-01T00:00";"Parent";"4";"2`
	f := readUsages(t, data)
	want := []string{
		"ligne 2, colonne Connexions : « -5 » : un nombre de comptes ou de connexions ne peut pas être négatif.",
		"ligne 2, colonne Visiteurs uniques : « abc » n'est pas un nombre entier : un nombre entier positif ou nul est attendu (vide si inconnu).",
		"ligne 5, colonne Profil : profil « Directeur » inconnu : Élève, Parent, Enseignant, Personnel ou Invité attendu.",
		"ligne 6, colonne Date : « 01/13/2025 » n'est pas une date : le début de la période est attendu, par exemple 2025-11-01T00:00.",
		"ligne 7, colonne UAI : l'école 0930388S figure déjà ligne 3 pour la même date et le même profil.",
		"ligne 8 : ligne incomplète ou mal formée (guillemet non fermé ou mal placé) : fichier tronqué ?",
	}
	var got []string
	for _, e := range f.Errors {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("erreurs :\n%s\nattendu :\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(f.Rows) != 2 || f.Rows[0].Line != 3 || f.Rows[0].ComptesCharges != nil || f.Rows[0].Visiteurs != nil || *f.Rows[0].Connexions != 12 ||
		f.Rows[1].UAI != "" || f.Rows[1].Line != 4 || f.Rows[1].Etablissement != "Circonscription" {
		t.Fatalf("lignes lues : %+v", f.Rows)
	}
	// A truncated line without quotes lacks columns.
	f = readUsages(t, head+`"A";"0930388S";"2025-11-01T00:00";"Parent";"4";"2";"1";"1"`+"\nA;0930388S;2025-11-01T00:00;Élève;4")
	if len(f.Errors) != 1 || f.Errors[0].Error() != "ligne 3 : ligne incomplète ou mal formée (5 colonnes au lieu de 8) : fichier tronqué ?" || len(f.Rows) != 1 {
		t.Fatalf("ligne tronquée : %v %+v", f.Errors, f.Rows)
	}
}

// TestReadUsagesFileRefused refuses whole files with a French message.
func TestReadUsagesFileRefused(t *testing.T) {
	sample := readSample(t)
	for name, c := range map[string]struct {
		data string
		want string
	}{
		"vide":            {"", "le fichier est vide"},
		"BOM seul":        {"\uFEFF\n\n", "le fichier est vide"},
		"colonne absente": {strings.Replace(sample, `;"Comptes activés"`, "", 1), "ligne 1 : la colonne « Comptes activés » est absente de l'en-tête"},
		"deux absentes":   {"UAI;Date;Profil\n", "les colonnes « Établissement », « Connexions », « Visiteurs uniques », « Comptes chargés », « Comptes activés » sont absentes"},
		"classeur":        {"PK\x03\x04xxxx", "classeur"},
		"binaire":         {"%PDF-1.4\x00", "n'est pas un fichier CSV"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := seeds.ReadUsagesFile(strings.NewReader(c.data), int64(len(c.data)), "f.csv")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("erreur %v, attendu %q", err, c.want)
			}
		})
	}
	big := bytes.Repeat([]byte(strings.SplitAfter(sample, "\n")[1]), seeds.MaxUsagesFileSize/100+1)
	if _, err := seeds.ReadUsagesFile(bytes.NewReader(big), int64(len(big)), "gros.csv"); !errors.Is(err, seeds.ErrUsagesTooLarge) {
		t.Fatalf("taille annoncée : %v", err)
	}
	if _, err := seeds.ReadUsagesFile(bytes.NewReader(big), -1, "gros.csv"); !errors.Is(err, seeds.ErrUsagesTooLarge) {
		t.Fatalf("taille inconnue : %v", err)
	}
}

// TestReadUsagesFileGranularite keeps the granularity the file has.
func TestReadUsagesFileGranularite(t *testing.T) {
	head := "Établissement;UAI;Date;Profil;Connexions;Visiteurs uniques;Comptes chargés;Comptes activés\n"
	for want, dates := range map[string][]string{
		"mois":    {"2025-10-01T00:00", "2025-11-01T00:00"},
		"semaine": {"2025-11-03T00:00", "2025-11-10T00:00", "2025-12-01T00:00"},
		"jour":    {"2025-11-03T00:00", "2025-11-04T00:00"},
	} {
		var b strings.Builder
		b.WriteString(head)
		for _, d := range dates {
			b.WriteString("A;0930388S;" + d + ";Élève;1;1;1;1\n")
		}
		b.WriteString("Parent;;2025-11-05T00:00;Élève;1;1;1;1\n") // no UAI: not counted
		if f := readUsages(t, b.String()); f.Granularite != want || len(f.Errors) != 0 {
			t.Fatalf("%v : %s %v", dates, f.Granularite, f.Errors)
		}
	}
}

// TestReadUsagesFileAtLimit reads a file of just under 50 Mo whole.
func TestReadUsagesFileAtLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("\uFEFF\"Établissement\";\"UAI\";\"Date\";\"Profil\";\"Connexions\";\"Visiteurs uniques\";\"Comptes chargés\";\"Comptes activés\"\n")
	n := 0
	for {
		line := fmt.Sprintf("\"ECOLE ELEMENTAIRE PUBLIQUE N&#39;%d\";\"%07dA\";\"2025-11-01T00:00\";\"Élève\";\"473\";\"75\";\"318\";\"161\"\n", n, n)
		if b.Len()+len(line) > seeds.MaxUsagesFileSize {
			break
		}
		b.WriteString(line)
		n++
	}
	f := readUsages(t, b.String())
	if len(f.Rows) != n || len(f.Errors) != 0 || f.Rows[n-1].Etablissement != fmt.Sprintf("ECOLE ELEMENTAIRE PUBLIQUE N'%d", n-1) {
		t.Fatalf("%d lignes lues sur %d, %d erreurs", len(f.Rows), n, len(f.Errors))
	}
}
