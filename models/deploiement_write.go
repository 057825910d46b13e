package models

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
)

// deploiementFields are the audited fields of a deployment.
var deploiementFields = []Choice{
	{"phase", "Phase"},
	{"date_phase", "Date d'effet de la phase"},
	{"vague", "Vague"},
	{"solution", "Solution ENT"},
	{"ouverture_prevue", "Ouverture prévue"},
	{"ouverture_effective", "Ouverture effective"},
}

// names are the names of the waves and solutions, for the audit's values.
type deploiementNames struct{ vagues, solutions map[int64]string }

func loadDeploiementNames(tx *gorm.DB) (deploiementNames, error) {
	n := deploiementNames{vagues: map[int64]string{}, solutions: map[int64]string{}}
	type row struct {
		ID  int64
		Nom string
	}
	var rows []row
	if err := tx.Table("vagues").Select("id, nom").Find(&rows).Error; err != nil {
		return n, err
	}
	for _, r := range rows {
		n.vagues[r.ID] = r.Nom
	}
	rows = nil
	if err := tx.Table("solutions_ent").Select("id, produit AS nom").Find(&rows).Error; err != nil {
		return n, err
	}
	for _, r := range rows {
		n.solutions[r.ID] = r.Nom
	}
	return n, nil
}

// auditValues are the values of the deployment as the audit shows them.
func (n deploiementNames) auditValues(d Deploiement) map[string]string {
	if d.ID == 0 {
		return map[string]string{}
	}
	name := func(m map[int64]string, id *int64) string {
		if id == nil {
			return ""
		}
		return m[*id]
	}
	return map[string]string{
		"phase": d.PhaseLabel(), "date_phase": frDate(&d.DatePhase),
		"vague": name(n.vagues, d.VagueID), "solution": name(n.solutions, d.SolutionID),
		"ouverture_prevue": frDate(d.OuverturePrevue), "ouverture_effective": frDate(d.OuvertureEffective),
	}
}

// applyEdit returns the deployment d (of école p) as the edit makes it, on today.
func applyEdit(d Deploiement, p ecolePlace, e DeploiementEdit, today time.Time) Deploiement {
	next := d
	next.DepartementCode, next.CodeCirconscription, next.CodeINSEE, next.UAI = p.DepartementCode, p.CodeCirconscription, p.CodeINSEE, p.UAI
	effet := e.DateEffet
	if effet.IsZero() {
		effet = today
	}
	if d.ID == 0 {
		next.Phase, next.DatePhase = "candidate", effet
	}
	if e.Phase != "" && e.Phase != next.Phase {
		next.Phase, next.DatePhase = e.Phase, effet
	}
	setID := func(v *int64) *int64 {
		if *v == 0 {
			return nil
		}
		id := *v
		return &id
	}
	if e.VagueID != nil {
		next.VagueID = setID(e.VagueID)
	}
	if e.SolutionID != nil {
		next.SolutionID = setID(e.SolutionID)
	}
	setDate := func(v *time.Time) *time.Time {
		if v.IsZero() {
			return nil
		}
		t := dateOnly(*v)
		return &t
	}
	if e.OuverturePrevue != nil {
		next.OuverturePrevue = setDate(e.OuverturePrevue)
	}
	if e.OuvertureEffective != nil {
		next.OuvertureEffective = setDate(e.OuvertureEffective)
	}
	// An école that opens without an actual opening date given opened on the effective
	// date of its new phase: its slippage then counts from that day, not from today.
	if PhaseOpen(next.Phase) && !PhaseOpen(d.Phase) && next.OuvertureEffective == nil {
		next.OuvertureEffective = setDate(&effet)
	}
	next.DatePhase = dateOnly(next.DatePhase)
	return next
}

// deploiementStep is what an edit does to its école: the deployment before and after, the
// audited changes and the action ("creation", "modification", or "" when unchanged). Both
// the preview of a change and its writing are made of these steps.
type deploiementStep struct {
	Edit    DeploiementEdit
	Ecole   ecolePlace
	Before  Deploiement
	Next    Deploiement
	Changes []Change
	Action  string
}

