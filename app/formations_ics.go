package app

import (
	"context"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The sessions' calendar (exports/ical_session.go): a session's invitation
// (/formations/:id.ics), and the sessions of the scope in the personal agenda.

// sessionEvent is the calendar event of a session, with its page's address.
func (s *Server) sessionEvent(r models.FormationRow) exports.SessionEvent {
	return exports.SessionEvent{Formation: r, URL: s.link("/formations/" + strconv.FormatInt(r.ID, 10))}
}

// formationICS is one session as an iCalendar file (/formations/:id.ics).
func (s *Server) formationICS(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	body := exports.SessionsICS([]exports.SessionEvent{s.sessionEvent(r)}, time.Now())
	return sendICS(c, "formation-"+strconv.FormatInt(id, 10)+".ics", body)
}

// sessionEvents are the sessions of the scope from the day from, for the personal agenda.
func (s *Server) sessionEvents(ctx context.Context, scope models.Scope, from time.Time) ([]exports.SessionEvent, error) {
	var out []exports.SessionEvent
	err := s.store.EachFormation(ctx, scope, models.FormationFilter{Du: &from}, func(r models.FormationRow) error {
		out = append(out, s.sessionEvent(r))
		return nil
	})
	return out, err
}
