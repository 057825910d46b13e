package models

import (
	"context"
	"gorm.io/gorm"
)

// The lots of a market and the bids received for them. Adding one changes the market's
// version (a form typed on a stale page is refused) and is audited on the market.

// LotInput is the lot form; Ecoles are the UAI of the écoles it covers (none: every
// public école of the market's communes).
type LotInput struct {
	Numero        string
	Intitule      string
	MontantEstime string
	Ecoles        []string
}

// OffreInput is the bid form: the bidder is an organisation (its id) or a name typed.
type OffreInput struct {
	LotID             int64
	SoumissionnaireID int64
	Soumissionnaire   string
	SolutionID        int64
	Montant           string
	DateReception     string
}

// AddLot adds a lot to a market not yet decided.
func (s *Store) AddLot(ctx context.Context, actor Actor, id int64, version int, in LotInput) (MarcheRow, error) {
	var lot MarcheLot
	var ecoles []string
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.closed() {
			return nil, errMarcheClosed
		}
		var err error
		if lot, ecoles, err = checkLot(tx, before, nil, in); err != nil {
			return nil, err
		}
		return map[string]any{}, tx.Create(&lot).Error
	}, func(tx *gorm.DB) error { return writeLotEcoles(tx, lot.ID, ecoles) })
}

// AddOffre records a bid received for a lot of a published market or one in analysis.
func (s *Store) AddOffre(ctx context.Context, actor Actor, id int64, version int, in OffreInput) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.Statut != "publie" && before.Statut != "en_analyse" {
			return nil, marcheError("statut", "Les offres s'enregistrent quand le marché est publié ou en analyse.")
		}
		o, err := checkOffre(tx, in, findLot(before.Lots, in.LotID), false)
		if err != nil {
			return nil, err
		}
		o.CreatedAt = s.now().UTC()
		return map[string]any{}, tx.Create(&o).Error
	}, nil)
}

func findLot(lots []LotRow, id int64) *LotRow {
	for i := range lots {
		if lots[i].ID == id {
			return &lots[i]
		}
	}
	return nil
}

// organisationName is the name of a live organisation, "" when there is none.
func organisationName(tx *gorm.DB, id int64) (string, error) {
	var names []string
	err := tx.Table("organisations").Where("id = ? AND archived_at IS NULL", id).Pluck("nom", &names).Error
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}

// checkMarcheSolution checks that a solution chosen (id > 0) is a live ENT solution.
func checkMarcheSolution(tx *gorm.DB, id int64, field string, errs *ValidationError) error {
	if id <= 0 {
		return nil
	}
	var n int64
	if err := tx.Table("solutions_ent").Where("id = ? AND archived_at IS NULL", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		errs.Add(0, field, "Solution ENT inconnue : choisissez dans la liste.")
	}
	return nil
}
