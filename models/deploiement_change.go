package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DeploiementEdit is what one change sets on the deployment of the école UAI: the fields
// set (non-nil, non-empty) change, the others are kept. It is the one write path of the
// deployments: the bulk form of the list, the import of a status file and a retained
// candidature all build edits and call ChangeDeploiements.
type DeploiementEdit struct {
	UAI                string
	Phase              string     // "" keeps the phase
	DateEffet          time.Time  // effective date of the new phase (today when zero)
	VagueID            *int64     // nil keeps the wave; 0 takes the école out of its wave
	SolutionID         *int64     // nil keeps the solution; 0 clears it
	OuverturePrevue    *time.Time // nil keeps; the zero time clears
	OuvertureEffective *time.Time // nil keeps; the zero time clears
}

// DeploiementGuard says how a change detects that the deployments it changes were changed
// since the user read them: by the version each école's deployment had (0 for an école that
// had none), or by the time the user read the page (every deployment updated after it is a
// conflict). Both may be empty (a change that was read in its own transaction).
type DeploiementGuard struct {
	Versions map[string]int
	ReadAt   time.Time
}

// DeploiementConflict is one école whose deployment changed under a change.
type DeploiementConflict struct {
	UAI       string
	Nom       string
	By        string
	At        time.Time
	Version   int
	UpdatedAt time.Time
}

// DeploiementConflictError is returned when some of the écoles of a change were changed
// since they were read: nothing is written, and the user is told which.
type DeploiementConflictError struct{ Ecoles []DeploiementConflict }

func (e *DeploiementConflictError) Error() string {
	return fmt.Sprintf("%d école(s) modifiée(s) entre-temps", len(e.Ecoles))
}

// Is makes a DeploiementConflictError an ErrConflict.
func (e *DeploiementConflictError) Is(target error) bool { return target == ErrConflict }

// DeploiementResult counts what a change did.
type DeploiementResult struct {
	Created   []string // écoles that had no deployment
	Changed   []string // écoles whose deployment changed
	Unchanged []string // écoles the change left as they were
}

// deploiementBatch bounds the écoles read or written by one statement.
const deploiementBatch = 500

// ChangeDeploiements applies the edits in one transaction, all or nothing: every école must
// exist (a *ValidationError names the unknown ones) and be written by the actor (ErrForbidden
// otherwise, for the whole change: a 94 école slipped into a 93 selection changes nothing);
// an école changed since it was read (guard) makes a *DeploiementConflictError. Each école
// that changes gets one audit event, a new version and, when its phase changes, a line of
// history; the kept figures of its département follow.
func (s *Store) ChangeDeploiements(ctx context.Context, actor Actor, edits []DeploiementEdit, guard DeploiementGuard) (DeploiementResult, error) {
	var res DeploiementResult
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		res, err = s.changeDeploiementsTx(tx, actor, edits, guard)
		return err
	})
	if err != nil {
		return DeploiementResult{}, err
	}
	return res, nil
}

// changeDeploiementsTx is ChangeDeploiements inside the caller's transaction tx: a write
// of another record that changes deployments with it (a retained candidature) is one
// transaction, all or nothing.
func (s *Store) changeDeploiementsTx(tx *gorm.DB, actor Actor, edits []DeploiementEdit, guard DeploiementGuard) (DeploiementResult, error) {
	if err := checkEdits(actor, edits); err != nil {
		return DeploiementResult{}, err
	}
	cur, err := s.deploiementsToChange(tx, actor, edits)
	if err != nil {
		return DeploiementResult{}, err
	}
	if err := s.guardDeploiements(tx, cur, guard); err != nil {
		return DeploiementResult{}, err
	}
	if err := checkEditTargets(tx, edits); err != nil {
		return DeploiementResult{}, err
	}
	return s.writeDeploiements(tx, actor, cur, edits)
}

// checkEdits refuses what the actor's role may not change: the IEN sets the phase and the
// dates, not the wave nor the solution; the phases must be known.
func checkEdits(actor Actor, edits []DeploiementEdit) error {
	verr := &ValidationError{}
	seen := make(map[string]int, len(edits))
	for i, e := range edits {
		if first, ok := seen[e.UAI]; ok {
			verr.Add(i+1, "uai", fmt.Sprintf("L'école %s figure déjà ligne %d.", e.UAI, first))
		}
		seen[e.UAI] = i + 1
		if e.Phase != "" && LabelOf(DeploiementPhases, e.Phase) == e.Phase {
			verr.Add(i+1, "phase", "Phase inconnue : « "+e.Phase+" ».")
		}
		if actor.Role == RoleIEN && (e.VagueID != nil || e.SolutionID != nil) {
			return ErrForbidden
		}
	}
	return verr.OrNil()
}

// ecoleTarget is an école of a change with its deployment as it is (ID 0: none yet).
type ecoleTarget struct {
	Ecole       ecolePlace
	Deploiement Deploiement
}

// ecolePlace is the territory of an école, copied on its deployment.
type ecolePlace struct {
	UAI                 string `gorm:"column:uai"`
	Nom                 string
	DepartementCode     string
	CodeCirconscription *string
	CodeINSEE           string `gorm:"column:code_insee"`
}

// deploiementsToChange reads the écoles of the edits that the actor writes, with their
// deployments; unknown écoles are a *ValidationError, écoles outside the actor's writes
// ErrForbidden.
func (s *Store) deploiementsToChange(tx *gorm.DB, actor Actor, edits []DeploiementEdit) (map[string]*ecoleTarget, error) {
	out, n, err := readEcoleTargets(tx, actor, edits)
	if err != nil || len(out) == n {
		return out, err
	}
	return nil, missingEcoles(tx, edits, out)
}

