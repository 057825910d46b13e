package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Correcting or deleting a lot, a bid or an award. Each goes through the market's write
// path (marcheEdit): guarded by its version, audited on the market (its lots, bids and
// awards are audited values). A market infructueux or sans suite no longer changes; an
// awarded market's lots, bids and awards may still be corrected.
//
// Removing an applied award clears the lot's award; the deployments keep the solution
// unless the user asks to revert them: each école the award gave the solution, and that
// still has it, gets back the solution it had before (none when it had none), through the
// deployments' write path in the same transaction. Once no lot is awarded, an "attribué"
// market goes back to "en analyse", dated and attributed.

// errMarcheAbandoned is the field error of a change to a market infructueux or sans suite.
var errMarcheAbandoned = marcheError("statut", "Ce marché est infructueux ou sans suite : ses lots ne changent plus.")

func (m Marche) abandoned() bool { return m.Statut == "infructueux" || m.Statut == "sans_suite" }

// UpdateLot corrects a lot: its number, title, estimated amount and the écoles it covers
// (which an awarded lot keeps: remove the award first).
func (s *Store) UpdateLot(ctx context.Context, actor Actor, id int64, version int, lotID int64, in LotInput) (MarcheRow, error) {
	var ecoles []string
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.abandoned() {
			return nil, errMarcheAbandoned
		}
		lot := findLot(before.Lots, lotID)
		if lot == nil {
			return nil, ErrNotFound
		}
		l, chosen, err := checkLot(tx, before, lot, in)
		if err != nil {
			return nil, err
		}
		if lot.Attribue() && strings.Join(chosen, ",") != strings.Join(lot.Ecoles, ",") {
			return nil, marcheError("ecoles", "Le lot est attribué : retirez l'attribution avant de changer ses écoles.")
		}
		ecoles = chosen
		return map[string]any{}, tx.Model(&MarcheLot{}).Where("id = ?", lotID).
			Updates(map[string]any{"numero": l.Numero, "intitule": l.Intitule, "montant_estime": l.MontantEstime}).Error
	}, func(tx *gorm.DB) error { return writeLotEcoles(tx, lotID, ecoles) })
}

// checkLot validates the lot form against the market (self: the lot corrected, nil for a
// new one) and returns the lot and the écoles chosen (nil: all).
func checkLot(tx *gorm.DB, m MarcheRow, self *LotRow, in LotInput) (MarcheLot, []string, error) {
	var errs ValidationError
	l := MarcheLot{MarcheID: m.ID, Intitule: strings.TrimSpace(in.Intitule)}
	n, err := strconv.Atoi(strings.TrimSpace(in.Numero))
	switch {
	case err != nil || n < 1 || n > 99:
		errs.Add(0, "numero", "Le numéro du lot est un nombre entier de 1 à 99.")
	case self == nil && len(m.Lots) >= MaxMarcheLots:
		errs.Add(0, "numero", "Un marché compte au plus "+strconv.Itoa(MaxMarcheLots)+" lots.")
	}
	for _, x := range m.Lots {
		if x.Numero == n && (self == nil || x.ID != self.ID) {
			errs.Add(0, "numero", "Le lot n° "+strconv.Itoa(n)+" existe déjà.")
		}
	}
	l.Numero = n
	if msg := textProblem("L'intitulé du lot", l.Intitule, MaxLotIntitule, true, false); msg != "" {
		errs.Add(0, "intitule", msg)
	}
	l.MontantEstime = optionalCents(&errs, "montant_estime", in.MontantEstime)
	chosen, err := checkLotEcoles(tx, m, in.Ecoles, &errs)
	if err != nil {
		return l, nil, err
	}
	return l, chosen, errs.OrNil()
}

// DeleteLot deletes a lot that is not awarded, with its bids.
func (s *Store) DeleteLot(ctx context.Context, actor Actor, id int64, version int, lotID int64) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.abandoned() {
			return nil, errMarcheAbandoned
		}
		lot := findLot(before.Lots, lotID)
		switch {
		case lot == nil:
			return nil, ErrNotFound
		case lot.Attribue():
			return nil, marcheError("lot", "Le lot n° "+strconv.Itoa(lot.Numero)+" est attribué : retirez l'attribution avant de le supprimer.")
		}
		for _, del := range []struct {
			model any
			where string
		}{{&MarcheOffre{}, "lot_id = ?"}, {&MarcheLotEcole{}, "lot_id = ?"}, {&MarcheLotEffet{}, "lot_id = ?"}, {&MarcheLot{}, "id = ?"}} {
			if err := tx.Where(del.where, lotID).Delete(del.model).Error; err != nil {
				return nil, err
			}
		}
		return map[string]any{}, nil
	}, nil)
}

