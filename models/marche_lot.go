package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The lots of a market and the bids received for them. Adding one changes the market's
// version (a form typed on a stale page is refused) and is audited on the market.

// LotInput is the lot form.
type LotInput struct {
	Numero        string
	Intitule      string
	MontantEstime string
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
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.closed() {
			return nil, errMarcheClosed
		}
		var errs ValidationError
		l := MarcheLot{MarcheID: id, Intitule: strings.TrimSpace(in.Intitule)}
		n, err := strconv.Atoi(strings.TrimSpace(in.Numero))
		switch {
		case err != nil || n < 1 || n > 99:
			errs.Add(0, "numero", "Le numéro du lot est un nombre entier de 1 à 99.")
		case len(before.Lots) >= MaxMarcheLots:
			errs.Add(0, "numero", "Un marché compte au plus "+strconv.Itoa(MaxMarcheLots)+" lots.")
		}
		for _, x := range before.Lots {
			if x.Numero == n {
				errs.Add(0, "numero", "Le lot n° "+strconv.Itoa(n)+" existe déjà.")
			}
		}
		l.Numero = n
		if msg := textProblem("L'intitulé du lot", l.Intitule, MaxLotIntitule, true, false); msg != "" {
			errs.Add(0, "intitule", msg)
		}
		l.MontantEstime = optionalCents(&errs, "montant_estime", in.MontantEstime)
		if err := errs.OrNil(); err != nil {
			return nil, err
		}
		return map[string]any{}, tx.Create(&l).Error
	}, nil)
}

// AddOffre records a bid received for a lot of a published market or one in analysis.
func (s *Store) AddOffre(ctx context.Context, actor Actor, id int64, version int, in OffreInput) (MarcheRow, error) {
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.Statut != "publie" && before.Statut != "en_analyse" {
			return nil, marcheError("statut", "Les offres s'enregistrent quand le marché est publié ou en analyse.")
		}
		var errs ValidationError
		lot := findLot(before.Lots, in.LotID)
		if lot == nil {
			errs.Add(0, "lot", "Choisissez le lot dans la liste.")
		} else if len(lot.Offres) >= MaxLotOffres {
			errs.Add(0, "lot", "Un lot reçoit au plus "+strconv.Itoa(MaxLotOffres)+" offres.")
		}
		o := MarcheOffre{LotID: in.LotID, Soumissionnaire: strings.TrimSpace(in.Soumissionnaire), CreatedAt: s.now().UTC()}
		if in.SoumissionnaireID > 0 {
			nom, err := organisationName(tx, in.SoumissionnaireID)
			if err != nil {
				return nil, err
			}
			if nom == "" {
				errs.Add(0, "soumissionnaire", "Organisation inconnue : choisissez dans la liste.")
			}
			o.SoumissionnaireID, o.Soumissionnaire = &in.SoumissionnaireID, nom
		} else if msg := textProblem("Le soumissionnaire", o.Soumissionnaire, 200, true, false); msg != "" {
			errs.Add(0, "soumissionnaire", msg)
		}
		if err := checkMarcheSolution(tx, in.SolutionID, "solution", &errs); err != nil {
			return nil, err
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
		if err := errs.OrNil(); err != nil {
			return nil, err
		}
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