// readEcoleTargets reads the écoles of the edits that the actor writes, with their
// deployments, and counts the distinct écoles of the edits.
func readEcoleTargets(tx *gorm.DB, actor Actor, edits []DeploiementEdit) (map[string]*ecoleTarget, int, error) {
	uais := make([]string, 0, len(edits))
	for _, e := range edits {
		uais = append(uais, e.UAI)
	}
	slices.Sort(uais)
	uais = slices.Compact(uais)
	out := make(map[string]*ecoleTarget, len(uais))
	for chunk := range slices.Chunk(uais, deploiementBulk) {
		var places []ecolePlace
		in, set := uaiSet(tx, "w.uai", chunk)
		q := writableIn(tx.Table("ecoles AS w"), actor, EntityDeploiement, "w").Where(in, set)
		if err := q.Select("w.uai, w.nom, w.departement_code, w.code_circonscription, w.code_insee").Find(&places).Error; err != nil {
			return nil, 0, err
		}
		for _, p := range places {
			out[p.UAI] = &ecoleTarget{Ecole: p}
		}
		var deps []Deploiement
		in, set = uaiSet(tx, "uai", chunk)
		if err := tx.Omit("created_at").Where(in, set).Find(&deps).Error; err != nil {
			return nil, 0, err
		}
		for _, d := range deps {
			if t := out[d.UAI]; t != nil {
				t.Deploiement = d
			}
		}
	}
	return out, len(uais), nil
}

// missingEcoles explains why some écoles of a change were not read: unknown UAI (a
// *ValidationError with the line of each edit), or outside the actor's writes.
func missingEcoles(tx *gorm.DB, edits []DeploiementEdit, found map[string]*ecoleTarget) error {
	var missing []string
	for _, e := range edits {
		if found[e.UAI] == nil {
			missing = append(missing, e.UAI)
		}
	}
	known, err := knownEcoles(tx, missing)
	if err != nil {
		return err
	}
	if len(known) > 0 {
		return ErrForbidden
	}
	verr := &ValidationError{}
	for i, e := range edits {
		if found[e.UAI] == nil {
			verr.Add(i+1, "uai", "École inconnue : UAI « "+e.UAI+" ».")
		}
	}
	return verr
}

// knownEcoles returns those of the UAI uais that name an école, whatever its territory.
func knownEcoles(tx *gorm.DB, uais []string) ([]string, error) {
	var known []string
	for chunk := range slices.Chunk(uais, deploiementBatch) {
		var some []string
		if err := tx.Table("ecoles").Where("uai IN ?", chunk).Pluck("uai", &some).Error; err != nil {
			return nil, err
		}
		known = append(known, some...)
	}
	return known, nil
}

// guardDeploiements returns a *DeploiementConflictError listing the écoles changed since
// they were read, with who changed them last.
func (s *Store) guardDeploiements(tx *gorm.DB, cur map[string]*ecoleTarget, g DeploiementGuard) error {
	var conflicts []DeploiementConflict
	for uai, t := range cur {
		d := t.Deploiement
		stale := false
		if v, ok := g.Versions[uai]; ok && v != d.Version {
			stale = true
		}
		if !g.ReadAt.IsZero() && d.ID != 0 && d.UpdatedAt.After(g.ReadAt) {
			stale = true
		}
		if stale {
			conflicts = append(conflicts, DeploiementConflict{UAI: uai, Nom: t.Ecole.Nom, Version: d.Version, UpdatedAt: d.UpdatedAt})
		}
	}
	if len(conflicts) == 0 {
		return nil
	}
	slices.SortFunc(conflicts, func(a, b DeploiementConflict) int { return strings.Compare(a.Nom+a.UAI, b.Nom+b.UAI) })
	for i := range conflicts {
		var ev AuditEvent
		err := tx.Where("entity = ? AND entity_id = ?", "deploiement", conflicts[i].UAI).Order("at DESC, id DESC").Limit(1).Find(&ev).Error
		if err != nil {
			return err
		}
		conflicts[i].By, conflicts[i].At = ev.Actor, ev.At
	}
	return &DeploiementConflictError{Ecoles: conflicts}
}

// checkEditTargets checks that the waves and solutions the edits name exist and are live,
// reading each table once.
func checkEditTargets(tx *gorm.DB, edits []DeploiementEdit) error {
	live := func(table string, pick func(DeploiementEdit) *int64) (map[int64]bool, error) {
		var ids []int64
		for _, e := range edits {
			if id := pick(e); id != nil && *id != 0 {
				ids = append(ids, *id)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		out := map[int64]bool{}
		if len(ids) == 0 {
			return out, nil
		}
		var found []int64
		err := tx.Table(table).Where("id IN ? AND archived_at IS NULL", ids).Pluck("id", &found).Error
		for _, id := range found {
			out[id] = true
		}
		return out, err
	}
	vagues, err := live("vagues", func(e DeploiementEdit) *int64 { return e.VagueID })
	if err != nil {
		return err
	}
	solutions, err := live("solutions_ent", func(e DeploiementEdit) *int64 { return e.SolutionID })
	if err != nil {
		return err
	}
	verr := &ValidationError{}
	for i, e := range edits {
		if e.VagueID != nil && *e.VagueID != 0 && !vagues[*e.VagueID] {
			verr.Add(i+1, "vague", "Vague inconnue ou archivée.")
		}
		if e.SolutionID != nil && *e.SolutionID != 0 && !solutions[*e.SolutionID] {
			verr.Add(i+1, "solution", "Solution ENT inconnue ou archivée.")
		}
	}
	return verr.OrNil()
}
