package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// formationFor reads a live session for the actor: one of their scope (for a référent,
// the sessions of their département open to municipal agents or elected members: the
// registry's BelowCommunes); with write, one whose registrations the actor takes
// (ErrForbidden otherwise).
func formationFor(tx *gorm.DB, actor Actor, id int64, write bool) (Formation, error) {
	var f Formation
	ok, err := reads(tx, actor.Scope, EntityFormation, id)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, ErrNotFound
	}
	if err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&f).Error; err != nil {
		return f, notFound(err)
	}
	if !write || (actor.Role == RoleReferent && slices.Contains(referentPublics, f.Public)) {
		return f, nil
	}
	return f, mayWrite(tx, actor, EntityFormation, id)
}

// CanRegister reports whether the actor takes the registrations of the session id (the
// pages offer the forms only then); the Store checks it again on every write.
func (s *Store) CanRegister(ctx context.Context, actor Actor, id int64) (bool, error) {
	_, err := formationFor(s.db.WithContext(ctx), actor, id, true)
	switch err {
	case nil:
		return true, nil
	case ErrForbidden, ErrNotFound:
		return false, nil
	}
	return false, err
}

// Register records a registration to a session: registered when its seats fit (one
// conditional UPDATE decides, see takeSeats), on the waiting list otherwise. Field errors
// come as *ValidationError, ErrNotFound outside the scope, ErrForbidden when the actor
// does not take the session's registrations.
func (s *Store) Register(ctx context.Context, actor Actor, formationID int64, in InscriptionInput) (FormationInscription, error) {
	in = in.normalize()
	var r FormationInscription
	err := s.tx(ctx, func(tx *gorm.DB) error {
		f, err := formationFor(tx, actor, formationID, true)
		if err != nil {
			return err
		}
		r, err = s.register(tx, actor, f, in, 0)
		return err
	})
	return r, err
}

// register checks and records one registration in tx (line: of an imported file, or 0).
func (s *Store) register(tx *gorm.DB, actor Actor, f Formation, in InscriptionInput, line int) (FormationInscription, error) {
	if f.Statut != "ouverte" && f.Statut != "complete" {
		return FormationInscription{}, &ValidationError{Errors: []FieldError{{Line: line, Field: "session",
			Msg: "La session n'est pas ouverte aux inscriptions (statut : " + LabelOf(FormationStatuts, f.Statut) + ")."}}}
	}
	r, err := checkInscription(tx, actor, f, in, line)
	if err != nil {
		return r, err
	}
	if r.Kind == InscriptionEcole {
		var n int64
		if err := tx.Model(&FormationInscription{}).Where("formation_id = ? AND uai = ? AND kind = ? AND statut <> ?",
			f.ID, r.UAI, InscriptionEcole, InscriptionAnnulee).Count(&n).Error; err != nil {
			return r, err
		}
		if n > 0 {
			return r, &ValidationError{Errors: []FieldError{{Line: line, Field: "uai", Msg: "Cette école est déjà inscrite à la session : annulez son inscription pour en changer l'effectif."}}}
		}
	}
	now := s.now().UTC()
	r.Statut, r.CreatedAt, r.UpdatedAt, r.Version = InscriptionAttente, now, now, 1
	if actor.UserID != 0 {
		r.CreatedBy = &actor.UserID
	}
	if err := tx.Create(&r).Error; err != nil {
		return r, err
	}
	got, err := takeSeats(tx, f.ID, r.ID, r.Effectif)
	if err != nil {
		return r, err
	}
	if got {
		r.Statut = InscriptionInscrit
		if err := tx.Model(&FormationInscription{}).Where("id = ?", r.ID).Update("statut", InscriptionInscrit).Error; err != nil {
			return r, err
		}
	}
	return r, s.audit(tx, actor, "creation", inscriptionEntity, strconv.FormatInt(r.ID, 10), inscriptionChanges(nil, r.auditValues()))
}

