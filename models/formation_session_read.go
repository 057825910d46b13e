package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// FormationFilter selects sessions; empty fields select everything. Annee is a school year
// "2026-2027" (its plan's); Circonscription "departement" keeps the sessions of a whole
// département; Statut FormationAClore the sessions to close; Du and Au bound the day; Q
// searches the place and the module.
type FormationFilter struct {
	Annee           string
	Departement     string
	Circonscription string
	ModuleID        int64
	Public          string
	Statut          string
	Du, Au          *time.Time
	Q               string
	today           string // set by the Store: the day before which a session is to close
}

// formationsIn starts every query of sessions (alias f): those of the scope, live or archived.
func formationsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("formations AS f"), EntityFormation, "f")
	if archived {
		return q.Where("f.archived_at IS NOT NULL")
	}
	return q.Where("f.archived_at IS NULL")
}

const formationColumns = `f.*, fm.libelle AS module_libelle, fp.annee_scolaire AS plan_annee, fp.titre AS plan_titre,
	fci.nom AS circonscription_nom,
	CASE WHEN fc.id IS NULL THEN NULL ELSE TRIM(fc.prenom || ' ' || fc.nom) END AS formateur_nom,
	(SELECT COALESCE(SUM(fi.effectif), 0) FROM formation_inscriptions fi
		WHERE fi.formation_id = f.id AND fi.statut = 'attente') AS en_attente`

// withFormationNames selects the columns of FormationRow.
func withFormationNames(q *gorm.DB) *gorm.DB {
	return q.Select(formationColumns).Joins("JOIN formation_modules fm ON fm.id = f.module_id").
		Joins("JOIN plans_formation fp ON fp.id = f.plan_id").
		Joins("LEFT JOIN circonscriptions fci ON fci.code = f.code_circonscription").
		Joins("LEFT JOIN contacts fc ON fc.id = f.formateur_id")
}

func filterFormations(q *gorm.DB, f FormationFilter) *gorm.DB {
	if a := dbText(f.Annee); a != "" {
		q = q.Where("f.plan_id IN (SELECT ffp.id FROM plans_formation ffp WHERE ffp.annee_scolaire = ?)", a)
	}
	if d := dbText(f.Departement); d != "" {
		q = q.Where("f.departement_code = ?", d)
	}
	switch c := strings.ToUpper(dbText(f.Circonscription)); c {
	case "":
	case "DEPARTEMENT":
		q = q.Where("f.code_circonscription IS NULL")
	default:
		q = q.Where("f.code_circonscription = ?", c)
	}
	if f.ModuleID > 0 {
		q = q.Where("f.module_id = ?", f.ModuleID)
	}
	if p := dbText(f.Public); p != "" {
		q = q.Where("f.public = ?", p)
	}
	switch st := dbText(f.Statut); st {
	case "":
	case FormationAClore:
		q = q.Where("f.statut IN ('planifiee', 'ouverte', 'complete') AND f.date_session < ?", f.today)
	default:
		q = q.Where("f.statut = ?", st)
	}
	if f.Du != nil {
		q = q.Where("f.date_session >= ?", f.Du.Format(time.DateOnly))
	}
	if f.Au != nil {
		q = q.Where("f.date_session < ?", f.Au.AddDate(0, 0, 1).Format(time.DateOnly))
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		like := likeContains(text)
		q = q.Where(`(LOWER(f.lieu) LIKE ? ESCAPE '\' OR f.module_id IN
			(SELECT fqm.id FROM formation_modules fqm WHERE LOWER(fqm.libelle) LIKE ? ESCAPE '\'))`, like, like)
	}
	return q
}

// formationsOrder is the order of the sessions: by day, then start time.
var formationsOrder = fixedOrder("formations", false, timeCol("f.date_session"), textCol("f.heure_debut"), intCol("f.id"))

// ListFormations returns one page of the live sessions of the scope matching f, by day.
func (s *Store) ListFormations(ctx context.Context, scope Scope, f FormationFilter, p PageRequest) (Page[FormationRow], error) {
	db := s.db.WithContext(ctx)
	f.today = s.today()
	lq := listQuery{rows: func() *gorm.DB { return filterFormations(formationsIn(db, scope, false), f) }, order: formationsOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]FormationRow, error) {
		var rows []FormationRow
		err := withFormationNames(formationsIn(db, scope, false)).Where("f.id IN ?", ids).Scan(&rows).Error
		return rows, err
	}, func(r FormationRow) int64 { return r.ID })
}

// EachFormation calls fn for every live session of the scope matching f, in list order, by
// batches of 500 (the exports, the calendar feeds).
func (s *Store) EachFormation(ctx context.Context, scope Scope, f FormationFilter, fn func(FormationRow) error) error {
	db := s.db.WithContext(ctx)
	f.today = s.today()
	return eachInBatches(500, func(limit, offset int) ([]FormationRow, error) {
		var rows []FormationRow
		err := withFormationNames(filterFormations(formationsIn(db, scope, false), f)).
			Order("f.date_session, f.heure_debut, f.id").Limit(limit).Offset(offset).Scan(&rows).Error
		return rows, err
	}, fn)
}

func (s *Store) getFormation(tx *gorm.DB, scope Scope, id int64, archived bool) (FormationRow, error) {
	var rows []FormationRow
	if err := withFormationNames(formationsIn(tx, scope, archived)).Where("f.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return FormationRow{}, err
	}
	if len(rows) == 0 {
		return FormationRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetFormation returns one live session of the scope; ErrNotFound otherwise.
// FormateurLisible says whether the scope reads the trainer's contact page.
func (s *Store) GetFormation(ctx context.Context, scope Scope, id int64) (FormationRow, error) {
	db := s.db.WithContext(ctx)
	row, err := s.getFormation(db, scope, id, false)
	if err != nil || row.FormateurID == nil {
		return row, err
	}
	ok, err := readableContacts(db, scope, []int64{*row.FormateurID})
	row.FormateurLisible = ok[*row.FormateurID]
	return row, err
}

// FormationWarnings lists what is unusual about the day of a session: a weekend, a public
// holiday, zone C school holidays. Scheduling is still allowed.
func (s *Store) FormationWarnings(ctx context.Context, f Formation) ([]string, error) {
	if f.DateSession.IsZero() {
		return nil, nil
	}
	return s.MeetingWarnings(ctx, f.Debut())
}
