package models

import "gorm.io/gorm"

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

// territoryColumns names, in one query, the columns that place a row in the territory.
// An empty name means the row has no such level (it is then visible only to wider scopes).
type territoryColumns struct {
	Departement     string
	Circonscription string
	Commune         string
}

// restrict adds to q the condition that keeps only the rows of the scope's territory. It is
// the one place where a scope becomes SQL: every Store function reading or writing
// programme data goes through it. A scope that designates nothing keeps nothing.
func (s Scope) restrict(q *gorm.DB, cols territoryColumns) *gorm.DB {
	switch {
	case s.Kind == ScopeAcademie:
		return q
	case s.Kind == ScopeDepartement && cols.Departement != "" && len(s.Departements) > 0:
		return q.Where(cols.Departement+" IN ?", s.Departements)
	case s.Kind == ScopeCirconscription && cols.Circonscription != "" && len(s.Circonscriptions) > 0:
		return q.Where(cols.Circonscription+" IN ?", s.Circonscriptions)
	case s.Kind == ScopeCommunes && cols.Commune != "" && len(s.Communes) > 0:
		return q.Where(cols.Commune+" IN ?", s.Communes)
	}
	return q.Where("1 = 0")
}

// restrictOrganisations keeps the organisations (table alias o) the scope may see: those of
// its territory, and the shared ones that have no territory (Rectorat, AMIF, vendors...).
// A commune belongs to its département and its EPCI/EPT; an EPCI to every département where
// it has a member commune. Contacts, and later programme records attached to an
// organisation, are scoped through it.
func (s Scope) restrictOrganisations(q *gorm.DB, o string) *gorm.DB {
	shared := "(" + o + ".departement_code IS NULL AND " + o + ".code_insee IS NULL AND " + o + ".epci_siren IS NULL)"
	epciIn := func(cond string) string {
		return "(" + o + ".epci_siren IS NOT NULL AND EXISTS (SELECT 1 FROM communes sc WHERE (sc.epci_siren = " + o +
			".epci_siren OR sc.ept_siren = " + o + ".epci_siren) AND " + cond + "))"
	}
	switch {
	case s.Kind == ScopeAcademie:
		return q
	case s.Kind == ScopeDepartement && len(s.Departements) > 0:
		return q.Where("("+shared+" OR "+o+".departement_code IN ? OR "+epciIn("sc.departement_code IN ?")+")",
			s.Departements, s.Departements)
	case s.Kind == ScopeCirconscription && len(s.Circonscriptions) > 0:
		return q.Where("("+shared+" OR "+o+".code_insee IN (SELECT se.code_insee FROM ecoles se WHERE se.code_circonscription IN ?))",
			s.Circonscriptions)
	case s.Kind == ScopeCommunes && len(s.Communes) > 0:
		return q.Where("("+shared+" OR "+o+".code_insee IN ? OR "+epciIn("sc.code_insee IN ?")+")", s.Communes, s.Communes)
	}
	return q.Where("1 = 0")
}

// restrictDepartementOrShared keeps the rows whose département column col is the scope's,
// and the académie-wide rows (col NULL), visible to every valid scope. A circonscription or
// communes scope sees the départements of its territory. Governance (bodies, and through
// them meetings, decisions and actions) is scoped this way.
func (s Scope) restrictDepartementOrShared(q *gorm.DB, col string) *gorm.DB {
	switch {
	case s.Kind == ScopeAcademie:
		return q
	case s.Kind == ScopeDepartement && len(s.Departements) > 0:
		return q.Where("("+col+" IS NULL OR "+col+" IN ?)", s.Departements)
	case s.Kind == ScopeCirconscription && len(s.Circonscriptions) > 0:
		return q.Where("("+col+" IS NULL OR "+col+" IN (SELECT sci.departement_code FROM circonscriptions sci WHERE sci.code IN ?))", s.Circonscriptions)
	case s.Kind == ScopeCommunes && len(s.Communes) > 0:
		return q.Where("("+col+" IS NULL OR "+col+" IN (SELECT sco.departement_code FROM communes sco WHERE sco.code_insee IN ?))", s.Communes)
	}
	return q.Where("1 = 0")
}
