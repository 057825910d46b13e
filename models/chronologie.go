package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// TimelineFilter chooses the timeline: a département ("" for the whole scope) and a
// baseline to draw against (0: none).
type TimelineFilter struct {
	Departement string
	ReferenceID int64
}

// TimelineVague is a wave on the timeline: its planned opening, the span of its écoles'
// actual openings (first and last), how many écoles it holds and how many are open, and
// its planned opening in the baseline.
type TimelineVague struct {
	ID            int64
	Nom           string
	AnneeScolaire string
	Pilote        bool
	Prevue        PlanDay
	Debut, Fin    PlanDay
	NbEcoles      int64
	NbOuvertes    int64
	Reference     PlanDay
}

// TimelineJalon is a milestone on the timeline: planned and actual days, its planned day
// in the baseline, and whether it is late.
type TimelineJalon struct {
	ID              int64
	Titre           string
	Niveau          string
	Statut          string
	DepartementCode *string
	Prevue          PlanDay
	Effective       PlanDay
	Reference       PlanDay
	EnRetard        bool
}

// StatutLabel is the French label of the milestone's status.
func (j TimelineJalon) StatutLabel() string { return LabelOf(JalonStatuts, j.Statut) }

// OpeningMonth is one month of the cumulative openings: écoles opened that month and
// since the start, planned by the current plan and by the baseline.
type OpeningMonth struct {
	Mois                                        string // YYYY-MM
	Ouvertes, Prevues, PrevuesReference         int64
	CumulOuvertes, CumulPrevues, CumulReference int64
}

// Timeline is what the timeline page draws.
type Timeline struct {
	Reference *ReferenceRow
	Vagues    []TimelineVague
	Jalons    []TimelineJalon
	Openings  []OpeningMonth
}

// maxTimelineJalons bounds the milestones drawn.
const maxTimelineJalons = 300

// Timeline reads the waves and milestones the scope reads (of the département f.Departement
// and of the académie, when set), the actual spans of the waves and the cumulative openings,
// against the baseline f.ReferenceID (ErrNotFound when the scope does not read it).
func (s *Store) Timeline(ctx context.Context, scope Scope, f TimelineFilter) (Timeline, error) {
	db := s.db.WithContext(ctx)
	var out Timeline
	if f.ReferenceID > 0 {
		r, err := getReference(db, scope, f.ReferenceID)
		if err != nil {
			return out, err
		}
		out.Reference = &r
	}
	dep := dbText(f.Departement)
	vq := scope.restrictTo(db.Table("vagues AS v"), EntityVague, "v").Where("v.archived_at IS NULL").
		Joins("LEFT JOIN plan_reference_vagues rv ON rv.vague_id = v.id AND rv.reference_id = ?", f.ReferenceID).
		Select("v.id, v.nom, v.annee_scolaire, v.pilote, COALESCE(" + s.dayText("v.ouverture_prevue") + ", '') AS prevue, " +
			"COALESCE(" + s.dayText("rv.ouverture_prevue") + ", '') AS reference")
	if dep != "" {
		vq = vq.Where("(v.departement_code IS NULL OR v.departement_code = ?)", dep)
	}
	if err := vq.Order("v.annee_scolaire, v.pilote DESC, v.nom, v.id").Scan(&out.Vagues).Error; err != nil {
		return out, err
	}
	if err := s.waveSpans(db, scope, dep, out.Vagues); err != nil {
		return out, err
	}
	if err := s.timelineJalons(db, scope, dep, f.ReferenceID, &out); err != nil {
		return out, err
	}
	var err error
	out.Openings, err = s.openings(db, scope, dep, f.ReferenceID)
	return out, err
}

// deploiementsOf is the deployments of the scope, of the département dep when set.
func deploiementsOf(db *gorm.DB, scope Scope, dep string) *gorm.DB {
	q := scope.within(db.Table("deploiements AS d"), "d", deploiementsTerritory, reachRead)
	if dep != "" {
		q = q.Where("d.departement_code = ?", dep)
	}
	return q
}

// waveSpans sets the actual span and the counts of each wave from its écoles, in one
// GROUP BY.
func (s *Store) waveSpans(db *gorm.DB, scope Scope, dep string, vagues []TimelineVague) error {
	var spans []struct {
		VagueID    int64
		Debut, Fin PlanDay
		NbEcoles   int64
		NbOuvertes int64
	}
	eff := s.dayText("d.ouverture_effective")
	if err := deploiementsOf(db, scope, dep).Where("d.vague_id IS NOT NULL").
		Select("d.vague_id, COALESCE(MIN(" + eff + "), '') AS debut, COALESCE(MAX(" + eff + "), '') AS fin, " +
			"COUNT(*) AS nb_ecoles, COUNT(d.ouverture_effective) AS nb_ouvertes").
		Group("d.vague_id").Scan(&spans).Error; err != nil {
		return err
	}
	at := make(map[int64]int, len(vagues))
	for i, v := range vagues {
		at[v.ID] = i
	}
	for _, sp := range spans {
		if i, ok := at[sp.VagueID]; ok {
			v := &vagues[i]
			v.Debut, v.Fin, v.NbEcoles, v.NbOuvertes = sp.Debut, sp.Fin, sp.NbEcoles, sp.NbOuvertes
		}
	}
	return nil
}

