package models

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// CandidatureFilter selects candidatures; empty fields select everything. Decision "sans"
// selects those not yet decided; Commune is an INSEE code.
type CandidatureFilter struct {
	CampagneID  int64
	Departement string
	Decision    string
	Commune     string
	Q           string
}

func filterCandidatures(q *gorm.DB, f CandidatureFilter) *gorm.DB {
	if f.CampagneID > 0 {
		q = q.Where("ca.campagne_id = ?", f.CampagneID)
	}
	if d := dbText(strings.TrimSpace(f.Departement)); d != "" {
		q = q.Where("ca.departement_code = ?", d)
	}
	switch d := dbText(f.Decision); d {
	case "":
	case "sans":
		q = q.Where("ca.decision = ''")
	default:
		q = q.Where("ca.decision = ?", d)
	}
	if c := strings.ToUpper(dbText(strings.TrimSpace(f.Commune))); c != "" {
		q = q.Where("ca.id IN (SELECT fcc.candidature_id FROM candidature_communes fcc WHERE fcc.code_insee = ?)", c)
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`LOWER(ca.titre) LIKE ? ESCAPE '\'`, likeContains(text))
	}
	return q
}

// candidaturesOrder is the order of the candidatures list: the latest campaign first,
// then by département and title.
var candidaturesOrder = fixedOrder("candidatures", false, intCol("ca.campagne_id"), textCol("ca.departement_code"),
	textCol("ca.titre"), intCol("ca.id"))

// candidaturesByID reads the candidatures of a page by id, with their details.
func candidaturesByID(db *gorm.DB, scope Scope) func(ids []int64) ([]CandidatureRow, error) {
	return func(ids []int64) ([]CandidatureRow, error) {
		var rows []CandidatureRow
		if err := withCandidatureJoins(candidaturesIn(db, scope)).Select(candidatureColumns).
			Where("ca.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withCandidatureDetails(db, scope, rows)
	}
}

// ListCandidatures returns one page of the live candidatures of the scope matching f, with
// their scores and ranks.
func (s *Store) ListCandidatures(ctx context.Context, scope Scope, f CandidatureFilter, p PageRequest) (Page[CandidatureRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterCandidatures(candidaturesIn(db, scope), f) }, order: candidaturesOrder}
	return readPage(ctx, s, lq, p, candidaturesByID(db, scope), func(r CandidatureRow) int64 { return r.ID })
}

// EachCandidature calls fn for every live candidature of the scope matching f, in list
// order, by batches of 500.
func (s *Store) EachCandidature(ctx context.Context, scope Scope, f CandidatureFilter, fn func(CandidatureRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(500, func(limit, offset int) ([]CandidatureRow, error) {
		var rows []CandidatureRow
		if err := filterCandidatures(withCandidatureJoins(candidaturesIn(db, scope)), f).Select(candidatureColumns).
			Order("ca.campagne_id, ca.departement_code, ca.titre, ca.id").Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withCandidatureDetails(db, scope, rows)
	}, fn)
}

// MaxCampagneCandidatures bounds the candidatures a campaign's page ranks.
const MaxCampagneCandidatures = 2000

// CampagneCandidatures returns the live candidatures of the campaign that the scope reads,
// ranked: by score (the best first, those not scored last), then title.
func (s *Store) CampagneCandidatures(ctx context.Context, scope Scope, id int64) ([]CandidatureRow, error) {
	db := s.db.WithContext(ctx)
	var rows []CandidatureRow
	if err := withCandidatureJoins(candidaturesIn(db, scope)).Select(candidatureColumns).Where("ca.campagne_id = ?", id).
		Order("ca.id").Limit(MaxCampagneCandidatures).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if err := withCandidatureDetails(db, scope, rows); err != nil {
		return nil, err
	}
	slices.SortStableFunc(rows, func(a, b CandidatureRow) int {
		ra, rb := a.Rangs.Academie, b.Rangs.Academie
		if ra == 0 {
			ra = 1 << 30
		}
		if rb == 0 {
			rb = 1 << 30
		}
		return cmp.Or(cmp.Compare(ra, rb), strings.Compare(a.Titre, b.Titre))
	})
	return rows, nil
}

// CandidatureDecisionChoices lists the décisions of the register the actor reads, the
// latest first, for the decision form: "n° 12 — 14/12/2011 — Le comité retient…".
func (s *Store) CandidatureDecisionChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []struct {
		ID    int64
		Texte string
	}
	q := scope.restrictTo(s.db.WithContext(ctx).Table("decisions AS d").Joins("JOIN reunions dr ON dr.id = d.reunion_id").
		Joins("JOIN instances di ON di.id = dr.instance_id"), EntityInstance, "di")
	if err := q.Select("d.id, d.texte").Where("d.archived_at IS NULL AND dr.archived_at IS NULL").
		Order("d.id DESC").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		t := []rune(r.Texte)
		if len(t) > 90 {
			t = append(t[:90], '…')
		}
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: "n° " + strconv.FormatInt(r.ID, 10) + " — " + string(t)}
	}
	return out, nil
}
