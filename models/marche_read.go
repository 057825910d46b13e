package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// withMarcheDetails loads, in three queries for all rows, their communes, their lots (with
// the awarded vendor and solution named) and the bids of the lots.
func withMarcheDetails(tx *gorm.DB, rows []MarcheRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, at := idsOf(rows, func(r MarcheRow) int64 { return r.ID })
	var membres []MarcheMembre
	if err := tx.Table("marche_communes mc").Select("mc.*, c.nom").Joins("JOIN communes c ON c.code_insee = mc.code_insee").
		Where("mc.marche_id IN ?", ids).Order("mc.marche_id, mc.coordinateur DESC, c.nom, mc.code_insee").Scan(&membres).Error; err != nil {
		return err
	}
	for _, m := range membres {
		r := &rows[at[m.MarcheID]]
		r.Membres = append(r.Membres, m)
	}
	var lots []LotRow
	if err := tx.Table("marche_lots l").Select("l.*, COALESCE(o.nom, '') AS titulaire, COALESCE(so.produit, '') AS solution").
		Joins("LEFT JOIN organisations o ON o.id = l.titulaire_id").Joins("LEFT JOIN solutions_ent so ON so.id = l.solution_id").
		Where("l.marche_id IN ?", ids).Order("l.marche_id, l.numero").Scan(&lots).Error; err != nil {
		return err
	}
	if len(lots) == 0 {
		return nil
	}
	lotIDs := make([]int64, len(lots))
	lotAt := make(map[int64]int, len(lots))
	for i, l := range lots {
		lotIDs[i], lotAt[l.ID] = l.ID, i
	}
	var offres []MarcheOffre
	if err := tx.Where("lot_id IN ?", lotIDs).Order("lot_id, montant, id").Find(&offres).Error; err != nil {
		return err
	}
	for _, o := range offres {
		l := &lots[lotAt[o.LotID]]
		l.Offres = append(l.Offres, o)
	}
	if err := withLotEcoles(tx, lots, lotIDs, lotAt); err != nil {
		return err
	}
	for _, l := range lots {
		r := &rows[at[l.MarcheID]]
		r.Lots = append(r.Lots, l)
	}
	return nil
}

// MarcheFilter selects markets; empty fields select everything. Commune is an INSEE code;
// Annee is the year of publication.
type MarcheFilter struct {
	Departement string
	Acheteur    string
	Statut      string
	Commune     string
	SolutionID  int64
	TitulaireID int64
	Annee       int
	Q           string
}

// QueryString is the filter as URL parameters, for the pager and the export links.
func (f MarcheFilter) QueryString() string {
	var parts []string
	add := func(k, v string) {
		if v != "" && v != "0" {
			parts = append(parts, k+"="+v)
		}
	}
	add("departement", f.Departement)
	add("acheteur", f.Acheteur)
	add("statut", f.Statut)
	add("commune", f.Commune)
	add("solution", strconv.FormatInt(f.SolutionID, 10))
	add("titulaire", strconv.FormatInt(f.TitulaireID, 10))
	add("annee", strconv.Itoa(f.Annee))
	return strings.Join(parts, "&")
}

func filterMarches(q *gorm.DB, f MarcheFilter) *gorm.DB {
	if d := dbText(strings.TrimSpace(f.Departement)); d != "" {
		q = q.Where("ma.departement_code = ?", d)
	}
	if a := dbText(strings.TrimSpace(f.Acheteur)); a != "" {
		q = q.Where("ma.acheteur = ?", a)
	}
	if st := dbText(strings.TrimSpace(f.Statut)); st != "" {
		q = q.Where("ma.statut = ?", st)
	}
	if c := strings.ToUpper(dbText(strings.TrimSpace(f.Commune))); c != "" {
		q = q.Where("ma.id IN (SELECT fmc.marche_id FROM marche_communes fmc WHERE fmc.code_insee = ?)", c)
	}
	if f.SolutionID > 0 {
		q = q.Where("ma.id IN (SELECT fl.marche_id FROM marche_lots fl WHERE fl.solution_id = ?)", f.SolutionID)
	}
	if f.TitulaireID > 0 {
		q = q.Where("ma.id IN (SELECT fl.marche_id FROM marche_lots fl WHERE fl.titulaire_id = ?)", f.TitulaireID)
	}
	if f.Annee > 0 {
		q = q.Where("ma.date_publication >= ? AND ma.date_publication < ?",
			strconv.Itoa(f.Annee)+"-01-01", strconv.Itoa(f.Annee+1)+"-01-01")
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`(LOWER(ma.objet) LIKE ? ESCAPE '\' OR LOWER(ma.reference) LIKE ? ESCAPE '\')`, likeContains(text), likeContains(text))
	}
	return q
}

// marchesOrder is the order of the markets list: by département, the latest first.
var marchesOrder = fixedOrder("marches", false, textCol("ma.departement_code"), intCol("ma.id"))

func marchesByID(db *gorm.DB, scope Scope) func(ids []int64) ([]MarcheRow, error) {
	return func(ids []int64) ([]MarcheRow, error) {
		var rows []MarcheRow
		if err := withMarcheJoins(marchesIn(db, scope)).Select(marcheColumns).Where("ma.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withMarcheDetails(db, rows)
	}
}

// ListMarches returns one page of the live markets of the scope matching f.
func (s *Store) ListMarches(ctx context.Context, scope Scope, f MarcheFilter, p PageRequest) (Page[MarcheRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterMarches(marchesIn(db, scope), f) }, order: marchesOrder}
	return readPage(ctx, s, lq, p, marchesByID(db, scope), func(r MarcheRow) int64 { return r.ID })
}

// EachMarche calls fn for every live market of the scope matching f, in list order, by
// batches of 500: the exports.
func (s *Store) EachMarche(ctx context.Context, scope Scope, f MarcheFilter, fn func(MarcheRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(500, func(limit, offset int) ([]MarcheRow, error) {
		var rows []MarcheRow
		if err := filterMarches(withMarcheJoins(marchesIn(db, scope)), f).Select(marcheColumns).
			Order("ma.departement_code, ma.id").Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withMarcheDetails(db, rows)
	}, fn)
}

// MarcheSolutionChoices lists the live ENT solutions, by product, for the filters and the
// forms of the markets.
func (s *Store) MarcheSolutionChoices(ctx context.Context) ([]Choice, error) {
	var rows []struct {
		ID      int64
		Produit string
	}
	err := s.db.WithContext(ctx).Table("solutions_ent").Select("id, produit").Where("archived_at IS NULL").
		Order("produit, id").Scan(&rows).Error
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Produit}
	}
	return out, err
}
