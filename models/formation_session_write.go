package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// formationTransitions are the statuses a session may go to from each status, by its form.
// "complete" is never chosen: it follows the seats (ouverte ↔ complete). An administrator
// may reopen a cancelled session (back to planifiee).
var formationTransitions = map[string][]string{
	FormationPlanifiee: {FormationOuverte, FormationAnnulee},
	FormationOuverte:   {FormationComplete, FormationTenue, FormationAnnulee},
	FormationComplete:  {FormationOuverte, FormationTenue, FormationAnnulee},
	FormationTenue:     nil,
	FormationAnnulee:   nil,
}

// FormationStatutChoices are the statuses the form offers for a session in status from
// (a new session: from ""), its own first.
func FormationStatutChoices(actor Actor, from string) []Choice {
	var values []string
	switch from {
	case "":
		values = []string{FormationPlanifiee, FormationOuverte}
	default:
		values = append([]string{from}, formationTransitions[from]...)
		if from == FormationAnnulee && Administers(actor) {
			values = append(values, FormationPlanifiee)
		}
	}
	var out []Choice
	for _, v := range values {
		if v != FormationComplete || from == FormationComplete {
			out = append(out, Choice{Value: v, Label: LabelOf(FormationStatuts, v)})
		}
	}
	return out
}

// seatStatus is the status a session open to registrations has with its seats: complete
// when every seat is taken, open otherwise. Other statuses stay.
func seatStatus(statut string, inscrits, capacite int) string {
	switch {
	case statut != FormationOuverte && statut != FormationComplete:
		return statut
	case inscrits >= capacite:
		return FormationComplete
	}
	return FormationOuverte
}

// CreateFormation records a session. Field errors come first (*ValidationError), then the
// write rule (ErrForbidden: an IEN schedules the sessions of their circonscription, an
// IA-DASEN those of their département, the pilotes and the administrator every session).
func (s *Store) CreateFormation(ctx context.Context, actor Actor, in FormationInput) (FormationRow, error) {
	in = in.normalize()
	var row FormationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		f, err := checkFormation(tx, actor, in)
		if in.Statut != FormationPlanifiee && in.Statut != FormationOuverte {
			err = addFieldError(err, "statut", "Une nouvelle session est planifiée ou ouverte aux inscriptions.")
		}
		if err != nil {
			return err
		}
		if err := mayPlaceFormation(tx, actor, f); err != nil {
			return err
		}
		now := s.now().UTC()
		f.CreatedAt, f.UpdatedAt, f.Version = now, now, 1
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
		if row, err = s.getFormation(tx, actor.Scope, f.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "formation", strconv.FormatInt(f.ID, 10), diff(formationFields, nil, row.auditValues()))
	})
	return row, err
}

// addFieldError adds a field error to err (nil or a *ValidationError) and returns it;
// another error is returned as is.
func addFieldError(err error, field, msg string) error {
	var errs *ValidationError
	switch e := err.(type) {
	case nil:
		errs = &ValidationError{}
	case *ValidationError:
		errs = e
	default:
		return err
	}
	errs.Add(0, field, msg)
	return errs
}

// formationEdit is the write path of an existing session.
func (s *Store) formationEdit(actor Actor, id int64) recordEdit[FormationRow] {
	return recordEdit[FormationRow]{entity: "formation", model: &Formation{}, fields: formationFields,
		get:     s.getFormation,
		version: func(r FormationRow) int { return r.Version },
		may:     func(tx *gorm.DB, _ FormationRow) error { return mayWrite(tx, actor, EntityFormation, id) }}
}

// UpdateFormation changes a session still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor does not write it (or what it would become), *ConflictError
// on a stale version, *ValidationError on bad input (a capacity below the seats taken, a
// status the session cannot go to). A change of day, time, duration or place, a
// cancellation or a reopening bumps the calendar's sequence. The seats taken never change
// here (registrations do).
func (s *Store) UpdateFormation(ctx context.Context, actor Actor, id int64, version int, in FormationInput) (FormationRow, error) {
	in = in.normalize()
	return s.formationEdit(actor, id).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before FormationRow) (map[string]any, error) {
		f, err := checkFormation(tx, actor, in)
		if f.Capacite > 0 && f.Capacite < before.Inscrits {
			err = addFieldError(err, "capacite", "La capacité ne peut pas être inférieure aux "+
				strconv.Itoa(before.Inscrits)+" places déjà prises.")
		}
		if in.Statut != before.Statut && !slices.ContainsFunc(FormationStatutChoices(actor, before.Statut),
			func(c Choice) bool { return c.Value == in.Statut }) {
			err = addFieldError(err, "statut", "Une session « "+before.StatutLabel()+" » ne peut pas passer au statut « "+
				LabelOf(FormationStatuts, in.Statut)+" ».")
		}
		if err != nil {
			return nil, err
		}
		if err := mayPlaceFormation(tx, actor, f); err != nil {
			return nil, err
		}
		f.Statut = seatStatus(in.Statut, before.Inscrits, f.Capacite)
		seq := before.Sequence
		if calendarChanged(before.Formation, f) {
			seq++
		}
		return map[string]any{"plan_id": f.PlanID, "module_id": f.ModuleID, "public": f.Public,
			"departement_code": f.DepartementCode, "code_circonscription": f.CodeCirconscription, "lieu": f.Lieu,
			"a_distance": f.ADistance, "lien": f.Lien, "date_session": f.DateSession, "heure_debut": f.HeureDebut,
			"duree_minutes": f.DureeMinutes, "formateur_id": f.FormateurID, "capacite": f.Capacite,
			"statut": f.Statut, "sequence": seq, "notes": f.Notes}, nil
	}, func(tx *gorm.DB) error {
		// More seats, or a session opened: its waiting list may move up.
		if err := s.promoteWaiting(tx, actor, id); err != nil {
			return err
		}
		return refreshFormationFormes(tx, id)
	})
}

// calendarChanged reports whether a calendar must see the change from a to b: its day,
// time, duration or place, or its cancellation (or reopening).
func calendarChanged(a, b Formation) bool {
	return !a.DateSession.UTC().Equal(b.DateSession.UTC()) || a.HeureDebut != b.HeureDebut ||
		a.DureeMinutes != b.DureeMinutes || a.Lieu != b.Lieu || a.ADistance != b.ADistance || a.Lien != b.Lien ||
		(a.Statut == FormationAnnulee) != (b.Statut == FormationAnnulee)
}

// CancelFormation cancels a session still at version: its status becomes annulee and its
// calendar sequence is bumped (the calendars show STATUS:CANCELLED). A session held or
// already cancelled cannot be: *ValidationError on "statut". Its registrations stay, for
// the record.
func (s *Store) CancelFormation(ctx context.Context, actor Actor, id int64, version int) (FormationRow, error) {
	return s.formationEdit(actor, id).apply(ctx, s, actor, id, version, func(_ *gorm.DB, before FormationRow) (map[string]any, error) {
		switch before.Statut {
		case FormationAnnulee:
			return nil, addFieldError(nil, "statut", "Cette session est déjà annulée.")
		case FormationTenue:
			return nil, addFieldError(nil, "statut", "Une session tenue ne peut plus être annulée.")
		}
		return map[string]any{"statut": FormationAnnulee, "sequence": before.Sequence + 1}, nil
	}, func(tx *gorm.DB) error { return refreshFormationFormes(tx, id) })
}

// CanWriteFormation reports whether the actor writes the session (the pages' buttons).
func (s *Store) CanWriteFormation(ctx context.Context, actor Actor, id int64) (bool, error) {
	return writes(s.db.WithContext(ctx), actor, EntityFormation, id)
}
