package models

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// FinancementLigne is one line of a plan: a year, a funder, a nature, and the planned and
// actual amounts in cents (the actual amount is nil until known; 0 is an amount).
type FinancementLigne struct {
	ID              int64
	FinancementID   int64
	Annee           int
	TypeAnnee       string
	Financeur       string
	Nature          string
	Libelle         string
	PrevuCentimes   int64
	RealiseCentimes *int64
	MarcheID        *int64 // the market it pays (marche_financement.go)
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// TableName is the financement_lignes table.
func (FinancementLigne) TableName() string { return "financement_lignes" }

// AnneeLabel is "2012-2013" (school year) or "2012" (calendar year).
func (l FinancementLigne) AnneeLabel() string { return AnneeLabel(l.Annee, l.TypeAnnee) }

// FinanceurLabel, NatureLabel: French labels of the line's funder and nature.
func (l FinancementLigne) FinanceurLabel() string { return LabelOf(Financeurs, l.Financeur) }

// NatureLabel is the French label of the line's nature.
func (l FinancementLigne) NatureLabel() string { return LabelOf(Natures, l.Nature) }

// PrevuLabel is the planned amount, "12 500,50 €".
func (l FinancementLigne) PrevuLabel() string { return fr.Euros(l.PrevuCentimes) }

// RealiseLabel is the actual amount, "—" when not known yet.
func (l FinancementLigne) RealiseLabel() string { return fr.EurosPtr(l.RealiseCentimes) }

// RealiseInput is the actual amount as a form shows it ("" when not known).
func (l FinancementLigne) RealiseInput() string {
	if l.RealiseCentimes == nil {
		return ""
	}
	return fr.EurosPlain(*l.RealiseCentimes)
}

func (l FinancementLigne) describe() string {
	d := l.AnneeLabel() + " — " + l.FinanceurLabel() + " — " + l.NatureLabel() + " — prévu " + l.PrevuLabel() +
		", réalisé " + l.RealiseLabel()
	if l.MarcheID != nil {
		d += " — marché n° " + strconv.FormatInt(*l.MarcheID, 10)
	}
	return d
}

// LigneInput is what the line form gives, as typed: amounts are read by ParseEuros.
type LigneInput struct {
	Annee     string
	TypeAnnee string
	Financeur string
	Nature    string
	Libelle   string
	Prevu     string
	Realise   string
	MarcheID  int64 // the market it pays, 0: none
}

// MaxLigneLibelle is the limit of a line's label.
const MaxLigneLibelle = 200

func checkLigne(in LigneInput) (FinancementLigne, error) {
	var errs ValidationError
	l := FinancementLigne{TypeAnnee: strings.TrimSpace(in.TypeAnnee), Financeur: strings.TrimSpace(in.Financeur),
		Nature: strings.TrimSpace(in.Nature), Libelle: strings.TrimSpace(in.Libelle)}
	year, err := strconv.Atoi(strings.TrimSpace(in.Annee))
	switch {
	case strings.TrimSpace(in.Annee) == "":
		errs.Add(0, "annee", "Indiquez l'année (exemple : 2012).")
	case err != nil || year < MinFinancementAnnee || year > MaxFinancementAnnee:
		errs.Add(0, "annee", "Année invalide : de 2011 à 2100 (exemple : 2012 pour 2012-2013).")
	default:
		l.Annee = year
	}
	if l.TypeAnnee == "" {
		l.TypeAnnee = "scolaire"
	} else if !ValidTypeAnnee(l.TypeAnnee) {
		errs.Add(0, "type_annee", "Type d'année inconnu : choisissez dans la liste.")
	}
	switch {
	case l.Financeur == "":
		errs.Add(0, "financeur", "Choisissez le financeur.")
	case !ValidFinanceur(l.Financeur):
		errs.Add(0, "financeur", "Financeur inconnu : choisissez dans la liste.")
	}
	switch {
	case l.Nature == "":
		errs.Add(0, "nature", "Choisissez la nature de la dépense.")
	case !ValidNature(l.Nature):
		errs.Add(0, "nature", "Nature inconnue : choisissez dans la liste.")
	}
	if msg := textProblem("Le libellé", l.Libelle, MaxLigneLibelle, false, false); msg != "" {
		errs.Add(0, "libelle", msg)
	}
	if l.PrevuCentimes, err = ParseEuros(in.Prevu); err != nil {
		msg := err.Error()
		if errors.Is(err, ErrAmountEmpty) {
			msg = "Indiquez le montant prévu (0 s'il n'y en a pas)."
		}
		errs.Add(0, "prevu", msg)
	}
	if l.RealiseCentimes, err = ParseOptionalEuros(in.Realise); err != nil {
		errs.Add(0, "realise", err.Error())
	}
	return l, errs.OrNil()
}

// lignesIn starts every query of lines: those of the live plans of the scope.
func lignesIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("financement_lignes AS l").Joins("JOIN financements f ON f.id = l.financement_id"), EntityFinancement, "f").
		Where("f.archived_at IS NULL")
}

