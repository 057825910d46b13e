package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// The dashboards' financing: the lines of the live plans of the scope summed by year,
// funder and nature, planned against actual, and the cost per pupil of the plans.

// FinancementSum is the planned and actual amounts (integer cents) of a group of lines; the
// actual sums the lines whose actual amount is known (NbRealises of NbLignes).
type FinancementSum struct {
	Key        string
	Label      string
	NbLignes   int64
	Prevu      int64
	Realise    int64
	NbRealises int64
}

// FinancementYear is one year's lines by funder (in the order of Financeurs, those present).
type FinancementYear struct {
	Annee   int
	Total   FinancementSum
	Funders []FinancementSum
	Href    string
	Natures []FinancementSum
}

// DashboardFinancement is the financing section of a dashboard.
type DashboardFinancement struct {
	Plans     Figure // the live plans, linked to their list
	Total     FinancementSum
	Years     []FinancementYear
	Funders   []FinancementSum // over all years
	Natures   []FinancementSum // over all years
	Eleves    int64            // the pupils of the écoles of the plans' communes
	CoutEleve *int64           // planned total / pupils, in cents (nil without pupils)
}

// financementLineSum is a group of lines read by dashboardFinancement.
type financementLineSum struct {
	Annee      int
	Financeur  string
	Nature     string
	N          int64
	Prevu      int64
	Realise    int64
	NbRealises int64
}

// DashboardFinancementOf sums the lines of the live plans of the scope (within the
// département dep when set).
func (s *Store) DashboardFinancementOf(ctx context.Context, scope Scope, dep string) (DashboardFinancement, error) {
	db := s.db.WithContext(ctx)
	var out DashboardFinancement
	plans := func() *gorm.DB {
		return filterFinancements(financementsIn(db, scope, false), FinancementFilter{Departement: dep})
	}
	if err := plans().Count(&out.Plans.Value).Error; err != nil {
		return out, err
	}
	out.Plans.Label, out.Plans.Href = "Plans de financement", listHref("/financements", "departement", dep)
	var sums []financementLineSum
	if err := db.Table("financement_lignes AS l").Where("l.financement_id IN (?)", plans().Select("f.id")).
		Select("l.annee, l.financeur, l.nature, COUNT(*) AS n, SUM(l.prevu_centimes) AS prevu, " +
			"COALESCE(SUM(l.realise_centimes), 0) AS realise, COUNT(l.realise_centimes) AS nb_realises").
		Group("l.annee, l.financeur, l.nature").Order("l.annee, l.financeur, l.nature").Scan(&sums).Error; err != nil {
		return out, err
	}
	out.gather(sums, dep)
	communes := db.Table("financement_communes AS fc").Where("fc.financement_id IN (?)", plans().Select("f.id")).Select("fc.code_insee")
	if err := db.Table("ecoles AS e").Where("e.code_insee IN (?)", communes).
		Select("COALESCE(SUM(e.nb_eleves), 0)").Scan(&out.Eleves).Error; err != nil {
		return out, err
	}
	if out.Eleves > 0 {
		c := divRound(out.Total.Prevu, out.Eleves)
		out.CoutEleve = &c
	}
	return out, nil
}

// gather sums the groups of lines by year, funder and nature.
func (d *DashboardFinancement) gather(sums []financementLineSum, dep string) {
	funders, natures := map[string]*FinancementSum{}, map[string]*FinancementSum{}
	years := map[int]*FinancementYear{}
	var order []int
	for _, g := range sums {
		y := years[g.Annee]
		if y == nil {
			y = &FinancementYear{Annee: g.Annee, Href: listHref("/financements", "departement", dep, "annee", strconv.Itoa(g.Annee))}
			years[g.Annee], order = y, append(order, g.Annee)
		}
		y.Total.add(g)
		d.Total.add(g)
		addTo(funders, g.Financeur, g)
		addTo(natures, g.Nature, g)
		y.Funders = addSorted(y.Funders, Financeurs, g.Financeur, g)
		y.Natures = addSorted(y.Natures, Natures, g.Nature, g)
	}
	for _, a := range order {
		d.Years = append(d.Years, *years[a])
	}
	d.Funders, d.Natures = ordered(funders, Financeurs), ordered(natures, Natures)
}

func (f *FinancementSum) add(g financementLineSum) {
	f.NbLignes += g.N
	f.Prevu += g.Prevu
	f.Realise += g.Realise
	f.NbRealises += g.NbRealises
}

func addTo(m map[string]*FinancementSum, key string, g financementLineSum) {
	if m[key] == nil {
		m[key] = &FinancementSum{Key: key}
	}
	m[key].add(g)
}

// addSorted adds g to the group key of sums, kept in the order of choices.
func addSorted(sums []FinancementSum, choices []Choice, key string, g financementLineSum) []FinancementSum {
	for i := range sums {
		if sums[i].Key == key {
			sums[i].add(g)
			return sums
		}
	}
	m := map[string]*FinancementSum{}
	for i := range sums {
		m[sums[i].Key] = &sums[i]
	}
	addTo(m, key, g)
	return ordered(m, choices)
}

// ordered lists the groups of m in the order of choices, with their French labels.
func ordered(m map[string]*FinancementSum, choices []Choice) []FinancementSum {
	var out []FinancementSum
	for _, c := range choices {
		if g := m[c.Value]; g != nil {
			g.Label = c.Label
			out = append(out, *g)
		}
	}
	return out
}

// FunderOf returns the sum of the funder key in the year (zero when it has no line).
func (y FinancementYear) FunderOf(key string) FinancementSum {
	for _, f := range y.Funders {
		if f.Key == key {
			return f
		}
	}
	return FinancementSum{Key: key}
}
