package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Limits of a module's texts.
const (
	MaxModuleLibelle     = 200
	MaxModuleDescription = 2000
)

// FormationModuleInput is what the module form gives: the usual duration in minutes as
// typed ("" : none), the order in the catalogue.
type FormationModuleInput struct {
	Libelle, Description, DureeMinutes, Ordre string
}

func (in FormationModuleInput) normalize() FormationModuleInput {
	return FormationModuleInput{Libelle: strings.TrimSpace(in.Libelle),
		Description:  strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n")),
		DureeMinutes: strings.TrimSpace(in.DureeMinutes), Ordre: strings.TrimSpace(in.Ordre)}
}

// DureeLabel is the module's usual duration, "3 h", "" without.
func (m FormationModule) DureeLabel() string {
	if m.DureeMinutes == nil {
		return ""
	}
	return Formation{DureeMinutes: *m.DureeMinutes}.DureeLabel()
}

var formationModuleFields = []Choice{{"libelle", "Libellé"}, {"description", "Description"},
	{"duree", "Durée"}, {"ordre", "Ordre"}}

func (m FormationModule) auditValues() map[string]string {
	return map[string]string{"libelle": m.Libelle, "description": m.Description, "duree": m.DureeLabel(),
		"ordre": strconv.Itoa(m.Ordre)}
}

// CanEditFormationModules reports whether the actor edits the académie's catalogue of
// modules: the administrator and the pilotes académiques.
func CanEditFormationModules(actor Actor) bool {
	return actor.Scope.valid() && (actor.Role == RoleAdmin || actor.Role == RolePilote)
}

// checkFormationModule validates the input; the label is unique (self excluded).
func checkFormationModule(tx *gorm.DB, in FormationModuleInput, self int64) (FormationModule, error) {
	var errs ValidationError
	m := FormationModule{Libelle: in.Libelle, Description: in.Description}
	if msg := textProblem("Le libellé", in.Libelle, MaxModuleLibelle, true, false); msg != "" {
		errs.Add(0, "libelle", msg)
	}
	if msg := textProblem("La description", in.Description, MaxModuleDescription, false, true); msg != "" {
		errs.Add(0, "description", msg)
	}
	if in.DureeMinutes != "" {
		if n, msg := intProblem("La durée", in.DureeMinutes, 1, MaxFormationDuree); msg != "" {
			errs.Add(0, "duree_minutes", msg+" (en minutes)")
		} else {
			m.DureeMinutes = &n
		}
	}
	if in.Ordre != "" {
		if n, msg := intProblem("L'ordre", in.Ordre, 0, 1000); msg != "" {
			errs.Add(0, "ordre", msg)
		} else {
			m.Ordre = n
		}
	}
	if in.Libelle != "" {
		var n int64
		if err := tx.Table("formation_modules").Where("LOWER(libelle) = ? AND id <> ?", strings.ToLower(dbText(in.Libelle)), self).
			Count(&n).Error; err != nil {
			return m, err
		}
		if n > 0 {
			errs.Add(0, "libelle", "Un module porte déjà ce libellé.")
		}
	}
	return m, errs.OrNil()
}

// CreateFormationModule adds a module to the catalogue: field errors first
// (*ValidationError), then ErrForbidden unless the actor is the administrator or a pilote.
func (s *Store) CreateFormationModule(ctx context.Context, actor Actor, in FormationModuleInput) (FormationModule, error) {
	in = in.normalize()
	var m FormationModule
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if m, err = checkFormationModule(tx, in, 0); err != nil {
			return err
		}
		if !CanEditFormationModules(actor) {
			return ErrForbidden
		}
		now := s.now().UTC()
		m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "formation_module", strconv.FormatInt(m.ID, 10),
			diff(formationModuleFields, nil, m.auditValues()))
	})
	return m, err
}

// UpdateFormationModule changes a module still at version (administrator and pilotes).
func (s *Store) UpdateFormationModule(ctx context.Context, actor Actor, id int64, version int, in FormationModuleInput) (FormationModule, error) {
	in = in.normalize()
	edit := recordEdit[FormationModule]{entity: "formation_module", model: &FormationModule{}, fields: formationModuleFields,
		get: func(tx *gorm.DB, _ Scope, id int64, archived bool) (FormationModule, error) {
			return getFormationModule(tx, id, archived)
		},
		version: func(m FormationModule) int { return m.Version },
		may:     func(*gorm.DB, FormationModule) error { return forbiddenUnless(CanEditFormationModules(actor)) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, _ FormationModule) (map[string]any, error) {
		m, err := checkFormationModule(tx, in, id)
		if err != nil {
			return nil, err
		}
		return map[string]any{"libelle": m.Libelle, "description": m.Description, "duree_minutes": m.DureeMinutes,
			"ordre": m.Ordre}, nil
	}, nil)
}

// ArchiveFormationModule takes a module out of the choices of new sessions (or brings it
// back); the sessions keep it.
func (s *Store) ArchiveFormationModule(ctx context.Context, actor Actor, id int64, archive bool) error {
	if !CanEditFormationModules(actor) {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := getFormationModule(tx, id, !archive); err != nil {
			return err
		}
		return s.setArchived(tx, actor, &FormationModule{}, "formation_module", id, archive)
	})
}

func getFormationModule(tx *gorm.DB, id int64, archived bool) (FormationModule, error) {
	var m FormationModule
	q := tx.Where("id = ?", id)
	if archived {
		q = q.Where("archived_at IS NOT NULL")
	} else {
		q = q.Where("archived_at IS NULL")
	}
	err := q.Limit(1).Find(&m).Error
	if err == nil && m.ID == 0 {
		err = ErrNotFound
	}
	return m, err
}

// GetFormationModule returns a module of the catalogue, live or archived.
func (s *Store) GetFormationModule(ctx context.Context, scope Scope, id int64) (FormationModule, error) {
	if err := scope.readReference(); err != nil {
		return FormationModule{}, err
	}
	var m FormationModule
	err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&m).Error
	if err == nil && m.ID == 0 {
		err = ErrNotFound
	}
	return m, err
}

// ListFormationModules lists the catalogue in its order, the archived modules last.
func (s *Store) ListFormationModules(ctx context.Context, scope Scope) ([]FormationModule, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var out []FormationModule
	err := s.db.WithContext(ctx).Order("CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, ordre, libelle").Find(&out).Error
	return out, err
}

// FormationModuleChoices are the live modules, for the session form and the filters.
func (s *Store) FormationModuleChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	mods, err := s.ListFormationModules(ctx, scope)
	var out []Choice
	for _, m := range mods {
		if m.ArchivedAt == nil {
			out = append(out, Choice{Value: strconv.FormatInt(m.ID, 10), Label: m.Libelle})
		}
	}
	return out, err
}
