package models_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// restitutionSchema compiles the JSON Schema of the Frictionless Tabular Data Package v1
// (seeds/testdata/frictionless).
func restitutionSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../seeds/testdata/frictionless/tabular-data-package.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://specs.frictionlessdata.io/schemas/tabular-data-package.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestRestitution writes the demo's bundle and checks that: its datapackage.json validates
// against the Frictionless schema and declares the licence Ouverte 2.0; every CSV file holds
// exactly the columns its table schema declares, in order, each value of the declared type,
// required values present and primary keys unique; the files of the programme are not
// empty; no file holds the name or the email of a contact, a training participant or a
// user; a scope narrower than the académie is refused.
func TestRestitution(t *testing.T) {
	sch := restitutionSchema(t)
	dbtest.EachDemo(t, func(t *testing.T, s *models.Store) {
		ctx, dir := context.Background(), t.TempDir()
		addRestitutionPeople(t, s)
		at := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
		scope := models.SystemActor("test").Scope
		r := exports.Restitution{Academie: "Créteil", At: at, Tables: models.RestitutionTables(),
			Rows: func(ctx context.Context, tb models.RestitutionTable, fn func([]any) error) error {
				return s.EachRestitutionRow(ctx, scope, tb, fn)
			}}
		if err := exports.WriteRestitution(ctx, exports.DirTarget(dir), r); err != nil {
			t.Fatal(err)
		}
		dp := checkDataPackage(t, sch, dir)
		counts := map[string]int{}
		for _, res := range dp.Resources {
			counts[res.Name] = checkResource(t, dir, res)
		}
		for _, name := range []string{"vagues", "references", "references-ecoles", "deploiements", "jalons", "conventions",
			"conventions-communes", "chartes", "adoptions-charte", "financements-annuels", "financements-communes",
			"formations-circonscriptions", "formations-ecoles", "usages-ecoles-mois"} {
			if counts[name] == 0 {
				t.Errorf("%s.csv : aucune ligne sur la base de démonstration", name)
			}
		}
		checkNoPersonalData(t, s, dir)
		narrow := models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}
		if err := s.EachRestitutionRow(ctx, narrow, r.Tables[0], func([]any) error { return nil }); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("périmètre départemental : %v, attendu ErrForbidden", err)
		}
	})
}

// addRestitutionPeople adds what the demo lacks for the test: the platform's usage sample
// (kept monthly figures) and a participant registered by name and email to a session.
func addRestitutionPeople(t *testing.T, s *models.Store) {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	if _, err := s.ImportUsages(ctx, sys, impFile(t, "one.csv", impSample(t))); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := models.RawDB(s).Raw("SELECT id FROM formations WHERE statut IN ('planifiee', 'ouverte') AND inscrits < capacite " +
		"AND archived_at IS NULL ORDER BY id").Scan(&ids).Error; err != nil || len(ids) == 0 {
		t.Fatalf("session ouverte : %v %v", err, ids)
	}
	in := models.InscriptionInput{Kind: "participant", Nom: "Zéphirine Quartermaine", Fonction: "Enseignante",
		Email: "zephirine.quartermaine@exemple.fr"}
	if _, err := s.Register(ctx, sys, ids[0], in); err != nil {
		t.Fatalf("inscription : %v", err)
	}
}

// dpDescriptor is the part of datapackage.json the test reads back.
type dpDescriptor struct {
	Name     string `json:"name"`
	Created  string `json:"created"`
	Licenses []struct {
		Name, Path string
	} `json:"licenses"`
	Resources []dpResource `json:"resources"`
}

type dpResource struct {
	Name, Path, Format, Mediatype, Encoding string
	Schema                                  struct {
		Fields []struct {
			Name, Type, Format, Description string
			Constraints                     struct{ Required bool }
		}
		PrimaryKey []string
	}
}

// checkDataPackage validates datapackage.json and returns it.
func checkDataPackage(t *testing.T, sch *jsonschema.Schema, dir string) dpDescriptor {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("datapackage.json ne respecte pas le schéma Frictionless : %v", err)
	}
	var dp dpDescriptor
	if err := json.Unmarshal(raw, &dp); err != nil {
		t.Fatal(err)
	}
	if dp.Name != "pilotage-ent-1d-creteil-2026-12-07" || dp.Created != "2026-12-07T09:30:00Z" ||
		len(dp.Licenses) != 1 || dp.Licenses[0].Name != "etalab-2.0" || !strings.HasPrefix(dp.Licenses[0].Path, "https://") {
		t.Errorf("descripteur : nom %q, créé %q, licences %+v", dp.Name, dp.Created, dp.Licenses)
	}
	if len(dp.Resources) != len(models.RestitutionTables()) {
		t.Errorf("%d ressources, %d tables", len(dp.Resources), len(models.RestitutionTables()))
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil || !strings.Contains(string(readme), "Licence Ouverte") || !strings.Contains(string(readme), "7 décembre 2026") {
		t.Errorf("README.md : %v\n%s", err, readme)
	}
	return dp
}