// timelineJalons reads the milestones of the timeline with their baseline's day.
func (s *Store) timelineJalons(db *gorm.DB, scope Scope, dep string, ref int64, out *Timeline) error {
	q := jalonsIn(db, scope, false).
		Joins("LEFT JOIN plan_reference_jalons rj ON rj.jalon_id = j.id AND rj.reference_id = ?", ref).
		Select("j.id, j.titre, j.niveau, j.statut, j.departement_code, " + s.dayText("j.date_prevue") + " AS prevue, " +
			"COALESCE(" + s.dayText("j.date_effective") + ", '') AS effective, COALESCE(" + s.dayText("rj.date_prevue") + ", '') AS reference")
	if dep != "" {
		q = q.Where("(j.departement_code IS NULL OR j.departement_code = ?)", dep)
	}
	if err := q.Order("j.date_prevue, j.id").Limit(maxTimelineJalons).Scan(&out.Jalons).Error; err != nil {
		return err
	}
	today := s.today()
	for i := range out.Jalons {
		j := &out.Jalons[i]
		j.EnRetard = j.Statut != JalonAtteint && j.Statut != JalonAnnule && string(j.Prevue) < today
	}
	return nil
}

// monthText is an SQL expression of a DATE expression's month, YYYY-MM.
func (s *Store) monthText(expr string) string {
	if s.dialect == Postgres {
		return "TO_CHAR(" + expr + ", 'YYYY-MM')"
	}
	return "substr(" + expr + ", 1, 7)"
}

// openings counts the écoles opened per month (actual openings), planned per month by the
// current plan and by the baseline ref, each by one GROUP BY, and cumulates them.
func (s *Store) openings(db *gorm.DB, scope Scope, dep string, ref int64) ([]OpeningMonth, error) {
	type perMonth struct {
		Mois string
		N    int64
	}
	count := func(q *gorm.DB, col string) (map[string]int64, error) {
		var rows []perMonth
		m := s.monthText(col)
		err := q.Where(col + " IS NOT NULL").Select(m + " AS mois, COUNT(*) AS n").Group(m).Scan(&rows).Error
		out := make(map[string]int64, len(rows))
		for _, r := range rows {
			out[r.Mois] = r.N
		}
		return out, err
	}
	actual, err := count(deploiementsOf(db, scope, dep), "d.ouverture_effective")
	if err != nil {
		return nil, err
	}
	planned, err := count(deploiementsOf(db, scope, dep).Where("d.phase <> ?", "abandonne"), "d.ouverture_prevue")
	if err != nil {
		return nil, err
	}
	baseline := map[string]int64{}
	if ref > 0 {
		q := deploiementsOf(db, scope, dep).Joins("JOIN plan_reference_ecoles e ON e.uai = d.uai AND e.reference_id = ?", ref)
		if baseline, err = count(q, "e.ouverture_prevue"); err != nil {
			return nil, err
		}
	}
	return cumulate(actual, planned, baseline), nil
}

// cumulate merges the monthly counts into months in order, with running totals.
func cumulate(actual, planned, baseline map[string]int64) []OpeningMonth {
	months := map[string]bool{}
	for _, m := range []map[string]int64{actual, planned, baseline} {
		for k := range m {
			months[k] = true
		}
	}
	keys := make([]string, 0, len(months))
	for k := range months {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]OpeningMonth, len(keys))
	var ca, cp, cb int64
	for i, k := range keys {
		ca, cp, cb = ca+actual[k], cp+planned[k], cb+baseline[k]
		out[i] = OpeningMonth{Mois: k, Ouvertes: actual[k], Prevues: planned[k], PrevuesReference: baseline[k],
			CumulOuvertes: ca, CumulPrevues: cp, CumulReference: cb}
	}
	return out
}

// Today is the current day in Paris, at midnight UTC like the DATE columns: the day the
// timeline draws as "aujourd'hui".
func (s *Store) Today() time.Time { return s.todayDate() }

// MoisLabel is the month as MM/AAAA.
func (m OpeningMonth) MoisLabel() string {
	if len(m.Mois) != 7 {
		return m.Mois
	}
	return m.Mois[5:] + "/" + m.Mois[:4]
}
