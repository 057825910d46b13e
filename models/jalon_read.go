package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// JalonFilter selects milestones; empty fields select everything. Departement "academie"
// selects the académie's milestones, a code those of the département and of its communes.
// EnRetard keeps the late ones (planned day passed, neither reached nor cancelled); Du and
// Au bound the planned day.
type JalonFilter struct {
	Niveau      string
	Departement string
	Commune     string
	Statut      string
	EnRetard    bool
	VagueID     int64
	Du, Au      *time.Time
	Q           string
}

// jalonsIn starts every query of milestones: those of the scope, live or archived.
func jalonsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("jalons AS j"), EntityJalon, "j")
	if archived {
		return q.Where("j.archived_at IS NOT NULL")
	}
	return q.Where("j.archived_at IS NULL")
}

const jalonColumns = `j.*, COALESCE(jc.nom, '') AS commune_nom, COALESCE(jcv.reference, '') AS convention_ref,
	COALESCE(jv.nom, '') AS vague_nom`

// withJalonNames selects the columns of JalonRow.
func withJalonNames(q *gorm.DB) *gorm.DB {
	return q.Select(jalonColumns).Joins("LEFT JOIN communes jc ON jc.code_insee = j.code_insee").
		Joins("LEFT JOIN conventions jcv ON jcv.id = j.convention_id").Joins("LEFT JOIN vagues jv ON jv.id = j.vague_id")
}

// jalonClosed is the SQL list of the statuses that are never late.
var jalonClosed = []string{JalonAtteint, JalonAnnule}

func filterJalons(q *gorm.DB, f JalonFilter, today string) *gorm.DB {
	if n := dbText(f.Niveau); n != "" {
		q = q.Where("j.niveau = ?", n)
	}
	switch d := dbText(f.Departement); d {
	case "":
	case NiveauAcademie:
		q = q.Where("j.departement_code IS NULL")
	default:
		q = q.Where("j.departement_code = ?", d)
	}
	if c := strings.ToUpper(dbText(f.Commune)); c != "" {
		q = q.Where("j.code_insee = ?", c)
	}
	if st := dbText(f.Statut); st != "" {
		q = q.Where("j.statut = ?", st)
	}
	if f.EnRetard {
		q = q.Where("j.statut NOT IN ? AND j.date_prevue < ?", jalonClosed, today)
	}
	if f.VagueID > 0 {
		q = q.Where("j.vague_id = ?", f.VagueID)
	}
	if f.Du != nil {
		q = q.Where("j.date_prevue >= ?", f.Du.Format(time.DateOnly))
	}
	if f.Au != nil {
		q = q.Where("j.date_prevue < ?", f.Au.AddDate(0, 0, 1).Format(time.DateOnly))
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`LOWER(j.titre) LIKE ? ESCAPE '\'`, likeContains(text))
	}
	return q
}

// jalonsOrder is the order of the milestones: by planned day.
var jalonsOrder = fixedOrder("jalons", false, timeCol("j.date_prevue"), intCol("j.id"))

// ListJalons returns one page of the live milestones of the scope matching f, by planned
// day, each flagged late or not.
func (s *Store) ListJalons(ctx context.Context, scope Scope, f JalonFilter, p PageRequest) (Page[JalonRow], error) {
	db, today := s.db.WithContext(ctx), s.today()
	lq := listQuery{rows: func() *gorm.DB { return filterJalons(jalonsIn(db, scope, false), f, today) }, order: jalonsOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]JalonRow, error) {
		var rows []JalonRow
		err := withJalonNames(jalonsIn(db, scope, false)).Where("j.id IN ?", ids).Scan(&rows).Error
		return flagLate(rows, today), err
	}, func(r JalonRow) int64 { return r.ID })
}

// EachJalon calls fn for every live milestone of the scope matching f, in list order, by
// batches of 500 (the exports).
func (s *Store) EachJalon(ctx context.Context, scope Scope, f JalonFilter, fn func(JalonRow) error) error {
	db, today := s.db.WithContext(ctx), s.today()
	return eachInBatches(500, func(limit, offset int) ([]JalonRow, error) {
		var rows []JalonRow
		err := withJalonNames(filterJalons(jalonsIn(db, scope, false), f, today)).Order("j.date_prevue, j.id").
			Limit(limit).Offset(offset).Scan(&rows).Error
		return flagLate(rows, today), err
	}, fn)
}

