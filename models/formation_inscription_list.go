package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// InscriptionFilter selects registrations across the sessions of the scope (the list
// /formations/inscriptions and the API): a session, a status.
type InscriptionFilter struct {
	FormationID int64
	Statut      string
}

// readableFormationIDs is the subquery of the ids of the live sessions the actor reads.
func readableFormationIDs(tx *gorm.DB, actor Actor) *gorm.DB {
	return actor.Scope.restrictTo(tx.Table("formations AS rf"), EntityFormation, "rf").
		Where("rf.archived_at IS NULL").Select("rf.id")
}

// inscriptionsAll is the registrations of the sessions the actor reads within the filter.
func inscriptionsAll(db *gorm.DB, actor Actor, f InscriptionFilter) *gorm.DB {
	q := db.Table("formation_inscriptions AS i").Where("i.formation_id IN (?)", readableFormationIDs(db, actor))
	if f.FormationID != 0 {
		q = q.Where("i.formation_id = ?", f.FormationID)
	}
	if f.Statut != "" {
		q = q.Where("i.statut = ?", f.Statut)
	}
	return q
}

// inscriptionsAllRows selects the rows of inscriptionsAll without the personal fields, in
// the order of the list.
func inscriptionsAllRows(q *gorm.DB, actor Actor) *gorm.DB {
	cols, _ := inscriptionColumns(Actor{Role: RoleLecteur, Scope: actor.Scope})
	return q.Select(cols).Joins("LEFT JOIN ecoles ie ON ie.uai = i.uai").
		Joins("LEFT JOIN communes ic ON ic.code_insee = i.code_insee").
		Order("i.formation_id DESC, CASE i.statut WHEN 'inscrit' THEN 0 WHEN 'attente' THEN 1 ELSE 2 END, i.id")
}

// ListInscriptionsAll returns one page of the registrations of the sessions the actor reads,
// by session then as ListInscriptions orders them. The personal fields are never given
// here (the lists of all sessions are aggregates): a session's own list shows them, logged.
func (s *Store) ListInscriptionsAll(ctx context.Context, actor Actor, f InscriptionFilter, p PageRequest) (Page[InscriptionRow], error) {
	p = p.normalized()
	page := Page[InscriptionRow]{Number: p.Number, Size: p.Size}
	db := s.db.WithContext(ctx)
	if err := inscriptionsAll(db, actor, f).Count(&page.Total).Error; err != nil || page.Total == 0 {
		return page, err
	}
	err := inscriptionsAllRows(inscriptionsAll(db, actor, f), actor).Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	for i := range page.Items {
		page.Items[i].Masked = true
	}
	return page, err
}

// EachInscriptionAll calls fn for every registration ListInscriptionsAll would list, in
// its order, by batches of 1,000 (the exports), without the personal fields.
func (s *Store) EachInscriptionAll(ctx context.Context, actor Actor, f InscriptionFilter, fn func(InscriptionRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(1000, func(limit, offset int) ([]InscriptionRow, error) {
		var rows []InscriptionRow
		err := inscriptionsAllRows(inscriptionsAll(db, actor, f), actor).Limit(limit).Offset(offset).Scan(&rows).Error
		for i := range rows {
			rows[i].Masked = true
		}
		return rows, err
	}, fn)
}

// ValidInscriptionStatut reports whether v is a registration's status.
func ValidInscriptionStatut(v string) bool {
	return slices.ContainsFunc(InscriptionStatuts, func(c Choice) bool { return c.Value == v })
}
