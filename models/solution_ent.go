package models

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The identity federations of an ENT solution, with their French labels.
var SolutionFederations = []Choice{
	{"", "Aucune"},
	{"sso_academique", "Guichet d'authentification académique"},
	{"educonnect", "ÉduConnect"},
	{"sso_academique_educonnect", "Guichet académique et ÉduConnect"},
}

// SolutionENT is an ENT solution: a product of a vendor (an organisation of kind
// editeur_ent), its version, hosting and identity federation. Solutions belong to the whole
// académie: every signed-in user reads them; the administrator and the pilote académique
// write them (WritesSolutions).
type SolutionENT struct {
	ID             int64
	Produit        string
	EditeurID      *int64
	VersionProduit string
	Hebergement    string
	Federation     string
	Notes          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
	Version        int
}

// TableName is the solutions_ent table.
func (SolutionENT) TableName() string { return "solutions_ent" }

// WritesSolutions reports whether the actor writes the ENT solutions: the administrator and
// the pilote académique.
func WritesSolutions(actor Actor) bool {
	return actor.Scope.valid() && (actor.Role == RoleAdmin || actor.Role == RolePilote)
}

// ListSolutions returns the live ENT solutions, by product name.
func (s *Store) ListSolutions(ctx context.Context, scope Scope) ([]SolutionENT, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var out []SolutionENT
	err := s.db.WithContext(ctx).Where("archived_at IS NULL").Order("produit, id").Find(&out).Error
	return out, err
}

// Limits of a solution's fields.
const (
	MaxSolutionProduit     = 200
	MaxSolutionVersion     = 100
	MaxSolutionHebergement = 200
	MaxSolutionNotes       = 10000
)

// SolutionInput is what a form gives to create or change an ENT solution: Editeur is the
// id of an organisation of kind editeur_ent ("" for none).
type SolutionInput struct {
	Produit     string
	Editeur     string
	Version     string
	Hebergement string
	Federation  string
	Notes       string
}

// solutionFields are the audited fields of a solution.
var solutionFields = []Choice{{"produit", "Produit"}, {"editeur", "Éditeur"}, {"version", "Version"},
	{"hebergement", "Hébergement"}, {"federation", "Fédération d'identité"}, {"notes", "Notes"}}

func (in SolutionInput) normalize() SolutionInput {
	return SolutionInput{Produit: strings.TrimSpace(in.Produit), Editeur: strings.TrimSpace(in.Editeur),
		Version: strings.TrimSpace(in.Version), Hebergement: strings.TrimSpace(in.Hebergement),
		Federation: strings.TrimSpace(in.Federation), Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
}

// checkSolution validates the input and returns the solution it describes.
func checkSolution(tx *gorm.DB, in SolutionInput) (SolutionENT, error) {
	var errs ValidationError
	sol := SolutionENT{Produit: in.Produit, VersionProduit: in.Version, Hebergement: in.Hebergement, Federation: in.Federation, Notes: in.Notes}
	for _, t := range []struct {
		field, subject, v string
		max               int
		required          bool
	}{{"produit", "Le produit", in.Produit, MaxSolutionProduit, true}, {"version", "La version", in.Version, MaxSolutionVersion, false},
		{"hebergement", "L'hébergement", in.Hebergement, MaxSolutionHebergement, false}} {
		if msg := textProblem(t.subject, t.v, t.max, t.required, false); msg != "" {
			errs.Add(0, t.field, msg)
		}
	}
	if !slices.Contains(ChoiceValues(SolutionFederations), in.Federation) {
		errs.Add(0, "federation", "Fédération d'identité inconnue : choisissez dans la liste.")
	}
	if in.Editeur != "" {
		id, err := strconv.ParseInt(in.Editeur, 10, 64)
		var n int64
		if err == nil {
			err = tx.Table("organisations").Where("id = ? AND kind = ? AND archived_at IS NULL", id, OrgEditeurENT).Count(&n).Error
			if err != nil {
				return sol, err
			}
		}
		if n == 0 {
			errs.Add(0, "editeur", "L'éditeur doit être une organisation de type « Éditeur d'ENT » : choisissez dans la liste.")
		}
		sol.EditeurID = &id
	}
	if msg := textProblem("Les notes", in.Notes, MaxSolutionNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	return sol, errs.OrNil()
}

// CreateSolution creates an ENT solution. Field errors come first, then the write rule:
// only WritesSolutions actors write (ErrForbidden).
func (s *Store) CreateSolution(ctx context.Context, actor Actor, in SolutionInput) (SolutionRow, error) {
	in = in.normalize()
	var row SolutionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		sol, err := checkSolution(tx, in)
		if err != nil {
			return err
		}
		if !WritesSolutions(actor) {
			return ErrForbidden
		}
		now := s.now().UTC()
		sol.CreatedAt, sol.UpdatedAt, sol.Version = now, now, 1
		if err := tx.Omit("ID").Create(&sol).Error; err != nil {
			return err
		}
		if row, err = getSolution(tx, actor.Scope, sol.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "solution", strconv.FormatInt(sol.ID, 10), diff(solutionFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateSolution changes a solution if it is still at version: ErrForbidden for an actor
// who does not write solutions, *ConflictError on a stale version.
func (s *Store) UpdateSolution(ctx context.Context, actor Actor, id int64, version int, in SolutionInput) (SolutionRow, error) {
	in = in.normalize()
	edit := recordEdit[SolutionRow]{entity: "solution", model: &SolutionENT{}, fields: solutionFields, get: getSolution,
		version: func(r SolutionRow) int { return r.Version },
		may:     func(*gorm.DB, SolutionRow) error { return forbiddenUnless(WritesSolutions(actor)) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before SolutionRow) (map[string]any, error) {
		sol, err := checkSolution(tx, in)
		if err != nil {
			return nil, err
		}
		if sol.Produit == before.Produit && sameID(sol.EditeurID, before.EditeurID) && sol.VersionProduit == before.VersionProduit &&
			sol.Hebergement == before.Hebergement && sol.Federation == before.Federation && sol.Notes == before.Notes {
			return nil, nil
		}
		return map[string]any{"produit": sol.Produit, "editeur_id": sol.EditeurID, "version_produit": sol.VersionProduit,
			"hebergement": sol.Hebergement, "federation": sol.Federation, "notes": sol.Notes}, nil
	}, nil)
}

func sameID(a, b *int64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// ArchiveSolution archives a solution: it leaves the lists and can no longer be given to
// écoles (ChangeDeploiements refuses it); the écoles using it keep it.
func (s *Store) ArchiveSolution(ctx context.Context, actor Actor, id int64) error {
	return s.setSolutionArchived(ctx, actor, id, true)
}

// RestoreSolution brings an archived solution back.
func (s *Store) RestoreSolution(ctx context.Context, actor Actor, id int64) error {
	return s.setSolutionArchived(ctx, actor, id, false)
}

func (s *Store) setSolutionArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &SolutionENT{}, "solution", id, archive, getSolution,
		func(SolutionRow) error { return forbiddenUnless(WritesSolutions(actor)) })
}
