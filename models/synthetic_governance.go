package models

import (
	"context"

	"gorm.io/gorm"
)

// This file is for synthetic benchmark data only: it inserts generated governance records in
// bulk, in one transaction, without validation nor audit. Real data goes through the Create*
// functions.

// SyntheticBody is a generated steering body with its meetings (synthetic benchmark data only).
type SyntheticBody struct {
	Instance Instance
	Meetings []SyntheticMeeting
}

// SyntheticMeeting is a generated meeting with its decisions.
type SyntheticMeeting struct {
	Reunion   Reunion
	Decisions []SyntheticDecision
}

// SyntheticDecision is a generated decision with its territories and actions.
type SyntheticDecision struct {
	Decision    Decision
	Territoires []DecisionTerritoire
	Actions     []Action
}

// syntheticBatch is the size of the INSERT batches.
const syntheticBatch = 50

// InsertSyntheticGovernance inserts the bodies, meetings, decisions, territories and
// actions, then the charter version (made the adopted one) with its sections and the
// adoptions of it, by batches of 50 rows in one transaction, without audit. For synthetic
// benchmark data only.
func (s *Store) InsertSyntheticGovernance(ctx context.Context, bodies []SyntheticBody, charte CharteVersion, adoptions []Adoption) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := insertSyntheticBodies(tx, bodies); err != nil {
			return err
		}
		return insertSyntheticCharte(tx, charte, adoptions)
	})
}

// createBatches inserts rows by batches; none is fine.
func createBatches[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(&rows, syntheticBatch).Error
}

// insertSyntheticBodies inserts the bodies and, level by level, their meetings, decisions,
// territories and actions, each level taking the ids of the one above.
func insertSyntheticBodies(tx *gorm.DB, bodies []SyntheticBody) error {
	insts := make([]Instance, len(bodies))
	for i := range bodies {
		insts[i] = bodies[i].Instance
	}
	if err := tx.CreateInBatches(&insts, syntheticBatch).Error; err != nil {
		return err
	}
	var reunions []Reunion
	for i, b := range bodies {
		for _, m := range b.Meetings {
			m.Reunion.InstanceID = insts[i].ID
			reunions = append(reunions, m.Reunion)
		}
	}
	if err := tx.CreateInBatches(&reunions, syntheticBatch).Error; err != nil {
		return err
	}
	var decisions []Decision
	k := 0
	for _, b := range bodies {
		for _, m := range b.Meetings {
			for _, d := range m.Decisions {
				d.Decision.ReunionID = reunions[k].ID
				decisions = append(decisions, d.Decision)
			}
			k++
		}
	}
	if err := tx.CreateInBatches(&decisions, syntheticBatch).Error; err != nil {
		return err
	}
	var terr []DecisionTerritoire
	var actions []Action
	k = 0
	for _, b := range bodies {
		for _, m := range b.Meetings {
			for _, d := range m.Decisions {
				id := decisions[k].ID
				for _, t := range d.Territoires {
					t.DecisionID = id
					terr = append(terr, t)
				}
				for _, a := range d.Actions {
					a.DecisionID, a.ReunionID = &id, nil
					actions = append(actions, a)
				}
				k++
			}
		}
	}
	if err := createBatches(tx, terr); err != nil {
		return err
	}
	return createBatches(tx, actions)
}

// insertSyntheticCharte makes charte the adopted version, with its sections and adoptions,
// and refreshes its coverage.
func insertSyntheticCharte(tx *gorm.DB, charte CharteVersion, adoptions []Adoption) error {
	if err := tx.Model(&CharteVersion{}).Where("statut = ? AND archived_at IS NULL", CharteAdoptee).
		Update("statut", CharteRemplacee).Error; err != nil {
		return err
	}
	sections := charte.Sections
	charte.Statut = CharteAdoptee
	if err := tx.Omit("Sections").Create(&charte).Error; err != nil {
		return err
	}
	for i := range sections {
		sections[i].CharteVersionID = charte.ID
	}
	if len(sections) > 0 {
		if err := tx.Create(&sections).Error; err != nil {
			return err
		}
	}
	for i := range adoptions {
		adoptions[i].CharteVersionID = charte.ID
	}
	if err := createBatches(tx, adoptions); err != nil {
		return err
	}
	return refreshCoverage(tx, coverageScope{version: charte.ID})
}
