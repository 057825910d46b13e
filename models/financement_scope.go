package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// Who sees and who writes a financing plan. A plan's territory is its département and its
// communes: the académie's roles see every plan, an IA-DASEN the plans of their
// département, an IEN the plans covering a commune with an école of their circonscription,
// a référent the plans covering one of their communes. Outside the scope a plan does not
// exist (ErrNotFound); inside, writing it may be refused (ErrForbidden).

// CanCreateFinancements reports whether the actor may create plans: the administrator and
// the pilotes académiques anywhere, an IA-DASEN in their département.
func CanCreateFinancements(actor Actor) bool { return CanCreate(actor, EntityFinancement) }

// CanWriteFinancement reports whether the actor may change the plan, its communes and its
// lines: the administrator and the pilotes académiques, the IA-DASEN of its département.
func CanWriteFinancement(actor Actor, f Financement) bool {
	return writesDepartemental(actor, EntityFinancement, &f.DepartementCode)
}

// CanSetActualAmounts reports whether the actor may enter the actual amounts of the plan's
// lines (f read with its communes): whoever writes the plan; a référent only when the
// plan's lines are their commune's, that is a plan of one commune that is theirs. A shared
// plan (several communes, whose lines are not per commune) is the pilotes' and the
// IA-DASEN's alone: a référent of one commune does not enter what nine communes paid
// (financement_referent.go).
func CanSetActualAmounts(actor Actor, f FinancementRow) bool {
	if CanWriteFinancement(actor, f.Financement) {
		return true
	}
	return actor.Role == RoleReferent && actor.Scope.Kind == ScopeCommunes && !f.Shared() &&
		len(f.CommuneCodes) == 1 && slices.Contains(actor.Scope.Communes, f.CommuneCodes[0])
}

// financementsIn starts every query of plans: those of the scope, live or archived.
func financementsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("financements AS f"), EntityFinancement, "f")
	if archived {
		return q.Where("f.archived_at IS NOT NULL")
	}
	return q.Where("f.archived_at IS NULL")
}

const financementColumns = `f.id, f.titre, f.convention_id, f.portage, f.departement_code, f.code_insee, f.epci_siren,
	f.cle_repartition, f.notes, f.created_at, f.updated_at, f.archived_at, f.version,
	cv.reference AS convention_reference, cv.titre AS convention_titre, x.nom AS epci_nom`

func withFinancementJoins(q *gorm.DB) *gorm.DB {
	return q.Joins("LEFT JOIN conventions cv ON cv.id = f.convention_id").Joins("LEFT JOIN epci x ON x.siren = f.epci_siren")
}

func getFinancement(tx *gorm.DB, scope Scope, id int64, archived bool) (FinancementRow, error) {
	var rows []FinancementRow
	if err := withFinancementJoins(financementsIn(tx, scope, archived)).Select(financementColumns).
		Where("f.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return FinancementRow{}, err
	}
	if len(rows) == 0 {
		return FinancementRow{}, ErrNotFound
	}
	if err := withFinancementTotals(tx, rows); err != nil {
		return FinancementRow{}, err
	}
	return rows[0], nil
}

// GetFinancement returns one live plan of the scope with its totals; ErrNotFound otherwise.
func (s *Store) GetFinancement(ctx context.Context, scope Scope, id int64) (FinancementRow, error) {
	return getFinancement(s.db.WithContext(ctx), scope, id, false)
}

// GetArchivedFinancement returns one archived plan of the scope, for its restoration.
func (s *Store) GetArchivedFinancement(ctx context.Context, scope Scope, id int64) (FinancementRow, error) {
	return getFinancement(s.db.WithContext(ctx), scope, id, true)
}

// conventionsForPlans are the conventions a plan of the département may belong to: the
// live départementale and locale conventions of the scope (the cadre has no département).
func conventionsForPlans(tx *gorm.DB, scope Scope, departement string) *gorm.DB {
	q := tx.Table("conventions AS c").Where("c.departement_code IS NOT NULL AND c.archived_at IS NULL")
	if departement != "" {
		q = q.Where("c.departement_code = ?", dbText(departement))
	}
	switch {
	case scope.Kind == ScopeAcademie:
		return q
	case scope.Kind == ScopeDepartement && len(scope.Departements) > 0:
		return q.Where("c.departement_code IN ?", scope.Departements)
	}
	return q.Where("1 = 0") // only the académie and the IA-DASEN attach plans
}

// FinancementConventionChoices lists the conventions the actor may attach a plan of the
// département to ("" for all of the scope), by reference: "CRE-93-2012-014 — Bobigny".
func (s *Store) FinancementConventionChoices(ctx context.Context, actor Actor, departement string) ([]Choice, error) {
	var rows []struct {
		ID        int64
		Reference string
		Titre     string
	}
	if err := conventionsForPlans(s.db.WithContext(ctx), actor.Scope, departement).Select("c.id, c.reference, c.titre").
		Order("c.reference").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Reference + " — " + r.Titre}
	}
	return out, nil
}

// FinancementConventionFilterChoices lists the conventions that plans of the scope belong
// to, for the list's filter.
func (s *Store) FinancementConventionFilterChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []struct {
		ID        int64
		Reference string
	}
	if err := financementsIn(s.db.WithContext(ctx), scope, false).Joins("JOIN conventions cv ON cv.id = f.convention_id").
		Distinct("cv.id, cv.reference").Order("cv.reference").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Reference}
	}
	return out, nil
}

// FinancementConventionByReference returns the id of the convention of that reference a
// plan of the département may belong to (within the actor's scope); ok is false when there
// is none.
func (s *Store) FinancementConventionByReference(ctx context.Context, actor Actor, departement, reference string) (id int64, ok bool, err error) {
	var ids []int64
	if err := conventionsForPlans(s.db.WithContext(ctx), actor.Scope, departement).Where("c.reference = ?", dbText(reference)).
		Limit(1).Pluck("c.id", &ids).Error; err != nil {
		return 0, false, err
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// FinancementEPCIFilterChoices lists the EPCI carrying plans of the scope (in the
// département, "" for all) for the list's filter, by name; nil when there are more than
// MaxChoices.
func (s *Store) FinancementEPCIFilterChoices(ctx context.Context, scope Scope, departement string) ([]Choice, error) {
	q := financementsIn(s.db.WithContext(ctx), scope, false).Joins("JOIN epci x ON x.siren = f.epci_siren")
	if departement != "" {
		q = q.Where("f.departement_code = ?", dbText(departement))
	}
	var rows []struct {
		Siren string
		Nom   string
	}
	if err := q.Distinct("x.siren, x.nom, x.nom_recherche").Order("x.nom_recherche, x.siren").Limit(MaxChoices + 1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) > MaxChoices {
		return nil, nil
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: r.Siren, Label: r.Nom}
	}
	return out, nil
}