// checkResource checks one CSV file against the table schema it declares and returns its
// number of rows.
func checkResource(t *testing.T, dir string, res dpResource) int {
	t.Helper()
	if res.Format != "csv" || res.Mediatype != "text/csv" || res.Encoding != "utf-8" || res.Path != res.Name+".csv" {
		t.Errorf("%s : format %q, type %q, encodage %q, chemin %q", res.Name, res.Format, res.Mediatype, res.Encoding, res.Path)
	}
	f, err := os.Open(filepath.Join(dir, res.Path))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("%s : %v (%d lignes)", res.Path, err, len(records))
	}
	fields := res.Schema.Fields
	var names []string
	for _, fd := range fields {
		names = append(names, fd.Name)
		if fd.Description == "" || (fd.Type == "date" && fd.Format != "default") {
			t.Errorf("%s.%s : description %q, format %q", res.Name, fd.Name, fd.Description, fd.Format)
		}
	}
	if !slices.Equal(records[0], names) {
		t.Fatalf("%s : en-tête %v, schéma %v", res.Path, records[0], names)
	}
	keys := map[string]bool{}
	for n, rec := range records[1:] {
		key := make([]string, 0, len(res.Schema.PrimaryKey))
		for i, fd := range fields {
			v := rec[i]
			if v == "" {
				if fd.Constraints.Required || slices.Contains(res.Schema.PrimaryKey, fd.Name) {
					t.Errorf("%s ligne %d : %s obligatoire et vide", res.Path, n+2, fd.Name)
				}
			} else if !validValue(fd.Type, v) {
				t.Errorf("%s ligne %d : %s = %q n'est pas de type %s", res.Path, n+2, fd.Name, v, fd.Type)
			}
			if slices.Contains(res.Schema.PrimaryKey, fd.Name) {
				key = append(key, v)
			}
		}
		if k := strings.Join(key, "\x00"); len(key) > 0 && keys[k] {
			t.Errorf("%s ligne %d : clé %v en double", res.Path, n+2, key)
		} else {
			keys[k] = true
		}
	}
	return len(records) - 1
}

// validValue reports whether v is a value of the Table Schema type typ (v1, default
// formats).
func validValue(typ, v string) bool {
	switch typ {
	case "integer":
		_, err := strconv.ParseInt(v, 10, 64)
		return err == nil
	case "number":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil && !strings.ContainsAny(v, "eE,")
	case "date":
		_, err := time.Parse(time.DateOnly, v)
		return err == nil
	case "boolean":
		return v == "true" || v == "false"
	case "string":
		return true
	}
	return false
}

// checkNoPersonalData searches every file of the bundle for the emails and the names of
// the contacts, the participants of the trainings and the users.
func checkNoPersonalData(t *testing.T, s *models.Store, dir string) {
	t.Helper()
	var people []struct{ Nom, Prenom, Email string }
	db := models.RawDB(s)
	for _, q := range []string{
		"SELECT nom, prenom, email FROM contacts",
		"SELECT nom, '' AS prenom, email FROM formation_inscriptions WHERE kind = 'participant'",
		"SELECT nom, '' AS prenom, email FROM users",
	} {
		var rows []struct{ Nom, Prenom, Email string }
		if err := db.Raw(q).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatalf("aucune personne à chercher : %s", q)
		}
		people = append(people, rows...)
	}
	var needles []string
	for _, p := range people {
		full := strings.TrimSpace(p.Prenom + " " + p.Nom)
		for _, n := range []string{p.Email, full, strings.TrimSpace(p.Nom + " " + p.Prenom)} {
			// A bare surname is also a word of places ("Martin" in Saint-Martin-en-Bière):
			// the full name and the email are what identify a person.
			if len(n) >= 5 && strings.Contains(n, " ") || strings.Contains(n, "@") {
				needles = append(needles, strings.ToLower(n))
			}
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(string(raw))
		if strings.HasSuffix(f.Name(), ".csv") && strings.Contains(text, "@") {
			t.Errorf("%s contient une adresse électronique", f.Name())
		}
		for _, n := range needles {
			if strings.Contains(text, n) {
				t.Errorf("%s contient une donnée personnelle : %q", f.Name(), n)
			}
		}
	}
}