func flagLate(rows []JalonRow, today string) []JalonRow {
	for i := range rows {
		rows[i].EnRetard = rows[i].late(today)
	}
	return rows
}

func (s *Store) getJalon(tx *gorm.DB, scope Scope, id int64, archived bool) (JalonRow, error) {
	var rows []JalonRow
	if err := withJalonNames(jalonsIn(tx, scope, archived)).Where("j.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return JalonRow{}, err
	}
	if len(rows) == 0 {
		return JalonRow{}, ErrNotFound
	}
	return flagLate(rows, s.today())[0], nil
}

// GetJalon returns one live milestone of the scope; ErrNotFound otherwise.
func (s *Store) GetJalon(ctx context.Context, scope Scope, id int64) (JalonRow, error) {
	return s.getJalon(s.db.WithContext(ctx), scope, id, false)
}

// GetArchivedJalon returns one archived milestone of the scope, for its restoration.
func (s *Store) GetArchivedJalon(ctx context.Context, scope Scope, id int64) (JalonRow, error) {
	return s.getJalon(s.db.WithContext(ctx), scope, id, true)
}

// JalonsDue lists the live milestones of the scope that are late or due within days,
// neither reached nor cancelled, by planned day: those of the département dep (and of its
// communes), or every one of the scope when dep is nil ("Préparer la prochaine réunion").
func (s *Store) JalonsDue(ctx context.Context, scope Scope, dep *string, days int) ([]JalonRow, error) {
	today := s.today()
	horizon := s.now().AddDate(0, 0, days+1).Format(time.DateOnly)
	q := jalonsIn(s.db.WithContext(ctx), scope, false).Where("j.statut NOT IN ? AND j.date_prevue < ?", jalonClosed, horizon)
	if dep != nil {
		q = q.Where("j.departement_code = ?", *dep)
	}
	var rows []JalonRow
	err := withJalonNames(q).Order("j.date_prevue, j.id").Limit(MaxChoices).Scan(&rows).Error
	return flagLate(rows, today), err
}

// LinkChoices are the records a milestone may link to, as the form offers them.
type LinkChoices struct {
	Conventions, Vagues, Decisions []Choice
}

// JalonLinkChoices lists the live conventions, waves and decisions the scope reads (the
// latest MaxChoices of each), for the milestone form.
func (s *Store) JalonLinkChoices(ctx context.Context, scope Scope) (LinkChoices, error) {
	db := s.db.WithContext(ctx)
	var out LinkChoices
	var convs []struct {
		ID        int64
		Reference string
		Titre     string
	}
	if err := scope.restrictTo(db.Table("conventions AS c"), EntityConvention, "c").Where("c.archived_at IS NULL").
		Select("c.id, c.reference, c.titre").Order("c.reference").Limit(MaxChoices).Scan(&convs).Error; err != nil {
		return out, err
	}
	for _, c := range convs {
		out.Conventions = append(out.Conventions, Choice{Value: strconv.FormatInt(c.ID, 10), Label: c.Reference + " — " + c.Titre})
	}
	vagues, err := s.ListVagues(ctx, scope)
	if err != nil {
		return out, err
	}
	for _, v := range vagues {
		out.Vagues = append(out.Vagues, Choice{Value: strconv.FormatInt(v.ID, 10), Label: v.Nom + " (" + v.AnneeScolaire + ")"})
	}
	var decs []DecisionRow
	if err := decisionsIn(db, scope, false).Select(decisionColumns).Order(decisionOrder).Limit(MaxChoices).Scan(&decs).Error; err != nil {
		return out, err
	}
	for _, d := range decs {
		label := d.Texte
		if r := []rune(label); len(r) > 80 {
			label = string(r[:80]) + "…"
		}
		out.Decisions = append(out.Decisions, Choice{Value: strconv.FormatInt(d.ID, 10),
			Label: "n° " + strconv.FormatInt(d.ID, 10) + " — " + label})
	}
	return out, nil
}
