package models

import (
	"context"

	"gorm.io/gorm"
)

// CommuneENT is the state of the ENT in a commune, derived from the deployments of its
// écoles: how many are open, the count per phase, the waves and solutions.
type CommuneENT struct {
	Ecoles    int64
	Ouvertes  int64
	Phases    []PhaseTally // the phases met, in the order of the programme, hors programme last
	Vagues    []string
	Solutions []string
}

// PhaseTally is the number of écoles in one phase.
type PhaseTally struct {
	Phase  string
	Label  string
	Ecoles int64
}

// InProgramme reports whether at least one école of the commune has a deployment.
func (c CommuneENT) InProgramme() bool {
	for _, p := range c.Phases {
		if p.Phase != PhaseNone && p.Ecoles > 0 {
			return true
		}
	}
	return false
}

// CommuneENTOf derives the state of the ENT in the commune code from the deployments of
// its écoles that the scope reads.
func (s *Store) CommuneENTOf(ctx context.Context, scope Scope, code string) (CommuneENT, error) {
	var out CommuneENT
	db := s.db.WithContext(ctx)
	ecoles := func() *gorm.DB {
		return scope.within(db.Table("ecoles AS e"), "e", ecolesTerritory, reachRead).Where("e.code_insee = ?", dbText(code))
	}
	var counts []progressCount
	if err := ecoles().Joins("LEFT JOIN deploiements AS d ON d.uai = e.uai").
		Select("COALESCE(d.phase, '" + PhaseNone + "') AS phase, COUNT(*) AS ecoles").
		Group("COALESCE(d.phase, '" + PhaseNone + "')").Scan(&counts).Error; err != nil {
		return out, err
	}
	by := map[string]int64{}
	for _, c := range counts {
		by[c.Phase] = c.Ecoles
		out.Ecoles += c.Ecoles
	}
	for _, p := range DeploiementPhaseFilters {
		if n := by[p.Value]; n > 0 {
			out.Phases = append(out.Phases, PhaseTally{Phase: p.Value, Label: p.Label, Ecoles: n})
		}
	}
	out.Ouvertes = by["ouvert"] + by["generalise"]
	if err := ecoles().Joins("JOIN deploiements AS d ON d.uai = e.uai").Joins("JOIN vagues AS v ON v.id = d.vague_id").
		Distinct("v.nom").Order("v.nom").Pluck("v.nom", &out.Vagues).Error; err != nil {
		return out, err
	}
	err := ecoles().Joins("JOIN deploiements AS d ON d.uai = e.uai").Joins("JOIN solutions_ent AS so ON so.id = d.solution_id").
		Distinct("so.produit").Order("so.produit").Pluck("so.produit", &out.Solutions).Error
	return out, err
}
