package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// deploiementsTerritory is where a deployment lies: the territory columns it repeats from
// its école (the same names as the ecoles table's, so that one condition serves both).
var deploiementsTerritory = Territory{Departement: "departement_code", Circonscription: "code_circonscription", Commune: "code_insee"}

// The phases of a deployment, in the order of the programme, with their French labels.
var DeploiementPhases = []Choice{
	{"candidate", "Candidate"},
	{"etude", "Étude"},
	{"pilote", "Pilote"},
	{"en_deploiement", "En déploiement"},
	{"ouvert", "Ouvert"},
	{"generalise", "Généralisé"},
	{"abandonne", "Abandonné"},
}

// PhaseOpen reports whether the ENT of an école in phase is open to its users.
func PhaseOpen(phase string) bool { return phase == "ouvert" || phase == "generalise" }

// Deploiement is the deployment of one école (at most one per école).
type Deploiement struct {
	ID                  int64
	UAI                 string `gorm:"column:uai"`
	DepartementCode     string
	CodeCirconscription *string
	CodeINSEE           string `gorm:"column:code_insee"`
	VagueID             *int64
	SolutionID          *int64
	Phase               string
	DatePhase           time.Time
	OuverturePrevue     *time.Time
	OuvertureEffective  *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int
}

// TableName is the deploiements table.
func (Deploiement) TableName() string { return "deploiements" }

// PhaseLabel is the French label of the deployment's phase.
func (d Deploiement) PhaseLabel() string { return LabelOf(DeploiementPhases, d.Phase) }

// DeploiementPhase is one change of phase of an école, with its effective date.
type DeploiementPhase struct {
	ID        int64
	UAI       string `gorm:"column:uai"`
	Phase     string
	DateEffet time.Time
	At        time.Time
	Actor     string
}

// TableName is the deploiement_phases table.
func (DeploiementPhase) TableName() string { return "deploiement_phases" }

// PhaseLabel is the French label of the phase.
func (p DeploiementPhase) PhaseLabel() string { return LabelOf(DeploiementPhases, p.Phase) }

// GetDeploiement returns the deployment of the école uai in the scope; ErrNotFound when the
// école has none or lies outside the scope.
func (s *Store) GetDeploiement(ctx context.Context, scope Scope, uai string) (Deploiement, error) {
	var d Deploiement
	q := scope.within(s.db.WithContext(ctx).Table("deploiements AS d"), "d", deploiementsTerritory, reachRead)
	err := q.Select("d.*").Where("d.uai = ?", uai).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, ErrNotFound
	}
	return d, err
}

// DeploiementHistory lists the changes of phase of the école uai, oldest first; ErrNotFound
// outside the scope.
func (s *Store) DeploiementHistory(ctx context.Context, scope Scope, uai string) ([]DeploiementPhase, error) {
	if _, err := s.GetDeploiement(ctx, scope, uai); err != nil {
		return nil, err
	}
	var out []DeploiementPhase
	err := s.db.WithContext(ctx).Where("uai = ?", uai).Order("date_effet, id").Find(&out).Error
	return out, err
}
