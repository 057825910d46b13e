package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// FinancementFilter selects plans; empty fields select everything. Commune is an INSEE code,
// EPCI a SIREN (the plans carried by it, or covering one of its members), Annee a year
// with at least one line.
type FinancementFilter struct {
	Departement  string
	Portage      string
	Commune      string
	EPCI         string
	ConventionID int64
	Annee        int
	Q            string
}

func filterFinancements(q *gorm.DB, f FinancementFilter) *gorm.DB {
	if d := dbText(strings.TrimSpace(f.Departement)); d != "" {
		q = q.Where("f.departement_code = ?", d)
	}
	if p := dbText(f.Portage); p != "" {
		q = q.Where("f.portage = ?", p)
	}
	if c := strings.ToUpper(dbText(strings.TrimSpace(f.Commune))); c != "" {
		q = q.Where("f.id IN (SELECT ffc.financement_id FROM financement_communes ffc WHERE ffc.code_insee = ?)", c)
	}
	if e := dbText(strings.TrimSpace(f.EPCI)); e != "" {
		q = q.Where("(f.epci_siren = ? OR f.id IN (SELECT ffc.financement_id FROM financement_communes ffc "+
			"JOIN communes fco ON fco.code_insee = ffc.code_insee WHERE fco.epci_siren = ? OR fco.ept_siren = ?))", e, e, e)
	}
	if f.ConventionID > 0 {
		q = q.Where("f.convention_id = ?", f.ConventionID)
	}
	if f.Annee > 0 {
		q = q.Where("f.id IN (SELECT ffl.financement_id FROM financement_lignes ffl WHERE ffl.annee = ?)", f.Annee)
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`LOWER(f.titre) LIKE ? ESCAPE '\'`, likeContains(text))
	}
	return q
}

const financementOrder = "f.departement_code, f.titre, f.id"

// financementsOrder is the order of the plans list: by département and title.
var financementsOrder = fixedOrder("financements", false, textCol("f.departement_code"), textCol("f.titre"), intCol("f.id"))

// ListFinancements returns one page of the live plans of the scope matching f, by
// département and title, with their communes and totals.
func (s *Store) ListFinancements(ctx context.Context, scope Scope, f FinancementFilter, p PageRequest) (Page[FinancementRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterFinancements(financementsIn(db, scope, false), f) }, order: financementsOrder}
	return readPage(ctx, s, lq, p, financementsByID(db, scope, false), func(r FinancementRow) int64 { return r.ID })
}

// ListArchivedFinancements returns one page of the archived plans of the scope, the latest
// archived first.
func (s *Store) ListArchivedFinancements(ctx context.Context, scope Scope, p PageRequest) (Page[FinancementRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return financementsIn(db, scope, true) },
		order: fixedOrder("financements-archives", true, timeCol("f.archived_at"), intCol("f.id"))}
	return readPage(ctx, s, lq, p, financementsByID(db, scope, true), func(r FinancementRow) int64 { return r.ID })
}

// financementsByID reads the plans of a page by id, with their communes and totals.
func financementsByID(db *gorm.DB, scope Scope, archived bool) func(ids []int64) ([]FinancementRow, error) {
	return func(ids []int64) ([]FinancementRow, error) {
		var rows []FinancementRow
		if err := withFinancementJoins(financementsIn(db, scope, archived)).Select(financementColumns).
			Where("f.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withFinancementTotals(db, rows)
	}
}

// EachFinancement calls fn for every live plan of the scope matching f, in list order, by
// batches of 500 (communes and totals loaded once per batch).
func (s *Store) EachFinancement(ctx context.Context, scope Scope, f FinancementFilter, fn func(FinancementRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(500, func(limit, offset int) ([]FinancementRow, error) {
		var rows []FinancementRow
		if err := filterFinancements(withFinancementJoins(financementsIn(db, scope, false)), f).Select(financementColumns).
			Order(financementOrder).Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withFinancementTotals(db, rows)
	}, fn)
}

// idsOf returns the ids of rows, in order, and the index of each id in rows: what loading
// the parts of a page's rows in one query per part needs.
func idsOf[R any](rows []R, id func(R) int64) ([]int64, map[int64]int) {
	ids := make([]int64, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		ids[i] = id(r)
		at[ids[i]] = i
	}
	return ids, at
}

// withFinancementTotals loads, in two queries, the communes of the plans and the totals of
// their lines.
func withFinancementTotals(tx *gorm.DB, rows []FinancementRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, at := idsOf(rows, func(r FinancementRow) int64 { return r.ID })
	var communes []struct {
		FinancementID int64
		CodeINSEE     string `gorm:"column:code_insee"`
		Nom           string
	}
	if err := tx.Table("financement_communes AS fc").Select("fc.financement_id, fc.code_insee, c.nom").
		Joins("JOIN communes c ON c.code_insee = fc.code_insee").Where("fc.financement_id IN ?", ids).
		Order("fc.financement_id, c.nom_recherche, fc.code_insee").Scan(&communes).Error; err != nil {
		return err
	}
	for _, c := range communes {
		r := &rows[at[c.FinancementID]]
		r.Communes, r.CommuneCodes = append(r.Communes, c.Nom), append(r.CommuneCodes, c.CodeINSEE)
	}
	var totals []struct {
		FinancementID int64
		N             int
		Prevu         int64
		Realise       int64
		NbRealises    int
	}
	if err := tx.Table("financement_lignes").Select("financement_id, COUNT(*) AS n, COALESCE(SUM(prevu_centimes), 0) AS prevu, "+
		"COALESCE(SUM(realise_centimes), 0) AS realise, COUNT(realise_centimes) AS nb_realises").
		Where("financement_id IN ?", ids).Group("financement_id").Scan(&totals).Error; err != nil {
		return err
	}
	for _, t := range totals {
		r := &rows[at[t.FinancementID]]
		r.NbLignes, r.PrevuCentimes, r.RealiseCentimes, r.NbRealises = t.N, t.Prevu, t.Realise, t.NbRealises
	}
	return nil
}

// FinancementLignesOf returns the lines of the given plans of the scope, by plan, year,
// funder and nature (plans outside the scope get none).
func (s *Store) FinancementLignesOf(ctx context.Context, scope Scope, ids []int64) (map[int64][]FinancementLigne, error) {
	out := map[int64][]FinancementLigne{}
	if len(ids) == 0 {
		return out, nil
	}
	var lines []FinancementLigne
	if err := lignesIn(s.db.WithContext(ctx), scope).Where("l.financement_id IN ?", ids).Select("l.*").
		Order(ligneOrder).Scan(&lines).Error; err != nil {
		return nil, err
	}
	for _, l := range lines {
		out[l.FinancementID] = append(out[l.FinancementID], l)
	}
	return out, nil
}
