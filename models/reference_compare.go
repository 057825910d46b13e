package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// The two ways of comparing with a baseline.
const (
	CompareCurrentPlan = "plan"    // the current planned dates against the baseline's
	CompareActuals     = "realise" // the actual openings (or today) against the baseline's
)

// CompareModes lists the ways of comparing with their French labels.
var CompareModes = []Choice{{CompareCurrentPlan, "Plan actuel"}, {CompareActuals, "Réalisé"}}

// CompareFilter chooses the comparison: its mode and, optionally, a département.
type CompareFilter struct {
	Mode        string
	Departement string
}

// SlipGroup is the slippage of a group of écoles (a département, a wave, a commune), in
// calendar days: average, maximum and the number of écoles late (slippage above zero).
type SlipGroup struct {
	Key          string
	Label        string
	NbEcoles     int64
	NbEnRetard   int64
	MoyenneJours float64
	MaxJours     int64
}

// SlipEcole is one late école: its baseline's planned opening, its current date (the
// current planned opening, or its actual opening; nil when it is not open yet and the
// slippage runs to today) and the slippage in calendar days.
type SlipEcole struct {
	UAI             string `gorm:"column:uai"`
	Nom             string
	CodeINSEE       string `gorm:"column:code_insee"`
	CommuneNom      string
	DepartementCode string
	VagueNom        string
	Prevue          PlanDay
	Actuelle        PlanDay
	Jours           int64
}

// SlipJalon is a milestone of the baseline with its slippage.
type SlipJalon struct {
	ID       int64
	Titre    string
	Prevue   PlanDay
	Actuelle PlanDay
	Jours    int64
}

// Comparison is a baseline compared with the current plan or the actuals. Communes and
// Late hold at most MaxChoices rows (the worst first); CommunesTotal and LateTotal count
// them all.
type Comparison struct {
	Mode          string
	Today         time.Time
	Total         SlipGroup
	Departements  []SlipGroup
	Vagues        []SlipGroup
	Communes      []SlipGroup
	CommunesTotal int64
	Late          []SlipEcole
	LateTotal     int64
	Jalons        []SlipJalon
}

// PlanDay is a calendar day read as text, YYYY-MM-DD ("" for none): the days the
// comparisons and the timeline read through subqueries and aggregates, where neither
// engine says the value is a date.
type PlanDay string

// Label is the day as JJ/MM/AAAA, "" for none.
func (d PlanDay) Label() string {
	if t := d.Time(); t != nil {
		return t.Format("02/01/2006")
	}
	return ""
}

// Time is the day at midnight UTC, nil for none.
func (d PlanDay) Time() *time.Time {
	t, err := time.Parse(time.DateOnly, string(d))
	if err != nil {
		return nil
	}
	return &t
}

// dayText is an SQL expression of a DATE expression as text YYYY-MM-DD (NULL stays NULL).
func (s *Store) dayText(expr string) string {
	if s.dialect == Postgres {
		return "TO_CHAR(" + expr + ", 'YYYY-MM-DD')"
	}
	return "substr(" + expr + ", 1, 10)"
}

// dayNumber is an SQL expression of the day number of a DATE expression (a column, or a
// "?" bound to YYYY-MM-DD): the difference of two is a number of calendar days.
func (s *Store) dayNumber(expr string) string {
	if s.dialect == Postgres {
		return "(CAST(" + expr + " AS DATE) - DATE '2000-01-01')"
	}
	return "CAST(julianday(substr(" + expr + ", 1, 10)) AS INTEGER)"
}

// slipSQL is the slippage of the column cur (or, for the actuals, the actual date act, or
// today when not yet there and the baseline's day has passed) against the baseline's base.
// Its placeholders take today twice in the actuals' mode.
func (s *Store) slipSQL(mode, base, cur, act string) string {
	b := s.dayNumber(base)
	if mode == CompareCurrentPlan {
		return s.dayNumber(cur) + " - " + b
	}
	today := s.dayNumber("?")
	return "CASE WHEN " + act + " IS NOT NULL THEN " + s.dayNumber(act) + " - " + b +
		" WHEN " + today + " > " + b + " THEN " + today + " - " + b + " ELSE 0 END"
}

