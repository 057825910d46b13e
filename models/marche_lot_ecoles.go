package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The écoles a lot covers: by default every public école of the market's communes (the
// communes pay for their public écoles); a lot may cover a subset of them
// (marche_lot_ecoles), and its award's preview and application then cover only those. An
// applied award records, per école, the solution it had before (marche_lot_effets).

// MarcheLotEcole is one école chosen for a lot.
type MarcheLotEcole struct {
	LotID int64
	UAI   string `gorm:"column:uai"`
}

// TableName is the marche_lot_ecoles table.
func (MarcheLotEcole) TableName() string { return "marche_lot_ecoles" }

// MarcheLotEffet is one école an applied award gave the solution, and its solution before.
type MarcheLotEffet struct {
	LotID           int64
	UAI             string `gorm:"column:uai"`
	SolutionAvantID *int64
}

// TableName is the marche_lot_effets table.
func (MarcheLotEffet) TableName() string { return "marche_lot_effets" }

// EcoleChoice is a public école of a market's communes, for the lot form.
type EcoleChoice struct {
	UAI, Nom, Commune string
}

// withLotEcoles loads the chosen écoles of the lots and whether their award was applied.
func withLotEcoles(tx *gorm.DB, lots []LotRow, ids []int64, at map[int64]int) error {
	var chosen []MarcheLotEcole
	if err := tx.Where("lot_id IN ?", ids).Order("lot_id, uai").Find(&chosen).Error; err != nil {
		return err
	}
	for _, e := range chosen {
		l := &lots[at[e.LotID]]
		l.Ecoles = append(l.Ecoles, e.UAI)
	}
	var applied []int64
	if err := tx.Model(&MarcheLotEffet{}).Where("lot_id IN ?", ids).Distinct("lot_id").Pluck("lot_id", &applied).Error; err != nil {
		return err
	}
	for _, id := range applied {
		lots[at[id]].Appliquee = true
	}
	return nil
}

// MarcheEcoleChoices are the public écoles of the market's communes, by commune and name.
func marcheEcoleChoices(tx *gorm.DB, communes []string) ([]EcoleChoice, error) {
	var out []EcoleChoice
	if len(communes) == 0 {
		return out, nil
	}
	err := tx.Table("ecoles e").Select("e.uai, e.nom, c.nom AS commune").Joins("JOIN communes c ON c.code_insee = e.code_insee").
		Where("e.code_insee IN ? AND e.statut = 'public'", communes).Order("c.nom, e.nom, e.uai").Scan(&out).Error
	return out, err
}

// lotEcoles are the écoles the lot covers: those chosen that are still public écoles of
// the market's communes, or all of them when none is chosen.
func lotEcoles(tx *gorm.DB, m MarcheRow, lot *LotRow) ([]string, error) {
	all, err := marcheEcoles(tx, m.CommuneCodes())
	if err != nil || lot == nil || len(lot.Ecoles) == 0 {
		return all, err
	}
	return slices.DeleteFunc(slices.Clone(lot.Ecoles), func(uai string) bool { return !slices.Contains(all, uai) }), nil
}

// checkLotEcoles reads the écoles chosen for a lot: UAI of public écoles of the market's
// communes; every one of them chosen means all (nil).
func checkLotEcoles(tx *gorm.DB, m MarcheRow, uais []string, errs *ValidationError) ([]string, error) {
	var chosen []string
	for _, u := range uais {
		if u = strings.ToUpper(strings.TrimSpace(u)); u != "" && !slices.Contains(chosen, u) {
			chosen = append(chosen, u)
		}
	}
	if len(chosen) == 0 {
		return nil, nil
	}
	all, err := marcheEcoles(tx, m.CommuneCodes())
	if err != nil {
		return nil, err
	}
	for _, u := range chosen {
		if !slices.Contains(all, u) {
			errs.Add(0, "ecoles", "L'école "+dbText(u)+" n'est pas une école publique des communes du marché.")
			return nil, nil
		}
	}
	if len(chosen) == len(all) {
		return nil, nil
	}
	slices.Sort(chosen)
	return chosen, nil
}

// writeLotEcoles replaces the écoles chosen for the lot.
func writeLotEcoles(tx *gorm.DB, lotID int64, uais []string) error {
	if err := tx.Where("lot_id = ?", lotID).Delete(&MarcheLotEcole{}).Error; err != nil {
		return err
	}
	if len(uais) == 0 {
		return nil
	}
	rows := make([]MarcheLotEcole, len(uais))
	for i, u := range uais {
		rows[i] = MarcheLotEcole{LotID: lotID, UAI: u}
	}
	return tx.CreateInBatches(&rows, 100).Error
}

// recordLotEffets records, before the award is applied, the solution each école had.
func recordLotEffets(tx *gorm.DB, lotID int64, ecoles []string) error {
	if err := tx.Where("lot_id = ?", lotID).Delete(&MarcheLotEffet{}).Error; err != nil {
		return err
	}
	if len(ecoles) == 0 {
		return nil
	}
	before := make(map[string]*int64, len(ecoles))
	for part := range slices.Chunk(ecoles, 500) {
		var rows []struct {
			UAI        string `gorm:"column:uai"`
			SolutionID *int64
		}
		if err := tx.Table("deploiements").Select("uai, solution_id").Where("uai IN ?", part).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			before[r.UAI] = r.SolutionID
		}
	}
	rows := make([]MarcheLotEffet, len(ecoles))
	for i, u := range ecoles {
		rows[i] = MarcheLotEffet{LotID: lotID, UAI: u, SolutionAvantID: before[u]}
	}
	return tx.CreateInBatches(&rows, 100).Error
}

// MarcheEcoles are the public écoles of the communes of a market of the scope, for the
// lot form.
func (s *Store) MarcheEcoles(ctx context.Context, scope Scope, id int64) ([]EcoleChoice, error) {
	m, err := s.GetMarche(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	return marcheEcoleChoices(s.db.WithContext(ctx), m.CommuneCodes())
}
