package seeds_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// versailles is the test académie's folder (see its SOURCES.md).
const versailles = "testdata/academie_versailles"

// TestLoadAcademieVersailles loads another académie than the embedded one into a fresh
// database through the importers, then checks what it holds, that loading it again
// changes nothing, and that a second académie, or a folder missing a file or with a bad
// configuration, is refused without writing anything.
func TestLoadAcademieVersailles(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		steps, err := seeds.LoadAcademieDir(ctx, s, versailles)
		if err != nil {
			t.Fatal(err)
		}
		created := map[string]int{}
		for _, st := range steps {
			created[st.Name] = st.Counts.Created
		}
		want := map[string]int{"académie": 1, "départements": 4, "EPCI": 7, "EPT": 4, "circonscriptions": 3,
			"communes": 12, "écoles": 25, "jours fériés": 77, "vacances scolaires": 6}
		for k, v := range want {
			if created[k] != v {
				t.Errorf("%s : %d créés, attendu %d", k, created[k], v)
			}
		}
		a, err := s.Academie(ctx)
		if err != nil || a.Code != "versailles" || a.Libelle() != "Académie de Versailles" || a.Zone != "C" {
			t.Fatalf("académie %+v, %v", a, err)
		}
		scope, err := s.DescribeScope(ctx, models.AcademieScope())
		if err != nil || scope != "Académie de Versailles (78, 91, 92, 95)" {
			t.Errorf("périmètre %q, %v", scope, err)
		}
		// The demonstration is Créteil's: it refuses another académie's database.
		if _, _, err := seeds.LoadDemo(ctx, s); err == nil || !strings.Contains(err.Error(), "académie de Versailles") {
			t.Errorf("démonstration chargée dans l'académie de Versailles : %v", err)
		}
		deps, err := s.ListDepartements(ctx, models.AcademieScope())
		if err != nil || len(deps) != 4 || deps[2].Code != "92" || deps[2].Academie != "Versailles" || deps[2].NbCommunes != 3 {
			t.Errorf("départements %+v, %v", deps, err)
		}

		again, err := seeds.LoadAcademieDir(ctx, s, versailles)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range again {
			if st.Counts.Created+st.Counts.Updated != 0 {
				t.Errorf("second chargement, %s : %v", st.Name, st.Counts)
			}
		}

		// Créteil on top of Versailles: refused before any file is loaded.
		if _, err := seeds.LoadReference(ctx, s); err == nil || !strings.Contains(err.Error(), "déjà l'académie de Versailles") {
			t.Errorf("Créteil chargée sur Versailles : %v", err)
		}
		if deps, _ := s.ListDepartements(ctx, models.AcademieScope()); len(deps) != 4 {
			t.Errorf("%d départements après le refus, attendu 4", len(deps))
		}

		bad := folder(t, versailles)
		delete(bad, "ecoles.csv")
		if _, err := seeds.LoadAcademie(ctx, s, bad); err == nil || !strings.Contains(err.Error(), "fichier manquant") || !strings.Contains(err.Error(), "ecoles.csv") {
			t.Errorf("dossier sans écoles : %v", err)
		}
		for name, config := range map[string]string{
			"JSON illisible":          `{"code": "versailles",`,
			"champ inconnu":           `{"code": "versailles", "nom": "Versailles", "departement": ["78"], "zone": "C"}`,
			"département hors du CSV": `{"code": "versailles", "nom": "Versailles", "departements": ["78", "91", "92"], "zone": "C"}`,
			"code invalide":           `{"code": "Versailles !", "nom": "Versailles", "departements": ["78", "91", "92", "95"], "zone": "C"}`,
		} {
			bad := folder(t, versailles)
			bad["academie.json"] = &fstest.MapFile{Data: []byte(config)}
			if _, err := seeds.LoadAcademie(ctx, s, bad); err == nil {
				t.Errorf("%s : accepté", name)
			}
		}
		if a2, _ := s.Academie(ctx); a2 != a {
			t.Errorf("académie changée par un chargement refusé : %+v", a2)
		}
	})
}

// TestReadAcademieCSV reads the configuration from academie.csv, as a spreadsheet writes it.
func TestReadAcademieCSV(t *testing.T) {
	fsys := fstest.MapFS{"academie.csv": {Data: []byte("\ufeffcode;nom;departements;zone\nversailles;Versailles;78|91|092|95;C\n")}}
	a, err := seeds.ReadAcademie(fsys)
	if err != nil || a.Code != "versailles" || strings.Join(a.Departements, ",") != "78,91,92,95" || a.Zone != "C" {
		t.Fatalf("%+v, %v", a, err)
	}
	if _, err := seeds.ReadAcademie(fstest.MapFS{}); err == nil || !strings.Contains(err.Error(), "academie.json") {
		t.Errorf("dossier vide : %v", err)
	}
}

// TestAcademieElision writes « de » or « d' » before the académie's name.
func TestAcademieElision(t *testing.T) {
	for nom, want := range map[string]string{"Créteil": "Académie de Créteil", "Amiens": "Académie d'Amiens",
		"Orléans-Tours": "Académie d'Orléans-Tours", "": ""} {
		if got := (models.Academie{Nom: nom}).Libelle(); got != want {
			t.Errorf("%q : %q, attendu %q", nom, got, want)
		}
	}
}

// folder copies the files of dir into a MapFS that a test may change.
func folder(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(dir + "/" + path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
