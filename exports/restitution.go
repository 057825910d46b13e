package exports

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// The restitution (issue 17): the programme as open data. WriteRestitution writes a
// Frictionless tabular data package: one CSV file per table of models.RestitutionTables
// (UTF-8 without BOM, comma, CRLF, a header row, ISO dates, amounts in euros with a point),
// the datapackage.json that describes them, and a README.md in French. Rows are streamed
// from the source to the target, one at a time.

// RestitutionTarget receives the files of the bundle one after the other: a folder
// (DirTarget) or a zip archive (ZipTarget).
type RestitutionTarget interface {
	// Create starts the file name; the previous one is closed before.
	Create(name string) (io.WriteCloser, error)
}

// DirTarget writes the bundle's files into an existing folder.
type DirTarget string

// Create creates (or truncates) the file name in the folder.
func (d DirTarget) Create(name string) (io.WriteCloser, error) {
	return os.Create(filepath.Join(string(d), name))
}

// ZipTarget writes the bundle's files into a zip archive, dated Modified; closing the
// zip.Writer is the caller's.
type ZipTarget struct {
	W        *zip.Writer
	Modified time.Time
}

// Create starts the entry name of the archive.
func (z ZipTarget) Create(name string) (io.WriteCloser, error) {
	w, err := z.W.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: z.Modified})
	return nopCloser{w}, err
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// Restitution describes the bundle to write.
type Restitution struct {
	Academie string    // "Créteil"
	At       time.Time // when it is produced: its date and its "created"
	Tables   []models.RestitutionTable
	// Rows streams the rows of a table (models.Store.EachRestitutionRow in the académie's
	// scope).
	Rows func(ctx context.Context, t models.RestitutionTable, fn func([]any) error) error
}

// RestitutionName is the name of the bundle (its datapackage "name", and the stem of its
// zip file): "pilotage-ent-1d-creteil-2026-12-07".
func (r Restitution) RestitutionName() string {
	return SafeFileName("pilotage-ent-1d-"+r.Academie) + "-" + r.At.Format(time.DateOnly)
}

// WriteRestitution writes the CSV files, then datapackage.json and README.md, to target.
func WriteRestitution(ctx context.Context, target RestitutionTarget, r Restitution) error {
	for _, t := range r.Tables {
		if err := writeRestitutionCSV(ctx, target, r, t); err != nil {
			return err
		}
	}
	if err := writeFile(target, "datapackage.json", func(w io.Writer) error { return writeDataPackage(w, r) }); err != nil {
		return err
	}
	return writeFile(target, "README.md", func(w io.Writer) error { return writeRestitutionReadme(w, r) })
}

// writeFile creates name on target, fills it with write and closes it.
func writeFile(target RestitutionTarget, name string, write func(io.Writer) error) error {
	f, err := target.Create(name)
	if err != nil {
		return fmt.Errorf("restitution : création de %s : %w", name, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("restitution : écriture de %s : %w", name, err)
	}
	return f.Close()
}

// writeRestitutionCSV streams one table to its CSV file.
func writeRestitutionCSV(ctx context.Context, target RestitutionTarget, r Restitution, t models.RestitutionTable) error {
	return writeFile(target, t.Name+".csv", func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		record := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			record[i] = f.Name
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		err := r.Rows(ctx, t, func(row []any) error {
			if len(row) != len(t.Fields) {
				return checkCount(len(row), len(t.Fields))
			}
			for i, v := range row {
				s, err := restitutionField(t.Fields[i], v)
				if err != nil {
					return fmt.Errorf("colonne %s : %w", t.Fields[i].Name, err)
				}
				record[i] = s
			}
			return cw.Write(record)
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// restitutionField writes one value as the Table Schema reads its type: "" for an unknown
// value, integers in digits, numbers and euros with a decimal point, dates YYYY-MM-DD,
// booleans true/false; texts are cleaned of invalid UTF-8 and control characters and never
// start like a formula (a leading '=', '+', '-', '@' is prefixed with a quote).
func restitutionField(f models.RestitutionField, v any) (string, error) {
	if v == nil {
		return "", nil
	}
	switch f.Type {
	case models.RestInteger:
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10), nil
		}
	case models.RestNumber:
		switch n := v.(type) {
		case int64:
			if f.Cents {
				return centsToEuros(n), nil
			}
			return strconv.FormatInt(n, 10), nil
		case float64:
			return strconv.FormatFloat(n, 'f', -1, 64), nil
		}
	case models.RestDate:
		if d, ok := v.(time.Time); ok {
			return d.Format(time.DateOnly), nil
		}
	case models.RestBoolean:
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b), nil
		}
	default:
		return neutralize(cleanText(fmt.Sprint(v))), nil
	}
	return "", fmt.Errorf("valeur %v (%T) pour le type %s", v, v, f.Type)
}

// centsToEuros writes an amount in cents as euros with two decimals: 1250050 → "12500.50".
func centsToEuros(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}
