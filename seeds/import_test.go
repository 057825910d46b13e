package seeds_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"golang.org/x/text/encoding/charmap"
)

// annuairePath is an extract of the ministry's "Annuaire de l'éducation" (25 écoles of the 94).
const annuairePath = "../../shared/data/samples/annuaire_education_extrait_94.csv"

const ecoleHeader = "uai;nom;type;statut;code_insee;nb_eleves;nb_classes;education_prioritaire\n"

// uai completes 7 digits with their check letter.
func uai(digits string) string { return digits + string(models.UAICheckLetter(digits)) }

// wrongUAI is digits with a check letter that is not theirs.
func wrongUAI(digits string) string {
	if models.UAICheckLetter(digits) == 'A' {
		return digits + "B"
	}
	return digits + "A"
}

func importEcoles(t *testing.T, s *models.Store, data string, opts models.ImportOptions) (seeds.EcoleFile, models.ImportCounts, error) {
	t.Helper()
	return seeds.ImportEcolesFile(t.Context(), s, strings.NewReader(data), opts)
}

func countEcoles(t *testing.T, s *models.Store) int64 {
	t.Helper()
	p, err := s.ListEcoles(t.Context(), models.AcademieScope(), models.EcoleFilter{}, models.PageRequest{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

func getEcole(t *testing.T, s *models.Store, uai string) (models.EcoleRow, error) {
	t.Helper()
	return s.GetEcole(t.Context(), models.AcademieScope(), uai)
}

// absent fails the test when one of the UAIs was written.
func absent(t *testing.T, s *models.Store, uais ...string) {
	t.Helper()
	for _, u := range uais {
		if _, err := getEcole(t, s, u); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("l'école %s a été écrite (%v) : l'import n'est pas tout ou rien", u, err)
		}
	}
}

// fieldErrors returns the errors of a *models.ValidationError, failing the test for any other error.
func fieldErrors(t *testing.T, err error) []models.FieldError {
	t.Helper()
	var ve *models.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) == 0 {
		t.Fatalf("erreur %v (%T), attendu une *models.ValidationError", err, err)
	}
	return ve.Errors
}

func TestImportAnnuaireSample(t *testing.T) {
	data, err := os.ReadFile(annuairePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("extrait de l'annuaire absent : " + annuairePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		dry, counts, err := importEcoles(t, s, string(data), models.ImportOptions{DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if dry.Format != "annuaire" || len(dry.Rows) != 25 || dry.Skipped != 0 || counts != (models.ImportCounts{Updated: 25}) {
			t.Fatalf("essai : format %s, %d lignes, %d ignorées, %v", dry.Format, len(dry.Rows), dry.Skipped, counts)
		}
		before := map[string]models.EcoleRow{}
		for _, r := range dry.Rows {
			e, err := getEcole(t, s, r.UAI)
			if err != nil {
				t.Fatalf("%s : %v", r.UAI, err)
			}
			if e.Nom == r.Nom || e.NbEleves == nil {
				t.Fatalf("%s : la base (%q, %v élèves) ne permet pas de vérifier l'import", r.UAI, e.Nom, e.NbEleves)
			}
			before[r.UAI] = e
		}
		// The dry run changed nothing.
		for u, e := range before {
			if got, err := getEcole(t, s, u); err != nil || !reflect.DeepEqual(got, e) {
				t.Errorf("l'essai a modifié %s : %+v (%v)", u, got, err)
			}
		}

		file, counts, err := importEcoles(t, s, string(data), models.ImportOptions{})
		if err != nil || counts != (models.ImportCounts{Updated: 25}) {
			t.Fatalf("import : %v, %v", counts, err)
		}
		for _, r := range file.Rows {
			got, err := getEcole(t, s, r.UAI)
			if err != nil {
				t.Fatal(err)
			}
			old := before[r.UAI]
			if got.Nom != r.Nom || got.Type != r.Type || got.CodeINSEE != old.CodeINSEE {
				t.Errorf("%s : %q (%s), attendu %q (%s)", r.UAI, got.Nom, got.Type, r.Nom, r.Type)
			}
			if !reflect.DeepEqual(got.NbEleves, old.NbEleves) || !reflect.DeepEqual(got.NbClasses, old.NbClasses) {
				t.Errorf("%s : effectifs %v/%v perdus (avant %d élèves, %d classes)", r.UAI, got.NbEleves, got.NbClasses,
					*old.NbEleves, *old.NbClasses)
			}
		}
		if e, _ := getEcole(t, s, "0940204L"); e.Nom != "Ecole élémentaire Jules Ferry" || e.EducationPrioritaire != "REP" {
			t.Errorf("0940204L : %q, %q", e.Nom, e.EducationPrioritaire)
		}

		_, counts, err = importEcoles(t, s, string(data), models.ImportOptions{})
		if err != nil || counts != (models.ImportCounts{Unchanged: 25}) {
			t.Errorf("second import : %v, %v ; attendu 0 créé, 0 mis à jour", counts, err)
		}
	})
}

func TestImportEcolesFrenchExcel(t *testing.T) {
	code := uai("0949901")
	nom := "École élémentaire Hélène-Boucher – Cœur de Créteil"
	text := strings.ReplaceAll(ecoleHeader+code+";"+nom+";élémentaire;Public;94028;212;9;REP\n", "\n", "\r\n")
	data, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if utf8.ValidString(data) || !strings.Contains(data, "\xc9cole") || !strings.HasSuffix(data, "REP\r\n") {
		t.Fatalf("le fichier de test n'est pas du Windows-1252 avec CRLF : %q", data[:40])
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		absent(t, s, code)
		file, counts, err := importEcoles(t, s, data, models.ImportOptions{})
		if err != nil || file.Format != "seeds" || counts != (models.ImportCounts{Created: 1}) {
			t.Fatalf("import : %s, %v, %v", file.Format, counts, err)
		}
		e, err := getEcole(t, s, code)
		if err != nil {
			t.Fatal(err)
		}
		want := models.EcoleRow{UAI: code, Nom: nom, Type: "elementaire", Statut: "public", CodeINSEE: "94028",
			CommuneNom: "Créteil", DepartementCode: "94", EducationPrioritaire: "REP"}
		if e.NbEleves == nil || *e.NbEleves != 212 || e.NbClasses == nil || *e.NbClasses != 9 {
			t.Errorf("effectifs : %v élèves, %v classes", e.NbEleves, e.NbClasses)
		}
		e.NbEleves, e.NbClasses = nil, nil
		if e != want {
			t.Errorf("école lue :\n%+v\nattendu :\n%+v", e, want)
		}
		found, err := s.ListEcoles(t.Context(), models.AcademieScope(), models.EcoleFilter{Q: "coeur de CRETEIL"}, models.PageRequest{})
		if err != nil || found.Total != 1 || found.Items[0].UAI != code {
			t.Errorf("recherche sans accents : %d résultat(s), %v", found.Total, err)
		}
		if _, counts, err := importEcoles(t, s, data, models.ImportOptions{}); err != nil || counts != (models.ImportCounts{Unchanged: 1}) {
			t.Errorf("second import : %v, %v", counts, err)
		}
	})
}

func TestImportEcolesBadRowCommitsNothing(t *testing.T) {
	good2, bad, good4 := uai("0949902"), uai("0949903"), uai("0949904")
	cases := []struct {
		name, line3, col, msg string
	}{
		{"lettre de contrôle", wrongUAI("0949903") + ";École A;maternelle;public;94028;;;", "uai", "lettre de contrôle"},
		{"UAI mal formé", "94-903;École A;maternelle;public;94028;;;", "uai", "7 chiffres"},
		{"UAI en double", good2 + ";École A;maternelle;public;94028;;;", "uai", "en double (déjà ligne 2)"},
		{"UAI d'un autre département", uai("0939903") + ";École A;maternelle;public;94028;;;", "uai", "département 93"},
		{"commune inconnue", bad + ";École A;maternelle;public;94999;;;", "code_insee", "inconnue"},
		{"commune hors académie", bad + ";École A;maternelle;public;75056;;;", "code_insee", "hors de l'académie"},
		{"code INSEE invalide", bad + ";École A;maternelle;public;Créteil;;;", "code_insee", "invalide"},
		{"effectif négatif", bad + ";École A;maternelle;public;94028;-5;;", "nb_eleves", "négatif"},
		{"effectif illisible", bad + ";École A;maternelle;public;94028;douze;;", "nb_eleves", "nombre entier"},
		{"classes négatives", bad + ";École A;maternelle;public;94028;;-2;", "nb_classes", "négatif"},
		{"type inconnu", bad + ";École A;collège;public;94028;;;", "type", "collège"},
		{"statut inconnu", bad + ";École A;maternelle;associatif;94028;;;", "statut", "associatif"},
		{"éducation prioritaire inconnue", bad + ";École A;maternelle;public;94028;;;REP++", "education_prioritaire", "REP++"},
		{"nom vide", bad + "; ;maternelle;public;94028;;;", "nom", "obligatoire"},
		{"octet nul dans le nom", bad + ";École\x00A;maternelle;public;94028;;;", "nom", "caractères invalides"},
		{"colonnes manquantes", bad + ";École A;maternelle", "", "3 colonnes au lieu de 8"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				data := ecoleHeader + good2 + ";École du Parc;maternelle;public;94028;120;5;\n" + c.line3 + "\n" +
					good4 + ";École des Sources;primaire;public;94046;;;\n"
				_, counts, err := importEcoles(t, s, data, models.ImportOptions{})
				found := false
				for _, fe := range fieldErrors(t, err) {
					if fe.Line != 3 {
						t.Errorf("erreur signalée ligne %d : %v", fe.Line, fe)
					}
					found = found || fe.Field == c.col && strings.Contains(fe.Msg, c.msg)
				}
				if !found || !strings.Contains(err.Error(), "ligne 3") {
					t.Errorf("erreur %q : attendu ligne 3, colonne %q, message contenant %q", err, c.col, c.msg)
				}
				if counts != (models.ImportCounts{}) {
					t.Errorf("comptes %v pour un import refusé", counts)
				}
				absent(t, s, good2, good4, bad)
				if n := countEcoles(t, s); n != before {
					t.Errorf("%d écoles après l'import refusé, %d avant", n, before)
				}
			})
		}
	})
}

func TestImportEcolesReportsEveryBadRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		data := ecoleHeader + uai("0949905") + ";École A;maternelle;public;94028;;;\n" +
			wrongUAI("0949906") + ";École B;maternelle;public;94028;;;\n" +
			uai("0949907") + ";École C;maternelle;public;94028;;;\n" +
			uai("0949908") + ";École D;lycée;public;94999;;;\n"
		_, _, err := importEcoles(t, s, data, models.ImportOptions{})
		got := map[string]bool{}
		for _, fe := range fieldErrors(t, err) {
			got[fmt.Sprintf("%d/%s", fe.Line, fe.Field)] = true
		}
		want := map[string]bool{"3/uai": true, "5/type": true, "5/code_insee": true}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("erreurs %v, attendu %v", got, want)
		}
		absent(t, s, uai("0949905"), uai("0949907"))
	})
}

func TestImportEcolesTruncatedFile(t *testing.T) {
	good := uai("0949909")
	data := ecoleHeader + good + ";École du Lac;maternelle;public;94028;;;\n" + uai("0949910") + ";\"École inachev"
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		_, _, err := importEcoles(t, s, data, models.ImportOptions{})
		errs := fieldErrors(t, err)
		if len(errs) != 1 || errs[0].Line != 3 || !strings.Contains(errs[0].Msg, "guillemet") {
			t.Errorf("fichier tronqué : %v, attendu « ligne 3 : guillemet non fermé »", err)
		}
		absent(t, s, good)
		if n := countEcoles(t, s); n != before {
			t.Errorf("%d écoles, %d avant", n, before)
		}
	})
}

