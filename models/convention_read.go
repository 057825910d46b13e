package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// ConventionFilter selects conventions; empty fields select everything. ExpireDays keeps
// the conventions whose expiry (after avenants) falls within that many days from today.
type ConventionFilter struct {
	Kind           string
	Departement    string
	Statut         string
	ExpireDays     int
	Commune        string // INSEE code covered
	EPCI           string // SIREN of the EPCI, or of one of the covered communes' EPCI
	OrganisationID int64  // a party
	Q              string
	Archived       bool
	Sort           string
}

// conventionsIn starts every query of conventions: those of the scope.
func conventionsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("conventions AS c"), EntityConvention, "c")
	if archived {
		return q.Where("c.archived_at IS NOT NULL")
	}
	return q.Where("c.archived_at IS NULL")
}

const conventionColumns = `c.*, p.reference AS parent_reference, p.titre AS parent_titre, d.nom AS departement_nom,
	ep.nom AS epci_nom, cv.numero AS charte_numero,
	(SELECT COUNT(*) FROM convention_communes xc WHERE xc.convention_id = c.id) AS nb_communes,
	(SELECT COUNT(*) FROM convention_ecoles xe WHERE xe.convention_id = c.id) AS nb_ecoles,
	(SELECT COALESCE(SUM(COALESCE(xs.nb_eleves, 0)), 0) FROM convention_ecoles xe JOIN ecoles xs ON xs.uai = xe.uai
		WHERE xe.convention_id = c.id) AS nb_eleves,
	(SELECT COUNT(*) FROM avenants xa WHERE xa.convention_id = c.id AND xa.archived_at IS NULL) AS nb_avenants`

func withConventionNames(q *gorm.DB) *gorm.DB {
	return q.Joins("LEFT JOIN conventions p ON p.id = c.parent_id").
		Joins("LEFT JOIN departements d ON d.code = c.departement_code").
		Joins("LEFT JOIN epci ep ON ep.siren = c.epci_siren").
		Joins("LEFT JOIN charte_versions cv ON cv.id = c.charte_version_id").
		Select(conventionColumns)
}

func (s *Store) filterConventions(q *gorm.DB, f ConventionFilter) *gorm.DB {
	if k := dbText(f.Kind); k != "" {
		q = q.Where("c.kind = ?", k)
	}
	if d := dbText(f.Departement); d != "" {
		q = q.Where("c.departement_code = ?", d)
	}
	if st := dbText(f.Statut); st != "" {
		cond, args := statutCondition(st, s.todayDate())
		q = q.Where(cond, args...)
	}
	if f.ExpireDays > 0 {
		today := dateOnly(s.now().In(fr.Paris()))
		q = q.Where("c.date_fin >= ? AND c.date_fin <= ? AND c.statut IN ?", today, today.AddDate(0, 0, f.ExpireDays),
			[]string{StatutSignee, StatutEnVigueur})
	}
	if code := dbText(strings.TrimSpace(f.Commune)); code != "" {
		q = q.Where("c.id IN (SELECT fc.convention_id FROM convention_communes fc WHERE fc.code_insee = ?)", code)
	}
	if siren := dbText(strings.TrimSpace(f.EPCI)); siren != "" {
		q = q.Where("(c.epci_siren = ? OR c.id IN (SELECT fc.convention_id FROM convention_communes fc JOIN communes fm ON fm.code_insee = fc.code_insee WHERE fm.epci_siren = ? OR fm.ept_siren = ?))", siren, siren, siren)
	}
	if f.OrganisationID > 0 {
		q = q.Where("c.id IN (SELECT fp.convention_id FROM convention_parties fp WHERE fp.organisation_id = ?)", f.OrganisationID)
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		like := likeContains(text)
		q = q.Where(`(LOWER(c.reference) LIKE ? ESCAPE '\' OR LOWER(c.titre) LIKE ? ESCAPE '\')`, like, like)
	}
	return q
}

