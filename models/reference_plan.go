package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Limits of a baseline's texts, in characters.
const (
	MaxReferenceNom   = 200
	MaxReferenceNotes = 5000
)

// PlanReference is a baseline of the plan: the planned dates of the waves, milestones and
// écoles of a territory (the académie, or a département) frozen under a name at a date.
// Its rows are never changed: a new baseline is frozen instead.
type PlanReference struct {
	ID              int64
	Nom             string
	DateGel         time.Time
	DepartementCode *string
	GelePar         string
	Notes           string
	CreatedAt       time.Time
	Version         int
}

// TableName is the plan_references table.
func (PlanReference) TableName() string { return "plan_references" }

// ReferenceRow is a baseline with what it holds.
type ReferenceRow struct {
	PlanReference
	DepartementNom string
	NbVagues       int64
	NbJalons       int64
	NbEcoles       int64
}

// ScopeLabel is "Académie" or "93 — Seine-Saint-Denis".
func (r ReferenceRow) ScopeLabel() string {
	if r.DepartementCode == nil {
		return "Académie"
	}
	return *r.DepartementCode + " — " + r.DepartementNom
}

var referenceFields = []Choice{{"nom", "Nom"}, {"perimetre", "Périmètre"}, {"notes", "Notes"},
	{"vagues", "Vagues"}, {"jalons", "Jalons"}, {"ecoles", "Écoles"}}

func (r ReferenceRow) auditValues() map[string]string {
	return map[string]string{"nom": r.Nom, "perimetre": r.ScopeLabel(), "notes": r.Notes,
		"vagues": strconv.FormatInt(r.NbVagues, 10), "jalons": strconv.FormatInt(r.NbJalons, 10),
		"ecoles": strconv.FormatInt(r.NbEcoles, 10)}
}

// referenceScope is the territory a baseline holds: the académie, or its département.
func referenceScope(dep *string) Scope {
	if dep == nil {
		return AcademieScope()
	}
	return Scope{Kind: ScopeDepartement, Departements: []string{*dep}}
}

// CanFreezeReference reports whether the actor may freeze a baseline: the académie's for
// the pilotes and the administrator, their département's for an IA-DASEN.
func CanFreezeReference(actor Actor) bool {
	_, ok := freezeTerritory(actor)
	return ok && CanCreate(actor, EntityReference)
}

// freezeTerritory is the département of the baseline the actor freezes (nil: the académie).
func freezeTerritory(actor Actor) (*string, bool) {
	if actor.Scope.CoversAcademie() {
		return nil, true
	}
	if dep := actor.Scope.SoleDepartement(); dep != "" {
		return &dep, true
	}
	return nil, false
}

// FreezeReference freezes the plan of the actor's territory under nom, in one transaction:
// the planned opening of its waves, the planned day of its live milestones, and the wave
// and planned opening of each of its écoles' deployments, copied by INSERT ... SELECT.
// ErrForbidden for a role that freezes nothing; *ValidationError for a bad name or notes.
func (s *Store) FreezeReference(ctx context.Context, actor Actor, nom, notes string) (ReferenceRow, error) {
	nom, notes = strings.TrimSpace(nom), strings.TrimSpace(strings.ReplaceAll(notes, "\r\n", "\n"))
	var errs ValidationError
	if msg := textProblem("Le nom", nom, MaxReferenceNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	if msg := textProblem("Les notes", notes, MaxReferenceNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	if err := errs.OrNil(); err != nil {
		return ReferenceRow{}, err
	}
	dep, ok := freezeTerritory(actor)
	if !ok {
		return ReferenceRow{}, ErrForbidden
	}
	var row ReferenceRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		may, err := writesPlace(tx, actor, EntityReference, map[string]*string{"departement_code": dep}, nil)
		if err != nil {
			return err
		}
		if !may {
			return ErrForbidden
		}
		now := s.now().UTC()
		r := PlanReference{Nom: nom, Notes: notes, DepartementCode: dep, DateGel: now, GelePar: actor.Name, CreatedAt: now, Version: 1}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if err := copyPlan(tx, r.ID, referenceScope(dep)); err != nil {
			return err
		}
		if row, err = getReference(tx, actor.Scope, r.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "reference", strconv.FormatInt(r.ID, 10), diff(referenceFields, nil, row.auditValues()))
	})
	return row, err
}

