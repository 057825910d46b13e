package models

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The deployments a change writes travel to the database as JSON, a chunk of rows per
// statement (the bulk writer of the imports, import_upsert.go): one INSERT … SELECT and one
// UPDATE … FROM per chunk, whatever the values of each école, where one UPDATE per set of
// identical values cost 45,000 statements for a status file whose dates differ per école.

// deploiementBulk is the number of rows a statement writes. Large on purpose: SQLite
// journals, for each statement, the first change of each page it touches (its statement
// journal), so that 45,000 rows in chunks of 500 journaled 90 times the pages that one
// statement of 10,000 rows journals about 5 times; the JSON of 10,000 rows is about 1 Mo.
const deploiementBulk = 10_000

// deploiementSpec is the bulk-write description of the deploiements table, by UAI.
var deploiementSpec = upsertSpec{table: "deploiements", columns: []importColumn{
	{"uai", "text"}, {"phase", "text"}, {"date_phase", "date"}, {"vague_id", "bigint"}, {"solution_id", "bigint"},
	{"ouverture_prevue", "date"}, {"ouverture_effective", "date"},
	{"departement_code", "text"}, {"code_circonscription", "text"}, {"code_insee", "text"},
}}

// deploiementUpdate is a deployment to update, with its stored values.
type deploiementUpdate struct{ Before, Next Deploiement }

// The columns of the history and of the audit events, written as JSON too.
var (
	deploiementPhaseColumns = []importColumn{{"uai", "text"}, {"phase", "text"}, {"date_effet", "date"}, {"at", "timestamptz"}, {"actor", "text"}}
	auditEventColumns       = []importColumn{{"at", "timestamptz"}, {"actor_id", "bigint"}, {"actor", "text"}, {"role", "text"}, {"scope", "text"},
		{"action", "text"}, {"entity", "text"}, {"entity_id", "text"}, {"changes", "text"}, {"request_id", "text"}}
)

// jsonTime is t as the database reads it from JSON: ISO 8601 for PostgreSQL's casts, and
// as the SQLite driver writes a time.Time parameter, so that times compare as text.
func (s *Store) jsonTime(t time.Time, dateOnly bool) string {
	switch {
	case s.dialect == Postgres && dateOnly:
		return t.Format(time.DateOnly)
	case s.dialect == Postgres:
		return t.Format(time.RFC3339Nano)
	}
	return t.UTC().Format("2006-01-02 15:04:05.999999999-07:00")
}

// deploiementRow is the values of d in the order of deploiementSpec.
func (s *Store) deploiementRow(d Deploiement) []any {
	day := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return s.jsonTime(*t, true)
	}
	var vague, solution, circo any
	if d.VagueID != nil {
		vague = *d.VagueID
	}
	if d.SolutionID != nil {
		solution = *d.SolutionID
	}
	if d.CodeCirconscription != nil {
		circo = *d.CodeCirconscription
	}
	return []any{d.UAI, d.Phase, day(&d.DatePhase), vague, solution, day(d.OuverturePrevue), day(d.OuvertureEffective),
		d.DepartementCode, circo, d.CodeINSEE}
}

// bulkWriteDeploiements inserts the new deployments (version 1) and updates the changed
// ones (version bumped), a chunk at a time; an update sets only the columns that change in
// its chunk (SQLite maintains the indexes of every column set).
func (s *Store) bulkWriteDeploiements(tx *gorm.DB, inserts []Deploiement, updates []deploiementUpdate, now time.Time) error {
	for chunk := range slices.Chunk(inserts, deploiementBulk) {
		rows := make([][]any, len(chunk))
		for i, d := range chunk {
			rows[i] = s.deploiementRow(d)
		}
		if err := s.insertRows(tx, deploiementSpec, rows, now); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(updates, deploiementBulk) {
		rows := make([][]any, len(chunk))
		var changed uint64
		for i, u := range chunk {
			rows[i] = s.deploiementRow(u.Next)
			before := s.deploiementRow(u.Before)
			for c := 1; c < len(rows[i]); c++ {
				if before[c] != rows[i][c] {
					changed |= 1 << c
				}
			}
		}
		if err := s.updateRows(tx, deploiementSpec, changed, rows, now); err != nil {
			return err
		}
	}
	return nil
}

// writeLog inserts the history and the audit events of a change, a chunk at a time.
func (s *Store) writeLog(tx *gorm.DB, history []DeploiementPhase, events []AuditEvent) error {
	for chunk := range slices.Chunk(history, deploiementBulk) {
		rows := make([][]any, len(chunk))
		for i, h := range chunk {
			rows[i] = []any{h.UAI, h.Phase, s.jsonTime(h.DateEffet, true), s.jsonTime(h.At, false), h.Actor}
		}
		if err := s.jsonInsert(tx, "deploiement_phases", deploiementPhaseColumns, rows); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(events, deploiementBulk) {
		rows := make([][]any, len(chunk))
		for i, e := range chunk {
			var actorID any
			if e.ActorID != nil {
				actorID = *e.ActorID
			}
			rows[i] = []any{s.jsonTime(e.At, false), actorID, e.Actor, e.Role, e.Scope, e.Action, e.Entity, e.EntityID, e.Changes, e.RequestID}
		}
		if err := s.jsonInsert(tx, "audit_events", auditEventColumns, rows); err != nil {
			return err
		}
	}
	return nil
}

// jsonInsert inserts rows (values in the order of cols) sent as one JSON parameter.
func (s *Store) jsonInsert(tx *gorm.DB, table string, cols []importColumn, rows [][]any) error {
	data, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	names, values := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		names[i], values[i] = c.name, "v."+c.name
	}
	return tx.Exec("INSERT INTO "+table+" ("+strings.Join(names, ", ")+") SELECT "+strings.Join(values, ", ")+
		" FROM "+s.jsonRows(cols), string(data)).Error
}

// uaiSet is the condition "col is one of uais", the UAI sent as one JSON parameter (a list
// of 10,000 parameters would be bound in quadratic time by the pure-Go SQLite driver).
func uaiSet(tx *gorm.DB, col string, uais []string) (string, string) {
	data, _ := json.Marshal(uais) // strings always encode
	if tx.Dialector.Name() == "postgres" {
		return col + " IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))", string(data)
	}
	return col + " IN (SELECT value FROM json_each(?))", string(data)
}
