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

// iCalendar (RFC 5545) feeds of meetings and due dates: a meeting's invitation, a body's
// feed and a user's personal agenda. Like the other builders, rows in, bytes out.

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
	var b bytes.Buffer
	line := func(s string) { b.WriteString(foldICS(s)) }
	line("BEGIN:VCALENDAR")
	line("PRODID:-//Academie de Creteil//Pilotage ENT 1D//FR")
	line("VERSION:2.0")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	if name != "" {
		line("X-WR-CALNAME:" + escapeICS(name))
	}
	b.WriteString(vtimezoneParis)
	z := fr.Paris()
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range events {
		r := e.Reunion
		line("BEGIN:VEVENT")
		line("UID:reunion-" + strconv.FormatInt(r.ID, 10) + "@pilotage-ent-1d")
		line("DTSTAMP:" + stamp)
		line("DTSTART;TZID=Europe/Paris:" + r.Debut.In(z).Format("20060102T150405"))
		line("DTEND;TZID=Europe/Paris:" + r.Fin.In(z).Format("20060102T150405"))
		line("SEQUENCE:" + strconv.Itoa(r.Sequence))
		line("SUMMARY:" + escapeICS(r.Label()))
		if r.Lieu != "" {
			line("LOCATION:" + escapeICS(r.Lieu))
		} else if r.Visio != "" {
			line("LOCATION:" + escapeICS("Visioconférence"))
		}
		if r.Visio != "" {
			line("URL:" + r.Visio)
		}
		desc := "Instance : " + r.InstanceNom
		if e.URL != "" {
			desc += "\n" + e.URL
		}
		line("DESCRIPTION:" + escapeICS(desc))
		switch r.Statut {
		case models.ReunionAnnulee:
			line("STATUS:CANCELLED")
		case models.ReunionReportee:
			line("STATUS:TENTATIVE")
		default:
			line("STATUS:CONFIRMED")
		}
		line("END:VEVENT")
	}
	for _, e := range dues {
		a := e.Action
		if a.Echeance == nil {
			continue
		}
		day := a.Echeance.UTC()
		line("BEGIN:VEVENT")
		line("UID:action-" + strconv.FormatInt(a.ID, 10) + "@pilotage-ent-1d")
		line("DTSTAMP:" + stamp)
		line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
		line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
		line("SEQUENCE:" + strconv.Itoa(max(a.Version-1, 0)))
		line("SUMMARY:" + escapeICS("Échéance : "+a.Titre))
		desc := "Instance : " + a.InstanceNom + "\nRéunion : " + a.ReunionLabel() + "\nStatut : " + a.StatutLabel()
		if e.URL != "" {
			desc += "\n" + e.URL
		}
		line("DESCRIPTION:" + escapeICS(desc))
		if e.URL != "" {
			line("URL:" + e.URL)
		}
		line("TRANSP:TRANSPARENT")
		line("STATUS:CONFIRMED")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
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
