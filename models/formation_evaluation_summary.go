package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// The results of the questionnaires aggregated per module, circonscription, département or
// school year within the scope (GROUP BY on the sessions the scope reads, neither cancelled
// nor archived), with the number of answers next to each mean.

// MinEvaluationAnswers is the fewest answers a mean or a share is shown over: fewer would
// say too much of each answer and too little of the whole.
const MinEvaluationAnswers = 5

// EvaluationGroupings are the groupings of the aggregated results.
var EvaluationGroupings = []Choice{
	{"module", "Module"},
	{"circonscription", "Circonscription"},
	{"departement", "Département"},
	{"annee", "Année scolaire"},
}

// EvaluationFilter narrows the aggregated results: a school year of the plans, a
// département, a circonscription, a module.
type EvaluationFilter struct {
	Annee           string
	Departement     string
	Circonscription string
	ModuleID        int64
}

// EvaluationRow is the answers of a group: their number, the sums of the marks and the
// answers to "j'utiliserai l'ENT en classe".
type EvaluationRow struct {
	Code              string
	Label             string
	Reponses          int64
	SommeSatisfaction int64
	SommeUtilite      int64
	Oui               int64
	Non               int64
	PeutEtre          int64
}

// evaluationSums are the sums of EvaluationRow over the answers (alias ev).
const evaluationSums = "COUNT(ev.id) AS reponses, COALESCE(SUM(ev.satisfaction), 0) AS somme_satisfaction, " +
	"COALESCE(SUM(ev.utilite), 0) AS somme_utilite, " +
	"COALESCE(SUM(CASE WHEN ev.usage_classe = 'oui' THEN 1 ELSE 0 END), 0) AS oui, " +
	"COALESCE(SUM(CASE WHEN ev.usage_classe = 'non' THEN 1 ELSE 0 END), 0) AS non, " +
	"COALESCE(SUM(CASE WHEN ev.usage_classe = 'peut_etre' THEN 1 ELSE 0 END), 0) AS peut_etre"

// Shown reports whether the group has enough answers for its means and shares.
func (r EvaluationRow) Shown() bool { return r.Reponses >= MinEvaluationAnswers }

// of is n over the answers when shown, nil otherwise.
func (r EvaluationRow) of(n int64) *float64 {
	if !r.Shown() {
		return nil
	}
	v := float64(n) / float64(r.Reponses)
	return &v
}

// MeanSatisfaction is the mean satisfaction (1 to 5), nil under MinEvaluationAnswers.
func (r EvaluationRow) MeanSatisfaction() *float64 { return r.of(r.SommeSatisfaction) }

// MeanUtilite is the mean usefulness (1 to 5), nil under MinEvaluationAnswers.
func (r EvaluationRow) MeanUtilite() *float64 { return r.of(r.SommeUtilite) }

// ShareOui is the share (0 to 1) of "oui", nil under MinEvaluationAnswers; ShareNon and
// SharePeutEtre likewise.
func (r EvaluationRow) ShareOui() *float64 { return r.of(r.Oui) }

// ShareNon is the share of "non".
func (r EvaluationRow) ShareNon() *float64 { return r.of(r.Non) }

// SharePeutEtre is the share of "peut-être".
func (r EvaluationRow) SharePeutEtre() *float64 { return r.of(r.PeutEtre) }

// add adds the answers of o to r.
func (r *EvaluationRow) add(o EvaluationRow) {
	r.Reponses += o.Reponses
	r.SommeSatisfaction += o.SommeSatisfaction
	r.SommeUtilite += o.SommeUtilite
	r.Oui, r.Non, r.PeutEtre = r.Oui+o.Oui, r.Non+o.Non, r.PeutEtre+o.PeutEtre
}

// EvaluationTable is the aggregated results, a row per group, and their total.
type EvaluationTable struct {
	Rows  []EvaluationRow
	Total EvaluationRow
}

// ValidEvaluationGrouping reports whether by is one of EvaluationGroupings ("" is the module).
func ValidEvaluationGrouping(by string) bool {
	return by == "" || slices.ContainsFunc(EvaluationGroupings, func(c Choice) bool { return c.Value == by })
}

// evaluationGroup is the key, label, order and joins of a grouping.
func evaluationGroup(by string) (key, label, order string, joins []string) {
	switch by {
	case "circonscription":
		return "COALESCE(f.code_circonscription, '')", "COALESCE(ci.nom, 'Sessions départementales')", "2, 1",
			[]string{"LEFT JOIN circonscriptions AS ci ON ci.code = f.code_circonscription"}
	case "departement":
		return "f.departement_code", "dp.nom", "1", []string{"JOIN departements AS dp ON dp.code = f.departement_code"}
	case "annee":
		return "p.annee_scolaire", "p.annee_scolaire", "1", nil
	}
	return "CAST(f.module_id AS VARCHAR(20))", "m.libelle", "MIN(m.ordre), 2", []string{"JOIN formation_modules AS m ON m.id = f.module_id"}
}