func TestImportEmptyFiles(t *testing.T) {
	empty := []string{"", "\xef\xbb\xbf", "\r\n\r\n", " \n\t\n", ";;;\r\n;;\r\n"}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		before := countEcoles(t, s)
		for _, data := range empty {
			if _, _, err := importEcoles(t, s, data, models.ImportOptions{}); !errors.Is(err, seeds.ErrEmptyFile) || err.Error() != "le fichier est vide" {
				t.Errorf("écoles %q : %v, attendu « le fichier est vide »", data, err)
			}
			if _, _, err := seeds.ImportCommunesFile(t.Context(), s, strings.NewReader(data), models.ImportOptions{}); !errors.Is(err, seeds.ErrEmptyFile) {
				t.Errorf("communes %q : %v, attendu « le fichier est vide »", data, err)
			}
		}
		for _, data := range []string{ecoleHeader, "\xef\xbb\xbf" + strings.ReplaceAll(ecoleHeader, "\n", "\r\n") + ";;;;;;;\r\n"} {
			file, counts, err := importEcoles(t, s, data, models.ImportOptions{})
			if err != nil || len(file.Rows) != 0 || counts != (models.ImportCounts{}) {
				t.Errorf("en-tête seul : %d lignes, %v, %v", len(file.Rows), counts, err)
			}
		}
		n, counts, err := seeds.ImportCommunesFile(t.Context(), s, strings.NewReader("code_insee;nom;departement\r\n"), models.ImportOptions{})
		if err != nil || n != 0 || counts != (models.ImportCounts{}) {
			t.Errorf("communes, en-tête seul : %d lignes, %v, %v", n, counts, err)
		}
		_, _, err = importEcoles(t, s, "nom;ville\nÉcole A;Créteil\n", models.ImportOptions{})
		missing := map[string]bool{}
		for _, fe := range fieldErrors(t, err) {
			missing[fe.Field] = fe.Line == 1 && strings.Contains(fe.Msg, "colonne absente")
		}
		if want := map[string]bool{"uai": true, "type": true, "statut": true, "code_insee": true}; !reflect.DeepEqual(missing, want) {
			t.Errorf("colonnes manquantes : %v (%v)", missing, err)
		}
		if n := countEcoles(t, s); n != before {
			t.Errorf("%d écoles, %d avant", n, before)
		}
	})
}
