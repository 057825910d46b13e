package models

import (
	"context"

	"gorm.io/gorm"
)

// SyntheticCommuneContacts is a generated organisation of a commune and its contacts
// (synthetic benchmark data only).
type SyntheticCommuneContacts struct {
	CodeINSEE string
	Contacts  []ContactInput // name, first name and function only
}

// InsertSyntheticContacts inserts, for each commune of orgs, its organisation (named after
// the commune, in its département) and its contacts, by batches in one transaction, without
// validation nor audit; communes that already have an organisation are left alone. For
// synthetic benchmark data only: real contacts go through CreateContact.
func (s *Store) InsertSyntheticContacts(ctx context.Context, orgs []SyntheticCommuneContacts) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		now := s.now().UTC()
		for start := 0; start < len(orgs); start += syntheticBatch {
			batch := orgs[start:min(start+syntheticBatch, len(orgs))]
			codes := make([]string, len(batch))
			for i, o := range batch {
				codes[i] = o.CodeINSEE
			}
			var communes []Commune
			if err := tx.Select("code_insee, nom, nom_recherche, departement_code").Where("code_insee IN ? AND code_insee NOT IN (?)",
				codes, tx.Table("organisations").Select("code_insee").Where("kind = ? AND code_insee IN ?", OrgCommune, codes)).
				Find(&communes).Error; err != nil {
				return err
			}
			if len(communes) == 0 {
				continue
			}
			rows := make([]Organisation, len(communes))
			for i, c := range communes {
				rows[i] = Organisation{Nom: c.Nom, NomRecherche: c.NomRecherche, Kind: OrgCommune, CodeINSEE: &c.CodeINSEE,
					DepartementCode: &c.DepartementCode, CreatedAt: now, UpdatedAt: now, Version: 1}
			}
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
			byCode := make(map[string]int64, len(rows))
			for _, o := range rows {
				byCode[*o.CodeINSEE] = o.ID
			}
			var contacts []Contact
			for _, o := range batch {
				id, ok := byCode[o.CodeINSEE]
				if !ok {
					continue
				}
				for _, c := range o.Contacts {
					contacts = append(contacts, Contact{OrganisationID: id, Nom: c.Nom, Prenom: c.Prenom,
						NomRecherche: contactSearchKey(c.Nom, c.Prenom), Fonction: c.Fonction, CreatedAt: now, UpdatedAt: now, Version: 1})
				}
			}
			if err := tx.CreateInBatches(&contacts, syntheticBatch).Error; err != nil {
				return err
			}
		}
		if err := s.settleTrigramIndex(tx, "organisations"); err != nil {
			return err
		}
		return s.settleTrigramIndex(tx, "contacts")
	})
}
