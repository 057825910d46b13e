package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// ImportOptions tune a reference-data import.
type ImportOptions struct {
	// DryRun validates and counts what would change, then rolls everything back.
	DryRun bool
	// Progress, when set, is called as rows are written (done out of total).
	Progress func(done, total int)
	// Actor is who runs the import, as the audit log records it; the zero Actor stands
	// for SystemActor("import").
	Actor Actor
}

// actor is the actor recorded for the import.
func (o ImportOptions) actor() Actor {
	if o.Actor.UserID == 0 && o.Actor.Name == "" {
		return SystemActor("import")
	}
	return o.Actor
}

// ImportCounts says what an import did (or would do, in a dry run).
type ImportCounts struct {
	Created   int
	Updated   int
	Unchanged int
}

// Add sums two counts.
func (c ImportCounts) Add(o ImportCounts) ImportCounts {
	return ImportCounts{c.Created + o.Created, c.Updated + o.Updated, c.Unchanged + o.Unchanged}
}

func (c ImportCounts) String() string {
	return fmt.Sprintf("%d créé(s), %d mis à jour, %d inchangé(s)", c.Created, c.Updated, c.Unchanged)
}

// importLock is the PostgreSQL advisory lock that serialises imports.
const importLock = 0x1d10

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// importSubject is what an import loads, as the audit log names it: the entity (one of
// AuditEntities) and, for the smaller tables grouped under "referentiel", which data.
type importSubject struct {
	entity string
	data   string // French name of the data, "" when the entity says it all
}

// The subjects of the reference-data imports.
var (
	importCommunes         = importSubject{entity: "communes"}
	importEcoles           = importSubject{entity: "ecoles"}
	importEPCI             = importSubject{entity: "epci"}
	importDepartements     = importSubject{entity: "referentiel", data: "départements"}
	importCirconscriptions = importSubject{entity: "referentiel", data: "circonscriptions"}
	importCalendrier       = importSubject{entity: "referentiel", data: "calendrier (jours fériés, vacances scolaires)"}
)

// importChanges are the Change rows of an import's audit event: what was loaded and the
// counts, with French labels.
func importChanges(subject importSubject, c ImportCounts) []Change {
	var out []Change
	if subject.data != "" {
		out = append(out, Change{Field: "donnees", Label: "Données", New: subject.data})
	}
	return append(out,
		Change{Field: "crees", Label: "Créés", New: strconv.Itoa(c.Created)},
		Change{Field: "mis_a_jour", Label: "Mis à jour", New: strconv.Itoa(c.Updated)},
		Change{Field: "inchanges", Label: "Inchangés", New: strconv.Itoa(c.Unchanged)},
	)
}

// importTx runs fn in one transaction, rolled back when fn fails or opts.DryRun is set.
//
// A committed import that created or updated rows writes exactly one audit event (action
// "import", the subject's entity, no entity id, the counts as changes) in the same
// transaction. A dry run, a failed import and an import that changed nothing (a file loaded
// again) write none: the audit log records changes, and loading the reference data again
// (`pilotage seed` after each update) would otherwise fill it with empty events.
func (s *Store) importTx(ctx context.Context, opts ImportOptions, subject importSubject, fn func(tx *gorm.DB) (ImportCounts, error)) (ImportCounts, error) {
	var counts ImportCounts
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			// One import at a time, as SQLite's immediate transactions give: a second import of
			// the same file then finds the first one's rows instead of failing on their keys.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", importLock).Error; err != nil {
				return err
			}
		}
		var err error
		counts, err = fn(tx)
		switch {
		case err != nil:
			return err
		case opts.DryRun:
			return errDryRun
		case counts.Created+counts.Updated == 0:
			return nil
		}
		if subject.movesCoverage() {
			if err := refreshCoverage(tx, coverageScope{}); err != nil {
				return err
			}
		}
		return s.audit(tx, opts.actor(), "import", subject.entity, "", importChanges(subject, counts))
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return ImportCounts{}, err // nothing was written
	}
	return counts, nil
}

// upsertSpec describes how rows of one table are matched and written by natural key.
type upsertSpec struct {
	table  string
	keyCol string
	// defaults gives the value inserted for a column a row leaves out; an update leaves
	// such a column unchanged.
	defaults map[string]any
}

// upsert writes rows (column → value, the key column included) by natural key: new keys are
// inserted in batches, changed rows are updated by name (version bumped), equal rows untouched.
// A column absent from a row keeps its stored value (or takes spec.defaults on insert).
func (s *Store) upsert(tx *gorm.DB, spec upsertSpec, rows []map[string]any, opts ImportOptions) (ImportCounts, error) {
	var counts ImportCounts
	var existing []map[string]any
	if err := tx.Table(spec.table).Find(&existing).Error; err != nil {
		return counts, err
	}
	current := make(map[string]map[string]any, len(existing))
	for _, row := range existing {
		current[fmt.Sprint(row[spec.keyCol])] = row
	}
	now := s.now().UTC()
	var inserts []map[string]any
	for i, row := range rows {
		key := fmt.Sprint(row[spec.keyCol])
		old, found := current[key]
		if !found {
			for col, v := range spec.defaults {
				if _, ok := row[col]; !ok {
					row[col] = v
				}
			}
			row["created_at"], row["updated_at"], row["version"] = now, now, 1
			inserts = append(inserts, row)
			counts.Created++
			continue
		}
		changes := map[string]any{}
		for col, v := range row {
			if comparable(v) != comparable(old[col]) {
				changes[col] = v
			}
		}
		if len(changes) == 0 {
			counts.Unchanged++
		} else {
			changes["updated_at"] = now
			changes["version"] = gorm.Expr("version + 1")
			if err := tx.Table(spec.table).Where(spec.keyCol+" = ?", key).Updates(changes).Error; err != nil {
				return counts, err
			}
			counts.Updated++
		}
		if opts.Progress != nil && i%100 == 0 {
			opts.Progress(i, len(rows))
		}
	}
	for start := 0; start < len(inserts); start += insertBatch {
		end := min(start+insertBatch, len(inserts))
		if err := tx.Table(spec.table).Create(inserts[start:end]).Error; err != nil {
			return counts, err
		}
		if opts.Progress != nil {
			opts.Progress(counts.Updated+counts.Unchanged+end, len(rows))
		}
	}
	if opts.Progress != nil {
		opts.Progress(len(rows), len(rows))
	}
	return counts, nil
}

// insertBatch is the number of rows per INSERT: the pure-Go SQLite driver binds parameters
// in quadratic time, so batches stay small.
const insertBatch = 50

// comparable renders a database or input value so that equal values compare equal whatever
// the driver's types (int64 and int, *int and int, nil and NULL).
func comparable(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case *int:
		if x == nil {
			return "<nil>"
		}
		return fmt.Sprint(*x)
	case *string:
		if x == nil {
			return "<nil>"
		}
		return *x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// movesCoverage reports whether the import can change the charter's coverage: communes
// (and their EPCI), EPCI, and écoles (the pupils counted).
func (s importSubject) movesCoverage() bool {
	return s == importCommunes || s == importEcoles || s == importEPCI
}
