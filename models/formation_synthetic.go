package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SyntheticEcole is an école a synthetic training year draws its sessions and
// registrations from.
type SyntheticEcole struct {
	UAI                 string `gorm:"column:uai"`
	DepartementCode     string
	CodeCirconscription *string
	CodeINSEE           string `gorm:"column:code_insee"`
}

// SyntheticSession is a generated session with its registrations and answers; the ids are
// set on insert.
type SyntheticSession struct {
	Formation    Formation
	Inscriptions []FormationInscription
	Evaluations  []FormationEvaluation
}

// SyntheticTraining generates the sessions of a training year from the écoles (sorted by
// UAI) and the modules of the catalogue; PlanID is set on insert from the session's
// département.
type SyntheticTraining func(ecoles []SyntheticEcole, modules []int64) []SyntheticSession

// InsertSyntheticFormations inserts a training plan of the school year annee for every
// département of the generated sessions, then the sessions, their registrations and their
// answers, by batches in one transaction, without audit: for synthetic benchmark data only.
func (s *Store) InsertSyntheticFormations(ctx context.Context, annee string, gen SyntheticTraining) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var ecoles []SyntheticEcole
		if err := tx.Table("ecoles").Select("uai, departement_code, code_circonscription, code_insee").
			Order("uai").Scan(&ecoles).Error; err != nil {
			return err
		}
		var modules []int64
		if err := tx.Table("formation_modules").Order("ordre, id").Pluck("id", &modules).Error; err != nil {
			return err
		}
		sessions := gen(ecoles, modules)
		plans, err := syntheticPlans(tx, annee, sessions, s.now().UTC())
		if err != nil {
			return err
		}
		fs := make([]Formation, len(sessions))
		for i := range sessions {
			fs[i] = sessions[i].Formation
			fs[i].PlanID = plans[fs[i].DepartementCode]
		}
		if err := tx.Omit("ID").CreateInBatches(&fs, syntheticDeploiementBatch/3).Error; err != nil {
			return err
		}
		var ins []FormationInscription
		var evs []FormationEvaluation
		for i, ss := range sessions {
			for _, r := range ss.Inscriptions {
				r.FormationID = fs[i].ID
				ins = append(ins, r)
			}
			for _, e := range ss.Evaluations {
				e.FormationID = fs[i].ID
				evs = append(evs, e)
			}
		}
		if err := tx.Omit("ID").CreateInBatches(&ins, syntheticDeploiementBatch/2).Error; err != nil {
			return err
		}
		if err := tx.Omit("ID").CreateInBatches(&evs, syntheticDeploiementBatch).Error; err != nil {
			return err
		}
		if err := refreshEvaluationSums(tx, nil); err != nil {
			return err
		}
		return refreshFormesOf(tx, nil)
	})
}

// syntheticPlans inserts a plan of the year for each département of the sessions and
// returns their ids by département.
func syntheticPlans(tx *gorm.DB, annee string, sessions []SyntheticSession, now time.Time) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, ss := range sessions {
		dep := ss.Formation.DepartementCode
		if _, ok := ids[dep]; ok {
			continue
		}
		p := PlanFormation{AnneeScolaire: annee, DepartementCode: dep, Titre: "Plan synthétique " + annee + " " + dep,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.Omit("ID").Create(&p).Error; err != nil {
			return nil, err
		}
		ids[dep] = p.ID
	}
	return ids, nil
}
