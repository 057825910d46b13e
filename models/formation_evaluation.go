package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The evaluation questionnaire of a session: one anonymous answer at a time (satisfaction
// and usefulness 1 to 5, "j'utiliserai l'ENT en classe", a free comment), entered by whoever
// writes the session once it is held. Means and shares are derived (formation_evaluation_
// summary.go), never stored, and never shown over fewer than MinEvaluationAnswers answers.

// MaxEvaluationCommentaire bounds the free comment of an answer, in characters.
const MaxEvaluationCommentaire = 2000

// EvaluationNotes are the choices of the satisfaction and usefulness marks.
var EvaluationNotes = []Choice{{"1", "1 : pas du tout"}, {"2", "2"}, {"3", "3"}, {"4", "4"}, {"5", "5 : tout à fait"}}

// EvaluationInput is one answer as typed in the form or read from an imported file.
type EvaluationInput struct {
	Satisfaction, Utilite, UsageClasse, Commentaire string
}

func (in EvaluationInput) normalize() EvaluationInput {
	in.Satisfaction, in.Utilite = strings.TrimSpace(in.Satisfaction), strings.TrimSpace(in.Utilite)
	in.UsageClasse, in.Commentaire = strings.TrimSpace(in.UsageClasse), strings.TrimSpace(in.Commentaire)
	return in
}

// evaluationFields are the audited fields of an answer; the comment is recorded as given or
// not (a free text may hold anything).
var evaluationFields = []Choice{{"satisfaction", "Satisfaction"}, {"utilite", "Utilité"},
	{"usage_classe", "Utilisation en classe"}, {"commentaire", "Commentaire"}}

// checkEvaluation reads the answer's fields, with a French message per invalid field.
func checkEvaluation(in EvaluationInput) (FormationEvaluation, error) {
	var errs ValidationError
	var ev FormationEvaluation
	note := func(field, subject, v string) int {
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			errs.Add(0, field, "Choisissez la note "+subject+" : de 1 (pas du tout) à 5 (tout à fait).")
		case err != nil || n < 1 || n > 5:
			errs.Add(0, field, "La note "+subject+" va de 1 à 5.")
		}
		return n
	}
	ev.Satisfaction = note("satisfaction", "de satisfaction", in.Satisfaction)
	ev.Utilite = note("utilite", "d'utilité", in.Utilite)
	switch {
	case in.UsageClasse == "":
		errs.Add(0, "usage_classe", "Indiquez si la personne utilisera l'ENT en classe : oui, non ou peut-être.")
	case LabelOf(UsagesClasse, in.UsageClasse) == in.UsageClasse:
		errs.Add(0, "usage_classe", "Réponse inconnue : choisissez oui, non ou peut-être.")
	}
	ev.UsageClasse = in.UsageClasse
	if msg := textProblem("Le commentaire", in.Commentaire, MaxEvaluationCommentaire, false, true); msg != "" {
		errs.Add(0, "commentaire", msg)
	}
	ev.Commentaire = in.Commentaire
	return ev, errs.OrNil()
}

// evaluatedSession is what decides whether a session takes answers.
type evaluatedSession struct {
	Statut   string
	Archived bool
	Future   bool
}

// sessionHeld reads the session id in the scope: ErrNotFound outside it; held reports
// whether it takes answers (tenue, or its day reached, and neither cancelled nor archived),
// why is the French reason when it does not.
func (s *Store) sessionHeld(db *gorm.DB, scope Scope, id int64) (held bool, why string, err error) {
	ok, err := reads(db, scope, EntityFormation, id)
	if err != nil || !ok {
		return false, "", errors.Join(err, ErrNotFound)
	}
	var f evaluatedSession
	if err := db.Table("formations").Select("statut, archived_at IS NOT NULL AS archived, "+
		"CASE WHEN date_session > ? THEN 1 ELSE 0 END = 1 AS future", s.todayDate()).Where("id = ?", id).Take(&f).Error; err != nil {
		return false, "", err
	}
	switch {
	case f.Archived:
		return false, "Cette session est archivée : elle ne reçoit plus d'évaluation.", nil
	case f.Statut == "annulee":
		return false, "Cette session est annulée : elle ne reçoit pas d'évaluation.", nil
	case f.Statut != "tenue" && f.Future:
		return false, "Les évaluations s'enregistrent une fois la session tenue (le jour de la session ou après).", nil
	}
	return true, "", nil
}

