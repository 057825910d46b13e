package models

import (
	"context"
	"strconv"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// The financing lines that pay a market: a line of a plan may name a market of the plan's
// département whose communes meet the plan's (its commune, its communes, its EPCI's
// communes); the market's page lists the lines of the plans its reader sees, with their
// totals.

// planMarches are the live markets of the scope a line of the plan may pay.
func planMarches(tx *gorm.DB, scope Scope, planID int64) *gorm.DB {
	communes := `SELECT fc.code_insee FROM financement_communes fc WHERE fc.financement_id = @plan
		UNION SELECT pf.code_insee FROM financements pf WHERE pf.id = @plan AND pf.code_insee IS NOT NULL
		UNION SELECT pc.code_insee FROM communes pc JOIN financements pe ON pe.id = @plan
			AND (pc.epci_siren = pe.epci_siren OR pc.ept_siren = pe.epci_siren)`
	return marchesIn(tx, scope).
		Where("ma.departement_code = (SELECT pd.departement_code FROM financements pd WHERE pd.id = @plan)", map[string]any{"plan": planID}).
		Where("ma.id IN (SELECT mc.marche_id FROM marche_communes mc WHERE mc.code_insee IN ("+communes+"))", map[string]any{"plan": planID})
}

// MarcheChoicesForPlan lists the markets a line of the plan may pay, for the line form.
func (s *Store) MarcheChoicesForPlan(ctx context.Context, scope Scope, planID int64) ([]Choice, error) {
	var rows []struct {
		ID        int64
		Objet     string
		Reference string
	}
	if err := planMarches(s.db.WithContext(ctx), scope, planID).Select("ma.id, ma.objet, ma.reference").
		Order("ma.objet, ma.id").Limit(200).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Objet}
		if r.Reference != "" {
			out[i].Label += " (" + r.Reference + ")"
		}
	}
	return out, nil
}

// checkLigneMarche checks the market a line names (0: none) and returns it.
func checkLigneMarche(tx *gorm.DB, scope Scope, planID, id int64) (*int64, error) {
	if id <= 0 {
		return nil, nil
	}
	var n int64
	if err := planMarches(tx, scope, planID).Where("ma.id = ?", id).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, marcheError("marche", "Marché inconnu pour ce plan : choisissez un marché de ses communes dans la liste.")
	}
	return &id, nil
}

// MarcheFinancementLigne is a financing line that pays a market, with its plan.
type MarcheFinancementLigne struct {
	FinancementLigne
	PlanTitre string
}

// MarcheFinancements are the lines of the live plans of the scope that pay the market,
// and their planned and actual totals in cents.
type MarcheFinancements struct {
	Lignes         []MarcheFinancementLigne
	Prevu, Realise int64
}

// PrevuLabel is the planned total in French.
func (f MarcheFinancements) PrevuLabel() string { return fr.Euros(f.Prevu) }

// RealiseLabel is the actual total in French.
func (f MarcheFinancements) RealiseLabel() string { return fr.Euros(f.Realise) }

// FinancementsOfMarche returns the lines that pay the market, by plan and year.
func (s *Store) FinancementsOfMarche(ctx context.Context, scope Scope, marcheID int64) (MarcheFinancements, error) {
	var out MarcheFinancements
	err := lignesIn(s.db.WithContext(ctx), scope).Select("l.*, f.titre AS plan_titre").Where("l.marche_id = ?", marcheID).
		Order(ligneOrder).Limit(500).Scan(&out.Lignes).Error
	for _, l := range out.Lignes {
		out.Prevu += l.PrevuCentimes
		if l.RealiseCentimes != nil {
			out.Realise += *l.RealiseCentimes
		}
	}
	return out, err
}
