package seeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"

	"github.com/ac-creteil/pilotage/models"
)

// referenceFiles is the territory and the calendar of the académie (see reference/SOURCES.md).
//
//go:embed reference/*.csv reference/SOURCES.md
var referenceFiles embed.FS

// Sources returns the provenance of the reference data, in Markdown.
func Sources() []byte {
	b, _ := referenceFiles.ReadFile("reference/SOURCES.md")
	return b
}

// ReferenceDigest identifies the content of the reference data (tests cache databases by it).
func ReferenceDigest() string {
	h := sha256.New()
	_ = fs.WalkDir(referenceFiles, "reference", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := referenceFiles.ReadFile(path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Step is what loading one kind of record did.
type Step struct {
	Name   string // French name of the kind of record
	Counts models.ImportCounts
}

// LoadReference loads the whole reference data by natural key, each file in its own
// transaction: loading twice creates nothing and updates nothing. Each file that changes
// something writes one audit event by the actor "système (référentiel)".
func LoadReference(ctx context.Context, store *models.Store) ([]Step, error) {
	type loader struct {
		name, file string
		load       func(f *CSVFile) (models.ImportCounts, error)
	}
	opts := models.ImportOptions{Actor: models.SystemActor("référentiel")}
	loaders := []loader{
		{"départements", "departements.csv", func(f *CSVFile) (models.ImportCounts, error) {
			var deps []models.DepartementInput
			var errs models.ValidationError
			if err := eachRecord(f, &errs, func(r Record) {
				deps = append(deps, models.DepartementInput{Code: r.Get("code"), Nom: r.Get("nom"), Academie: r.Get("academie")})
			}); err != nil {
				return models.ImportCounts{}, err
			}
			return store.ImportDepartements(ctx, deps, opts)
		}},
		{"EPCI", "epci_creteil.csv", epciLoader(ctx, store, opts)},
		{"EPT", "ept_creteil.csv", epciLoader(ctx, store, opts)},
		{"circonscriptions", "circonscriptions_94.csv", func(f *CSVFile) (models.ImportCounts, error) {
			rows, err := ReadCirconscriptions(f)
			if err != nil {
				return models.ImportCounts{}, err
			}
			return store.ImportCirconscriptions(ctx, rows, opts)
		}},
		{"communes", "communes_creteil.csv", func(f *CSVFile) (models.ImportCounts, error) {
			rows, err := ReadCommunes(f)
			if err != nil {
				return models.ImportCounts{}, err
			}
			return store.ImportCommunes(ctx, rows, opts)
		}},
		{"écoles", "ecoles_creteil.csv", func(f *CSVFile) (models.ImportCounts, error) {
			file, err := ReadEcoles(f)
			if err != nil {
				return models.ImportCounts{}, err
			}
			return store.ImportEcoles(ctx, file.Rows, opts)
		}},
		{"jours fériés", "jours_feries_2024_2030.csv", holidayLoader(ctx, store, opts)},
		{"vacances scolaires", "vacances_scolaires_zone_c.csv", holidayLoader(ctx, store, opts)},
	}
	var steps []Step
	for _, l := range loaders {
		b, err := referenceFiles.ReadFile("reference/" + l.file)
		if err != nil {
			return steps, err
		}
		f, err := ReadCSV(bytes.NewReader(b))
		if err != nil {
			return steps, fmt.Errorf("%s : %w", l.file, err)
		}
		counts, err := l.load(f)
		if err != nil {
			return steps, fmt.Errorf("%s : %w", l.file, err)
		}
		steps = append(steps, Step{Name: l.name, Counts: counts})
	}
	return steps, store.Optimize(ctx)
}

func epciLoader(ctx context.Context, store *models.Store, opts models.ImportOptions) func(f *CSVFile) (models.ImportCounts, error) {
	return func(f *CSVFile) (models.ImportCounts, error) {
		rows, err := ReadEPCI(f)
		if err != nil {
			return models.ImportCounts{}, err
		}
		return store.ImportEPCI(ctx, rows, opts)
	}
}

func holidayLoader(ctx context.Context, store *models.Store, opts models.ImportOptions) func(f *CSVFile) (models.ImportCounts, error) {
	return func(f *CSVFile) (models.ImportCounts, error) {
		rows, err := ReadHolidays(f)
		if err != nil {
			return models.ImportCounts{}, err
		}
		return store.ImportHolidays(ctx, rows, opts)
	}
}

// ImportEcolesFile reads a file of écoles (annuaire or seeds format) and loads it, all or
// nothing. opts.Actor is recorded in the audit log (the zero Actor: "système (import)").
func ImportEcolesFile(ctx context.Context, store *models.Store, r io.Reader, opts models.ImportOptions) (EcoleFile, models.ImportCounts, error) {
	f, err := ReadCSV(r)
	if err != nil {
		return EcoleFile{}, models.ImportCounts{}, err
	}
	file, err := ReadEcoles(f)
	if err != nil {
		return file, models.ImportCounts{}, err
	}
	counts, err := store.ImportEcoles(ctx, file.Rows, opts)
	return file, counts, err
}

// ImportCommunesFile reads a file of communes (seeds or annuaire format) and loads it, all or
// nothing. opts.Actor is recorded in the audit log (the zero Actor: "système (import)").
func ImportCommunesFile(ctx context.Context, store *models.Store, r io.Reader, opts models.ImportOptions) (int, models.ImportCounts, error) {
	f, err := ReadCSV(r)
	if err != nil {
		return 0, models.ImportCounts{}, err
	}
	rows, err := ReadCommunes(f)
	if err != nil {
		return 0, models.ImportCounts{}, err
	}
	counts, err := store.ImportCommunes(ctx, rows, opts)
	return len(rows), counts, err
}
