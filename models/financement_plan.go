package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// Writing a financing plan: creation, edit with optimistic locking, archiving. Each write
// records its audit event (entity "financement") in its transaction.

func insertFinancementCommunes(tx *gorm.DB, id int64, communes []FinancementCommune) error {
	if err := tx.Where("financement_id = ?", id).Delete(&FinancementCommune{}).Error; err != nil {
		return err
	}
	if len(communes) == 0 {
		return nil
	}
	for i := range communes {
		communes[i].FinancementID = id
	}
	return tx.CreateInBatches(&communes, 100).Error
}

// financementCommunes returns the communes of a plan, by INSEE code.
func financementCommunes(tx *gorm.DB, id int64) ([]FinancementCommune, error) {
	var out []FinancementCommune
	err := tx.Where("financement_id = ?", id).Order("code_insee").Find(&out).Error
	return out, err
}

// FinancementCommunes returns the communes of a live plan of the scope, as the form shows
// them (CommunesInputOf).
func (s *Store) FinancementCommunes(ctx context.Context, scope Scope, id int64) ([]FinancementCommune, error) {
	db := s.db.WithContext(ctx)
	if _, err := getFinancement(db, scope, id, false); err != nil {
		return nil, err
	}
	return financementCommunes(db, id)
}

// CreateFinancement records a plan. Field errors come first, then the write rule
// (ErrForbidden for a role that creates no plan).
func (s *Store) CreateFinancement(ctx context.Context, actor Actor, in FinancementInput) (FinancementRow, error) {
	var row FinancementRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		f, communes, err := checkFinancement(tx, actor, in)
		if err != nil {
			return err
		}
		if !CanCreateFinancements(actor) || !CanWriteFinancement(actor, f) {
			return ErrForbidden
		}
		now := s.now().UTC()
		f.CreatedAt, f.UpdatedAt, f.Version = now, now, 1
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		if err := insertFinancementCommunes(tx, f.ID, communes); err != nil {
			return err
		}
		if row, err = getFinancement(tx, actor.Scope, f.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "financement", strconv.FormatInt(f.ID, 10),
			diff(financementFields, nil, row.auditValues(communes)))
	})
	return row, err
}

// UpdateFinancement changes a plan if it is still at version: ErrNotFound outside the
// scope, ErrForbidden when the actor may not write it, a *ConflictError on a stale version,
// a *ValidationError on invalid input. Its lines are kept.
func (s *Store) UpdateFinancement(ctx context.Context, actor Actor, id int64, version int, in FinancementInput) (FinancementRow, error) {
	var row FinancementRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getFinancement(tx, actor.Scope, id, false)
		if err != nil {
			return err
		}
		if !CanWriteFinancement(actor, before.Financement) {
			return ErrForbidden
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "financement", key, before)
		}
		beforeCommunes, err := financementCommunes(tx, id)
		if err != nil {
			return err
		}
		f, communes, err := checkFinancement(tx, actor, in)
		if err != nil {
			return err
		}
		if err := s.updateVersioned(tx, &Financement{}, "financement", id, version, map[string]any{
			"titre": f.Titre, "convention_id": f.ConventionID, "portage": f.Portage, "departement_code": f.DepartementCode,
			"code_insee": f.CodeINSEE, "epci_siren": f.EPCISiren, "cle_repartition": f.CleRepartition, "notes": f.Notes,
		}, func() (any, error) { return getFinancement(tx, actor.Scope, id, false) }); err != nil {
			return err
		}
		if err := insertFinancementCommunes(tx, id, communes); err != nil {
			return err
		}
		if row, err = getFinancement(tx, actor.Scope, id, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "financement", key,
			diff(financementFields, before.auditValues(beforeCommunes), row.auditValues(communes)))
	})
	return row, err
}

// ArchiveFinancement archives a plan (whoever writes it): it vanishes from lists, exports
// and the API with its lines. RestoreFinancement brings it back.
func (s *Store) ArchiveFinancement(ctx context.Context, actor Actor, id int64) error {
	return s.setFinancementArchived(ctx, actor, id, true)
}

// RestoreFinancement brings an archived plan back.
func (s *Store) RestoreFinancement(ctx context.Context, actor Actor, id int64) error {
	return s.setFinancementArchived(ctx, actor, id, false)
}

func (s *Store) setFinancementArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Financement{}, "financement", id, archive, getFinancement,
		func(f FinancementRow) error { return forbiddenUnless(CanWriteFinancement(actor, f.Financement)) })
}
