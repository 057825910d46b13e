package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The scoring form of a candidature (one row per criterion: a note from 0 to 5 and a
// comment) and its decision form. Both are the IA-DASEN's of its département, a pilote's or
// the administrator's (models.CanScoreCandidature).

// noteChoices are the notes of the scoring form.
var noteChoices = []models.Choice{{Value: "0", Label: "0"}, {Value: "1", Label: "1"}, {Value: "2", Label: "2"},
	{Value: "3", Label: "3"}, {Value: "4", Label: "4"}, {Value: "5", Label: "5"}}

// noteRow is one criterion of the scoring form.
type noteRow struct {
	Libelle string
	Poids   int
	Note    selectField
	Comment formField
}

// notesFormView is the scoring form page.
type notesFormView struct {
	Candidature     models.CandidatureRow
	Action, Cancel  string
	Closed, Version string
	HasErrors       bool
	Rows            []noteRow
	Conflict        *formConflict
}

func (s *Server) notesFormPage(c echo.Context, status int, cand models.CandidatureRow, notes []models.CandidatureNote,
	typed map[string]string, errs map[string]string, conflict *formConflict) error {
	actor := s.actor(c)
	href := candidatureHref(cand.ID)
	v := notesFormView{Candidature: cand, Action: href + "/notes", Cancel: href, Version: strconv.Itoa(cand.Version),
		HasErrors: len(errs) > 0, Conflict: conflict}
	if !models.CanScoreCandidature(actor, cand) {
		v.Closed = "Vous pouvez consulter cette candidature mais votre rôle ne permet pas de la noter : l'IA-DASEN de son département la note."
	}
	if typed != nil {
		v.Version = typed["version"]
	}
	for _, n := range notes {
		k := strconv.FormatInt(n.CritereID, 10)
		note, com := "", n.Commentaire
		if n.Note != nil {
			note = strconv.Itoa(*n.Note)
		}
		if typed != nil {
			note, com = typed["note_"+k], typed["commentaire_"+k]
		}
		v.Rows = append(v.Rows, noteRow{Libelle: n.Libelle, Poids: n.Poids,
			Note: selectField{ID: "note-" + k, Name: "note_" + k, Label: "Note de « " + n.Libelle + " » (sur 5)", All: "Non notée",
				Value: note, Choices: noteChoices, Error: errs["note_"+k]},
			Comment: formField{Type: "text", ID: "commentaire-" + k, Name: "commentaire_" + k, Label: "Commentaire sur « " + n.Libelle + " »",
				Value: com, Error: errs["commentaire_"+k]}})
	}
	crumbs := []crumb{home, candidaturesCrumb, {Label: cand.Titre, Href: href}, {Label: "Notes"}}
	return s.render(c, closedStatus(status, v.Closed), "candidatures/notes", "Noter la candidature "+cand.Titre, crumbs, v)
}

func (s *Server) editCandidatureNotes(c echo.Context) error {
	_, cand, notes, err := s.pathCandidature(c)
	if err != nil {
		return err
	}
	return s.notesFormPage(c, http.StatusOK, cand, notes, nil, nil, nil)
}

// scoreCandidature saves the scoring form: 404 outside the scope, 403 refused, 409 stale,
// 422 invalid (the typed values kept, the message beside each field).
func (s *Server) scoreCandidature(c echo.Context) error {
	id, cand, notes, err := s.pathCandidature(c)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	typed := map[string]string{"version": c.FormValue("version")}
	in := make([]models.NoteInput, len(notes))
	for i, n := range notes {
		k := strconv.FormatInt(n.CritereID, 10)
		typed["note_"+k], typed["commentaire_"+k] = c.FormValue("note_"+k), c.FormValue("commentaire_"+k)
		in[i] = models.NoteInput{CritereID: n.CritereID, Note: typed["note_"+k], Commentaire: typed["commentaire_"+k]}
	}
	_, err = s.store.ScoreCandidature(ctx, actor, id, formVersion(typed["version"]), in)
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		current, _ := ce.Current.(models.CandidatureRow)
		if current.ID == 0 {
			current = cand
		}
		return s.notesFormPage(c, http.StatusConflict, current, notes, nil, nil, newFormConflict(ce, nil))
	}
	if errors.Is(err, models.ErrForbidden) {
		return s.notesFormPage(c, http.StatusForbidden, cand, notes, typed, nil, nil)
	}
	if errs, ok := formErrors(err); ok {
		return s.notesFormPage(c, http.StatusUnprocessableEntity, cand, notes, typed, errs, nil)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, candidatureHref(id)+"?fait=notes#notes")
}

