package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Limits of a training plan's texts.
const (
	MaxPlanFormationTitre = 200
	MaxPlanFormationNotes = 5000
)

// PlanFormationInput is what the training plan form gives.
type PlanFormationInput struct {
	AnneeScolaire, Departement, Titre, Notes string
}

func (in PlanFormationInput) normalize() PlanFormationInput {
	return PlanFormationInput{AnneeScolaire: strings.TrimSpace(in.AnneeScolaire), Departement: strings.TrimSpace(in.Departement),
		Titre: strings.TrimSpace(in.Titre), Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
}

// PlanFormationRow is a plan with its count of live sessions.
type PlanFormationRow struct {
	PlanFormation
	DepartementNom string
	NbSessions     int
}

// Label is "Plan 2026-2027 — 94" or its title.
func (p PlanFormation) Label() string {
	label := "Plan " + p.AnneeScolaire + " — " + p.DepartementCode
	if p.Titre != "" {
		label += " : " + p.Titre
	}
	return label
}

var planFormationFields = []Choice{{"annee_scolaire", "Année scolaire"}, {"departement", "Département"},
	{"titre", "Titre"}, {"notes", "Notes"}}

func (p PlanFormationRow) auditValues() map[string]string {
	return map[string]string{"annee_scolaire": p.AnneeScolaire, "departement": p.DepartementCode, "titre": p.Titre, "notes": p.Notes}
}

// checkPlanFormation validates the input; the département must exist, and no other plan of
// the same year and département (self excluded) may exist.
func checkPlanFormation(tx *gorm.DB, in PlanFormationInput, self int64) (PlanFormation, error) {
	var errs ValidationError
	p := PlanFormation{AnneeScolaire: in.AnneeScolaire, DepartementCode: in.Departement, Titre: in.Titre, Notes: in.Notes}
	if msg := AnneeScolaireProblem(in.AnneeScolaire); msg != "" {
		errs.Add(0, "annee_scolaire", msg)
	}
	var d Departement
	found, err := lookup(tx.Select("code").Where("code = ?", in.Departement), &d, ValidDepartementCode(in.Departement))
	if err != nil {
		return p, err
	}
	if !found {
		errs.Add(0, "departement", "Choisissez le département du plan.")
	}
	if msg := textProblem("Le titre", in.Titre, MaxPlanFormationTitre, false, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if msg := textProblem("Les notes", in.Notes, MaxPlanFormationNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	if len(errs.Errors) == 0 {
		var n int64
		if err := tx.Table("plans_formation").Where("annee_scolaire = ? AND departement_code = ? AND id <> ?",
			in.AnneeScolaire, in.Departement, self).Count(&n).Error; err != nil {
			return p, err
		}
		if n > 0 {
			errs.Add(0, "annee_scolaire", "Le département "+in.Departement+" a déjà un plan de formation pour "+in.AnneeScolaire+".")
		}
	}
	return p, errs.OrNil()
}

// mayPlacePlan is ErrForbidden unless the actor writes a plan of the département.
func mayPlacePlan(tx *gorm.DB, actor Actor, dep string) error {
	ok, err := writesPlace(tx, actor, EntityPlanFormation, map[string]*string{"departement_code": &dep}, nil)
	if err != nil {
		return err
	}
	return forbiddenUnless(ok)
}

// CreatePlanFormation records the training plan of a school year and a département: the
// IA-DASEN for their département, the pilotes and the administrator for any.
func (s *Store) CreatePlanFormation(ctx context.Context, actor Actor, in PlanFormationInput) (PlanFormation, error) {
	in = in.normalize()
	var p PlanFormation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if p, err = checkPlanFormation(tx, in, 0); err != nil {
			return err
		}
		if err := mayPlacePlan(tx, actor, p.DepartementCode); err != nil {
			return err
		}
		now := s.now().UTC()
		p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "plan_formation", strconv.FormatInt(p.ID, 10),
			diff(planFormationFields, nil, PlanFormationRow{PlanFormation: p}.auditValues()))
	})
	return p, err
}

