package exports

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// iCalendar (RFC 5545) feeds of meetings, due dates and training sessions: a meeting's or a
// session's invitation, a body's feed and a user's personal agenda. Like the other
// builders, rows in, bytes out.

// CalendarEvent is what an iCalendar VEVENT needs of a meeting.
type CalendarEvent struct {
	Reunion models.ReunionRow
	URL     string // the meeting's page, absolute when known
}

// iCalendar time-zone definition of Europe/Paris (RFC 5545 §3.6.5), current rules.
const vtimezoneParis = "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" +
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// DueEvent is what an all-day iCalendar VEVENT needs of an action's due date.
type DueEvent struct {
	Action models.ActionRow
	URL    string // the action's page, absolute when known
}

// MeetingsICS builds an RFC 5545 calendar of the meetings: CRLF lines folded at 75 octets,
// text escaped, times in Europe/Paris, one stable UID per meeting, SEQUENCE from the
// meeting's sequence, STATUS:CANCELLED for a cancelled meeting. now is the DTSTAMP.
func MeetingsICS(name string, events []CalendarEvent, now time.Time) []byte {
	return CalendarICS(name, events, nil, now)
}

// CalendarICS is MeetingsICS with, after the meetings, the due dates of actions as all-day
// events "Échéance : <action>" (DTSTART;VALUE=DATE, one stable UID per action, SEQUENCE
// from the action's version, TRANSP:TRANSPARENT: a due date does not make one busy). Actions
// without a due date are left out.
func CalendarICS(name string, events []CalendarEvent, dues []DueEvent, now time.Time) []byte {
	return AgendaICS(name, events, dues, nil, now)
}

// AgendaICS is CalendarICS with the training sessions (SessionEvent) and, last, the key
// dates of the markets (MarcheEvent) from one year back: a user's personal agenda.
func AgendaICS(name string, events []CalendarEvent, dues []DueEvent, sessions []SessionEvent, now time.Time, marches ...MarcheEvent) []byte {
	w := icsWriter{stamp: now.UTC().Format("20060102T150405Z"), z: fr.Paris()}
	w.line("BEGIN:VCALENDAR")
	w.line("PRODID:-//Academie de Creteil//Pilotage ENT 1D//FR")
	w.line("VERSION:2.0")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	if name != "" {
		w.line("X-WR-CALNAME:" + escapeICS(name))
	}
	w.b.WriteString(vtimezoneParis)
	for _, e := range events {
		w.meeting(e)
	}
	for _, e := range dues {
		w.due(e)
	}
	for _, e := range sessions {
		w.session(e)
	}
	for _, e := range marches { // the markets' key dates of the last year and to come
		w.marche(e, now.AddDate(-1, 0, 0))
	}
	w.line("END:VCALENDAR")
	return w.b.Bytes()
}

// icsWriter writes the lines of a calendar: stamp is the DTSTAMP of every event, z the
// time zone of their times.
type icsWriter struct {
	b     bytes.Buffer
	stamp string
	z     *time.Location
}

func (w *icsWriter) line(s string) { w.b.WriteString(foldICS(s)) }

// meeting writes the VEVENT of a meeting.
func (w *icsWriter) meeting(e CalendarEvent) {
	r := e.Reunion
	w.line("BEGIN:VEVENT")
	w.line("UID:reunion-" + strconv.FormatInt(r.ID, 10) + "@pilotage-ent-1d")
	w.line("DTSTAMP:" + w.stamp)
	w.line("DTSTART;TZID=Europe/Paris:" + r.Debut.In(w.z).Format("20060102T150405"))
	w.line("DTEND;TZID=Europe/Paris:" + r.Fin.In(w.z).Format("20060102T150405"))
	w.line("SEQUENCE:" + strconv.Itoa(r.Sequence))
	w.line("SUMMARY:" + escapeICS(r.Label()))
	if r.Lieu != "" {
		w.line("LOCATION:" + escapeICS(r.Lieu))
	} else if r.Visio != "" {
		w.line("LOCATION:" + escapeICS("Visioconférence"))
	}
	if r.Visio != "" {
		w.line("URL:" + r.Visio)
	}
	desc := "Instance : " + r.InstanceNom
	if e.URL != "" {
		desc += "\n" + e.URL
	}
	w.line("DESCRIPTION:" + escapeICS(desc))
	switch r.Statut {
	case models.ReunionAnnulee:
		w.line("STATUS:CANCELLED")
	case models.ReunionReportee:
		w.line("STATUS:TENTATIVE")
	default:
		w.line("STATUS:CONFIRMED")
	}
	w.line("END:VEVENT")
}

// due writes the all-day VEVENT of an action's due date (none without a due date).
func (w *icsWriter) due(e DueEvent) {
	a := e.Action
	if a.Echeance == nil {
		return
	}
	day := a.Echeance.UTC()
	w.line("BEGIN:VEVENT")
	w.line("UID:action-" + strconv.FormatInt(a.ID, 10) + "@pilotage-ent-1d")
	w.line("DTSTAMP:" + w.stamp)
	w.line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
	w.line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
	w.line("SEQUENCE:" + strconv.Itoa(max(a.Version-1, 0)))
	w.line("SUMMARY:" + escapeICS("Échéance : "+a.Titre))
	desc := "Instance : " + a.InstanceNom + "\nRéunion : " + a.ReunionLabel() + "\nStatut : " + a.StatutLabel()
	if e.URL != "" {
		desc += "\n" + e.URL
	}
	w.line("DESCRIPTION:" + escapeICS(desc))
	if e.URL != "" {
		w.line("URL:" + e.URL)
	}
	w.line("TRANSP:TRANSPARENT")
	w.line("STATUS:CONFIRMED")
	w.line("END:VEVENT")
}

// escapeICS escapes a TEXT value (RFC 5545 §3.3.11).
func escapeICS(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// foldICS ends a content line with CRLF, folding it so that no line exceeds 75 octets and
// no UTF-8 character is split (RFC 5545 §3.1).
func foldICS(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
