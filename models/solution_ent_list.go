package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// SolutionRow is an ENT solution as the lists and its page show it: the name of its
// éditeur and the écoles and communes using it that the reader's scope reaches.
type SolutionRow struct {
	SolutionENT
	EditeurNom string
	NbEcoles   int64
	NbCommunes int64
}

// FederationLabel is the French label of the solution's identity federation.
func (s SolutionENT) FederationLabel() string { return LabelOf(SolutionFederations, s.Federation) }

func (r SolutionRow) auditValues() map[string]string {
	return map[string]string{"produit": r.Produit, "editeur": r.EditeurNom, "version": r.VersionProduit,
		"hebergement": r.Hebergement, "federation": r.FederationLabel(), "notes": r.Notes}
}

// SolutionFilter selects solutions: the live ones, or the archived ones.
type SolutionFilter struct {
	Archived bool
}

func solutionsIn(tx *gorm.DB, archived bool) *gorm.DB {
	q := tx.Table("solutions_ent AS s")
	if archived {
		return q.Where("s.archived_at IS NOT NULL")
	}
	return q.Where("s.archived_at IS NULL")
}

// solutionRows reads the solutions of q with their éditeur's name and the écoles and
// communes using them in the scope: one GROUP BY over their deployments.
func solutionRows(tx *gorm.DB, scope Scope, q *gorm.DB) ([]SolutionRow, error) {
	var rows []SolutionRow
	err := q.Select("s.*, COALESCE(o.nom, '') AS editeur_nom").Joins("LEFT JOIN organisations o ON o.id = s.editeur_id").
		Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	ids := rowIDs(rows, func(r SolutionRow) int64 { return r.ID })
	type figures struct {
		SolutionID, NbEcoles, NbCommunes int64
	}
	var figs []figures
	err = scope.restrictTo(tx.Table("deploiements AS d"), EntityDeploiement, "d").
		Select("d.solution_id, COUNT(*) AS nb_ecoles, COUNT(DISTINCT d.code_insee) AS nb_communes").
		Where("d.solution_id IN ?", ids).Group("d.solution_id").Scan(&figs).Error
	if err != nil {
		return nil, err
	}
	at := make(map[int64]figures, len(figs))
	for _, f := range figs {
		at[f.SolutionID] = f
	}
	for i := range rows {
		rows[i].NbEcoles, rows[i].NbCommunes = at[rows[i].ID].NbEcoles, at[rows[i].ID].NbCommunes
	}
	return rows, nil
}

// solutionsOrder is the order of the solutions list: by product name.
var solutionsOrder = fixedOrder("solutions", false, textCol("s.produit"), intCol("s.id"))

// ListSolutionRows returns one page of the solutions matching f, with their figures in the
// scope. Every valid scope reads the solutions.
func (s *Store) ListSolutionRows(ctx context.Context, scope Scope, f SolutionFilter, p PageRequest) (Page[SolutionRow], error) {
	if err := scope.readReference(); err != nil {
		return Page[SolutionRow]{}, err
	}
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return solutionsIn(db, f.Archived) }, order: solutionsOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]SolutionRow, error) {
		return solutionRows(db, scope, solutionsIn(db, f.Archived).Where("s.id IN ?", ids))
	}, func(r SolutionRow) int64 { return r.ID })
}

// EachSolution calls fn for every solution matching f, in the order of the list.
func (s *Store) EachSolution(ctx context.Context, scope Scope, f SolutionFilter, fn func(SolutionRow) error) error {
	if err := scope.readReference(); err != nil {
		return err
	}
	db := s.db.WithContext(ctx)
	rows, err := solutionRows(db, scope, solutionsIn(db, f.Archived).Order("s.produit, s.id"))
	return forEachRow(rows, err, fn)
}

func getSolution(tx *gorm.DB, scope Scope, id int64, archived bool) (SolutionRow, error) {
	if err := scope.readReference(); err != nil {
		return SolutionRow{}, err
	}
	return firstRow(solutionRows(tx, scope, solutionsIn(tx, archived).Where("s.id = ?", id).Limit(1)))
}

// GetSolution returns one live solution with its figures in the scope; ErrNotFound otherwise.
func (s *Store) GetSolution(ctx context.Context, scope Scope, id int64) (SolutionRow, error) {
	return getSolution(s.db.WithContext(ctx), scope, id, false)
}

// SolutionEditeurChoices lists the live organisations of kind editeur_ent, by name, for
// the solution form.
func (s *Store) SolutionEditeurChoices(ctx context.Context) ([]Choice, error) {
	type org struct {
		ID  int64
		Nom string
	}
	var orgs []org
	err := s.db.WithContext(ctx).Table("organisations").Select("id, nom").
		Where("kind = ? AND archived_at IS NULL", OrgEditeurENT).Order("nom_recherche, id").Scan(&orgs).Error
	out := make([]Choice, len(orgs))
	for i, o := range orgs {
		out[i] = Choice{Value: strconv.FormatInt(o.ID, 10), Label: o.Nom}
	}
	return out, err
}
