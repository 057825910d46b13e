package models

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Writing a campaign: creation (with the default criteria unless the form gives others),
// edit of its fields and criteria with optimistic locking. Each write records its audit
// event (entity "campagne") in its transaction.

var anneeScolaireRE = regexp.MustCompile(`^(\d{4})-(\d{4})$`)

// anneeScolaireProblem checks a school year written "2011-2012".
func anneeScolaireProblem(v string) string {
	m := anneeScolaireRE.FindStringSubmatch(v)
	if m == nil {
		return "Année scolaire attendue sous la forme 2011-2012."
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	if b != a+1 || a < MinDateYear || a > MaxDateYear {
		return "Année scolaire attendue sous la forme 2011-2012 : deux années qui se suivent."
	}
	return ""
}

// optionalDay reads an optional day of a form into errs under field.
func optionalDay(errs *ValidationError, field, subject, v string) *time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	t, msg := DayProblem(subject, v)
	if msg != "" {
		errs.Add(0, field, msg)
		return nil
	}
	return &t
}

// checkCampagne validates the campaign form and returns the campaign and its criteria.
func checkCampagne(tx *gorm.DB, actor Actor, in CampagneInput) (Campagne, []CampagneCritere, error) {
	var errs ValidationError
	c := Campagne{Nom: strings.TrimSpace(in.Nom), AnneeScolaire: strings.TrimSpace(in.AnneeScolaire),
		Statut: strings.TrimSpace(in.Statut), Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
	if msg := textProblem("Le nom de la campagne", c.Nom, MaxCampagneNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	if msg := anneeScolaireProblem(c.AnneeScolaire); msg != "" {
		errs.Add(0, "annee_scolaire", msg)
	}
	if msg := textProblem("Les notes", c.Notes, MaxCampagneNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	if c.Statut == "" {
		c.Statut = "ouverte"
	} else if LabelOf(CampagneStatuts, c.Statut) == c.Statut {
		errs.Add(0, "statut", "Statut inconnu : choisissez dans la liste.")
	}
	if dep := strings.TrimSpace(in.Departement); dep != "" {
		var n int64
		if err := tx.Table("departements").Where("code = ?", dbText(dep)).Count(&n).Error; err != nil {
			return c, nil, err
		}
		if n == 0 {
			errs.Add(0, "departement", "Département inconnu : choisissez dans la liste.")
		}
		c.DepartementCode = &dep
	}
	c.DateOuverture = optionalDay(&errs, "date_ouverture", "La date d'ouverture", in.DateOuverture)
	c.DateCloture = optionalDay(&errs, "date_cloture", "La date de clôture", in.DateCloture)
	if c.DateOuverture != nil && c.DateCloture != nil && c.DateCloture.Before(*c.DateOuverture) {
		errs.Add(0, "date_cloture", "La date de clôture doit suivre la date d'ouverture.")
	}
	if in.VagueID > 0 {
		var n int64
		q := actor.Scope.restrictTo(tx.Table("vagues AS v"), EntityVague, "v").Where("v.id = ? AND v.archived_at IS NULL", in.VagueID)
		if c.DepartementCode != nil {
			q = q.Where("(v.departement_code IS NULL OR v.departement_code = ?)", *c.DepartementCode)
		}
		if err := q.Count(&n).Error; err != nil {
			return c, nil, err
		}
		if n == 0 {
			errs.Add(0, "vague", "Vague inconnue ou d'un autre département : choisissez dans la liste.")
		}
		id := in.VagueID
		c.VagueID = &id
	}
	crit := checkCriteres(&errs, in.Criteres)
	return c, crit, errs.OrNil()
}

// checkCriteres validates the criteria of the form (field "criteres", or "critere_N" for
// the Nth row, from 1).
func checkCriteres(errs *ValidationError, in []CritereInput) []CampagneCritere {
	out := make([]CampagneCritere, 0, len(in))
	for i, k := range in {
		field := "critere_" + strconv.Itoa(i+1)
		lib := strings.TrimSpace(k.Libelle)
		if msg := textProblem("Le libellé du critère", lib, MaxCritereLibelle, true, false); msg != "" {
			errs.Add(0, field, msg)
			continue
		}
		p, err := strconv.Atoi(strings.TrimSpace(k.Poids))
		if err != nil || p < 1 || p > 100 {
			errs.Add(0, field, "Le poids du critère « "+lib+" » est un nombre entier de 1 à 100.")
			continue
		}
		out = append(out, CampagneCritere{ID: k.ID, Libelle: lib, Poids: p, Ordre: i + 1})
	}
	switch {
	case len(in) == 0:
		errs.Add(0, "criteres", "Indiquez au moins un critère.")
	case len(in) > MaxCampagneCriteres:
		errs.Add(0, "criteres", "Une campagne compte au plus "+strconv.Itoa(MaxCampagneCriteres)+" critères.")
	}
	return out
}

// CreateCampagne records a campaign with its criteria (the default ones when in.Criteres
// is nil). Field errors come first, then the write rule (ErrForbidden).
func (s *Store) CreateCampagne(ctx context.Context, actor Actor, in CampagneInput) (CampagneRow, error) {
	if in.Criteres == nil {
		in.Criteres = DefaultCriteres()
	}
	var row CampagneRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, crit, err := checkCampagne(tx, actor, in)
		if err != nil {
			return err
		}
		if !CanCreateCampagnes(actor) || !CanWriteCampagne(actor, c) {
			return ErrForbidden
		}
		now := s.now().UTC()
		c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := writeCriteres(tx, c.ID, crit); err != nil {
			return err
		}
		if row, err = getCampagne(tx, actor.Scope, c.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "campagne", strconv.FormatInt(c.ID, 10), diff(campagneFields, nil, row.auditValues()))
	})
	return row, err
}

// writeCriteres makes the criteria of the campaign those given: updated by id, added, and
// those left out removed (with their scores).
func writeCriteres(tx *gorm.DB, id int64, crit []CampagneCritere) error {
	keep := []int64{0}
	for i := range crit {
		crit[i].CampagneID = id
		if crit[i].ID == 0 {
			continue
		}
		res := tx.Model(&CampagneCritere{}).Where("id = ? AND campagne_id = ?", crit[i].ID, id).
			Updates(map[string]any{"libelle": crit[i].Libelle, "poids": crit[i].Poids, "ordre": crit[i].Ordre})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			crit[i].ID = 0 // a criterion of another campaign: added as new
			continue
		}
		keep = append(keep, crit[i].ID)
	}
	if err := tx.Where("campagne_id = ? AND id NOT IN ?", id, keep).Delete(&CampagneCritere{}).Error; err != nil {
		return err
	}
	for i := range crit {
		if crit[i].ID == 0 {
			if err := tx.Omit("ID").Create(&crit[i]).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateCampagne changes a campaign and its criteria if it is still at version:
// ErrNotFound outside the scope, ErrForbidden when the actor may not write it (nor write
// it where the change would move it), a *ConflictError on a stale version, a
// *ValidationError on invalid input.
func (s *Store) UpdateCampagne(ctx context.Context, actor Actor, id int64, version int, in CampagneInput) (CampagneRow, error) {
	edit := recordEdit[CampagneRow]{entity: "campagne", model: &Campagne{}, fields: campagneFields,
		get: func(tx *gorm.DB, scope Scope, id int64, _ bool) (CampagneRow, error) {
			return getCampagne(tx, scope, id)
		},
		version: func(c CampagneRow) int { return c.Version },
		may:     func(_ *gorm.DB, c CampagneRow) error { return forbiddenUnless(CanWriteCampagne(actor, c.Campagne)) }}
	var crit []CampagneCritere
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, _ CampagneRow) (map[string]any, error) {
		c, k, err := checkCampagne(tx, actor, in)
		if err != nil {
			return nil, err
		}
		if !CanWriteCampagne(actor, c) {
			return nil, ErrForbidden
		}
		crit = k
		return map[string]any{"nom": c.Nom, "annee_scolaire": c.AnneeScolaire, "departement_code": c.DepartementCode,
			"date_ouverture": c.DateOuverture, "date_cloture": c.DateCloture, "statut": c.Statut, "vague_id": c.VagueID,
			"notes": c.Notes}, nil
	}, func(tx *gorm.DB) error { return writeCriteres(tx, id, crit) })
}