// takeSeats takes n seats of the session for the registration id, in ONE conditional
// statement: the session is open, the seats fit, and nobody registered before waits. The
// database decides under concurrency (a row lock on PostgreSQL, the write lock on SQLite):
// it reports false when the registration must wait. The session becomes 'complete' when
// full.
func takeSeats(tx *gorm.DB, formationID, id int64, n int) (bool, error) {
	res := tx.Exec(`UPDATE formations SET inscrits = inscrits + ?,
		statut = CASE WHEN inscrits + ? >= capacite THEN 'complete' ELSE statut END
		WHERE id = ? AND inscrits + ? <= capacite AND statut = 'ouverte' AND archived_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM formation_inscriptions w WHERE w.formation_id = ? AND w.statut = 'attente' AND w.id < ?)`,
		n, n, formationID, n, formationID, id)
	return res.RowsAffected == 1, res.Error
}

// freeSeats gives back n seats of the session: a complete session opens again.
func freeSeats(tx *gorm.DB, formationID int64, n int) error {
	return tx.Exec(`UPDATE formations SET inscrits = inscrits - ?,
		statut = CASE WHEN statut = 'complete' THEN 'ouverte' ELSE statut END WHERE id = ?`, n, formationID).Error
}

// promoteWaiting registers the waiting list of the session in the order of its ids while
// the seats suffice (the first that does not fit stops it). The sessions' code calls it
// too when a capacity grows or a session opens.
func (s *Store) promoteWaiting(tx *gorm.DB, actor Actor, formationID int64) error {
	var waiting []FormationInscription
	if err := tx.Where("formation_id = ? AND statut = ?", formationID, InscriptionAttente).Order("id").Find(&waiting).Error; err != nil {
		return err
	}
	for _, w := range waiting {
		got, err := takeSeats(tx, formationID, w.ID, w.Effectif)
		if err != nil || !got {
			return err
		}
		if err := s.setInscriptionStatut(tx, actor, w, InscriptionInscrit); err != nil {
			return err
		}
	}
	return nil
}

// setInscriptionStatut changes the status of a registration read in tx, with its event.
func (s *Store) setInscriptionStatut(tx *gorm.DB, actor Actor, r FormationInscription, statut string) error {
	res := tx.Model(&FormationInscription{}).Where("id = ? AND version = ?", r.ID, r.Version).
		Updates(map[string]any{"statut": statut, "updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	after := r
	after.Statut = statut
	return s.audit(tx, actor, "modification", inscriptionEntity, strconv.FormatInt(r.ID, 10),
		inscriptionChanges(r.auditValues(), after.auditValues()))
}

// inscriptionFor reads a registration and its session for a write of the actor: a
// référent changes the registrations of their communes only.
func inscriptionFor(tx *gorm.DB, actor Actor, id int64) (FormationInscription, Formation, error) {
	var r FormationInscription
	if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
		return r, Formation{}, notFound(err)
	}
	f, err := formationFor(tx, actor, r.FormationID, true)
	if err == nil && actor.Role == RoleReferent && (r.CodeINSEE == nil || !slices.Contains(actor.Scope.Communes, *r.CodeINSEE)) {
		err = ErrForbidden
	}
	return r, f, err
}

// CancelInscription cancels a registration: its seats are freed, a complete session opens
// again and its waiting list is promoted in order (also when the cancelled one waited at
// its head). A session held or cancelled keeps its
// registrations (*ValidationError).
func (s *Store) CancelInscription(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		r, f, err := inscriptionFor(tx, actor, id)
		if err != nil || r.Statut == InscriptionAnnulee {
			return err
		}
		if f.Statut == "tenue" || f.Statut == "annulee" {
			return &ValidationError{Errors: []FieldError{{Field: "session",
				Msg: "La session est " + LabelOf(FormationStatuts, f.Statut) + " : ses inscriptions ne changent plus."}}}
		}
		if err := s.setInscriptionStatut(tx, actor, r, InscriptionAnnulee); err != nil {
			return err
		}
		if r.Statut == InscriptionInscrit {
			if err := freeSeats(tx, f.ID, r.Effectif); err != nil {
				return err
			}
		}
		// Freed seats, or the head of the waiting list gone: the next ones may fit.
		return s.promoteWaiting(tx, actor, f.ID)
	})
}
