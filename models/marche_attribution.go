package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The award of a lot: the vendor, the ENT solution, the amount (cents), the duration, the
// start and the renewals. The awarded solution becomes the solution of the deployments of
// the public écoles of the market's communes (the communes pay for their public écoles),
// through the one write path of the deployments, in the same transaction: the preview
// (PreviewAttribution) is the same computation, and its versions guard the application.

// AttributionInput is the award form of a lot.
type AttributionInput struct {
	LotID         int64
	TitulaireID   int64
	SolutionID    int64
	Montant       string
	DureeMois     string
	DateDebut     string
	Reconductions string
}

// marcheEcoles are the public écoles of the communes, by UAI.
func marcheEcoles(tx *gorm.DB, communes []string) ([]string, error) {
	var out []string
	if len(communes) == 0 {
		return out, nil
	}
	err := tx.Table("ecoles").Where("code_insee IN ? AND statut = 'public'", communes).Order("uai").Pluck("uai", &out).Error
	return out, err
}

// solutionEdits are the deployment edits that give the écoles the solution.
func solutionEdits(ecoles []string, solution int64) []DeploiementEdit {
	edits := make([]DeploiementEdit, len(ecoles))
	for i, uai := range ecoles {
		sol := solution
		edits[i] = DeploiementEdit{UAI: uai, SolutionID: &sol}
	}
	return edits
}

// PreviewAttribution is what awarding the lot of the market to the solution would do to
// the deployments of the écoles it covers (lotEcoles), writing nothing.
func (s *Store) PreviewAttribution(ctx context.Context, actor Actor, id, lotID, solution int64) (DeploiementPreview, error) {
	m, err := s.GetMarche(ctx, actor.Scope, id)
	if err != nil {
		return DeploiementPreview{}, err
	}
	if !CanWriteMarche(actor, m.Marche) {
		return DeploiementPreview{}, ErrForbidden
	}
	ecoles, err := lotEcoles(s.db.WithContext(ctx), m, findLot(m.Lots, lotID))
	if err != nil {
		return DeploiementPreview{}, err
	}
	return s.PreviewDeploiements(ctx, actor, solutionEdits(ecoles, solution))
}

// AttribuerLot awards a lot of a market in analysis (or already awarded for another lot)
// and gives the solution to the deployments of its écoles, all or nothing, in one
// transaction: one audit event for the market and one per école that changes. guard is the
// preview's versions (a *DeploiementConflictError when an école changed in between). A
// market in analysis becomes "attribué", dated and attributed.
func (s *Store) AttribuerLot(ctx context.Context, actor Actor, id int64, version int, in AttributionInput, guard DeploiementGuard) (MarcheRow, DeploiementResult, error) {
	var res DeploiementResult
	row, err := marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.Statut != "en_analyse" && before.Statut != "attribue" {
			return nil, marcheError("lot", "Un lot s'attribue quand le marché est en analyse.")
		}
		lot, set, err := checkAttribution(tx, before, in, false)
		if err != nil {
			return nil, err
		}
		set["date_attribution"] = s.todayDate()
		if err := tx.Model(&MarcheLot{}).Where("id = ?", lot.ID).Updates(set).Error; err != nil {
			return nil, err
		}
		ecoles, err := lotEcoles(tx, before, lot)
		if err != nil {
			return nil, err
		}
		if err := recordLotEffets(tx, lot.ID, ecoles); err != nil {
			return nil, err
		}
		if res, err = s.changeDeploiementsTx(tx, actor, solutionEdits(ecoles, in.SolutionID), guard); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				return nil, marcheError("solution", "Les écoles n'ont pas pu recevoir la solution : "+ve.Error())
			}
			return nil, err
		}
		if before.Statut != "en_analyse" {
			return map[string]any{}, nil
		}
		day := s.todayDate()
		return map[string]any{"statut": "attribue", "statut_date": day}, s.recordTransition(tx, actor, id, before.Statut, "attribue", day)
	}, nil)
	if err != nil {
		return row, DeploiementResult{}, err
	}
	return row, res, nil
}

// checkAttribution validates the award form against the market and returns the lot and
// the columns the award sets; correcting, the lot is awarded already and its solution is
// kept (in.SolutionID is ignored).
func checkAttribution(tx *gorm.DB, m MarcheRow, in AttributionInput, correcting bool) (*LotRow, map[string]any, error) {
	var errs ValidationError
	lot := findLot(m.Lots, in.LotID)
	switch {
	case lot == nil:
		errs.Add(0, "lot", "Choisissez le lot dans la liste.")
	case lot.Attribue() && !correcting:
		errs.Add(0, "lot", "Le lot n° "+strconv.Itoa(lot.Numero)+" est déjà attribué.")
	case !lot.Attribue() && correcting:
		errs.Add(0, "lot", "Le lot n° "+strconv.Itoa(lot.Numero)+" n'est pas attribué.")
	case correcting && lot.SolutionID != nil:
		in.SolutionID = *lot.SolutionID
	}
	if in.TitulaireID <= 0 {
		errs.Add(0, "titulaire", "Choisissez le titulaire (l'éditeur attributaire).")
	} else if nom, err := organisationName(tx, in.TitulaireID); err != nil {
		return nil, nil, err
	} else if nom == "" {
		errs.Add(0, "titulaire", "Organisation inconnue : choisissez dans la liste.")
	}
	if in.SolutionID <= 0 {
		errs.Add(0, "solution", "Choisissez la solution ENT attribuée.")
	} else if err := checkMarcheSolution(tx, in.SolutionID, "solution", &errs); err != nil {
		return nil, nil, err
	}
	montant, err := ParseEuros(in.Montant)
	if err != nil {
		errs.Add(0, "montant", err.Error())
	}
	duree, err := strconv.Atoi(strings.TrimSpace(in.DureeMois))
	if err != nil || duree < 1 || duree > 240 {
		errs.Add(0, "duree_mois", "La durée est un nombre entier de mois, de 1 à 240.")
	}
	reconductions := 0
	if v := strings.TrimSpace(in.Reconductions); v != "" {
		if reconductions, err = strconv.Atoi(v); err != nil || reconductions < 0 || reconductions > 10 {
			errs.Add(0, "reconductions", "Le nombre de reconductions est un entier de 0 à 10.")
		}
	}
	debut := optionalDay(&errs, "date_debut", "La date de début", in.DateDebut)
	if debut == nil && strings.TrimSpace(in.DateDebut) == "" {
		errs.Add(0, "date_debut", "Indiquez la date de début du marché (JJ/MM/AAAA).")
	}
	if err := errs.OrNil(); err != nil {
		return nil, nil, err
	}
	return lot, map[string]any{"titulaire_id": in.TitulaireID, "solution_id": in.SolutionID, "montant_attribue": montant,
		"duree_mois": duree, "date_debut": debut, "reconductions": reconductions}, nil
}
