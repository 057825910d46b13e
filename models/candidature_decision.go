package models

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Scoring a candidature and deciding on it: the IA-DASEN of its département, a pilote or
// the administrator (CanScoreCandidature). Both change the candidature's version, so that a
// score or a decision typed on a stale page is refused.

// NoteInput is the score of one criterion typed in the scoring form: Note "" leaves the
// criterion unscored (and removes its score).
type NoteInput struct {
	CritereID   int64
	Note        string
	Commentaire string
}

// ScoreCandidature sets the scores of the candidature's criteria (field errors under
// "note_<critere id>" and "commentaire_<critere id>") in one audited transaction.
func (s *Store) ScoreCandidature(ctx context.Context, actor Actor, id int64, version int, in []NoteInput) (CandidatureRow, error) {
	var row CandidatureRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getCandidature(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if !CanScoreCandidature(actor, before) {
			return ErrForbidden
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "candidature", key, before)
		}
		notes, err := candidatureNotes(tx, before)
		if err != nil {
			return err
		}
		changes, err := s.writeNotes(tx, actor, id, notes, in)
		if err != nil {
			return err
		}
		if err := s.updateVersioned(tx, &Candidature{}, "candidature", id, version, map[string]any{},
			func() (any, error) { return getCandidature(tx, actor.Scope, id) }); err != nil {
			return err
		}
		if row, err = getCandidature(tx, actor.Scope, id); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "candidature", key, changes)
	})
	return row, err
}

// writeNotes checks and writes the scores typed for the campaign's criteria (notes, as
// they are) and returns the audit's changes.
func (s *Store) writeNotes(tx *gorm.DB, actor Actor, id int64, notes []CandidatureNote, in []NoteInput) ([]Change, error) {
	typed := map[int64]NoteInput{}
	for _, n := range in {
		typed[n.CritereID] = n
	}
	var errs ValidationError
	var changes []Change
	now := s.now().UTC()
	for _, cur := range notes {
		n := typed[cur.CritereID]
		field := strconv.FormatInt(cur.CritereID, 10)
		com := strings.TrimSpace(strings.ReplaceAll(n.Commentaire, "\r\n", "\n"))
		if msg := textProblem("Le commentaire", com, MaxNoteCommentaire, false, true); msg != "" {
			errs.Add(0, "commentaire_"+field, msg)
		}
		var note *int
		if v := strings.TrimSpace(n.Note); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil || x < 0 || x > 5 {
				errs.Add(0, "note_"+field, "La note est un nombre entier de 0 à 5.")
				continue
			}
			note = &x
		} else if com != "" {
			errs.Add(0, "note_"+field, "Choisissez une note pour accompagner le commentaire.")
			continue
		}
		old, now2 := noteText(cur.Note, cur.Commentaire), noteText(note, com)
		if old == now2 || len(errs.Errors) > 0 {
			continue
		}
		changes = append(changes, Change{Field: "note_" + field, Label: "Note : " + cur.Libelle, Old: old, New: now2})
		if err := tx.Where("candidature_id = ? AND critere_id = ?", id, cur.CritereID).Delete(&candidatureNote{}).Error; err != nil {
			return nil, err
		}
		if note != nil {
			if err := tx.Create(&candidatureNote{id, cur.CritereID, *note, com, actor.Name, now}).Error; err != nil {
				return nil, err
			}
		}
	}
	return changes, errs.OrNil()
}

// candidatureNote is a row of candidature_notes.
type candidatureNote struct {
	CandidatureID int64
	CritereID     int64
	Note          int
	Commentaire   string
	NotedBy       string
	UpdatedAt     time.Time
}

func (candidatureNote) TableName() string { return "candidature_notes" }

func noteText(note *int, com string) string {
	if note == nil {
		return ""
	}
	t := strconv.Itoa(*note) + "/5"
	if com != "" {
		t += " — " + com
	}
	return t
}

// DecisionCandidatureInput is the decision form: the decision ("" reopens the
// candidature), its date (JJ/MM/AAAA) and optionally the décision of the register that
// took it.
type DecisionCandidatureInput struct {
	Decision   string
	Date       string
	DecisionID int64
}

// DecideCandidature records the decision on a candidature. Retaining it puts its écoles in
// the campaign's pilot wave, phase "pilote" from the decision's date, through the one write
// path of the deployments in the same transaction: all or nothing, one audit event for the
// candidature and one per école. A decision changed later leaves the deployments as they
// are (they are changed on their own pages).
func (s *Store) DecideCandidature(ctx context.Context, actor Actor, id int64, version int, in DecisionCandidatureInput) (CandidatureRow, DeploiementResult, error) {
	var res DeploiementResult
	var verr error
	edit := candidatureEdit(func(_ *gorm.DB, c CandidatureRow) error { return forbiddenUnless(CanScoreCandidature(actor, c)) })
	row, err := edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before CandidatureRow) (map[string]any, error) {
		set, date, err := checkCandidatureDecision(tx, actor, in)
		if err != nil || in.Decision != "retenue" {
			return set, err
		}
		if before.CampagneVagueID == nil {
			return nil, &ValidationError{Errors: []FieldError{{Field: "decision",
				Msg: "La campagne n'a pas de vague pilote : choisissez-la dans la campagne avant de retenir une candidature."}}}
		}
		edits := make([]DeploiementEdit, len(before.Ecoles))
		for i, e := range before.Ecoles {
			edits[i] = DeploiementEdit{UAI: e.Code, Phase: "pilote", DateEffet: date, VagueID: before.CampagneVagueID}
		}
		if len(edits) > 0 {
			res, verr = s.changeDeploiementsTx(tx, actor, edits, DeploiementGuard{})
			var ve *ValidationError
			if errors.As(verr, &ve) {
				return nil, &ValidationError{Errors: []FieldError{{Field: "decision", Msg: "Les écoles n'ont pas pu entrer dans la vague pilote : " + ve.Error()}}}
			}
			if verr != nil {
				return nil, verr
			}
		}
		return set, nil
	}, nil)
	if err != nil {
		return row, DeploiementResult{}, err
	}
	return row, res, nil
}

// checkCandidatureDecision validates the decision form and returns the columns it sets.
func checkCandidatureDecision(tx *gorm.DB, actor Actor, in DecisionCandidatureInput) (map[string]any, time.Time, error) {
	var errs ValidationError
	d := strings.TrimSpace(in.Decision)
	var date time.Time
	if d != "" && LabelOf(CandidatureDecisions, d) == d {
		errs.Add(0, "decision", "Décision inconnue : choisissez dans la liste.")
	}
	var day *time.Time
	if d != "" {
		if strings.TrimSpace(in.Date) == "" {
			errs.Add(0, "date", "Indiquez la date de la décision (JJ/MM/AAAA).")
		} else if day = optionalDay(&errs, "date", "La date de la décision", in.Date); day != nil {
			date = *day
		}
	}
	var ref *int64
	if in.DecisionID > 0 {
		ok, err := reads(tx, actor.Scope, EntityDecision, in.DecisionID)
		if err != nil {
			return nil, date, err
		}
		if !ok {
			errs.Add(0, "decision_ref", "Décision d'instance inconnue : choisissez dans la liste.")
		}
		id := in.DecisionID
		ref = &id
	}
	if err := errs.OrNil(); err != nil {
		return nil, date, err
	}
	return map[string]any{"decision": d, "decision_date": day, "decision_id": ref}, date, nil
}