// planDeploiements computes, without writing, what each edit does to the écoles read (cur).
func planDeploiements(cur map[string]*ecoleTarget, edits []DeploiementEdit, names deploiementNames, today time.Time) []deploiementStep {
	steps := make([]deploiementStep, 0, len(edits))
	for _, e := range edits {
		t := cur[e.UAI]
		st := deploiementStep{Edit: e, Ecole: t.Ecole, Before: t.Deploiement}
		st.Next = applyEdit(st.Before, t.Ecole, e, today)
		st.Changes = diff(deploiementFields, names.auditValues(st.Before), names.auditValues(st.Next))
		switch {
		case st.Before.ID == 0:
			st.Action = "creation"
		case len(st.Changes) > 0:
			st.Action = "modification"
		}
		steps = append(steps, st)
	}
	return steps
}

// writeDeploiements writes the edits on the écoles read (cur): inserts, updates grouped by
// identical new values, history, audit and the kept figures.
func (s *Store) writeDeploiements(tx *gorm.DB, actor Actor, cur map[string]*ecoleTarget, edits []DeploiementEdit) (DeploiementResult, error) {
	var res DeploiementResult
	names, err := loadDeploiementNames(tx)
	if err != nil {
		return res, err
	}
	now := s.now().UTC()
	inserts := make([]Deploiement, 0, len(edits))
	history := make([]DeploiementPhase, 0, len(edits))
	events := make([]AuditEvent, 0, len(edits))
	updates := make([]deploiementUpdate, 0, len(edits))
	deps := map[string]bool{}
	for _, st := range planDeploiements(cur, edits, names, s.todayDate()) {
		uai, before, next := st.Edit.UAI, st.Before, st.Next
		if st.Action == "" {
			res.Unchanged = append(res.Unchanged, uai)
			continue
		}
		if before.ID == 0 || next.Phase != before.Phase {
			history = append(history, DeploiementPhase{UAI: uai, Phase: next.Phase, DateEffet: next.DatePhase, At: now, Actor: actor.Name})
		}
		if before.ID == 0 {
			next.CreatedAt, next.UpdatedAt, next.Version = now, now, 1
			inserts = append(inserts, next)
			res.Created = append(res.Created, uai)
		} else {
			updates = append(updates, deploiementUpdate{Before: before, Next: next})
			res.Changed = append(res.Changed, uai)
		}
		deps[st.Ecole.DepartementCode] = true
		events = append(events, s.deploiementEvent(actor, st.Action, uai, st.Changes, now))
	}
	if err := s.flushDeploiements(tx, inserts, updates, history, events, now); err != nil {
		return res, err
	}
	return res, refreshDeploiementFigures(tx, slices.Sorted(maps.Keys(deps))...)
}

// deploiementEvent is the audit event of one école's change.
func (s *Store) deploiementEvent(actor Actor, action, uai string, changes []Change, now time.Time) AuditEvent {
	if changes == nil {
		changes = []Change{}
	}
	b, _ := json.Marshal(changes) // a list of strings always encodes
	ev := AuditEvent{At: now, Actor: actor.Name, Role: string(actor.Role), Scope: actor.Scope.String(),
		Action: action, Entity: "deploiement", EntityID: uai, Changes: string(b), RequestID: actor.RequestID}
	if actor.UserID != 0 {
		ev.ActorID = &actor.UserID
	}
	return ev
}

// flushDeploiements writes what writeDeploiements prepared, in batches.
func (s *Store) flushDeploiements(tx *gorm.DB, inserts []Deploiement, updates []deploiementUpdate, history []DeploiementPhase, events []AuditEvent, now time.Time) error {
	if err := s.bulkWriteDeploiements(tx, inserts, updates, now); err != nil {
		return err
	}
	return s.writeLog(tx, history, events)
}

// deploiementFiguresSQL recomputes the kept figures of the départements given.
var deploiementFiguresSQL = []string{
	"DELETE FROM chiffres_deploiements WHERE departement_code IN ?",
	`INSERT INTO chiffres_deploiements (departement_code, phase, nb_ecoles, nb_eleves)
	SELECT d.departement_code, d.phase, COUNT(*), COALESCE(SUM(e.nb_eleves), 0)
	FROM deploiements d JOIN ecoles e ON e.uai = d.uai
	WHERE d.departement_code IN ? GROUP BY d.departement_code, d.phase`,
}

// refreshDeploiementFigures recomputes the kept figures of the deployments of the
// départements deps.
func refreshDeploiementFigures(tx *gorm.DB, deps ...string) error {
	if len(deps) == 0 {
		return nil
	}
	for _, q := range deploiementFiguresSQL {
		if err := tx.Exec(q, deps).Error; err != nil {
			return err
		}
	}
	return refreshTrainingCoverageOf(tx, "departement_code", deps)
}
