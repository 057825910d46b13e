package models

import (
	"context"
	"math/bits"
	"slices"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// The derived figures of a plan: each commune's share by the split key, totals by year ×
// funder × nature, planned against actual, each funder's share, and the cost per pupil
// and per école. Sums are SQL GROUP BY; the few grouped rows are then arranged in Go.

// SplitCents splits total (cents, ≥ 0) in proportion to weights by the largest remainder
// method: every share is total × w / W rounded down, and the cents left go one by one to
// the largest remainders (the first on ties), so that the shares add up exactly to the
// total. With no weight at all the split is equal. Products are 128-bit: no overflow.
func SplitCents(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	if len(weights) == 0 || total <= 0 {
		return out
	}
	var sum uint64
	for _, w := range weights {
		if w > 0 {
			sum += uint64(w)
		}
	}
	ws := make([]uint64, len(weights))
	for i, w := range weights {
		switch {
		case sum == 0:
			ws[i] = 1
		case w > 0:
			ws[i] = uint64(w)
		}
	}
	if sum == 0 {
		sum = uint64(len(weights))
	}
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range ws {
		hi, lo := bits.Mul64(uint64(total), w)
		q, r := bits.Div64(hi, lo, sum) // q ≤ total: hi < sum
		out[i], rems[i] = int64(q), r
		given += q
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rems[a] > rems[b]:
			return -1
		case rems[a] < rems[b]:
			return 1
		}
		return 0
	})
	for k := 0; given < uint64(total); k++ {
		out[order[k%len(order)]]++
		given++
	}
	return out
}

// PlanCommune is a commune of a plan with the figures of the split key and its shares.
type PlanCommune struct {
	CodeINSEE  string `gorm:"column:code_insee"`
	Nom        string
	Population int
	NbEcoles   int
	NbEleves   int
	PartFixe   *int
	Weight     int64 `gorm:"-"` // by the plan's key
	SharePrevu int64 `gorm:"-"` // cents
	// ShareRealise is the commune's share of the actual amounts (cents).
	ShareRealise int64  `gorm:"-"`
	Percent      string `gorm:"-"` // its share of the key, "33,33 %"
}

// FinancementTotal is a sum of lines: of one year × funder × nature, or coarser.
type FinancementTotal struct {
	Annee      int
	TypeAnnee  string
	Financeur  string
	Nature     string
	Prevu      int64
	Realise    int64
	NbRealises int
}

// FigureRow is one row of a totals table: a label, the planned and actual amounts, and a
// percentage (a funder's share of the plan, or the actual against the planned).
type FigureRow struct {
	Label   string
	Prevu   int64
	Realise int64
	Known   bool   // at least one actual amount
	Percent string // "42,5 %"
	Cells   []int64
	// Bar widths of the chart, in percent of the largest amount of the chart.
	BarPrevu, BarRealise int
}

// PrevuLabel, RealiseLabel: the row's amounts, "12 500,50 €" ("—" without actual amounts).
func (r FigureRow) PrevuLabel() string { return fr.Euros(r.Prevu) }

// RealiseLabel is the actual amount of the row, "—" when none is known.
func (r FigureRow) RealiseLabel() string {
	if !r.Known {
		return "—"
	}
	return fr.Euros(r.Realise)
}

// CellLabels are the row's cells as amounts.
func (r FigureRow) CellLabels() []string {
	out := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = fr.Euros(c)
	}
	return out
}

// FinancementPlan is a plan with everything its page, its workbook and the API show.
type FinancementPlan struct {
	FinancementRow
	CommunesDetail []PlanCommune
	Lignes         []FinancementLigne
	Totals         []FinancementTotal // year × funder × nature
	ByYear         []FigureRow        // planned against actual; Cells by funder (Funders)
	Funders        []Choice           // the funders of the plan's lines, in the order of Financeurs
	ByFunder       []FigureRow        // each funder's share of the planned total
	ByNature       []FigureRow
	Total          FigureRow
	// Cost per pupil and per école, in cents, from the convention's annex écoles or, without
	// a convention (or with an empty annex), from the écoles of the plan's communes.
	CostBasis            string
	NbEleves, NbEcoles   int
	CoutEleve, CoutEcole *int64
	EqualSplit           bool // the key weighs nothing (no pupils...): equal shares
}

