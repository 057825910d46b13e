package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
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
	return s.importRun(ctx, opts, subject, func(tx *gorm.DB, _ *importEffects) (ImportCounts, error) { return fn(tx) })
}

// importEffects is what an import changed besides its counts: the départements of the rows
// it created or updated, when its table records them (upsertSpec.depCol).
type importEffects struct {
	departements map[string]bool // nil: not known, every département is refreshed
}

// touch records the département of a row written.
func (e *importEffects) touch(dep any) {
	if e == nil {
		return
	}
	if e.departements == nil {
		e.departements = map[string]bool{}
	}
	if d, ok := dep.(string); ok {
		e.departements[d] = true
	}
}

// analyzeAfter is the number of rows created from which an import refreshes the planner's
// statistics of its table: without them, PostgreSQL chose a plan 3 times slower after a bulk
// load, and SQLite keeps the statistics of its last ANALYZE forever. Updated rows change the
// figures too little to pay for it at each import (PostgreSQL's autovacuum analyzes a table
// whose rows changed much).
const analyzeAfter = 1000

// importRun is importTx for the imports that say what they touched. The coverage of the
// charter is refreshed for the départements fn touched (all of them when it does not say),
// the figures of the départements recomputed, and a bulk load analyzes its table and settles
// its trigram index (settleTrigramIndex). A dry run reads in a read-only transaction: it
// writes nothing and takes no write lock (except the calendar's, which writes and rolls back).
func (s *Store) importRun(ctx context.Context, opts ImportOptions, subject importSubject, fn func(tx *gorm.DB, eff *importEffects) (ImportCounts, error)) (ImportCounts, error) {
	var counts ImportCounts
	var txOpts []*sql.TxOptions
	if opts.DryRun && subject != importCalendrier {
		txOpts = append(txOpts, &sql.TxOptions{ReadOnly: true})
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			// One import at a time, as SQLite's immediate transactions give: a second import of
			// the same file then finds the first one's rows instead of failing on their keys.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", importLock).Error; err != nil {
				return err
			}
		}
		if s.dialect == SQLite {
			// A national import reads and rewrites more pages than SQLite's page cache holds
			// (2 MiB): its connection gets 32 MiB for the time of the import (a third of the
			// import went into reading pages again and spilling them to the journal).
			var size int
			if err := tx.Raw("PRAGMA cache_size").Scan(&size).Error; err != nil {
				return err
			}
			if err := tx.Exec("PRAGMA cache_size = -32768").Error; err != nil {
				return err
			}
			defer tx.WithContext(context.WithoutCancel(ctx)).Exec("PRAGMA cache_size = " + strconv.Itoa(size))
		}
		var eff importEffects
		var err error
		counts, err = fn(tx, &eff)
		switch {
		case err != nil:
			return err
		case opts.DryRun:
			return errDryRun
		case counts.Created+counts.Updated == 0:
			return nil
		}
		if subject.movesCoverage() {
			scope := coverageScope{}
			if eff.departements != nil {
				scope.departements = slices.Sorted(maps.Keys(eff.departements))
			}
			if err := refreshCoverage(tx, scope); err != nil {
				return err
			}
			if err := refreshDepartementFigures(tx); err != nil {
				return err
			}
			if err := refreshCommuneFigures(tx, scope.departements); err != nil {
				return err
			}
		}
		if subject.data == "" && counts.Created >= analyzeAfter {
			if err := tx.Exec("ANALYZE " + subject.entity).Error; err != nil {
				return err
			}
		}
		if subject.data == "" && counts.Created+counts.Updated >= analyzeAfter {
			if err := s.settleTrigramIndex(tx, subject.entity); err != nil {
				return err
			}
		}
		return s.audit(tx, opts.actor(), "import", subject.entity, "", importChanges(subject, counts))
	}, txOpts...)
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return ImportCounts{}, err // nothing was written
	}
	return counts, nil
}

// movesCoverage reports whether the import can change the charter's coverage: communes
// (and their EPCI), EPCI, and écoles (the pupils counted).
func (s importSubject) movesCoverage() bool {
	return s == importCommunes || s == importEcoles || s == importEPCI
}
