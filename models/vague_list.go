package models

import (
	"context"
	"strconv"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// VagueRow is a wave as the lists and its page show it: the name of its département and
// the figures of the écoles it holds that the reader's scope reaches (their deployments'
// vague_id), of which open (phase ouvert or généralisé), their pupils and communes.
type VagueRow struct {
	Vague
	DepartementNom string
	VagueFigures
}

// VagueFigures are the figures of the écoles of a wave.
type VagueFigures struct {
	NbEcoles   int64
	NbOuvertes int64
	NbEleves   int64
	NbCommunes int64
}

// ScopeLabel is "Académie" or "93 — Seine-Saint-Denis".
func (v VagueRow) ScopeLabel() string {
	if v.DepartementCode == nil {
		return "Académie"
	}
	return *v.DepartementCode + " — " + v.DepartementNom
}

// PartOuvertes is the share of the wave's écoles that are open, "42,5 %" ("—" without
// écoles).
func (f VagueFigures) PartOuvertes() string {
	if f.NbEcoles == 0 {
		return fr.None
	}
	return fr.PercentOf(f.NbOuvertes, f.NbEcoles)
}

// ShareOuvertes is the share of the wave's écoles that are open, as a fraction (0 without
// écoles), for the exports.
func (f VagueFigures) ShareOuvertes() float64 {
	if f.NbEcoles == 0 {
		return 0
	}
	return float64(f.NbOuvertes) / float64(f.NbEcoles)
}

func (v VagueRow) auditValues() map[string]string {
	pilote, cible := "non", ""
	if v.Pilote {
		pilote = "oui"
	}
	if v.CibleEcoles != nil {
		cible = strconv.Itoa(*v.CibleEcoles)
	}
	return map[string]string{"nom": v.Nom, "annee_scolaire": v.AnneeScolaire, "pilote": pilote, "departement": v.ScopeLabel(),
		"ouverture_prevue": frDate(v.OuverturePrevue), "cible": cible, "notes": v.Notes}
}

// VagueFilter selects waves; empty fields select everything. Departement "academie"
// selects the académie's waves; Archived the archived ones instead of the live ones.
type VagueFilter struct {
	AnneeScolaire string
	Departement   string
	Archived      bool
}

func vaguesIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("vagues AS v"), EntityVague, "v")
	if archived {
		return q.Where("v.archived_at IS NOT NULL")
	}
	return q.Where("v.archived_at IS NULL")
}

func filterVagues(q *gorm.DB, f VagueFilter) *gorm.DB {
	if a := dbText(f.AnneeScolaire); a != "" {
		q = q.Where("v.annee_scolaire = ?", a)
	}
	switch d := dbText(f.Departement); d {
	case "":
	case "academie":
		q = q.Where("v.departement_code IS NULL")
	default:
		q = q.Where("v.departement_code = ?", d)
	}
	return q
}

// vagueRows reads the waves of q with their département's name and their figures in the
// scope: one GROUP BY over the deployments of the waves read.
func vagueRows(tx *gorm.DB, scope Scope, q *gorm.DB) ([]VagueRow, error) {
	var rows []VagueRow
	err := q.Select("v.*, COALESCE(dn.nom, '') AS departement_nom").Joins("LEFT JOIN departements dn ON dn.code = v.departement_code").
		Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return rows, err
	}
	ids := rowIDs(rows, func(r VagueRow) int64 { return r.ID })
	type figures struct {
		VagueID int64
		VagueFigures
	}
	var figs []figures
	fq := scope.restrictTo(tx.Table("deploiements AS d"), EntityDeploiement, "d").Joins("JOIN ecoles e ON e.uai = d.uai").
		Select(`d.vague_id, COUNT(*) AS nb_ecoles,
			SUM(CASE WHEN d.phase IN ('ouvert', 'generalise') THEN 1 ELSE 0 END) AS nb_ouvertes,
			COALESCE(SUM(e.nb_eleves), 0) AS nb_eleves, COUNT(DISTINCT d.code_insee) AS nb_communes`).
		Where("d.vague_id IN ?", ids).Group("d.vague_id")
	if err := fq.Scan(&figs).Error; err != nil {
		return nil, err
	}
	at := make(map[int64]VagueFigures, len(figs))
	for _, f := range figs {
		at[f.VagueID] = f.VagueFigures
	}
	for i := range rows {
		rows[i].VagueFigures = at[rows[i].ID]
	}
	return rows, nil
}

// vaguesOrder is the order of the plan: school year, the pilot wave first, name.
var vaguesOrder = fixedOrder("vagues", false, textCol("v.annee_scolaire"), intCol("CASE WHEN v.pilote THEN 0 ELSE 1 END"),
	textCol("v.nom"), intCol("v.id"))