// ConventionSorts are the sort keys of the registry. The cadre has no département (first
// by département); a convention without expiry comes last by expiration. The status sorts
// in the order of the workflow, a convention past its expiry among the échues: its rank
// depends on the day (conventionsOrder).
var ConventionSorts = sortKeys{
	list: "conventions",
	keys: map[string]sortKey{
		"departement": by(textCol("COALESCE(c.departement_code, '')"), textCol("c.reference")),
		"reference":   by(textCol("c.reference")),
		"expiration":  by(timeCol("COALESCE(c.date_fin, '9999-12-31')")),
		"statut":      by(intCol(statutRankSQL), textCol("c.reference")),
	},
	fallback: "departement",
	id:       intCol("c.id"),
}

// statutRankSQL is the rank of a convention's status in the workflow (one argument: today).
var statutRankSQL = func() string {
	var b strings.Builder
	b.WriteString("CASE WHEN c.statut = 'en_vigueur' AND c.date_fin < ? THEN ")
	b.WriteString(strconv.Itoa(choiceIndex(ConventionStatuts, StatutEchue)))
	for i, st := range ConventionStatuts {
		b.WriteString(" WHEN c.statut = '" + st.Value + "' THEN " + strconv.Itoa(i))
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}()

// conventionsOrder is the registry's order for a sort key on the day today.
func conventionsOrder(key string, today time.Time) keyOrder {
	o := ConventionSorts.order(key)
	for i, c := range o.cols {
		if c.expr == statutRankSQL {
			o.cols[i].args = []any{today}
		}
	}
	return o
}

// ListConventions returns one page of the registry.
func (s *Store) ListConventions(ctx context.Context, scope Scope, f ConventionFilter, p PageRequest) (Page[ConventionRow], error) {
	db, today := s.db.WithContext(ctx), s.todayDate()
	lq := listQuery{rows: func() *gorm.DB { return s.filterConventions(conventionsIn(db, scope, f.Archived), f) },
		order: conventionsOrder(f.Sort, today)}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]ConventionRow, error) {
		var rows []ConventionRow
		if err := withConventionNames(conventionsIn(db, scope, f.Archived).Where("c.id IN ?", ids)).Scan(&rows).Error; err != nil {
			return nil, err
		}
		settleRows(rows, today)
		return rows, withConventionParties(db, rows)
	}, func(r ConventionRow) int64 { return r.ID })
}

