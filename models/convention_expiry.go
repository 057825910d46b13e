package models

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// The expiry of conventions. A convention "en vigueur" is échue the day after its expiry
// after avenants (date_fin): that is a fact derived from its dates, never something a
// user has to remember to declare. Two things keep it true:
//
//   - ExpireConventions records the passage to "échue" (timeline, audit event "Échue
//     automatiquement"), in one transaction; `pilotage serve` runs it at start and then
//     every day just after midnight (Paris time);
//   - every read treats a convention "en vigueur" whose date_fin has passed as échue,
//     before the daily run records it: the page, the registry and its status filter and
//     sort, the tree, the exports and the API (settle), the alerts and the home page's
//     count of communes without a convention in force (enVigueurToday: the kept rows of
//     conventions_en_vigueur hold date_fin), the parents offered to a new convention.

// AuditEchueAuto is the audit action of a convention recorded échue by ExpireConventions.
const AuditEchueAuto = "echue_auto"

// motifEchueAuto is the reason written on the timeline by ExpireConventions.
const motifEchueAuto = "Échue automatiquement : la date d'expiration (après avenants) est passée."

// expired reports whether the convention, in force as recorded, is past its expiry
// (after avenants) on today (midnight UTC, like DATE columns).
func (c Convention) expired(today time.Time) bool {
	return c.Statut == StatutEnVigueur && c.DateFin != nil && dateOnly(c.DateFin.UTC()).Before(today)
}

// settle gives the convention the status its dates say: "en vigueur" past its expiry is
// échue (ExpiryUnrecorded tells that the daily run has not recorded it yet).
func (c *Convention) settle(today time.Time) {
	if c.expired(today) {
		c.Statut, c.ExpiryUnrecorded = StatutEchue, true
	}
}

// recordedStatut is the status as stored: what a guarded update compares with.
func (c Convention) recordedStatut() string {
	if c.ExpiryUnrecorded {
		return StatutEnVigueur
	}
	return c.Statut
}

// ExpiredLabel is the last day in force of an échue convention (02/01/2012), "" otherwise.
func (c Convention) ExpiredLabel() string {
	if c.Statut != StatutEchue {
		return ""
	}
	return frDate(c.DateFin)
}

// settleRows settles conventions read for a page, an export or the API, and their
// children.
func settleRows(rows []ConventionRow, today time.Time) {
	for i := range rows {
		rows[i].settle(today)
		settleRows(rows[i].Children, today)
	}
}

// statutCondition is the registry's status filter on the status as the dates say it: "en
// vigueur" leaves out the conventions past their expiry, "échue" takes them in.
func statutCondition(statut string, today time.Time) (string, []any) {
	switch statut {
	case StatutEnVigueur:
		return "(c.statut = ? AND (c.date_fin IS NULL OR c.date_fin >= ?))", []any{StatutEnVigueur, today}
	case StatutEchue:
		return "(c.statut = ? OR (c.statut = ? AND c.date_fin < ?))", []any{StatutEchue, StatutEnVigueur, today}
	}
	return "c.statut = ?", []any{statut}
}

// notExpiredSQL leaves out (alias c) the conventions in force past their expiry.
const notExpiredSQL = "NOT (c.statut = 'en_vigueur' AND c.date_fin IS NOT NULL AND c.date_fin < ?)"

func choiceIndex(list []Choice, v string) int {
	for i, c := range list {
		if c.Value == v {
			return i
		}
	}
	return -1
}

// inForceSQL is the condition "the commune (alias m) is covered by a local convention in
// force" (one argument: today): an uncorrelated IN over the kept communes of the conventions
// in force (conventions_en_vigueur), read once. A convention past its expiry is not in
// force, recorded échue or not.
const inForceSQL = "m.code_insee IN (SELECT v.code_insee FROM conventions_en_vigueur v WHERE " + enVigueurToday + ")"

// ExpireConventions records as échue every convention "en vigueur" whose expiry after
// avenants has passed, in one transaction: each passage is written on the convention's
// timeline (dated the expiry, by "système (échéance quotidienne)") and in the audit log
// ("Échue automatiquement"); a convention moved meanwhile by someone else is left alone.
// It returns the references recorded, by id. Archived conventions are recorded too: they
// come back with the right status when restored.
func (s *Store) ExpireConventions(ctx context.Context) ([]string, error) {
	actor := SystemActor("échéance quotidienne")
	today := s.todayDate()
	var moved []string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		moved = nil
		var ids []int64
		var due []Convention
		if err := tx.Where("statut = ? AND date_fin IS NOT NULL AND date_fin < ?", StatutEnVigueur, today).
			Order("id").Find(&due).Error; err != nil {
			return err
		}
		now := s.now().UTC()
		for _, c := range due {
			res := tx.Model(&Convention{}).Where("id = ? AND statut = ?", c.ID, StatutEnVigueur).Updates(map[string]any{
				"statut": StatutEchue, "statut_depuis": now, "updated_at": now, "version": gorm.Expr("version + 1")})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			t := ConventionTransition{ConventionID: c.ID, De: StatutEnVigueur, Vers: StatutEchue, DateEffet: c.DateFin,
				Motif: motifEchueAuto, UserNom: actor.Name, CreatedAt: now}
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
			changes := []Change{{Field: "statut", Label: "Statut", Old: LabelOf(ConventionStatuts, StatutEnVigueur), New: LabelOf(ConventionStatuts, StatutEchue)},
				{Field: "date", Label: "Date", New: frDate(c.DateFin)}, {Field: "motif", Label: "Motif", New: motifEchueAuto}}
			if err := s.audit(tx, actor, AuditEchueAuto, "convention", strconv.FormatInt(c.ID, 10), changes); err != nil {
				return err
			}
			moved = append(moved, c.Reference)
			ids = append(ids, c.ID)
		}
		return refreshConventionsEnVigueur(tx, ids...)
	})
	return moved, err
}
