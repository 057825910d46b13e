package models

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// importColumn is a column an import writes, with its PostgreSQL type (rows travel to the
// database as JSON, read back into columns of these types).
type importColumn struct {
	name   string
	pgType string // "text" or "integer"
}

// upsertSpec describes how rows of one table are matched and written by natural key.
type upsertSpec struct {
	table   string
	columns []importColumn // the natural key first
	// defaults gives the value inserted for a column a row leaves out (notGiven); an update
	// keeps the stored value of such a column.
	defaults map[string]any
	// depCol is the column of the row's département, for the tables the charter's coverage
	// counts: the import refreshes the coverage of the départements it touched only.
	depCol string
}

// notGiven is the value of a column a row leaves out: the file does not give it.
var notGiven any = &struct{ byte }{}

// importChunk is the number of rows an import reads, compares and writes at a time: the
// memory it holds does not grow with the file, and each chunk costs a few statements (read
// the stored rows, insert the new ones, update the changed ones: one statement per set of
// changed columns).
const importChunk = 500

// upsert writes n rows (row(i) gives the i-th, its values in the order of spec.columns) by
// natural key, a chunk at a time: the stored rows of the chunk's keys are read, new keys are
// inserted, changed rows updated (version bumped, updated_at set), equal rows left alone. A
// column a row leaves out (notGiven) keeps its stored value, or takes spec.defaults on insert.
// A dry run only reads. eff, when not nil, collects the départements of the rows written.
func (s *Store) upsert(tx *gorm.DB, spec upsertSpec, n int, row func(i int) []any, opts ImportOptions, eff *importEffects) (ImportCounts, error) {
	var counts ImportCounts
	now := s.now().UTC()
	dep := -1
	for i, c := range spec.columns {
		if c.name == spec.depCol {
			dep = i
		}
	}
	touch := func(r []any) {
		if dep >= 0 {
			eff.touch(r[dep])
		}
	}
	for start := 0; start < n; start += importChunk {
		end := min(start+importChunk, n)
		rows := make([][]any, 0, end-start)
		keys := make([]any, 0, end-start)
		for i := start; i < end; i++ {
			r := row(i)
			rows, keys = append(rows, r), append(keys, r[0])
		}
		stored, err := s.storedRows(tx, spec, keys)
		if err != nil {
			return counts, err
		}
		var inserts [][]any
		updates := map[uint64][][]any{} // by the set of columns that changed
		for _, r := range rows {
			old, found := stored[keyString(r[0])]
			if !found {
				for i, c := range spec.columns {
					if r[i] == notGiven {
						r[i] = spec.defaults[c.name]
					}
				}
				inserts = append(inserts, r)
				counts.Created++
				touch(r)
				continue
			}
			var changed uint64
			for i := range r {
				if r[i] == notGiven {
					r[i] = old[i]
				} else if !sameValue(r[i], old[i]) {
					changed |= 1 << i
				}
			}
			if changed == 0 {
				counts.Unchanged++
				continue
			}
			updates[changed] = append(updates[changed], r)
			counts.Updated++
			touch(r)
			touch(old)
		}
		if !opts.DryRun {
			if err := s.insertRows(tx, spec, inserts, now); err != nil {
				return counts, err
			}
			for _, changed := range slices.Sorted(maps.Keys(updates)) {
				if err := s.updateRows(tx, spec, changed, updates[changed], now); err != nil {
					return counts, err
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(end, n)
		}
	}
	return counts, nil
}

// storedRows reads the stored values of spec.columns for the rows of keys, by key.
func (s *Store) storedRows(tx *gorm.DB, spec upsertSpec, keys []any) (map[string][]any, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(spec.columns))
	for i, c := range spec.columns {
		names[i] = c.name
	}
	keysOf := "SELECT value FROM json_each(?)"
	if s.dialect == Postgres {
		keysOf = "SELECT jsonb_array_elements_text(CAST(? AS jsonb))"
	}
	rows, err := tx.Raw("SELECT "+strings.Join(names, ", ")+" FROM "+spec.table+
		" WHERE "+names[0]+" IN ("+keysOf+")", string(list)).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]any, len(keys))
	for rows.Next() {
		values := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range values {
			if b, ok := v.([]byte); ok {
				values[i] = string(b) // written back as text, not as JSON's base64
			}
		}
		out[keyString(values[0])] = values
	}
	return out, rows.Err()
}

