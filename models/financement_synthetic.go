package models

import (
	"context"

	"gorm.io/gorm"
)

// SyntheticFinancement is a generated financing plan with its communes and lines
// (synthetic benchmark data only).
type SyntheticFinancement struct {
	Financement Financement
	Communes    []FinancementCommune
	Lignes      []FinancementLigne
}

// InsertSyntheticFinancements inserts the plans, their communes and their lines by batches
// of 50 rows in one transaction, without validation nor audit. For synthetic benchmark
// data only: real plans go through CreateFinancement.
func (s *Store) InsertSyntheticFinancements(ctx context.Context, plans []SyntheticFinancement) error {
	if len(plans) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		rows := make([]Financement, len(plans))
		for i := range plans {
			rows[i] = plans[i].Financement
		}
		if err := tx.CreateInBatches(&rows, syntheticBatch).Error; err != nil {
			return err
		}
		var communes []FinancementCommune
		var lignes []FinancementLigne
		for i, p := range plans {
			for _, c := range p.Communes {
				c.FinancementID = rows[i].ID
				communes = append(communes, c)
			}
			for _, l := range p.Lignes {
				l.FinancementID = rows[i].ID
				lignes = append(lignes, l)
			}
		}
		if len(communes) > 0 {
			if err := tx.CreateInBatches(&communes, syntheticBatch).Error; err != nil {
				return err
			}
		}
		if len(lignes) > 0 {
			return tx.CreateInBatches(&lignes, syntheticBatch).Error
		}
		return nil
	})
}

// HasSyntheticFinancements reports whether plans with the given title prefix exist, so that
// the synthetic loader runs once.
func (s *Store) HasSyntheticFinancements(ctx context.Context, prefix string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("financements").Where("titre LIKE ? ESCAPE '\\'", likePrefix(prefix)).Limit(1).Count(&n).Error
	return n > 0, err
}