const ligneOrder = "l.financement_id, l.annee, l.type_annee, l.financeur, l.nature, l.id"

// getLigne returns a line of a live plan of the scope, with its plan; ErrNotFound otherwise.
func getLigne(tx *gorm.DB, scope Scope, planID, lineID int64) (FinancementRow, FinancementLigne, error) {
	plan, err := getFinancement(tx, scope, planID, false)
	if err != nil {
		return plan, FinancementLigne{}, err
	}
	var lines []FinancementLigne
	if err := tx.Where("id = ? AND financement_id = ?", lineID, planID).Limit(1).Find(&lines).Error; err != nil {
		return plan, FinancementLigne{}, err
	}
	if len(lines) == 0 {
		return plan, FinancementLigne{}, ErrNotFound
	}
	return plan, lines[0], nil
}

// GetLigne returns one line of a live plan of the scope.
func (s *Store) GetLigne(ctx context.Context, scope Scope, planID, lineID int64) (FinancementLigne, error) {
	_, l, err := getLigne(s.db.WithContext(ctx), scope, planID, lineID)
	return l, err
}

func lineChange(label string, before, after *FinancementLigne) Change {
	c := Change{Field: "ligne", Label: label}
	if before != nil {
		c.Old = before.describe()
	}
	if after != nil {
		c.New = after.describe()
	}
	return c
}

// AddLigne adds a line to a plan the actor writes, or (a référent on the plan of their own
// commune) of the current or next school year: ErrNotFound outside the scope, field
// errors, then ErrForbidden.
func (s *Store) AddLigne(ctx context.Context, actor Actor, planID int64, in LigneInput) (FinancementLigne, error) {
	var l FinancementLigne
	err := s.tx(ctx, func(tx *gorm.DB) error {
		plan, err := getFinancement(tx, actor.Scope, planID, false)
		if err != nil {
			return err
		}
		if l, err = checkLigne(in); err != nil {
			return err
		}
		if l.MarcheID, err = checkLigneMarche(tx, actor.Scope, planID, in.MarcheID); err != nil {
			return err
		}
		if !CanWriteFinancement(actor, plan.Financement) {
			if err := s.mayAddLine(actor, plan, l); err != nil {
				return err
			}
		}
		now := s.now().UTC()
		l.FinancementID, l.CreatedAt, l.UpdatedAt, l.Version = planID, now, now, 1
		if err := tx.Create(&l).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "financement", strconv.FormatInt(planID, 10),
			[]Change{lineChange("Ligne ajoutée n° "+strconv.FormatInt(l.ID, 10), nil, &l)})
	})
	return l, err
}