// findOffre is the bid id of the market's lots, with its lot.
func findOffre(lots []LotRow, id int64) (*LotRow, *MarcheOffre) {
	for i := range lots {
		for j := range lots[i].Offres {
			if lots[i].Offres[j].ID == id {
				return &lots[i], &lots[i].Offres[j]
			}
		}
	}
	return nil, nil
}

// UpdateOffre corrects a bid of a market published, in analysis or awarded: its bidder,
// solution, amount and date (its lot stays).
func (s *Store) UpdateOffre(ctx context.Context, actor Actor, id int64, version int, offreID int64, in OffreInput) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		lot, o := findOffre(before.Lots, offreID)
		if o == nil {
			return nil, ErrNotFound
		}
		if before.Statut != "publie" && before.Statut != "en_analyse" && before.Statut != "attribue" {
			return nil, marcheError("statut", "Les offres se corrigent quand le marché est publié, en analyse ou attribué.")
		}
		in.LotID = lot.ID
		c, err := checkOffre(tx, in, lot, true)
		if err != nil {
			return nil, err
		}
		return map[string]any{}, tx.Model(&MarcheOffre{}).Where("id = ?", offreID).Updates(map[string]any{
			"soumissionnaire_id": c.SoumissionnaireID, "soumissionnaire": c.Soumissionnaire, "solution_id": c.SolutionID,
			"montant": c.Montant, "date_reception": c.DateReception}).Error
	}, nil)
}

// DeleteOffre deletes a bid recorded by mistake.
func (s *Store) DeleteOffre(ctx context.Context, actor Actor, id int64, version int, offreID int64) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if _, o := findOffre(before.Lots, offreID); o == nil {
			return nil, ErrNotFound
		}
		if before.abandoned() {
			return nil, errMarcheAbandoned
		}
		return map[string]any{}, tx.Where("id = ?", offreID).Delete(&MarcheOffre{}).Error
	}, nil)
}

// checkOffre validates the bid form for the lot (nil: not found); correcting skips the
// limit of bids per lot.
func checkOffre(tx *gorm.DB, in OffreInput, lot *LotRow, correcting bool) (MarcheOffre, error) {
	var errs ValidationError
	if lot == nil {
		errs.Add(0, "lot", "Choisissez le lot dans la liste.")
	} else if !correcting && len(lot.Offres) >= MaxLotOffres {
		errs.Add(0, "lot", "Un lot reçoit au plus "+strconv.Itoa(MaxLotOffres)+" offres.")
	}
	o := MarcheOffre{LotID: in.LotID, Soumissionnaire: strings.TrimSpace(in.Soumissionnaire)}
	if in.SoumissionnaireID > 0 {
		nom, err := organisationName(tx, in.SoumissionnaireID)
		if err != nil {
			return o, err
		}
		if nom == "" {
			errs.Add(0, "soumissionnaire", "Organisation inconnue : choisissez dans la liste.")
		}
		o.SoumissionnaireID, o.Soumissionnaire = &in.SoumissionnaireID, nom
	} else if msg := textProblem("Le soumissionnaire", o.Soumissionnaire, 200, true, false); msg != "" {
		errs.Add(0, "soumissionnaire", msg)
	}
	if err := checkMarcheSolution(tx, in.SolutionID, "solution", &errs); err != nil {
		return o, err
	}
	if in.SolutionID > 0 {
		o.SolutionID = &in.SolutionID
	}
	if c, err := ParseEuros(in.Montant); err != nil {
		errs.Add(0, "montant", err.Error())
	} else {
		o.Montant = c
	}
	o.DateReception = optionalDay(&errs, "date_reception", "La date de réception", in.DateReception)
	return o, errs.OrNil()
}

// CorrigerAttribution corrects the award of a lot: its vendor, amount, duration, start and
// renewals. Its solution stays (to change it, remove the award and award the lot again).
func (s *Store) CorrigerAttribution(ctx context.Context, actor Actor, id int64, version int, in AttributionInput) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.abandoned() {
			return nil, errMarcheAbandoned
		}
		lot, set, err := checkAttribution(tx, before, in, true)
		if err != nil {
			return nil, err
		}
		delete(set, "solution_id")
		return map[string]any{}, tx.Model(&MarcheLot{}).Where("id = ?", lot.ID).Updates(set).Error
	}, nil)
}

