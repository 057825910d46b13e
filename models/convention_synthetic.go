package models

import (
	"context"

	"gorm.io/gorm"
)

// SyntheticDepartementConventions are the generated conventions of one département: its
// DSDEN (party to each of them), its convention départementale and its local conventions
// with their communes (synthetic benchmark data only).
type SyntheticDepartementConventions struct {
	DSDEN          Organisation
	Departementale Convention
	Locales        []SyntheticConvention
}

// SyntheticConvention is a generated local convention and the INSEE codes it covers.
type SyntheticConvention struct {
	Convention Convention
	Communes   []string
}

// InsertSyntheticConventions inserts a cadre and, per département, its DSDEN, its
// départementale and its locales with their communes and parties, then fills the annex of
// every inserted convention with the écoles of its communes; in one transaction, by batches,
// without validation nor audit. For synthetic benchmark data only: real conventions go
// through CreateConvention.
func (s *Store) InsertSyntheticConventions(ctx context.Context, cadre Convention, deps []SyntheticDepartementConventions) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&cadre).Error; err != nil {
			return err
		}
		var ids []int64
		for _, d := range deps {
			if err := tx.Create(&d.DSDEN).Error; err != nil {
				return err
			}
			d.Departementale.ParentID = &cadre.ID
			if err := tx.Create(&d.Departementale).Error; err != nil {
				return err
			}
			locales := make([]Convention, len(d.Locales))
			for i, l := range d.Locales {
				locales[i] = l.Convention
				locales[i].ParentID = &d.Departementale.ID
			}
			if len(locales) > 0 {
				if err := tx.CreateInBatches(&locales, syntheticBatch).Error; err != nil {
					return err
				}
			}
			var communes []ConventionCommune
			parties := []ConventionParty{{ConventionID: d.Departementale.ID, OrganisationID: d.DSDEN.ID, Position: 1,
				SignataireNom: "Signataire synthétique", DateSignature: d.Departementale.DateSignature}}
			for i, l := range d.Locales {
				for _, code := range l.Communes {
					communes = append(communes, ConventionCommune{ConventionID: locales[i].ID, CodeINSEE: code})
				}
				parties = append(parties, ConventionParty{ConventionID: locales[i].ID, OrganisationID: d.DSDEN.ID, Position: 1,
					SignataireNom: "Signataire synthétique", DateSignature: locales[i].DateSignature})
				ids = append(ids, locales[i].ID)
			}
			if len(communes) > 0 {
				if err := tx.Omit("Nom").CreateInBatches(&communes, syntheticBatch).Error; err != nil {
					return err
				}
			}
			if err := tx.Omit("OrganisationNom", "OrganisationKind").CreateInBatches(&parties, syntheticBatch).Error; err != nil {
				return err
			}
		}
		if err := refreshConventionsEnVigueur(tx, ids...); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return tx.Exec(`INSERT INTO convention_ecoles (convention_id, uai)
			SELECT cc.convention_id, e.uai FROM convention_communes cc JOIN ecoles e ON e.code_insee = cc.code_insee
			WHERE cc.convention_id >= ? AND cc.convention_id <= ?`, ids[0], ids[len(ids)-1]).Error
	})
}
