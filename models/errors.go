package models

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned by the Store; the HTTP layer maps them to statuses and French pages.
var (
	// ErrNotFound means the record does not exist or lies outside the caller's scope.
	ErrNotFound = errors.New("enregistrement introuvable")
	// ErrForbidden means the caller's scope does not allow the operation.
	ErrForbidden = errors.New("accès refusé")
	// ErrConflict means the record changed since the caller read it.
	ErrConflict = errors.New("enregistrement modifié entre-temps")
)

// Errors of Store.Ready, each wrapping the database's own error; IsUnavailable recognises them.
var (
	// ErrUnavailable means the database does not answer (connection refused, closed, timeout...).
	ErrUnavailable = errors.New("base de données indisponible")
	// ErrNotMigrated means the schema is not at the latest embedded migration (or missing).
	ErrNotMigrated = errors.New("schéma de la base non migré")
	// ErrReadOnly means the database answers reads but refuses writes.
	ErrReadOnly = errors.New("base de données en lecture seule")
)

// FieldError is a French message about one field of a filter, a form or an imported row.
type FieldError struct {
	Line  int    // line of an imported file, 0 otherwise
	Field string // field or column name
	Msg   string // French message
}

func (e FieldError) Error() string {
	switch {
	case e.Line > 0 && e.Field != "":
		return fmt.Sprintf("ligne %d, colonne %s : %s", e.Line, e.Field, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("ligne %d : %s", e.Line, e.Msg)
	case e.Field != "":
		return e.Field + " : " + e.Msg
	}
	return e.Msg
}

// ValidationError gathers every FieldError found in one operation; nothing was written.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return strings.Join(msgs, "\n")
}

// Add records one more field error.
func (e *ValidationError) Add(line int, field, msg string) {
	e.Errors = append(e.Errors, FieldError{Line: line, Field: field, Msg: msg})
}

// OrNil returns e when it holds errors, nil otherwise.
func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Errors) == 0 {
		return nil
	}
	return e
}
