package models

import (
	"context"

	"gorm.io/gorm"
)

// SyntheticPlan gives the deployment of the i-th école (uai) without one, and its history
// of phases, given the ids of the waves and solutions inserted; the territory columns are
// the école's.
type SyntheticPlan func(i int, uai string, vagues, solutions []int64) (Deploiement, []DeploiementPhase)

// syntheticDeploiementBatch bounds the rows of one insert (the pure-Go SQLite driver binds
// its parameters in quadratic time: see DESIGN.md §5).
const syntheticDeploiementBatch = 60

// InsertSyntheticDeploiements inserts the waves and solutions given, then a deployment
// (plan) for every école that has none, with its history, by batches in one transaction,
// without audit; then recomputes the kept figures. For synthetic benchmark data only: real
// deployments go through ChangeDeploiements. It returns the number of deployments inserted.
func (s *Store) InsertSyntheticDeploiements(ctx context.Context, vagues []Vague, solutions []SolutionENT, plan SyntheticPlan) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var vIDs, sIDs []int64
		for i := range vagues {
			if err := tx.Omit("ID").Create(&vagues[i]).Error; err != nil {
				return err
			}
			vIDs = append(vIDs, vagues[i].ID)
		}
		for i := range solutions {
			if err := tx.Omit("ID").Create(&solutions[i]).Error; err != nil {
				return err
			}
			sIDs = append(sIDs, solutions[i].ID)
		}
		var places []ecolePlace
		if err := tx.Table("ecoles AS e").Where("NOT EXISTS (SELECT 1 FROM deploiements d WHERE d.uai = e.uai)").
			Select("e.uai, e.departement_code, e.code_circonscription, e.code_insee").Order("e.uai").Find(&places).Error; err != nil {
			return err
		}
		deps := make([]Deploiement, 0, len(places))
		var history []DeploiementPhase
		for i, p := range places {
			d, h := plan(i, p.UAI, vIDs, sIDs)
			d.UAI, d.DepartementCode, d.CodeCirconscription, d.CodeINSEE = p.UAI, p.DepartementCode, p.CodeCirconscription, p.CodeINSEE
			deps = append(deps, d)
			for _, r := range h {
				r.UAI = p.UAI
				history = append(history, r)
			}
		}
		if len(deps) == 0 {
			return nil
		}
		if err := tx.Omit("ID").CreateInBatches(&deps, syntheticDeploiementBatch).Error; err != nil {
			return err
		}
		if err := tx.Omit("ID").CreateInBatches(&history, 2*syntheticDeploiementBatch).Error; err != nil {
			return err
		}
		n = len(deps)
		var all []string
		if err := tx.Table("departements").Pluck("code", &all).Error; err != nil {
			return err
		}
		return refreshDeploiementFigures(tx, all...)
	})
	return n, err
}
