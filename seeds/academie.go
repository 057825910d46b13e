package seeds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/ac-creteil/pilotage/models"
)

// An académie is a folder: its configuration, academie.json (or academie.csv), and its
// reference files under fixed names (README, « Déployer pour une autre académie »). The
// product's default, Créteil, is embedded (reference/); another one is loaded from its folder
// by `pilotage seed reference --academie DOSSIER`, through the same importers.

// Names of the configuration files of an académie's folder.
const (
	academieJSON = "academie.json"
	academieCSV  = "academie.csv"
)

// academieConfig is academie.json.
type academieConfig struct {
	Code            string   `json:"code"`
	Nom             string   `json:"nom"`
	Departements    []string `json:"departements"`
	Zone            string   `json:"zone"`
	AdresseRectorat string   `json:"adresse_rectorat"`
	CourrielDPD     string   `json:"courriel_dpd"`
}

// ReadAcademie reads the configuration of the académie of the folder fsys: academie.json
// ({"code", "nom", "departements", "zone", "adresse_rectorat", "courriel_dpd"}) or, as
// Excel writes it, academie.csv with one row of the same columns (départements joined by
// "|"). Unknown fields are refused: a misspelt one would otherwise be silently empty.
func ReadAcademie(fsys fs.FS) (models.AcademieInput, error) {
	if b, err := fs.ReadFile(fsys, academieJSON); err == nil {
		var c academieConfig
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return models.AcademieInput{}, fmt.Errorf("%s : JSON illisible (%v) ; attendu par exemple "+
				`{"code": "creteil", "nom": "Créteil", "departements": ["77", "93", "94"], "zone": "C"}`, academieJSON, err)
		}
		return c.input(), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return models.AcademieInput{}, err
	}
	b, err := fs.ReadFile(fsys, academieCSV)
	if errors.Is(err, fs.ErrNotExist) {
		return models.AcademieInput{}, fmt.Errorf("le dossier de l'académie n'a ni %s ni %s (code, nom, départements, zone)", academieJSON, academieCSV)
	}
	if err != nil {
		return models.AcademieInput{}, err
	}
	f, err := ReadCSV(bytes.NewReader(b))
	if err != nil {
		return models.AcademieInput{}, fmt.Errorf("%s : %w", academieCSV, err)
	}
	if err := requireColumns(f, "code", "nom", "departements", "zone"); err != nil {
		return models.AcademieInput{}, fmt.Errorf("%s : %w", academieCSV, err)
	}
	var rows []academieConfig
	var errs models.ValidationError
	if err := eachRecord(f, &errs, func(r Record) {
		rows = append(rows, academieConfig{Code: r.Get("code"), Nom: r.Get("nom"), Departements: splitList(r.Get("departements")),
			Zone: r.Get("zone"), AdresseRectorat: r.Get("adresse_rectorat"), CourrielDPD: r.Get("courriel_dpd")})
	}); err != nil {
		return models.AcademieInput{}, fmt.Errorf("%s : %w", academieCSV, err)
	}
	if len(rows) != 1 {
		return models.AcademieInput{}, fmt.Errorf("%s : une ligne attendue (l'académie), %d trouvée(s)", academieCSV, len(rows))
	}
	return rows[0].input(), nil
}

func (c academieConfig) input() models.AcademieInput {
	deps := make([]string, len(c.Departements))
	for i, d := range c.Departements {
		deps[i] = departementCode(d)
	}
	return models.AcademieInput{Code: strings.TrimSpace(c.Code), Nom: strings.TrimSpace(c.Nom), Zone: strings.TrimSpace(c.Zone),
		Departements: deps, AdresseRectorat: strings.TrimSpace(c.AdresseRectorat), CourrielDPD: strings.TrimSpace(c.CourrielDPD)}
}

// referenceFile is one reference file of an académie's folder: read (and checked) first,
// loaded once every file of the folder has been read.
type referenceFile struct {
	name, file string
	optional   bool
	read       func(f *CSVFile, a models.AcademieInput) (load func() (models.ImportCounts, error), err error)
}

// academieFiles are the reference files of an académie, in the order they load (an école
// needs its commune, a commune its EPCI and its département).
func academieFiles(ctx context.Context, store *models.Store, opts models.ImportOptions) []referenceFile {
	return []referenceFile{
		{"départements", "departements.csv", false, func(f *CSVFile, a models.AcademieInput) (func() (models.ImportCounts, error), error) {
			deps, err := readDepartements(f, a)
			return func() (models.ImportCounts, error) { return store.ImportDepartements(ctx, deps, opts) }, err
		}},
		{"EPCI", "epci.csv", false, epciReader(ctx, store, opts)},
		{"EPT", "ept.csv", true, epciReader(ctx, store, opts)},
		{"circonscriptions", "circonscriptions.csv", true, func(f *CSVFile, _ models.AcademieInput) (func() (models.ImportCounts, error), error) {
			rows, err := ReadCirconscriptions(f)
			return func() (models.ImportCounts, error) { return store.ImportCirconscriptions(ctx, rows, opts) }, err
		}},
		{"communes", "communes.csv", false, func(f *CSVFile, _ models.AcademieInput) (func() (models.ImportCounts, error), error) {
			rows, err := ReadCommunes(f)
			return func() (models.ImportCounts, error) { return store.ImportCommunes(ctx, rows, opts) }, err
		}},
		{"écoles", "ecoles.csv", false, func(f *CSVFile, _ models.AcademieInput) (func() (models.ImportCounts, error), error) {
			file, err := ReadEcoles(f)
			return func() (models.ImportCounts, error) { return store.ImportEcoles(ctx, file.Rows, opts) }, err
		}},
		{"jours fériés", "jours_feries.csv", false, holidayReader(ctx, store, opts, "")},
		{"vacances scolaires", "vacances_scolaires.csv", false, func(f *CSVFile, a models.AcademieInput) (func() (models.ImportCounts, error), error) {
			return holidayReader(ctx, store, opts, a.Zone)(f, a)
		}},
	}
}