// UpdatePlanFormation changes a plan still at version (its year, département, title, notes).
// A plan with sessions keeps its département.
func (s *Store) UpdatePlanFormation(ctx context.Context, actor Actor, id int64, version int, in PlanFormationInput) (PlanFormationRow, error) {
	in = in.normalize()
	edit := recordEdit[PlanFormationRow]{entity: "plan_formation", model: &PlanFormation{}, fields: planFormationFields,
		get:     s.getPlanFormation,
		version: func(p PlanFormationRow) int { return p.Version },
		may:     func(tx *gorm.DB, _ PlanFormationRow) error { return mayWrite(tx, actor, EntityPlanFormation, id) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before PlanFormationRow) (map[string]any, error) {
		p, err := checkPlanFormation(tx, in, id)
		if p.DepartementCode != before.DepartementCode && before.NbSessions > 0 {
			err = addFieldError(err, "departement", "Ce plan a des sessions : son département ne change plus.")
		}
		if err != nil {
			return nil, err
		}
		if err := mayPlacePlan(tx, actor, p.DepartementCode); err != nil {
			return nil, err
		}
		return map[string]any{"annee_scolaire": p.AnneeScolaire, "departement_code": p.DepartementCode,
			"titre": p.Titre, "notes": p.Notes}, nil
	}, nil)
}

const planFormationColumns = `p.*, d.nom AS departement_nom,
	(SELECT COUNT(*) FROM formations pf WHERE pf.plan_id = p.id AND pf.archived_at IS NULL) AS nb_sessions`

func plansFormationIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("plans_formation AS p"), EntityPlanFormation, "p").Where("p.archived_at IS NULL").
		Select(planFormationColumns).Joins("JOIN departements d ON d.code = p.departement_code")
}

func (s *Store) getPlanFormation(tx *gorm.DB, scope Scope, id int64, archived bool) (PlanFormationRow, error) {
	var rows []PlanFormationRow
	if archived {
		return PlanFormationRow{}, ErrNotFound
	}
	if err := plansFormationIn(tx, scope).Where("p.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return PlanFormationRow{}, err
	}
	if len(rows) == 0 {
		return PlanFormationRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetPlanFormation returns one live plan of the scope; ErrNotFound otherwise.
func (s *Store) GetPlanFormation(ctx context.Context, scope Scope, id int64) (PlanFormationRow, error) {
	return s.getPlanFormation(s.db.WithContext(ctx), scope, id, false)
}

// ListPlansFormation lists the live plans of the scope, latest year first, of the school
// year annee and the département dep when given.
func (s *Store) ListPlansFormation(ctx context.Context, scope Scope, annee, dep string) ([]PlanFormationRow, error) {
	q := plansFormationIn(s.db.WithContext(ctx), scope)
	if annee = dbText(strings.TrimSpace(annee)); annee != "" {
		q = q.Where("p.annee_scolaire = ?", annee)
	}
	if dep = dbText(strings.TrimSpace(dep)); dep != "" {
		q = q.Where("p.departement_code = ?", dep)
	}
	var rows []PlanFormationRow
	err := q.Order("p.annee_scolaire DESC, p.departement_code").Limit(MaxChoices).Scan(&rows).Error
	return rows, err
}

// PlanFormationChoices are the live plans of the scope, for the session form and filters.
func (s *Store) PlanFormationChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	rows, err := s.ListPlansFormation(ctx, scope, "", "")
	out := make([]Choice, 0, len(rows))
	for _, p := range rows {
		out = append(out, Choice{Value: strconv.FormatInt(p.ID, 10), Label: p.Label()})
	}
	return out, err
}

// CanWritePlanFormation reports whether the actor writes plans of the département dep.
func CanWritePlanFormation(actor Actor, dep string) bool {
	return writesDepartemental(actor, EntityPlanFormation, &dep)
}