// copyPlan copies the planned dates of the territory sc into the baseline id.
func copyPlan(tx *gorm.DB, id int64, sc Scope) error {
	vagues := sc.restrictTo(tx.Table("vagues AS v"), EntityVague, "v").Where("v.archived_at IS NULL").Select("v.id")
	if err := tx.Exec(`INSERT INTO plan_reference_vagues (reference_id, vague_id, ouverture_prevue)
		SELECT ?, pv.id, pv.ouverture_prevue FROM vagues pv WHERE pv.id IN (?)`, id, vagues).Error; err != nil {
		return err
	}
	jalons := sc.restrictTo(tx.Table("jalons AS j"), EntityJalon, "j").Where("j.archived_at IS NULL").Select("j.id")
	if err := tx.Exec(`INSERT INTO plan_reference_jalons (reference_id, jalon_id, date_prevue)
		SELECT ?, pj.id, pj.date_prevue FROM jalons pj WHERE pj.id IN (?)`, id, jalons).Error; err != nil {
		return err
	}
	q := `INSERT INTO plan_reference_ecoles (reference_id, uai, vague_id, ouverture_prevue)
		SELECT ?, d.uai, d.vague_id, d.ouverture_prevue FROM deploiements d`
	if sc.CoversAcademie() {
		return tx.Exec(q, id).Error
	}
	return tx.Exec(q+" WHERE d.departement_code IN ?", id, sc.Departements).Error
}

const referenceColumns = `r.*, COALESCE(rd.nom, '') AS departement_nom,
	(SELECT COUNT(*) FROM plan_reference_vagues rv WHERE rv.reference_id = r.id) AS nb_vagues,
	(SELECT COUNT(*) FROM plan_reference_jalons rj WHERE rj.reference_id = r.id) AS nb_jalons,
	(SELECT COUNT(*) FROM plan_reference_ecoles re WHERE re.reference_id = r.id) AS nb_ecoles`

func referencesIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("plan_references AS r"), EntityReference, "r")
}

func withReferenceCounts(q *gorm.DB) *gorm.DB {
	return q.Select(referenceColumns).Joins("LEFT JOIN departements rd ON rd.code = r.departement_code")
}

// referencesOrder is the order of the baselines: latest frozen first.
var referencesOrder = fixedOrder("references", true, timeCol("r.date_gel"), intCol("r.id"))

// ListReferences returns one page of the baselines the scope reads, latest first: the
// académie's and those of the scope's départements.
func (s *Store) ListReferences(ctx context.Context, scope Scope, p PageRequest) (Page[ReferenceRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return referencesIn(db, scope) }, order: referencesOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]ReferenceRow, error) {
		var rows []ReferenceRow
		err := withReferenceCounts(referencesIn(db, scope)).Where("r.id IN ?", ids).Scan(&rows).Error
		return rows, err
	}, func(r ReferenceRow) int64 { return r.ID })
}

// ReferenceChoices lists the baselines the scope reads, latest first, for the choosers of
// the timeline and of the comparisons.
func (s *Store) ReferenceChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []PlanReference
	if err := referencesIn(s.db.WithContext(ctx), scope).Select("r.*").Order("r.date_gel DESC, r.id DESC").
		Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, 0, len(rows))
	for _, r := range rows {
		label := r.Nom + " (gelée le " + r.DateGel.Format("02/01/2006") + ")"
		out = append(out, Choice{Value: strconv.FormatInt(r.ID, 10), Label: label})
	}
	return out, nil
}

func getReference(tx *gorm.DB, scope Scope, id int64) (ReferenceRow, error) {
	var rows []ReferenceRow
	if err := withReferenceCounts(referencesIn(tx, scope)).Where("r.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return ReferenceRow{}, err
	}
	if len(rows) == 0 {
		return ReferenceRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetReference returns one baseline the scope reads; ErrNotFound otherwise.
func (s *Store) GetReference(ctx context.Context, scope Scope, id int64) (ReferenceRow, error) {
	return getReference(s.db.WithContext(ctx), scope, id)
}