// GetFinancementPlan returns a live plan of the scope with its communes and their shares,
// its lines and its derived figures; ErrNotFound otherwise.
func (s *Store) GetFinancementPlan(ctx context.Context, scope Scope, id int64) (FinancementPlan, error) {
	db := s.db.WithContext(ctx)
	row, err := getFinancement(db, scope, id, false)
	if err != nil {
		return FinancementPlan{}, err
	}
	p := FinancementPlan{FinancementRow: row}
	if err := db.Table("financement_communes AS fc").
		Select("fc.code_insee, c.nom, c.population, fc.part_fixe, COUNT(e.uai) AS nb_ecoles, COALESCE(SUM(e.nb_eleves), 0) AS nb_eleves").
		Joins("JOIN communes c ON c.code_insee = fc.code_insee").Joins("LEFT JOIN ecoles e ON e.code_insee = fc.code_insee").
		Where("fc.financement_id = ?", id).Group("fc.code_insee, c.nom, c.nom_recherche, c.population, fc.part_fixe").
		Order("c.nom_recherche, fc.code_insee").Scan(&p.CommunesDetail).Error; err != nil {
		return p, err
	}
	if err := db.Where("financement_id = ?", id).Order("annee, type_annee, financeur, nature, id").Find(&p.Lignes).Error; err != nil {
		return p, err
	}
	if err := db.Table("financement_lignes").Select("annee, type_annee, financeur, nature, SUM(prevu_centimes) AS prevu, "+
		"COALESCE(SUM(realise_centimes), 0) AS realise, COUNT(realise_centimes) AS nb_realises").
		Where("financement_id = ?", id).Group("annee, type_annee, financeur, nature").
		Order("annee, type_annee, financeur, nature").Scan(&p.Totals).Error; err != nil {
		return p, err
	}
	if err := p.costBasis(db); err != nil {
		return p, err
	}
	p.derive()
	return p, nil
}

// costBasis counts the pupils and écoles the costs are divided by.
func (p *FinancementPlan) costBasis(db *gorm.DB) error {
	if p.ConventionID != nil {
		var annex struct {
			N      int
			Eleves int
		}
		if err := db.Table("convention_ecoles AS ce").Select("COUNT(e.uai) AS n, COALESCE(SUM(e.nb_eleves), 0) AS eleves").
			Joins("JOIN ecoles e ON e.uai = ce.uai").Where("ce.convention_id = ?", *p.ConventionID).Scan(&annex).Error; err != nil {
			return err
		}
		if annex.N > 0 {
			p.CostBasis, p.NbEcoles, p.NbEleves = "écoles de l'annexe de la convention", annex.N, annex.Eleves
			return nil
		}
	}
	p.CostBasis = "écoles des communes du plan"
	for _, c := range p.CommunesDetail {
		p.NbEcoles += c.NbEcoles
		p.NbEleves += c.NbEleves
	}
	return nil
}

// derive arranges the grouped totals into the tables of the page.
func (p *FinancementPlan) derive() {
	g := p.groupTotals()
	p.Total.Label = "Total"
	for _, f := range Financeurs {
		if g.funders[f.Value] {
			p.Funders = append(p.Funders, f)
		}
	}
	p.deriveYears(g)
	p.Total.Cells = make([]int64, len(p.Funders))
	for i, f := range p.Funders {
		r := g.byFunder[f.Value]
		r.Percent = fr.PercentOf(r.Prevu, p.Total.Prevu)
		p.Total.Cells[i] = r.Prevu
		p.ByFunder = append(p.ByFunder, *r)
	}
	for _, n := range Natures {
		if r := g.byNature[n.Value]; r != nil {
			r.Percent = fr.PercentOf(r.Prevu, p.Total.Prevu)
			p.ByNature = append(p.ByNature, *r)
		}
	}
	if p.Total.Known && p.Total.Prevu > 0 {
		p.Total.Percent = fr.PercentOf(p.Total.Realise, p.Total.Prevu)
	}
	if p.NbEleves > 0 {
		c := divRound(p.Total.Prevu, int64(p.NbEleves))
		p.CoutEleve = &c
	}
	if p.NbEcoles > 0 {
		c := divRound(p.Total.Prevu, int64(p.NbEcoles))
		p.CoutEcole = &c
	}
	p.shares()
}

// yearKey is a year of a plan: its number and its kind (civil or school year).
type yearKey struct {
	annee int
	typ   string
}

// planGroups are a plan's totals grouped by year, funder and nature.
type planGroups struct {
	funders            map[string]bool
	years              []yearKey
	byYear             map[yearKey]*FigureRow
	byFunder, byNature map[string]*FigureRow
}