// RetraitEffets is what removing the award of a lot may give back: the écoles the award
// gave the solution that still have it.
type RetraitEffets struct {
	Lot      LotRow
	Ecoles   int // écoles the award covered
	Gardent  int // of those, the écoles that still have the awarded solution
	Rendues  []DeploiementEdit
	Applique bool // the award's effects were recorded
}

// retraitEffets computes, in tx, what reverting the award of the lot would change.
func retraitEffets(tx *gorm.DB, lot LotRow) (RetraitEffets, error) {
	out := RetraitEffets{Lot: lot, Applique: lot.Appliquee}
	var effets []MarcheLotEffet
	if err := tx.Where("lot_id = ?", lot.ID).Order("uai").Find(&effets).Error; err != nil {
		return out, err
	}
	out.Ecoles = len(effets)
	if len(effets) == 0 || lot.SolutionID == nil {
		return out, nil
	}
	var keeping []string
	uais := make([]string, len(effets))
	for i, e := range effets {
		uais[i] = e.UAI
	}
	if err := tx.Table("deploiements").Where("uai IN ? AND solution_id = ?", uais, *lot.SolutionID).Pluck("uai", &keeping).Error; err != nil {
		return out, err
	}
	out.Gardent = len(keeping)
	for _, e := range effets {
		for _, k := range keeping {
			if k == e.UAI {
				back := int64(0)
				if e.SolutionAvantID != nil {
					back = *e.SolutionAvantID
				}
				out.Rendues = append(out.Rendues, DeploiementEdit{UAI: e.UAI, SolutionID: &back})
			}
		}
	}
	return out, nil
}

// RetraitAttribution is what removing the award of the lot would do, for the confirmation.
func (s *Store) RetraitAttribution(ctx context.Context, actor Actor, id, lotID int64) (RetraitEffets, error) {
	m, err := s.GetMarche(ctx, actor.Scope, id)
	if err != nil {
		return RetraitEffets{}, err
	}
	if !CanWriteMarche(actor, m.Marche) {
		return RetraitEffets{}, ErrForbidden
	}
	lot := findLot(m.Lots, lotID)
	if lot == nil || !lot.Attribue() {
		return RetraitEffets{}, ErrNotFound
	}
	return retraitEffets(s.db.WithContext(ctx), *lot)
}

// RetirerAttribution removes the award of a lot; revert gives the écoles that still have
// the awarded solution the one they had before (see the file's comment).
func (s *Store) RetirerAttribution(ctx context.Context, actor Actor, id int64, version int, lotID int64, revert bool) (MarcheRow, DeploiementResult, error) {
	var res DeploiementResult
	row, err := marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.abandoned() {
			return nil, errMarcheAbandoned
		}
		lot := findLot(before.Lots, lotID)
		if lot == nil || !lot.Attribue() {
			return nil, marcheError("lot", "Ce lot n'est pas attribué.")
		}
		if revert {
			eff, err := retraitEffets(tx, *lot)
			if err != nil {
				return nil, err
			}
			if res, err = s.changeDeploiementsTx(tx, actor, eff.Rendues, DeploiementGuard{}); err != nil {
				var ve *ValidationError
				if errors.As(err, &ve) {
					return nil, marcheError("lot", "Les écoles n'ont pas pu retrouver leur solution : "+ve.Error())
				}
				return nil, err
			}
		}
		if err := tx.Where("lot_id = ?", lotID).Delete(&MarcheLotEffet{}).Error; err != nil {
			return nil, err
		}
		if err := tx.Model(&MarcheLot{}).Where("id = ?", lotID).Updates(map[string]any{"titulaire_id": nil, "solution_id": nil,
			"montant_attribue": nil, "duree_mois": nil, "date_debut": nil, "reconductions": 0, "date_attribution": nil}).Error; err != nil {
			return nil, err
		}
		others := 0
		for _, l := range before.Lots {
			if l.ID != lotID && l.Attribue() {
				others++
			}
		}
		if before.Statut != "attribue" || others > 0 {
			return map[string]any{}, nil
		}
		day := s.todayDate()
		return map[string]any{"statut": "en_analyse", "statut_date": day}, s.recordTransition(tx, actor, id, before.Statut, "en_analyse", day)
	}, nil)
	return row, res, err
}
