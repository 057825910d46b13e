package models

import (
	"slices"
)

// ScopeKind is the level of territory a user's scope covers.
type ScopeKind int

// The scope levels, from the widest.
const (
	scopeNone ScopeKind = iota
	ScopeAcademie
	ScopeDepartement
	ScopeCirconscription
	ScopeCommunes
)

// Scope is the part of the territory a caller may see. Every Store function that reads or
// writes receives one. The zero Scope sees nothing: it is what an unknown caller gets.
//
// Reference data (départements, communes, écoles, EPCI) is readable by every valid scope;
// programme data is filtered by the territory of the scope.
type Scope struct {
	Kind             ScopeKind
	Departements     []string // ScopeDepartement
	Circonscriptions []string // ScopeCirconscription
	Communes         []string // ScopeCommunes (INSEE codes)
}

// AcademieScope is the scope of the whole académie.
func AcademieScope() Scope { return Scope{Kind: ScopeAcademie} }

// CoversAcademie reports whether the scope is the whole académie.
func (s Scope) CoversAcademie() bool { return s.Kind == ScopeAcademie }

// CoversDepartement reports whether the whole département lies in the scope: the académie's
// scope covers every département, a département's scope its own, narrower scopes none.
func (s Scope) CoversDepartement(code string) bool {
	switch s.Kind {
	case ScopeAcademie:
		return true
	case ScopeDepartement:
		return slices.Contains(s.Departements, code)
	}
	return false
}

// valid reports whether the scope designates some territory.
func (s Scope) valid() bool {
	switch s.Kind {
	case ScopeAcademie:
		return true
	case ScopeDepartement:
		return len(s.Departements) > 0
	case ScopeCirconscription:
		return len(s.Circonscriptions) > 0
	case ScopeCommunes:
		return len(s.Communes) > 0
	}
	return false
}

// readReference returns ErrForbidden unless the scope may read reference data.
func (s Scope) readReference() error {
	if !s.valid() {
		return ErrForbidden
	}
	return nil
}

// SoleDepartement is the département of a scope that covers exactly one, "" otherwise: the
// forms of a département's users start with it.
func (s Scope) SoleDepartement() string {
	if s.Kind == ScopeDepartement && len(s.Departements) == 1 {
		return s.Departements[0]
	}
	return ""
}
