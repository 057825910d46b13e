package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// CreateJalon records a milestone. Field errors come first (*ValidationError), then the
// write rule (ErrForbidden: an IA-DASEN writes the milestones of their département and of
// its communes, the pilotes and the administrator every milestone).
func (s *Store) CreateJalon(ctx context.Context, actor Actor, in JalonInput) (JalonRow, error) {
	in = in.normalize()
	var row JalonRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		j, err := checkJalon(tx, actor, in)
		if err != nil {
			return err
		}
		if err := mayPlaceJalon(tx, actor, j); err != nil {
			return err
		}
		now := s.now().UTC()
		j.CreatedAt, j.UpdatedAt, j.Version = now, now, 1
		if err := tx.Create(&j).Error; err != nil {
			return err
		}
		if row, err = s.getJalon(tx, actor.Scope, j.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "jalon", strconv.FormatInt(j.ID, 10), diff(jalonFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateJalon changes a milestone still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor does not write it (or what it would become), *ConflictError
// on a stale version, *ValidationError on bad input.
func (s *Store) UpdateJalon(ctx context.Context, actor Actor, id int64, version int, in JalonInput) (JalonRow, error) {
	in = in.normalize()
	edit := recordEdit[JalonRow]{entity: "jalon", model: &Jalon{}, fields: jalonFields,
		get:     s.getJalon,
		version: func(j JalonRow) int { return j.Version },
		may:     func(tx *gorm.DB, _ JalonRow) error { return mayWrite(tx, actor, EntityJalon, id) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before JalonRow) (map[string]any, error) {
		j, err := checkJalon(tx, actor, in)
		if err != nil {
			return nil, err
		}
		if err := mayPlaceJalon(tx, actor, j); err != nil {
			return nil, err
		}
		return map[string]any{"titre": j.Titre, "description": j.Description, "niveau": j.Niveau,
			"departement_code": j.DepartementCode, "code_insee": j.CodeINSEE, "date_prevue": j.DatePrevue,
			"date_effective": j.DateEffective, "statut": j.Statut, "convention_id": j.ConventionID,
			"vague_id": j.VagueID, "decision_id": j.DecisionID}, nil
	}, nil)
}

// ArchiveJalon archives a milestone the actor writes: it leaves the lists, the timeline and
// the exports (the baselines keep its planned date). RestoreJalon brings it back.
func (s *Store) ArchiveJalon(ctx context.Context, actor Actor, id int64) error {
	return s.setJalonArchived(ctx, actor, id, true)
}

// RestoreJalon brings an archived milestone back.
func (s *Store) RestoreJalon(ctx context.Context, actor Actor, id int64) error {
	return s.setJalonArchived(ctx, actor, id, false)
}

func (s *Store) setJalonArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.getJalon(tx, actor.Scope, id, !archive); err != nil {
			return err
		}
		if err := mayWrite(tx, actor, EntityJalon, id); err != nil {
			return err
		}
		return s.setArchived(tx, actor, &Jalon{}, "jalon", id, archive)
	})
}