// groupTotals adds the plan's totals by year, by funder and by nature, and into p.Total.
func (p *FinancementPlan) groupTotals() planGroups {
	g := planGroups{funders: map[string]bool{}, byYear: map[yearKey]*FigureRow{},
		byFunder: map[string]*FigureRow{}, byNature: map[string]*FigureRow{}}
	add := func(r *FigureRow, t FinancementTotal) {
		r.Prevu += t.Prevu
		r.Realise += t.Realise
		r.Known = r.Known || t.NbRealises > 0
	}
	row := func(m map[string]*FigureRow, key, label string) *FigureRow {
		if m[key] == nil {
			m[key] = &FigureRow{Label: label}
		}
		return m[key]
	}
	for _, t := range p.Totals {
		g.funders[t.Financeur] = true
		k := yearKey{t.Annee, t.TypeAnnee}
		if g.byYear[k] == nil {
			g.years = append(g.years, k)
			g.byYear[k] = &FigureRow{Label: AnneeLabel(t.Annee, t.TypeAnnee)}
		}
		add(g.byYear[k], t)
		add(row(g.byFunder, t.Financeur, LabelOf(Financeurs, t.Financeur)), t)
		add(row(g.byNature, t.Nature, LabelOf(Natures, t.Nature)), t)
		add(&p.Total, t)
	}
	return g
}

// deriveYears builds the table by year: the planned amount of each funder, the share
// realised, and the bars of the chart (relative to the largest amount).
func (p *FinancementPlan) deriveYears(g planGroups) {
	var largest int64
	for _, k := range g.years {
		r := g.byYear[k]
		r.Cells = make([]int64, len(p.Funders))
		for _, t := range p.Totals {
			if t.Annee == k.annee && t.TypeAnnee == k.typ {
				r.Cells[slices.IndexFunc(p.Funders, func(c Choice) bool { return c.Value == t.Financeur })] += t.Prevu
			}
		}
		if r.Known && r.Prevu > 0 {
			r.Percent = fr.PercentOf(r.Realise, r.Prevu)
		}
		largest = max(largest, r.Prevu, r.Realise)
		p.ByYear = append(p.ByYear, *r)
	}
	for i := range p.ByYear {
		if largest > 0 {
			p.ByYear[i].BarPrevu = int(p.ByYear[i].Prevu * 100 / largest)
			p.ByYear[i].BarRealise = int(p.ByYear[i].Realise * 100 / largest)
		}
	}
}

// shares computes each commune's weight by the key and its share of the totals.
func (p *FinancementPlan) shares() {
	weights := make([]int64, len(p.CommunesDetail))
	var sum int64
	for i, c := range p.CommunesDetail {
		switch {
		case p.Portage == PortageCommune:
			weights[i] = 1
		case p.CleRepartition == CleEcoles:
			weights[i] = int64(c.NbEcoles)
		case p.CleRepartition == ClePopulation:
			weights[i] = int64(c.Population)
		case p.CleRepartition == CleParts:
			if c.PartFixe != nil {
				weights[i] = int64(*c.PartFixe)
			}
		default:
			weights[i] = int64(c.NbEleves)
		}
		sum += weights[i]
	}
	p.EqualSplit = sum == 0 && len(weights) > 1
	prevu, realise := SplitCents(p.Total.Prevu, weights), SplitCents(p.Total.Realise, weights)
	pct := SplitCents(10000, weights) // hundredths of a percent, adding up to 100 %
	for i := range p.CommunesDetail {
		c := &p.CommunesDetail[i]
		c.Weight, c.SharePrevu, c.ShareRealise = weights[i], prevu[i], realise[i]
		c.Percent = fr.Percent(pct[i])
	}
}

// SharePrevuLabel and ShareRealiseLabel: the commune's shares, "12 500,50 €".
func (c PlanCommune) SharePrevuLabel() string { return fr.Euros(c.SharePrevu) }

// ShareRealiseLabel is the commune's share of the actual amounts.
func (c PlanCommune) ShareRealiseLabel() string { return fr.Euros(c.ShareRealise) }

// PartLabel is the commune's fixed share, "—" without one.
func (c PlanCommune) PartLabel() string {
	if c.PartFixe == nil {
		return "—"
	}
	return fr.Percent(*c.PartFixe)
}

// CoutEleveLabel and CoutEcoleLabel: the costs, "—" when there is nothing to divide by.
func (p FinancementPlan) CoutEleveLabel() string { return fr.EurosPtr(p.CoutEleve) }

// CoutEcoleLabel is the planned cost per école.
func (p FinancementPlan) CoutEcoleLabel() string { return fr.EurosPtr(p.CoutEcole) }

// divRound is a / b rounded half up, for a ≥ 0 and b > 0.
func divRound(a, b int64) int64 { return (a + b/2) / b }
