package seeds

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"

	"github.com/ac-creteil/pilotage/models"
)

// referenceFiles is the default académie (Créteil): its configuration, territory and
// calendar (see reference/SOURCES.md).
//
//go:embed reference/*.csv reference/academie.json reference/SOURCES.md
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

// LoadReference loads the product's default académie, Créteil, embedded in the binary
// (reference/: the layout of LoadAcademie). Loading twice creates nothing and updates
// nothing; each file that changes something writes one audit event by the actor
// "système (référentiel)".
func LoadReference(ctx context.Context, store *models.Store) ([]Step, error) {
	sub, err := fs.Sub(referenceFiles, "reference")
	if err != nil {
		return nil, err
	}
	return LoadAcademie(ctx, store, sub)
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
