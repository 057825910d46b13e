package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Attendance is the mark typed for one registration on the attendance page: présent,
// absent or excusé ("" not taken), and for an école the headcount present.
type Attendance struct {
	Presence string
	Presents string
}

// SetAttendance records the attendance of the whole list of a session at once: only on the
// day of the session or after, never for a cancelled session, by those who take its
// registrations (not a référent). Every mark is checked before anything is written
// (*ValidationError with the fields "presence-ID" and "presents-ID"). With tenue, an open
// or complete session becomes 'tenue'.
func (s *Store) SetAttendance(ctx context.Context, actor Actor, formationID int64, marks map[int64]Attendance, tenue bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.setAttendance(tx, actor, formationID, marks, tenue) })
}

// MayTakeAttendance reports whether the actor's role takes attendance where it registers:
// a référent registers the agents of their commune but does not take attendance.
func MayTakeAttendance(actor Actor) bool { return actor.Role != RoleReferent }

// setAttendance is SetAttendance in tx.
func (s *Store) setAttendance(tx *gorm.DB, actor Actor, formationID int64, marks map[int64]Attendance, tenue bool) error {
	if !MayTakeAttendance(actor) {
		return ErrForbidden
	}
	f, err := formationFor(tx, actor, formationID, true)
	if err != nil {
		return err
	}
	var errs ValidationError
	switch {
	case f.Statut == "annulee":
		errs.Add(0, "session", "La session est annulée : sa présence ne se relève pas.")
	case f.DateSession.UTC().Format("2006-01-02") > s.todayDate().Format("2006-01-02"):
		errs.Add(0, "session", "La présence se relève le jour de la session ou après.")
	}
	if err := errs.OrNil(); err != nil {
		return err
	}
	var rows []FormationInscription
	if err := tx.Where("formation_id = ? AND statut = ?", formationID, InscriptionInscrit).Order("id").Find(&rows).Error; err != nil {
		return err
	}
	changed, err := checkAttendance(rows, marks)
	if err != nil {
		return err
	}
	for _, c := range changed {
		if err := s.saveAttendance(tx, actor, c.before, c.after); err != nil {
			return err
		}
	}
	if tenue && (f.Statut == "ouverte" || f.Statut == "complete") {
		if err := s.holdFormation(tx, actor, f); err != nil {
			return err
		}
	}
	// The teachers trained of the session's écoles (the coverage) follow the attendance.
	return refreshFormationFormes(tx, formationID)
}

type attendanceChange struct{ before, after FormationInscription }

// checkAttendance reads the marks of the registered rows and returns those that change.
func checkAttendance(rows []FormationInscription, marks map[int64]Attendance) ([]attendanceChange, error) {
	var errs ValidationError
	known := map[int64]bool{}
	var out []attendanceChange
	for _, r := range rows {
		known[r.ID] = true
		m, ok := marks[r.ID]
		if !ok {
			continue
		}
		id := strconv.FormatInt(r.ID, 10)
		after := r
		after.Presence, after.Presents = strings.TrimSpace(m.Presence), nil
		if after.Presence != "" && LabelOf(FormationPresences, after.Presence) == after.Presence {
			errs.Add(0, "presence-"+id, "Choisissez présent, absent ou excusé.")
		}
		if p := strings.TrimSpace(m.Presents); r.Kind == InscriptionEcole && p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > r.Effectif {
				errs.Add(0, "presents-"+id, "Indiquez le nombre de présents : un nombre entier de 0 à "+strconv.Itoa(r.Effectif)+".")
			}
			after.Presents = &n
		} else if r.Kind == InscriptionEcole && after.Presence == PresencePresent {
			after.Presents = &r.Effectif
		}
		if after.Presence != r.Presence || intPtrText(after.Presents) != intPtrText(r.Presents) {
			out = append(out, attendanceChange{r, after})
		}
	}
	for id := range marks {
		if !known[id] {
			errs.Add(0, "presence-"+strconv.FormatInt(id, 10), "Cette inscription n'est pas sur la liste des inscrits de la session.")
		}
	}
	return out, errs.OrNil()
}

func intPtrText(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// saveAttendance writes one changed mark with its event.
func (s *Store) saveAttendance(tx *gorm.DB, actor Actor, before, after FormationInscription) error {
	res := tx.Model(&FormationInscription{}).Where("id = ? AND version = ?", before.ID, before.Version).
		Updates(map[string]any{"presence": after.Presence, "presents": after.Presents, "updated_at": s.now().UTC(),
			"version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return s.audit(tx, actor, "modification", inscriptionEntity, strconv.FormatInt(before.ID, 10),
		inscriptionChanges(before.auditValues(), after.auditValues()))
}

// holdFormation marks an open or complete session as held ('tenue'), with its event.
func (s *Store) holdFormation(tx *gorm.DB, actor Actor, f Formation) error {
	res := tx.Model(&Formation{}).Where("id = ? AND statut IN ?", f.ID, []string{"ouverte", "complete"}).
		Updates(map[string]any{"statut": "tenue", "updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return s.audit(tx, actor, "transition", "formation", strconv.FormatInt(f.ID, 10), []Change{{Field: "statut",
		Label: "Statut", Old: LabelOf(FormationStatuts, f.Statut), New: LabelOf(FormationStatuts, "tenue")}})
}