// slippedEcoles is the query of the écoles of the baseline id that the scope reads, with
// their slippage (x.jours) and territory; abandoned écoles are left out.
func (s *Store) slippedEcoles(tx *gorm.DB, scope Scope, id int64, f CompareFilter, today string) *gorm.DB {
	var args []any
	if f.Mode != CompareCurrentPlan {
		args = []any{today, today}
	}
	q := tx.Table("plan_reference_ecoles AS e").Joins("JOIN deploiements d ON d.uai = e.uai").
		Select("e.uai, e.vague_id, "+s.dayText("e.ouverture_prevue")+" AS prevue, d.departement_code, d.code_insee, "+
			s.dayText("d.ouverture_prevue")+" AS plan_actuel, "+s.dayText("d.ouverture_effective")+" AS ouverture_effective, ("+
			s.slipSQL(f.Mode, "e.ouverture_prevue", "d.ouverture_prevue", "d.ouverture_effective")+") AS jours", args...).
		Where("e.reference_id = ? AND e.ouverture_prevue IS NOT NULL AND d.phase <> ?", id, "abandonne")
	if f.Mode == CompareCurrentPlan {
		q = q.Where("d.ouverture_prevue IS NOT NULL")
	}
	if f.Departement != "" {
		q = q.Where("d.departement_code = ?", dbText(f.Departement))
	}
	return scope.within(q, "d", deploiementsTerritory, reachRead)
}

const slipAggregates = `COUNT(*) AS nb_ecoles, SUM(CASE WHEN x.jours > 0 THEN 1 ELSE 0 END) AS nb_en_retard,
	CAST(AVG(x.jours) AS FLOAT) AS moyenne_jours, MAX(x.jours) AS max_jours`

// CompareReference compares the baseline id (ErrNotFound outside the scope) with the
// current plan or the actuals, for the écoles the scope reads: slippage per département,
// wave and commune, the late écoles and the milestones.
func (s *Store) CompareReference(ctx context.Context, scope Scope, id int64, f CompareFilter) (Comparison, error) {
	db := s.db.WithContext(ctx)
	if f.Mode != CompareCurrentPlan {
		f.Mode = CompareActuals
	}
	out := Comparison{Mode: f.Mode, Today: s.todayDate()}
	if _, err := getReference(db, scope, id); err != nil {
		return out, err
	}
	today := s.today()
	x := func() *gorm.DB { return db.Table("(?) AS x", s.slippedEcoles(db, scope, id, f, today)) }
	if err := x().Select(slipAggregates).Scan(&out.Total).Error; err != nil {
		return out, err
	}
	if err := x().Select("x.departement_code AS key, COALESCE(MAX(gd.nom), '') AS label, " + slipAggregates).
		Joins("LEFT JOIN departements gd ON gd.code = x.departement_code").Group("x.departement_code").
		Order("x.departement_code").Scan(&out.Departements).Error; err != nil {
		return out, err
	}
	if err := x().Select("COALESCE(CAST(x.vague_id AS VARCHAR(20)), '') AS key, COALESCE(MAX(gv.nom), 'Sans vague') AS label, " + slipAggregates).
		Joins("LEFT JOIN vagues gv ON gv.id = x.vague_id").Group("x.vague_id").
		Order("MIN(gv.annee_scolaire), x.vague_id").Scan(&out.Vagues).Error; err != nil {
		return out, err
	}
	if err := x().Distinct("x.code_insee").Count(&out.CommunesTotal).Error; err != nil {
		return out, err
	}
	if err := x().Select("x.code_insee AS key, COALESCE(MAX(gc.nom), '') AS label, " + slipAggregates).
		Joins("LEFT JOIN communes gc ON gc.code_insee = x.code_insee").Group("x.code_insee").
		Order("nb_en_retard DESC, max_jours DESC, x.code_insee").Limit(MaxChoices).Scan(&out.Communes).Error; err != nil {
		return out, err
	}
	if err := s.lateEcoles(db, x, &out); err != nil {
		return out, err
	}
	return out, s.slippedJalons(db, scope, id, f, today, &out)
}

