package models

import (
	"context"
	"time"
)

// Vague is a wave of the plan: the pilot sites, then one wave per school year. It is the
// académie's (no département) or a département's; its target is the écoles it holds.
type Vague struct {
	ID              int64
	Nom             string
	AnneeScolaire   string
	Pilote          bool
	DepartementCode *string
	OuverturePrevue *time.Time
	CibleEcoles     *int
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the vagues table.
func (Vague) TableName() string { return "vagues" }

// ListVagues returns the live waves the scope reads, in the order of the plan (school year,
// then the pilot wave first, then name).
func (s *Store) ListVagues(ctx context.Context, scope Scope) ([]Vague, error) {
	var out []Vague
	q := scope.restrictTo(s.db.WithContext(ctx).Table("vagues AS v"), EntityVague, "v")
	err := q.Select("v.*").Where("v.archived_at IS NULL").Order("v.annee_scolaire, v.pilote DESC, v.nom, v.id").Find(&out).Error
	return out, err
}