// jsonRows is the relation v holding the rows sent as one JSON parameter (an array of arrays
// of values in the order of columns), one column per column: a chunk of rows is one
// parameter, where a VALUES list would bind every value (the pure-Go SQLite driver binds
// parameters in quadratic time) and leave PostgreSQL guessing their types.
func (s *Store) jsonRows(columns []importColumn) string {
	cols := make([]string, len(columns))
	for i, c := range columns {
		if s.dialect == Postgres {
			cols[i] = "CAST(e ->> " + strconv.Itoa(i) + " AS " + c.pgType + ") AS " + c.name
		} else {
			cols[i] = "value ->> " + strconv.Itoa(i) + " AS " + c.name
		}
	}
	from := "json_each(?)"
	if s.dialect == Postgres {
		from = "jsonb_array_elements(CAST(? AS jsonb)) AS e"
	}
	return "(SELECT " + strings.Join(cols, ", ") + " FROM " + from + ") AS v"
}

// insertRows inserts rows, created now at version 1.
func (s *Store) insertRows(tx *gorm.DB, spec upsertSpec, rows [][]any, now time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	names, values := make([]string, len(spec.columns)), make([]string, len(spec.columns))
	for i, c := range spec.columns {
		names[i], values[i] = c.name, "v."+c.name
	}
	return tx.Exec("INSERT INTO "+spec.table+" ("+strings.Join(names, ", ")+", created_at, updated_at, version) SELECT "+
		strings.Join(values, ", ")+", ?, ?, 1 FROM "+s.jsonRows(spec.columns), now, now, string(data)).Error
}

// updateRows writes the columns of changed (a bit per column of spec) of rows over the
// stored rows of their keys, version bumped. Only these columns are set: SQLite maintains the
// indexes, foreign keys and triggers of the columns an UPDATE sets, changed or not.
func (s *Store) updateRows(tx *gorm.DB, spec upsertSpec, changed uint64, rows [][]any, now time.Time) error {
	cols := []importColumn{spec.columns[0]}
	for i, c := range spec.columns {
		if changed&(1<<i) != 0 {
			cols = append(cols, c)
		}
	}
	values := make([][]any, len(rows))
	for n, r := range rows {
		values[n] = []any{r[0]}
		for i := range spec.columns {
			if changed&(1<<i) != 0 {
				values[n] = append(values[n], r[i])
			}
		}
	}
	data, err := json.Marshal(values)
	if err != nil {
		return err
	}
	sets := make([]string, 0, len(cols))
	for _, c := range cols[1:] {
		sets = append(sets, c.name+" = v."+c.name)
	}
	key := cols[0].name
	return tx.Exec("UPDATE "+spec.table+" AS t SET "+strings.Join(sets, ", ")+", updated_at = ?, version = t.version + 1 FROM "+
		s.jsonRows(cols)+" WHERE t."+key+" = v."+key, now, string(data)).Error
}

// keyString renders a natural key as the database or the input gives it.
func keyString(v any) string {
	if x, ok := v.(string); ok {
		return x
	}
	return fmt.Sprint(v)
}

// sameValue reports whether an input value and a stored one (text read as a string) are
// equal, whatever the driver's integer types.
func sameValue(in, stored any) bool {
	switch x := in.(type) {
	case nil:
		return stored == nil
	case string:
		y, ok := stored.(string)
		return ok && x == y
	case int:
		switch y := stored.(type) {
		case int64:
			return int64(x) == y
		case int32:
			return int64(x) == int64(y)
		case int:
			return x == y
		}
		return false
	}
	return stored != nil && fmt.Sprint(in) == fmt.Sprint(stored)
}