// evaluationsIn is the sessions (f, plan p) with answers the scope reads, neither cancelled
// nor archived, within the filter: their answers' sums are kept with them
// (refreshEvaluationSums).
func evaluationsIn(db *gorm.DB, scope Scope, f EvaluationFilter) *gorm.DB {
	q := scope.restrictTo(db.Table("formations AS f").Joins("JOIN plans_formation AS p ON p.id = f.plan_id"), EntityFormation, "f").
		Where("f.archived_at IS NULL AND f.statut <> 'annulee' AND f.eval_reponses > 0")
	if f.Annee != "" {
		q = q.Where("p.annee_scolaire = ?", dbText(f.Annee))
	}
	if f.Departement != "" {
		q = q.Where("f.departement_code = ?", dbText(f.Departement))
	}
	if f.Circonscription != "" {
		q = q.Where("f.code_circonscription = ?", dbText(f.Circonscription))
	}
	if f.ModuleID != 0 {
		q = q.Where("f.module_id = ?", f.ModuleID)
	}
	return q
}

// keptEvaluationSums are the sums of EvaluationRow over the sessions (alias f).
const keptEvaluationSums = "SUM(f.eval_reponses) AS reponses, SUM(f.eval_satisfaction) AS somme_satisfaction, " +
	"SUM(f.eval_utilite) AS somme_utilite, SUM(f.eval_oui) AS oui, SUM(f.eval_non) AS non, SUM(f.eval_peut_etre) AS peut_etre"

// refreshEvaluationSums recomputes the sums of the answers kept with the sessions ids (nil:
// every session): call it in the transaction of every answer recorded.
func refreshEvaluationSums(tx *gorm.DB, ids []int64) error {
	sum := func(expr, cond string) string {
		return "(SELECT " + expr + " FROM formation_evaluations ev WHERE ev.formation_id = formations.id" + cond + ")"
	}
	q := "UPDATE formations SET eval_reponses = " + sum("COUNT(*)", "") +
		", eval_satisfaction = " + sum("COALESCE(SUM(ev.satisfaction), 0)", "") +
		", eval_utilite = " + sum("COALESCE(SUM(ev.utilite), 0)", "") +
		", eval_oui = " + sum("COUNT(*)", " AND ev.usage_classe = 'oui'") +
		", eval_non = " + sum("COUNT(*)", " AND ev.usage_classe = 'non'") +
		", eval_peut_etre = " + sum("COUNT(*)", " AND ev.usage_classe = 'peut_etre'")
	if ids == nil {
		return tx.Exec(q).Error
	}
	return tx.Exec(q+" WHERE id IN ?", ids).Error
}

// EvaluationSummary returns the answers of the scope's sessions within the filter grouped
// by one of EvaluationGroupings (module by default), and their total.
func (s *Store) EvaluationSummary(ctx context.Context, scope Scope, f EvaluationFilter, by string) (EvaluationTable, error) {
	var out EvaluationTable
	key, label, order, joins := evaluationGroup(by)
	q := evaluationsIn(s.db.WithContext(ctx), scope, f)
	for _, j := range joins {
		q = q.Joins(j)
	}
	if err := q.Select(key + " AS code, " + label + " AS label, " + keptEvaluationSums).Group(key + ", " + label).
		Order(order).Scan(&out.Rows).Error; err != nil {
		return out, err
	}
	out.Total = EvaluationRow{Code: "total", Label: "Total"}
	for _, r := range out.Rows {
		out.Total.add(r)
	}
	return out, nil
}

// EvaluationAnneeChoices are the school years of the training plans the scope reads, the
// latest first.
func (s *Store) EvaluationAnneeChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var years []string
	err := scope.restrictTo(s.db.WithContext(ctx).Table("plans_formation AS p"), EntityPlanFormation, "p").
		Distinct("p.annee_scolaire").Order("p.annee_scolaire DESC").Pluck("p.annee_scolaire", &years).Error
	out := make([]Choice, len(years))
	for i, y := range years {
		out[i] = Choice{Value: y, Label: y}
	}
	return out, err
}

// EvaluationModuleChoices are the modules of the catalogue, in their order.
func (s *Store) EvaluationModuleChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var mods []FormationModule
	if err := s.db.WithContext(ctx).Select("id, libelle").Order("ordre, libelle").Find(&mods).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(mods))
	for i, m := range mods {
		out[i] = Choice{Value: strconv.FormatInt(m.ID, 10), Label: m.Libelle}
	}
	return out, nil
}
