package models

import (
	"strings"

	"gorm.io/gorm"
)

// Territory says, once per kind of record, how its rows lie in the territory: the columns
// that place a row (a département, a circonscription, a commune, an EPCI or EPT, communes
// through a link table), which rows have no territory (shared: seen by every valid scope),
// and whether the narrower scopes (a circonscription, communes) see the rows of their
// département. Scope.within turns a scope and a Territory into SQL: it is the one place
// where a scope becomes a condition, and every query on scoped records goes through it.
//
// Columns are named without their table alias; the alias is given when the condition is
// applied.
type Territory struct {
	Departement     string // column holding a département code
	Circonscription string // column holding a circonscription code
	Commune         string // column holding an INSEE code
	EPCI            string // column holding an EPCI or EPT SIREN: the row lies where its member communes are
	Link            string // "table.key": a table whose rows link the record (key = its id) to communes (code_insee)
	Shared          string // condition of the rows without territory, "" when every row has one
	Below           string // condition under which a circonscription or communes scope sees the rows of its département ("TRUE": always)
	BelowCommunes   string // condition under which a communes scope also sees the rows of its département (a référent's audiences)
}

// reach is how much of a territory a condition keeps.
type reach int

const (
	reachRead   reach = iota // shared rows, the scope's territory and what it sees below
	reachOwn                 // the rows of the scope's own territory only (not shared, not below)
	reachShared              // the shared rows only
)

// within adds to q the condition that keeps the rows (table alias a) of t that the scope
// reaches. A scope that designates nothing keeps nothing.
func (s Scope) within(q *gorm.DB, a string, t Territory, r reach) *gorm.DB {
	if !s.valid() {
		return q.Where("1 = 0")
	}
	shared := t.on(a, t.Shared)
	switch {
	case r == reachShared && shared == "":
		return q.Where("1 = 0")
	case r == reachShared:
		return q.Where(shared)
	case s.Kind == ScopeAcademie && r == reachOwn && shared != "":
		return q.Where("NOT (" + shared + ")")
	case s.Kind == ScopeAcademie:
		return q
	}
	conds, args := s.territoryConditions(a, t, r == reachRead)
	if r == reachRead && shared != "" {
		conds = append([]string{shared}, conds...)
	}
	if len(conds) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("("+strings.Join(conds, " OR ")+")", args...)
}

// territoryConditions are the conditions (to be OR-ed) that place a row of t in the scope's
// territory; with below, also the rows of its département that a narrower scope sees. The
// column of the scope's own level decides when the record has one (a département's scope
// reads the département column, not the communes); the links to communes and EPCI are
// always looked at.
func (s Scope) territoryConditions(a string, t Territory, below bool) ([]string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	col := func(c string) string { return a + "." + c }
	switch s.Kind {
	case ScopeDepartement:
		switch {
		case t.Departement != "":
			add(col(t.Departement)+" IN ?", s.Departements)
		case t.Circonscription != "":
			add(col(t.Circonscription)+" IN (SELECT tci.code FROM circonscriptions tci WHERE tci.departement_code IN ?)", s.Departements)
		case t.Commune != "":
			add(col(t.Commune)+" IN (SELECT tc.code_insee FROM communes tc WHERE tc.departement_code IN ?)", s.Departements)
		}
	case ScopeCirconscription:
		if below && t.Departement != "" && t.Below != "" {
			add("("+t.on(a, t.Below)+" AND "+col(t.Departement)+" IN (SELECT tci.departement_code FROM circonscriptions tci WHERE tci.code IN ?))", s.Circonscriptions)
		}
		switch {
		case t.Circonscription != "":
			add(col(t.Circonscription)+" IN ?", s.Circonscriptions)
		case t.Commune != "":
			add(col(t.Commune)+" IN (SELECT te.code_insee FROM ecoles te WHERE te.code_circonscription IN ?)", s.Circonscriptions)
		}
	case ScopeCommunes:
		if cond := t.belowCommunes(); below && t.Departement != "" && cond != "" {
			add("(("+t.on(a, cond)+") AND "+col(t.Departement)+" IN (SELECT tco.departement_code FROM communes tco WHERE tco.code_insee IN ?))", s.Communes)
		}
		if t.Commune != "" {
			add(col(t.Commune)+" IN ?", s.Communes)
		}
	}
	if t.Link != "" && (s.Kind != ScopeDepartement || t.Departement == "") {
		table, key, _ := strings.Cut(t.Link, ".")
		cond, arg := s.isCommune("tl.code_insee")
		add(a+".id IN (SELECT tl."+key+" FROM "+table+" tl WHERE "+cond+")", arg)
	}
	if t.EPCI != "" {
		cond, arg := s.isCommune("tm.code_insee")
		if s.Kind == ScopeDepartement {
			cond = "tm.departement_code IN ?"
		}
		add("("+col(t.EPCI)+" IS NOT NULL AND EXISTS (SELECT 1 FROM communes tm WHERE (tm.epci_siren = "+col(t.EPCI)+
			" OR tm.ept_siren = "+col(t.EPCI)+") AND "+cond+"))", arg)
	}
	return conds, args
}

// isCommune is the condition that the INSEE code expr is a commune of the scope (of its
// départements, where its circonscriptions have a school, or its communes), and its argument.
func (s Scope) isCommune(expr string) (string, any) {
	switch s.Kind {
	case ScopeDepartement:
		return expr + " IN (SELECT tc.code_insee FROM communes tc WHERE tc.departement_code IN ?)", s.Departements
	case ScopeCirconscription:
		return expr + " IN (SELECT te.code_insee FROM ecoles te WHERE te.code_circonscription IN ?)", s.Circonscriptions
	}
	return expr + " IN ?", s.Communes
}

// belowCommunes is the condition under which a communes scope sees the rows of its
// département: Below or BelowCommunes.
func (t Territory) belowCommunes() string {
	switch {
	case t.Below == "":
		return t.BelowCommunes
	case t.BelowCommunes == "":
		return t.Below
	}
	return "(" + t.Below + ") OR (" + t.BelowCommunes + ")"
}

// on qualifies the columns of a condition with the alias: "{a}.departement_code IS NULL".
func (t Territory) on(a, cond string) string {
	return strings.ReplaceAll(cond, "{a}", a)
}

// The reference data read through a scope when it counts or lists the territory of the
// programme (figures of the home page, coverage, alerts): communes, écoles, and the
// figures kept per département.
var (
	communesTerritory     = Territory{Departement: "departement_code", Commune: "code_insee"}
	ecolesTerritory       = Territory{Departement: "departement_code", Circonscription: "code_circonscription", Commune: "code_insee"}
	departementsTerritory = Territory{Departement: "departement_code"}
)