// UpdateLigne changes a line if it is still at version (*ConflictError otherwise).
func (s *Store) UpdateLigne(ctx context.Context, actor Actor, planID, lineID int64, version int, in LigneInput) (FinancementLigne, error) {
	var l FinancementLigne
	err := s.tx(ctx, func(tx *gorm.DB) error {
		plan, before, err := getLigne(tx, actor.Scope, planID, lineID)
		if err != nil {
			return err
		}
		if !CanWriteFinancement(actor, plan.Financement) {
			return ErrForbidden
		}
		if before.Version != version {
			return s.conflict(tx, "financement", strconv.FormatInt(planID, 10), before)
		}
		if l, err = checkLigne(in); err != nil {
			return err
		}
		if l.MarcheID, err = checkLigneMarche(tx, actor.Scope, planID, in.MarcheID); err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Model(&FinancementLigne{}).Where("id = ? AND version = ?", lineID, version).Updates(map[string]any{"marche_id": l.MarcheID,
			"annee": l.Annee, "type_annee": l.TypeAnnee, "financeur": l.Financeur, "nature": l.Nature, "libelle": l.Libelle,
			"prevu_centimes": l.PrevuCentimes, "realise_centimes": l.RealiseCentimes, "updated_at": now, "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			_, current, err := getLigne(tx, actor.Scope, planID, lineID)
			if err != nil {
				return err
			}
			return s.conflict(tx, "financement", strconv.FormatInt(planID, 10), current)
		}
		if _, l, err = getLigne(tx, actor.Scope, planID, lineID); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "financement", strconv.FormatInt(planID, 10),
			[]Change{lineChange("Ligne modifiée n° "+strconv.FormatInt(lineID, 10), &before, &l)})
	})
	return l, err
}

// DeleteLigne removes a line of a plan the actor writes.
func (s *Store) DeleteLigne(ctx context.Context, actor Actor, planID, lineID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		plan, before, err := getLigne(tx, actor.Scope, planID, lineID)
		if err != nil {
			return err
		}
		if !CanWriteFinancement(actor, plan.Financement) {
			return ErrForbidden
		}
		if err := tx.Where("id = ?", lineID).Delete(&FinancementLigne{}).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "financement", strconv.FormatInt(planID, 10),
			[]Change{lineChange("Ligne supprimée n° "+strconv.FormatInt(lineID, 10), &before, nil)})
	})
}

// ActualInput is the actual amount typed for one line, with the line's version.
type ActualInput struct {
	LineID  int64
	Version int
	Realise string // "" clears it
}

// SetActualAmount sets the actual amount of one line: see SetActualAmounts.
func (s *Store) SetActualAmount(ctx context.Context, actor Actor, planID, lineID int64, version int, realise string) error {
	return s.SetActualAmounts(ctx, actor, planID, []ActualInput{{LineID: lineID, Version: version, Realise: realise}})
}

// SetActualAmounts sets the actual amounts of lines of a plan, in one transaction: whoever
// writes the plan, and a référent on the plan of their own commune only (never on a plan
// shared between several communes: CanSetActualAmounts). ErrNotFound outside the scope (or for a line of another plan), ErrForbidden for
// other roles, a *ValidationError (field "realise-<line id>") on an invalid amount, a
// *ConflictError when a line changed since it was read. Unchanged lines are left alone.
func (s *Store) SetActualAmounts(ctx context.Context, actor Actor, planID int64, in []ActualInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		plan, err := getFinancement(tx, actor.Scope, planID, false)
		if err != nil {
			return err
		}
		if !CanSetActualAmounts(actor, plan) {
			return ErrForbidden
		}
		var errs ValidationError
		amounts := make([]*int64, len(in))
		for i, a := range in {
			if amounts[i], err = ParseOptionalEuros(a.Realise); err != nil {
				errs.Add(0, "realise-"+strconv.FormatInt(a.LineID, 10), err.Error())
			}
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		var changes []Change
		now := s.now().UTC()
		for i, a := range in {
			_, before, err := getLigne(tx, actor.Scope, planID, a.LineID)
			if err != nil {
				return err
			}
			if sameAmount(before.RealiseCentimes, amounts[i]) {
				continue
			}
			if before.Version != a.Version {
				return s.conflict(tx, "financement", strconv.FormatInt(planID, 10), before)
			}
			res := tx.Model(&FinancementLigne{}).Where("id = ? AND version = ?", a.LineID, a.Version).
				Updates(map[string]any{"realise_centimes": amounts[i], "updated_at": now, "version": gorm.Expr("version + 1")})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return s.conflict(tx, "financement", strconv.FormatInt(planID, 10), before)
			}
			after := before
			after.RealiseCentimes = amounts[i]
			changes = append(changes, lineChange("Montant réalisé, ligne n° "+strconv.FormatInt(a.LineID, 10), &before, &after))
		}
		if len(changes) == 0 {
			return nil
		}
		return s.audit(tx, actor, "modification", "financement", strconv.FormatInt(planID, 10), changes)
	})
}

func sameAmount(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