// decisionFormView is the decision form page.
type candidatureDecisionView struct {
	Candidature     models.CandidatureRow
	Action, Cancel  string
	Closed, Refused string
	Version         string
	HasErrors       bool
	Decision, Ref   selectField
	Date            formField
	Retain          string // what retaining does, or why it cannot yet
	Conflict        *formConflict
}

// candidatureDecisionForm is the decision form.
type candidatureDecisionForm struct {
	Decision string `form:"decision"`
	Date     string `form:"date"`
	Ref      string `form:"decision_ref"`
	Version  string `form:"version"`
}

func (s *Server) decisionFormPageOf(c echo.Context, status int, cand models.CandidatureRow, f candidatureDecisionForm, errs map[string]string, conflict *formConflict) error {
	actor := s.actor(c)
	href := candidatureHref(cand.ID)
	v := candidatureDecisionView{Candidature: cand, Action: href + "/decision", Cancel: href, Version: f.Version,
		HasErrors: len(errs) > 0, Conflict: conflict}
	if !models.CanScoreCandidature(actor, cand) {
		v.Closed = "Vous pouvez consulter cette candidature mais votre rôle ne permet pas de décider : l'IA-DASEN de son département ou un pilote décide."
	}
	refs, err := s.store.CandidatureDecisionChoices(c.Request().Context(), actor.Scope)
	if err != nil {
		return err
	}
	v.Decision = selectField{ID: "decision-candidature", Name: "decision", Label: "Décision", All: "En attente de décision",
		Value: f.Decision, Choices: models.CandidatureDecisions, Error: errs["decision"]}
	v.Date = formField{Type: "text", ID: "decision-date", Name: "date", Label: "Date de la décision", Hint: "JJ/MM/AAAA ; pour une candidature retenue, date d'entrée de ses écoles en phase pilote",
		Value: f.Date, Error: errs["date"]}
	v.Ref = selectField{ID: "decision-ref", Name: "decision_ref", Label: "Décision d'instance citée", All: "Aucune",
		Hint: "Facultatif : la décision du comité de pilotage qui l'a prise.", Value: f.Ref, Choices: refs, Error: errs["decision_ref"]}
	switch {
	case cand.CampagneVagueID == nil:
		v.Retain = "La campagne n'a pas encore de vague pilote : choisissez-la dans la campagne avant de retenir une candidature."
	case len(cand.Ecoles) > 0:
		v.Retain = "Retenir la candidature place ses " + strconv.Itoa(len(cand.Ecoles)) + " écoles dans la vague pilote de la campagne, en phase « pilote »."
	}
	crumbs := []crumb{home, candidaturesCrumb, {Label: cand.Titre, Href: href}, {Label: "Décision"}}
	return s.render(c, closedStatus(status, v.Closed), "candidatures/decision", "Décision sur la candidature "+cand.Titre, crumbs, v)
}

func decisionFormOfCandidature(cand models.CandidatureRow) candidatureDecisionForm {
	f := candidatureDecisionForm{Decision: cand.Decision, Version: strconv.Itoa(cand.Version)}
	if cand.DecisionDate != nil {
		f.Date = cand.DecisionDate.Format("02/01/2006")
	}
	if cand.DecisionID != nil {
		f.Ref = strconv.FormatInt(*cand.DecisionID, 10)
	}
	return f
}

func (s *Server) editCandidatureDecision(c echo.Context) error {
	_, cand, err := pathRecord(s, c, s.store.GetCandidature)
	if err != nil {
		return err
	}
	return s.decisionFormPageOf(c, http.StatusOK, cand, decisionFormOfCandidature(cand), nil, nil)
}

func (s *Server) decideCandidature(c echo.Context) error {
	id, cand, err := pathRecord(s, c, s.store.GetCandidature)
	if err != nil {
		return err
	}
	f, err := bindForm[candidatureDecisionForm](c)
	if err != nil {
		return err
	}
	ref, _ := strconv.ParseInt(f.Ref, 10, 64)
	_, _, err = s.store.DecideCandidature(c.Request().Context(), s.actor(c), id, formVersion(f.Version),
		models.DecisionCandidatureInput{Decision: f.Decision, Date: f.Date, DecisionID: ref})
	return updated(c, err, cand, func(ce *models.ConflictError, current models.CandidatureRow) error {
		return s.decisionFormPageOf(c, http.StatusConflict, current, decisionFormOfCandidature(current), nil, newFormConflict(ce, nil))
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.decisionFormPageOf(c, status, cand, f, errs, nil)
	}, Redirect: candidatureHref(id) + "?fait=decision"})
}