// EachConvention calls fn for every convention of the filtered registry, with its parties,
// communes, annex and avenants (read by batches of 200 conventions).
func (s *Store) EachConvention(ctx context.Context, scope Scope, f ConventionFilter, fn func(ConventionRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(200, func(limit, offset int) ([]ConventionRow, error) {
		var rows []ConventionRow
		err := withConventionNames(s.filterConventions(conventionsIn(db, scope, f.Archived), f)).
			Order("c.departement_code, c.reference, c.id").Limit(limit).Offset(offset).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		settleRows(rows, s.todayDate())
		return rows, withConventionParts(db, rows)
	}, fn)
}

// withConventionParties loads the parties of the conventions in one query (the registry's
// page shows them; withConventionParts loads everything).
func withConventionParties(tx *gorm.DB, rows []ConventionRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	at := map[int64]*ConventionRow{}
	for i := range rows {
		ids[i], at[rows[i].ID], rows[i].Parties = rows[i].ID, &rows[i], nil
	}
	parties, err := partiesOf(tx, ids)
	for _, p := range parties {
		at[p.ConventionID].Parties = append(at[p.ConventionID].Parties, p)
	}
	return err
}

func partiesOf(tx *gorm.DB, ids []int64) ([]ConventionParty, error) {
	var parties []ConventionParty
	err := tx.Table("convention_parties AS cp").Joins("JOIN organisations o ON o.id = cp.organisation_id").
		Where("cp.convention_id IN ?", ids).
		Select("cp.*, o.nom AS organisation_nom, o.kind AS organisation_kind").
		Order("cp.convention_id, cp.position, cp.id").Scan(&parties).Error
	return parties, err
}

// conventionDetail reads one live convention of the scope with everything about it.
func (s *Store) conventionDetail(tx *gorm.DB, scope Scope, id int64) (ConventionRow, error) {
	var rows []ConventionRow
	if err := withConventionNames(conventionsIn(tx, scope, false).Where("c.id = ?", id)).Scan(&rows).Error; err != nil {
		return ConventionRow{}, err
	}
	if len(rows) == 0 {
		return ConventionRow{}, ErrNotFound
	}
	if err := withConventionParts(tx, rows); err != nil {
		return rows[0], err
	}
	c := rows[0]
	var err error
	if c.Transitions, err = conventionTimeline(tx, id); err != nil {
		return c, err
	}
	err = withConventionNames(conventionsIn(tx, scope, false).Where("c.parent_id = ?", id)).
		Order("c.reference").Scan(&c.Children).Error
	c.settle(s.todayDate())
	settleRows(c.Children, s.todayDate())
	return c, err
}

// withConventionParts loads the parties, communes, annex écoles and live avenants of the
// conventions, one query each for all of them.
func withConventionParts(tx *gorm.DB, rows []ConventionRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := withConventionParties(tx, rows); err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	at := map[int64]*ConventionRow{}
	for i := range rows {
		ids[i], at[rows[i].ID] = rows[i].ID, &rows[i]
		rows[i].Communes, rows[i].Ecoles, rows[i].Avenants = nil, nil, nil
	}
	var communes []ConventionCommune
	if err := tx.Table("convention_communes AS cc").Joins("JOIN communes m ON m.code_insee = cc.code_insee").
		Where("cc.convention_id IN ?", ids).Select("cc.*, m.nom").Order("m.nom_recherche, cc.code_insee").Scan(&communes).Error; err != nil {
		return err
	}
	for _, cc := range communes {
		at[cc.ConventionID].Communes = append(at[cc.ConventionID].Communes, cc)
	}
	var ecoles []ConventionEcole
	if err := tx.Table("convention_ecoles AS ce").Joins("JOIN ecoles e ON e.uai = ce.uai").
		Joins("JOIN communes m ON m.code_insee = e.code_insee").Joins("LEFT JOIN avenants a ON a.id = ce.avenant_id").
		Where("ce.convention_id IN ?", ids).
		Select("ce.*, e.nom, e.code_insee, m.nom AS commune_nom, COALESCE(e.nb_eleves, 0) AS nb_eleves, a.numero AS avenant_numero, e.type AS type_ecole").
		Order("m.nom_recherche, e.nom_recherche, ce.uai").Scan(&ecoles).Error; err != nil {
		return err
	}
	for _, e := range ecoles {
		at[e.ConventionID].Ecoles = append(at[e.ConventionID].Ecoles, e)
	}
	var avenants []Avenant
	if err := tx.Where("convention_id IN ? AND archived_at IS NULL", ids).Order("convention_id, numero").Find(&avenants).Error; err != nil {
		return err
	}
	for _, a := range avenants {
		at[a.ConventionID].Avenants = append(at[a.ConventionID].Avenants, a)
	}
	return nil
}

// WithConventionParts loads the parties, communes, annex and avenants of conventions read
// in the scope (a page of the registry, for the API).
func (s *Store) WithConventionParts(ctx context.Context, rows []ConventionRow) error {
	return withConventionParts(s.db.WithContext(ctx), rows)
}

// GetConvention returns one live convention of the scope with its parties, communes,
// annex, avenants, timeline and children; ErrNotFound outside the scope.
func (s *Store) GetConvention(ctx context.Context, scope Scope, id int64) (ConventionRow, error) {
	return s.conventionDetail(s.db.WithContext(ctx), scope, id)
}

// ConventionTree returns the live conventions of the scope as a tree: the roots (the cadre,
// and conventions whose parent the scope does not see) with their children.
func (s *Store) ConventionTree(ctx context.Context, scope Scope) ([]ConventionRow, error) {
	var all []ConventionRow
	err := withConventionNames(conventionsIn(s.db.WithContext(ctx), scope, false)).
		Order("c.departement_code, c.reference").Scan(&all).Error
	if err != nil {
		return nil, err
	}
	settleRows(all, s.todayDate())
	byID := map[int64]int{}
	for i, c := range all {
		byID[c.ID] = i
	}
	var build func(ConventionRow) ConventionRow
	children := map[int64][]ConventionRow{}
	var roots []ConventionRow
	for _, c := range all {
		if c.ParentID != nil {
			if _, ok := byID[*c.ParentID]; ok {
				children[*c.ParentID] = append(children[*c.ParentID], c)
				continue
			}
		}
		roots = append(roots, c)
	}
	build = func(c ConventionRow) ConventionRow {
		for _, ch := range children[c.ID] {
			c.Children = append(c.Children, build(ch))
		}
		return c
	}
	for i := range roots {
		roots[i] = build(roots[i])
	}
	return roots, nil
}

// ParentChoices are the conventions a new convention of kind may hang under, within the
// scope: the live cadres for a départementale, the live départementales for a locale.
func (s *Store) ParentChoices(ctx context.Context, scope Scope, kind string) ([]Choice, error) {
	parentKind := map[string]string{ConventionDepartementale: ConventionCadre, ConventionLocale: ConventionDepartementale}[kind]
	if parentKind == "" {
		return nil, nil
	}
	var rows []Convention
	err := conventionsIn(s.db.WithContext(ctx), scope, false).Where("c.kind = ? AND c.statut NOT IN ?", parentKind,
		[]string{StatutEchue, StatutResiliee}).Where(notExpiredSQL, s.todayDate()).Select("c.id, c.reference, c.titre, c.departement_code").
		Order("c.reference").Scan(&rows).Error
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Reference + " — " + r.Titre}
	}
	return out, err
}

