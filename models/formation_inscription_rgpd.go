package models

import (
	"context"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// The RGPD functions of registrations (the contacts' rules): erase a participant on their
// request, and erase the participants of the sessions held longer ago than the retention
// period. The row stays (its école, commune, headcount and attendance count); its events
// never held the personal values.

// MayEraseParticipants reports whether the actor erases participants (the administrator,
// as for contacts): the pages ask it before offering the button.
func MayEraseParticipants(actor Actor) bool { return actor.Role == RoleAdmin }

// EraseParticipant erases a participant on the person's request (admin only): name,
// function and email emptied, erased_at set. Erasing an erased participant changes nothing.
func (s *Store) EraseParticipant(ctx context.Context, actor Actor, id int64) error {
	if !MayEraseParticipants(actor) {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return s.eraseParticipant(tx, actor, id, ErasureRequested) })
}

// eraseParticipant erases a participant in tx with its "anonymisation" event.
func (s *Store) eraseParticipant(tx *gorm.DB, actor Actor, id int64, reason string) error {
	var r FormationInscription
	if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
		return notFound(err)
	}
	if r.Kind != InscriptionParticipant || r.ErasedAt != nil {
		return nil
	}
	now := s.now().UTC()
	res := tx.Model(&FormationInscription{}).Where("id = ? AND version = ?", id, r.Version).Updates(map[string]any{
		"nom": "", "fonction": "", "email": "", "erased_at": now, "updated_at": now, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	after := r
	after.Nom, after.Fonction, after.Email = "", "", ""
	changes := append(inscriptionChanges(r.auditValues(), after.auditValues()), Change{Field: "motif", Label: "Motif", New: reason})
	return s.audit(tx, actor, "anonymisation", inscriptionEntity, strconv.FormatInt(id, 10), changes)
}

// PurgeInscriptions erases the participants of the sessions whose day is before the day
// olderThan ago (admin or system actor, "pilotage purge"), each in its own transaction; with
// dryRun it only counts them. It returns how many are (or would be) erased.
func (s *Store) PurgeInscriptions(ctx context.Context, actor Actor, olderThan time.Duration, dryRun bool) (int, error) {
	if actor.Role != RoleAdmin {
		return 0, ErrForbidden
	}
	// Days compare as days on both engines (PostgreSQL would read a time as a date).
	cutoff := s.now().In(fr.Paris()).Add(-olderThan).Format(time.DateOnly)
	var ids []int64
	if err := s.db.WithContext(ctx).Table("formation_inscriptions AS i").Joins("JOIN formations f ON f.id = i.formation_id").
		Where("i.kind = ? AND i.erased_at IS NULL AND f.date_session < ?", InscriptionParticipant, cutoff).
		Order("i.id").Pluck("i.id", &ids).Error; err != nil || dryRun {
		return len(ids), err
	}
	for _, id := range ids {
		if err := s.tx(ctx, func(tx *gorm.DB) error { return s.eraseParticipant(tx, actor, id, ErasureRetention) }); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
