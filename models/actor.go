package models

import (
	"context"
	"fmt"
	"strings"
)

// Role is what a user may do; with the scope, it decides what they see.
type Role string

// The roles of the product (DESIGN.md §2).
const (
	RoleAdmin     Role = "admin"
	RolePilote    Role = "pilote_academique"
	RoleIA        Role = "ia_dasen"
	RoleIEN       Role = "ien"
	RoleAMIF      Role = "amif"
	RoleReferent  Role = "referent_commune"
	RoleLecteur   Role = "lecteur"
	roleAnonymous Role = ""
)

// Roles lists the roles with their French labels.
var Roles = []Choice{
	{string(RoleAdmin), "Administrateur"},
	{string(RolePilote), "Pilote académique (DANE)"},
	{string(RoleIA), "IA-DASEN (département)"},
	{string(RoleIEN), "IEN (circonscription)"},
	{string(RoleAMIF), "AMIF"},
	{string(RoleReferent), "Référent commune ou EPCI"},
	{string(RoleLecteur), "Lecteur (partenaire)"},
}

// Label is the French label of the role.
func (r Role) Label() string { return LabelOf(Roles, string(r)) }

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r != roleAnonymous && LabelOf(Roles, string(r)) != string(r) }

// SeesPersonalData reports whether the role may read contacts' emails and phones.
func (r Role) SeesPersonalData() bool { return r != RoleLecteur && r != roleAnonymous }

// Actor is who makes a change: a signed-in user, or the system (command line, loaders).
// Every write of the Store takes one and records it in the audit log.
type Actor struct {
	UserID    int64 // 0 for the system
	Name      string
	Role      Role
	Scope     Scope
	RequestID string
}

// SystemActor is the actor of changes made by the command line or a loader.
func SystemActor(what string) Actor {
	return Actor{Name: "système (" + what + ")", Role: RoleAdmin, Scope: AcademieScope()}
}

// String describes the scope in French, for the audit log and the pages.
func (s Scope) String() string {
	switch s.Kind {
	case ScopeAcademie:
		return "académie"
	case ScopeDepartement:
		return "département " + strings.Join(s.Departements, ", ")
	case ScopeCirconscription:
		return "circonscription " + strings.Join(s.Circonscriptions, ", ")
	case ScopeCommunes:
		if len(s.Communes) > 5 {
			return fmt.Sprintf("%d communes", len(s.Communes))
		}
		return "communes " + strings.Join(s.Communes, ", ")
	}
	return "aucun"
}

// DescribeScope describes a scope in French with the names of its territories, for the
// pages: "Département 93 — Seine-Saint-Denis".
func (s *Store) DescribeScope(ctx context.Context, sc Scope) (string, error) {
	db := s.db.WithContext(ctx)
	var names []string
	switch sc.Kind {
	case ScopeAcademie:
		return s.describeAcademie(ctx)
	case ScopeDepartement:
		if err := db.Table("departements").Where("code IN ?", sc.Departements).Order("code").
			Pluck("code || ' — ' || nom", &names).Error; err != nil {
			return "", err
		}
		return "Département " + strings.Join(names, ", "), nil
	case ScopeCirconscription:
		if err := db.Table("circonscriptions").Where("code IN ?", sc.Circonscriptions).Order("nom").Pluck("nom", &names).Error; err != nil {
			return "", err
		}
		return strings.Join(names, ", "), nil
	case ScopeCommunes:
		if err := db.Table("communes").Where("code_insee IN ?", sc.Communes).Order("nom_recherche, code_insee").Pluck("nom", &names).Error; err != nil {
			return "", err
		}
		return "Communes : " + strings.Join(names, ", "), nil
	}
	return "Aucun territoire", nil
}

// Administers reports whether the role administers the product (accounts, archives,
// reviews, model texts): the administrator's.
func (r Role) Administers() bool { return r == RoleAdmin }
