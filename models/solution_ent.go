package models

import (
	"context"
	"time"
)

// The identity federations of an ENT solution, with their French labels.
var SolutionFederations = []Choice{
	{"", "Aucune"},
	{"sso_academique", "Guichet d'authentification académique"},
	{"educonnect", "ÉduConnect"},
	{"sso_academique_educonnect", "Guichet académique et ÉduConnect"},
}

// SolutionENT is an ENT solution: a product of a vendor (an organisation of kind
// editeur_ent), its version, hosting and identity federation. Solutions belong to the whole
// académie: every signed-in user reads them; the administrator and the pilote académique
// write them (WritesSolutions).
type SolutionENT struct {
	ID             int64
	Produit        string
	EditeurID      *int64
	VersionProduit string
	Hebergement    string
	Federation     string
	Notes          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
	Version        int
}

// TableName is the solutions_ent table.
func (SolutionENT) TableName() string { return "solutions_ent" }

// WritesSolutions reports whether the actor writes the ENT solutions: the administrator and
// the pilote académique.
func WritesSolutions(actor Actor) bool {
	return actor.Scope.valid() && (actor.Role == RoleAdmin || actor.Role == RolePilote)
}

// ListSolutions returns the live ENT solutions, by product name.
func (s *Store) ListSolutions(ctx context.Context, scope Scope) ([]SolutionENT, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var out []SolutionENT
	err := s.db.WithContext(ctx).Where("archived_at IS NULL").Order("produit, id").Find(&out).Error
	return out, err
}
