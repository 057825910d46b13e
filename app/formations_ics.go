package app

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"
)

// The sessions' calendar: one VEVENT per session, UID stable ("formation-<id>@…"),
// SEQUENCE the session's sequence (bumped at every change a calendar must see),
// STATUS:CANCELLED for a cancelled session. Times are written in UTC. No participant
// appears in it: whoever reads the session gets the same event.

// addFormationEvent adds the VEVENT of a session to cal.
func (s *Server) addFormationEvent(cal *ics.Calendar, r models.FormationRow, now time.Time) {
	ev := cal.AddEvent("formation-" + strconv.FormatInt(r.ID, 10) + "@pilotage-ent-1d")
	ev.SetDtStampTime(now.UTC())
	ev.SetStartAt(r.Debut().UTC())
	ev.SetEndAt(r.Fin().UTC())
	ev.SetSequence(r.Sequence)
	ev.SetSummary("Formation : " + r.ModuleLibelle)
	if r.ADistance {
		ev.SetLocation("À distance")
	} else if r.Lieu != "" {
		ev.SetLocation(r.Lieu)
	}
	page := s.link("/formations/" + strconv.FormatInt(r.ID, 10))
	desc := []string{"Public : " + r.PublicLabel(), "Territoire : " + r.TerritoireLabel(),
		"Places restantes : " + strconv.Itoa(r.PlacesRestantes()) + " sur " + strconv.Itoa(r.Capacite), page}
	if r.ADistance && r.Lien != "" {
		desc = append([]string{"Lien : " + r.Lien}, desc...)
	}
	ev.SetDescription(strings.Join(desc, "\n"))
	ev.SetURL(page)
	switch r.Statut {
	case models.FormationAnnulee:
		ev.SetStatus(ics.ObjectStatusCancelled)
	case models.FormationPlanifiee:
		ev.SetStatus(ics.ObjectStatusTentative)
	default:
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
}

func newFormationCalendar() *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Academie de Creteil//Pilotage ENT 1D//FR")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	return cal
}

// formationICS is one session as an iCalendar file (/formations/:id.ics).
func (s *Server) formationICS(c echo.Context) error {
	id, r, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	cal := newFormationCalendar()
	s.addFormationEvent(cal, r, time.Now())
	return sendICS(c, "formation-"+strconv.FormatInt(id, 10)+".ics", []byte(cal.Serialize()))
}

// withFormationEvents adds to a calendar feed (a whole VCALENDAR, as exports.CalendarICS
// writes it) the sessions of the scope from the day from: the personal feed calls it.
func (s *Server) withFormationEvents(ctx context.Context, scope models.Scope, from time.Time, feed []byte) ([]byte, error) {
	cal := newFormationCalendar()
	now := time.Now()
	n := 0
	err := s.store.EachFormation(ctx, scope, models.FormationFilter{Du: &from}, func(r models.FormationRow) error {
		s.addFormationEvent(cal, r, now)
		n++
		return nil
	})
	if err != nil || n == 0 {
		return feed, err
	}
	body := cal.Serialize()
	start, end := strings.Index(body, "BEGIN:VEVENT"), strings.LastIndex(body, "END:VCALENDAR")
	at := bytes.LastIndex(feed, []byte("END:VCALENDAR"))
	if start < 0 || end < start || at < 0 {
		return feed, nil
	}
	out := make([]byte, 0, len(feed)+end-start)
	out = append(out, feed[:at]...)
	out = append(out, body[start:end]...)
	return append(out, feed[at:]...), nil
}