// LoadAcademie loads the académie of the folder fsys: its configuration, then each of its
// reference files by natural key, each in its own transaction, through the importers of
// `pilotage import` (same checks, same audit: the actor "système (référentiel)"). Every file
// is read and checked before anything is written: a missing or malformed file loads nothing.
// Loading twice creates nothing and updates nothing.
func LoadAcademie(ctx context.Context, store *models.Store, fsys fs.FS) ([]Step, error) {
	acad, err := ReadAcademie(fsys)
	if err != nil {
		return nil, err
	}
	opts := models.ImportOptions{Actor: models.SystemActor("référentiel")}
	type pending struct {
		name, file string
		load       func() (models.ImportCounts, error)
	}
	var loads []pending
	for _, rf := range academieFiles(ctx, store, opts) {
		b, err := fs.ReadFile(fsys, rf.file)
		switch {
		case errors.Is(err, fs.ErrNotExist) && rf.optional:
			continue
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("fichier manquant dans le dossier de l'académie : %s (%s)", rf.file, rf.name)
		case err != nil:
			return nil, err
		}
		f, err := ReadCSV(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s : %w", rf.file, err)
		}
		load, err := rf.read(f, acad)
		if err != nil {
			return nil, fmt.Errorf("%s : %w", rf.file, err)
		}
		loads = append(loads, pending{rf.name, rf.file, load})
	}
	counts, err := store.ImportAcademie(ctx, acad, opts)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", academieJSON, err)
	}
	steps := []Step{{Name: "académie", Counts: counts}}
	for _, l := range loads {
		counts, err := l.load()
		if err != nil {
			return steps, fmt.Errorf("%s : %w", l.file, err)
		}
		steps = append(steps, Step{Name: l.name, Counts: counts})
	}
	return steps, store.Optimize(ctx)
}

// LoadAcademieDir loads the académie of the folder dir (LoadAcademie).
func LoadAcademieDir(ctx context.Context, store *models.Store, dir string) ([]Step, error) {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("dossier de l'académie introuvable : %s", dir)
	}
	return LoadAcademie(ctx, store, os.DirFS(dir))
}

// readDepartements reads departements.csv (code, nom): exactly the départements the
// configuration lists, each recorded in the académie.
func readDepartements(f *CSVFile, a models.AcademieInput) ([]models.DepartementInput, error) {
	if err := requireColumns(f, "code", "nom"); err != nil {
		return nil, err
	}
	var deps []models.DepartementInput
	var errs models.ValidationError
	var codes []string
	if err := eachRecord(f, &errs, func(r Record) {
		code := departementCode(r.Get("code"))
		if !slices.Contains(a.Departements, code) {
			errs.Add(r.Line, "code", "département "+code+" absent de la liste des départements de l'académie ("+academieJSON+")")
		}
		codes = append(codes, code)
		deps = append(deps, models.DepartementInput{Code: code, Nom: r.Get("nom"), Academie: a.Nom})
	}); err != nil {
		return nil, err
	}
	for _, d := range a.Departements {
		if !slices.Contains(codes, d) {
			errs.Add(0, "code", "département "+d+" de l'académie absent du fichier")
		}
	}
	return deps, errs.OrNil()
}

func epciReader(ctx context.Context, store *models.Store, opts models.ImportOptions) func(*CSVFile, models.AcademieInput) (func() (models.ImportCounts, error), error) {
	return func(f *CSVFile, _ models.AcademieInput) (func() (models.ImportCounts, error), error) {
		rows, err := ReadEPCI(f)
		return func() (models.ImportCounts, error) { return store.ImportEPCI(ctx, rows, opts) }, err
	}
}

// holidayReader reads public holidays, or school-holiday periods when zone is set: the file
// must then give the académie's zone (it may give others).
func holidayReader(ctx context.Context, store *models.Store, opts models.ImportOptions, zone string) func(*CSVFile, models.AcademieInput) (func() (models.ImportCounts, error), error) {
	return func(f *CSVFile, _ models.AcademieInput) (func() (models.ImportCounts, error), error) {
		rows, err := ReadHolidays(f)
		if err == nil && zone != "" && !slices.ContainsFunc(rows, func(h models.HolidayInput) bool { return h.Zone == zone }) {
			err = fmt.Errorf("aucune période de vacances pour la zone %s de l'académie", zone)
		}
		return func() (models.ImportCounts, error) { return store.ImportHolidays(ctx, rows, opts) }, err
	}
}