// AddEvaluation records one answer to the questionnaire of the session formationID:
// ErrNotFound outside the scope, ErrForbidden unless the actor writes the session,
// *ValidationError on a bad answer or a session that does not take answers yet (field
// "formation"). Audited in its transaction.
func (s *Store) AddEvaluation(ctx context.Context, actor Actor, formationID int64, in EvaluationInput) (FormationEvaluation, error) {
	in = in.normalize()
	var ev FormationEvaluation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		held, why, err := s.sessionHeld(tx, actor.Scope, formationID)
		if err != nil {
			return err
		}
		if err := mayWrite(tx, actor, EntityFormation, formationID); err != nil {
			return err
		}
		if !held {
			return &ValidationError{Errors: []FieldError{{Field: "formation", Msg: why}}}
		}
		if ev, err = checkEvaluation(in); err != nil {
			return err
		}
		ev.FormationID, ev.CreatedAt = formationID, s.now().UTC()
		if actor.UserID != 0 {
			ev.CreatedBy = &actor.UserID
		}
		if err := tx.Omit("ID").Create(&ev).Error; err != nil {
			return err
		}
		if err := refreshEvaluationSums(tx, []int64{formationID}); err != nil {
			return err
		}
		after := map[string]string{"satisfaction": strconv.Itoa(ev.Satisfaction), "utilite": strconv.Itoa(ev.Utilite),
			"usage_classe": LabelOf(UsagesClasse, ev.UsageClasse)}
		if ev.Commentaire != "" {
			after["commentaire"] = "renseigné"
		}
		return s.audit(tx, actor, "creation", "evaluation", strconv.FormatInt(ev.ID, 10)+" (session "+
			strconv.FormatInt(formationID, 10)+")", diff(evaluationFields, nil, after))
	})
	return ev, err
}

// SessionEvaluations are the results of a session's questionnaire: its counts (means and
// shares from MinEvaluationAnswers answers), the answers themselves for whoever writes the
// session (nil for the others, who read the counts only), and whether the actor may add one.
type SessionEvaluations struct {
	Summary EvaluationRow
	Answers []FormationEvaluation
	Held    bool   // the session takes answers
	Why     string // why it does not, in French
	CanAdd  bool   // the actor writes the session and it takes answers
	Writes  bool   // the actor writes the session
}

// ListEvaluations returns the results of the session formationID in the actor's scope
// (ErrNotFound outside it), the answers newest first.
func (s *Store) ListEvaluations(ctx context.Context, actor Actor, formationID int64) (SessionEvaluations, error) {
	var out SessionEvaluations
	db := s.db.WithContext(ctx)
	var err error
	if out.Held, out.Why, err = s.sessionHeld(db, actor.Scope, formationID); err != nil {
		return out, err
	}
	if out.Writes, err = writes(db, actor, EntityFormation, formationID); err != nil {
		return out, err
	}
	out.CanAdd = out.Writes && out.Held
	if err := db.Table("formation_evaluations AS ev").Where("ev.formation_id = ?", formationID).
		Select(evaluationSums).Scan(&out.Summary).Error; err != nil {
		return out, err
	}
	out.Summary.Code, out.Summary.Label = strconv.FormatInt(formationID, 10), "Session"
	if !out.Writes {
		return out, nil
	}
	return out, db.Where("formation_id = ?", formationID).Order("id DESC").Find(&out.Answers).Error
}