// SuggestReference proposes the next free reference for a convention of a département
// (""for the cadre) signed in year: CRE-93-2012-014.
func (s *Store) SuggestReference(ctx context.Context, departement string, year int) (string, error) {
	if year == 0 {
		year = s.now().In(fr.Paris()).Year()
	}
	prefix := referencePrefix(departement, year)
	var refs []string
	if err := s.db.WithContext(ctx).Table("conventions").Where("reference LIKE ?", prefix+"%").Pluck("reference", &refs).Error; err != nil {
		return "", err
	}
	next := 1
	for _, r := range refs {
		if n, err := strconv.Atoi(strings.TrimPrefix(r, prefix)); err == nil && n >= next {
			next = n + 1
		}
	}
	return fmt.Sprintf("%s%03d", prefix, next), nil
}

// ConventionsCovering returns the live conventions of the scope covering a commune.
func (s *Store) ConventionsCovering(ctx context.Context, scope Scope, code string) ([]ConventionRow, error) {
	var rows []ConventionRow
	err := withConventionNames(conventionsIn(s.db.WithContext(ctx), scope, false).
		Where("c.id IN (SELECT fc.convention_id FROM convention_communes fc WHERE fc.code_insee = ?)", dbText(code))).
		Order("c.reference").Scan(&rows).Error
	settleRows(rows, s.todayDate())
	return rows, err
}

// today is the current day in Paris, at midnight UTC like DATE columns.
func (s *Store) todayDate() time.Time { return dateOnly(s.now().In(fr.Paris())) }

// conventionsRead reads a live convention of the scope, without its parts.
func conventionsRead(tx *gorm.DB, scope Scope, id int64) (Convention, error) {
	var c Convention
	err := conventionsIn(tx, scope, false).Where("c.id = ?", id).Select("c.*").Limit(1).Scan(&c).Error
	if err == nil && c.ID == 0 {
		err = ErrNotFound
	}
	return c, err
}

// avenantConvention reads the live convention of the scope a live avenant amends.
func avenantConvention(tx *gorm.DB, scope Scope, avenantID int64) (Convention, error) {
	var a Avenant
	if err := tx.Where("id = ? AND archived_at IS NULL", avenantID).Limit(1).Find(&a).Error; err != nil {
		return Convention{}, err
	}
	if a.ID == 0 {
		return Convention{}, ErrNotFound
	}
	return conventionsRead(tx, scope, a.ConventionID)
}