// lateEcoles reads the late écoles of the comparison, the worst first.
func (s *Store) lateEcoles(db *gorm.DB, x func() *gorm.DB, out *Comparison) error {
	if err := x().Where("x.jours > 0").Count(&out.LateTotal).Error; err != nil {
		return err
	}
	cur := "x.ouverture_effective"
	if out.Mode == CompareCurrentPlan {
		cur = "x.plan_actuel"
	}
	return x().Select("x.uai, le.nom, x.code_insee, COALESCE(lc.nom, '') AS commune_nom, x.departement_code, " +
		"COALESCE(lv.nom, '') AS vague_nom, x.prevue, COALESCE(" + cur + ", '') AS actuelle, x.jours").
		Joins("JOIN ecoles le ON le.uai = x.uai").Joins("LEFT JOIN communes lc ON lc.code_insee = x.code_insee").
		Joins("LEFT JOIN vagues lv ON lv.id = x.vague_id").Where("x.jours > 0").
		Order("x.jours DESC, x.uai").Limit(MaxChoices).Scan(&out.Late).Error
}

// slippedJalons reads the milestones of the baseline that the scope reads (archived ones
// left out) with their slippage: the current planned day, or the actual day (today when
// not reached yet and the baseline's day has passed).
func (s *Store) slippedJalons(db *gorm.DB, scope Scope, id int64, f CompareFilter, today string, out *Comparison) error {
	var args []any
	cur := s.dayText("j.date_prevue")
	if f.Mode != CompareCurrentPlan {
		args, cur = []any{today, today}, s.dayText("j.date_effective")
	}
	q := jalonsIn(db, scope, false).Joins("JOIN plan_reference_jalons rj ON rj.jalon_id = j.id AND rj.reference_id = ?", id).
		Select("j.id, j.titre, "+s.dayText("rj.date_prevue")+" AS prevue, COALESCE("+cur+", '') AS actuelle, ("+
			s.slipSQL(f.Mode, "rj.date_prevue", "j.date_prevue", "j.date_effective")+") AS jours", args...)
	if f.Departement != "" {
		q = q.Where("(j.departement_code IS NULL OR j.departement_code = ?)", dbText(f.Departement))
	}
	return q.Order("rj.date_prevue, j.id").Limit(MaxChoices).Scan(&out.Jalons).Error
}

// SlippageByWave compares the baseline id (ErrNotFound outside the scope) with the current
// plan or the actuals, for the écoles the scope reads, by wave only (the dashboards): the
// total and the waves of CompareReference, without its communes, late écoles and
// milestones.
func (s *Store) SlippageByWave(ctx context.Context, scope Scope, id int64, f CompareFilter) (Comparison, error) {
	db := s.db.WithContext(ctx)
	if f.Mode != CompareCurrentPlan {
		f.Mode = CompareActuals
	}
	out := Comparison{Mode: f.Mode, Today: s.todayDate()}
	if _, err := getReference(db, scope, id); err != nil {
		return out, err
	}
	x := db.Table("(?) AS x", s.slippedEcoles(db, scope, id, f, s.today()))
	var groups []SlipGroup
	// One pass by wave; the total is their sum (the maximum of the maxima, the mean weighted
	// by the écoles).
	if err := x.Select("COALESCE(CAST(x.vague_id AS VARCHAR(20)), '') AS key, COALESCE(MAX(gv.nom), 'Sans vague') AS label, " +
		slipAggregates).Joins("LEFT JOIN vagues gv ON gv.id = x.vague_id").Group("x.vague_id").
		Order("MIN(gv.annee_scolaire), x.vague_id").Scan(&groups).Error; err != nil {
		return out, err
	}
	var sum float64
	out.Vagues = groups
	for _, g := range groups {
		out.Total.NbEcoles += g.NbEcoles
		out.Total.NbEnRetard += g.NbEnRetard
		out.Total.MaxJours = max(out.Total.MaxJours, g.MaxJours)
		sum += g.MoyenneJours * float64(g.NbEcoles)
	}
	if out.Total.NbEcoles > 0 {
		out.Total.MoyenneJours = sum / float64(out.Total.NbEcoles)
	}
	return out, nil
}