// ListVagueRows returns one page of the waves of the scope matching f, with their figures.
func (s *Store) ListVagueRows(ctx context.Context, scope Scope, f VagueFilter, p PageRequest) (Page[VagueRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterVagues(vaguesIn(db, scope, f.Archived), f) }, order: vaguesOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]VagueRow, error) {
		return vagueRows(db, scope, vaguesIn(db, scope, f.Archived).Where("v.id IN ?", ids))
	}, func(r VagueRow) int64 { return r.ID })
}

// EachVague calls fn for every wave of the scope matching f, in the order of the list.
func (s *Store) EachVague(ctx context.Context, scope Scope, f VagueFilter, fn func(VagueRow) error) error {
	db := s.db.WithContext(ctx)
	rows, err := vagueRows(db, scope, filterVagues(vaguesIn(db, scope, f.Archived), f).
		Order("v.annee_scolaire, CASE WHEN v.pilote THEN 0 ELSE 1 END, v.nom, v.id"))
	return forEachRow(rows, err, fn)
}

func getVague(tx *gorm.DB, scope Scope, id int64, archived bool) (VagueRow, error) {
	return firstRow(vagueRows(tx, scope, vaguesIn(tx, scope, archived).Where("v.id = ?", id).Limit(1)))
}

// GetVague returns one live wave of the scope with its figures; ErrNotFound otherwise.
func (s *Store) GetVague(ctx context.Context, scope Scope, id int64) (VagueRow, error) {
	return getVague(s.db.WithContext(ctx), scope, id, false)
}

// PhaseFigure is the number of écoles in one phase and their pupils.
type PhaseFigure struct {
	Phase    string
	NbEcoles int64
	NbEleves int64
}

// PhaseLabel is the French label of the phase.
func (p PhaseFigure) PhaseLabel() string { return LabelOf(DeploiementPhases, p.Phase) }

// VaguePhases returns, for the live wave id of the scope, its écoles (in the scope) per
// phase, in the order of the programme, every phase listed; ErrNotFound outside the scope.
func (s *Store) VaguePhases(ctx context.Context, scope Scope, id int64) ([]PhaseFigure, error) {
	db := s.db.WithContext(ctx)
	if _, err := getVague(db, scope, id, false); err != nil {
		return nil, err
	}
	var figs []PhaseFigure
	err := scope.restrictTo(db.Table("deploiements AS d"), EntityDeploiement, "d").Joins("JOIN ecoles e ON e.uai = d.uai").
		Select("d.phase, COUNT(*) AS nb_ecoles, COALESCE(SUM(e.nb_eleves), 0) AS nb_eleves").
		Where("d.vague_id = ?", id).Group("d.phase").Scan(&figs).Error
	if err != nil {
		return nil, err
	}
	at := map[string]PhaseFigure{}
	for _, f := range figs {
		at[f.Phase] = f
	}
	out := make([]PhaseFigure, len(DeploiementPhases))
	for i, p := range DeploiementPhases {
		out[i] = at[p.Value]
		out[i].Phase = p.Value
	}
	return out, nil
}

// VagueAnnees lists the school years of the live waves of the scope, for the list's filter.
func (s *Store) VagueAnnees(ctx context.Context, scope Scope) ([]Choice, error) {
	var years []string
	err := vaguesIn(s.db.WithContext(ctx), scope, false).Distinct("v.annee_scolaire").Order("v.annee_scolaire").
		Pluck("v.annee_scolaire", &years).Error
	out := make([]Choice, len(years))
	for i, y := range years {
		out[i] = Choice{Value: y, Label: y}
	}
	return out, err
}

// VagueChoices lists the live waves of the scope by their names, in the order of the plan
// (for the forms and filters that choose a wave).
func (s *Store) VagueChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	vs, err := s.ListVagues(ctx, scope)
	out := make([]Choice, len(vs))
	for i, v := range vs {
		out[i] = Choice{Value: strconv.FormatInt(v.ID, 10), Label: v.Nom}
	}
	return out, err
}

// rowIDs returns the ids of rows, in their order.
func rowIDs[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// forEachRow calls fn for every row read (err: the read's error), stopping at its first
// error.
func forEachRow[T any](rows []T, err error, fn func(T) error) error {
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// firstRow is the first row read (err: the read's error), ErrNotFound when none.
func firstRow[T any](rows []T, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(rows) == 0 {
		return zero, ErrNotFound
	}
	return rows[0], nil
}
