package exports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

// TestMeetingsICSParsesBack: a meeting's invitation is valid RFC 5545 (CRLF lines folded at
// 75 octets, escaped text, a VTIMEZONE) that a calendar library reads back to the same
// values: stable UID, DTSTAMP, Paris times, SEQUENCE, cancellation, location and link.
func TestMeetingsICSParsesBack(t *testing.T) {
	paris := fr.Paris()
	long := strings.Repeat("Réunion très longue, avec; des caractères spéciaux ", 4)
	r := models.ReunionRow{Reunion: models.Reunion{ID: 42, Titre: long, Lieu: "Salle 1, Créteil",
		Debut: time.Date(2031, 3, 11, 14, 0, 0, 0, paris).UTC(), Fin: time.Date(2031, 3, 11, 16, 0, 0, 0, paris).UTC(),
		Statut: models.ReunionAnnulee, Sequence: 3, Visio: "https://visio.example.fr/abc"}, InstanceNom: "COPIL"}
	out := exports.MeetingsICS("COPIL", []exports.CalendarEvent{{Reunion: r}}, time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC))
	for _, line := range bytes.Split(out, []byte("\r\n")) {
		if len(line) > 75 {
			t.Errorf("ligne de %d octets : %q", len(line), line)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("fin de ligne sans CR")
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Timezones()) != 1 {
		t.Error("pas de VTIMEZONE")
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d événements", len(evs))
	}
	ev := evs[0]
	prop := func(p ics.ComponentProperty) *ics.IANAProperty { return ev.GetProperty(p) }
	if got := ev.Id(); got != "reunion-42@pilotage-ent-1d" {
		t.Errorf("UID %q", got)
	}
	if got := prop(ics.ComponentPropertyDtstamp).Value; got != "20310102T030405Z" {
		t.Errorf("DTSTAMP %q", got)
	}
	start := prop(ics.ComponentPropertyDtStart)
	if start.Value != "20310311T140000" || start.ICalParameters["TZID"][0] != "Europe/Paris" {
		t.Errorf("DTSTART %q %v", start.Value, start.ICalParameters)
	}
	if got := prop(ics.ComponentPropertySequence).Value; got != "3" {
		t.Errorf("SEQUENCE %q", got)
	}
	if got := prop(ics.ComponentPropertyStatus).Value; got != "CANCELLED" {
		t.Errorf("STATUS %q", got)
	}
	if got := prop(ics.ComponentPropertySummary).Value; got != long {
		t.Errorf("SUMMARY %q", got)
	}
	if got := prop(ics.ComponentPropertyLocation).Value; got != "Salle 1, Créteil" {
		t.Errorf("LOCATION %q", got)
	}
	if got := prop(ics.ComponentPropertyUrl).Value; got != "https://visio.example.fr/abc" {
		t.Errorf("URL %q", got)
	}
}

// TestCalendarICSDueDates: CalendarICS writes actions' due dates as all-day events after
// the meetings, and leaves out actions without a due date.
func TestCalendarICSDueDates(t *testing.T) {
	day := time.Date(2031, 3, 20, 0, 0, 0, 0, time.UTC)
	due := models.ActionRow{Action: models.Action{ID: 9, Titre: "Envoyer la note; vite", Echeance: &day, Statut: models.ActionAFaire, Version: 1},
		InstanceNom: "COPIL", ReunionDebut: time.Date(2031, 3, 11, 13, 0, 0, 0, time.UTC)}
	none := models.ActionRow{Action: models.Action{ID: 10, Titre: "Sans échéance", Version: 1}}
	body := string(exports.CalendarICS("Agenda", nil, []exports.DueEvent{{Action: due, URL: "https://pilotage.example/actions/9"}, {Action: none}},
		time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)))
	for _, want := range []string{"UID:action-9@pilotage-ent-1d\r\n", "DTSTART;VALUE=DATE:20310320\r\n",
		"DTEND;VALUE=DATE:20310321\r\n", "SUMMARY:Échéance : Envoyer la note\\; vite\r\n", "SEQUENCE:0\r\n",
		"TRANSP:TRANSPARENT\r\n", "URL:https://pilotage.example/actions/9\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("%q absent de :\n%s", want, body)
		}
	}
	if strings.Contains(body, "action-10@") {
		t.Error("une action sans échéance est dans l'agenda")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("agenda illisible : %v", err)
	}
	if got := cal.Events()[0].GetProperty(ics.ComponentPropertyDescription).Value; got !=
		"Instance : COPIL\nRéunion : COPIL du 11/03/2031\nStatut : À faire\nhttps://pilotage.example/actions/9" {
		t.Errorf("DESCRIPTION %q", got)
	}
}

// TestCalendarICSBytes pins the whole feed, byte for byte: calendar clients compare UIDs,
// SEQUENCE and DTSTAMP, and a change of layout must be deliberate.
func TestCalendarICSBytes(t *testing.T) {
	day := time.Date(2031, 3, 20, 0, 0, 0, 0, time.UTC)
	r := models.ReunionRow{Reunion: models.Reunion{ID: 7, Debut: time.Date(2031, 7, 1, 12, 0, 0, 0, time.UTC),
		Fin: time.Date(2031, 7, 1, 14, 30, 0, 0, time.UTC), Statut: models.ReunionReportee, Sequence: 2}, InstanceNom: "GT numérique"}
	a := models.ActionRow{Action: models.Action{ID: 3, Titre: "Relancer", Echeance: &day, Statut: models.ActionEnCours, Version: 4},
		InstanceNom: "COPIL", ReunionTitre: "Lancement"}
	got := string(exports.CalendarICS("Pilotage ENT 1D — Jeanne", []exports.CalendarEvent{{Reunion: r, URL: "https://p.example/reunions/7"}},
		[]exports.DueEvent{{Action: a}}, time.Date(2031, 1, 2, 3, 4, 5, 0, time.FixedZone("UTC+1", 3600))))
	want := "BEGIN:VCALENDAR\r\n" +
		"PRODID:-//Academie de Creteil//Pilotage ENT 1D//FR\r\n" +
		"VERSION:2.0\r\n" +
		"CALSCALE:GREGORIAN\r\n" +
		"METHOD:PUBLISH\r\n" +
		"X-WR-CALNAME:Pilotage ENT 1D — Jeanne\r\n" +
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" +
		"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
		"BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
		"END:VTIMEZONE\r\n" +
		"BEGIN:VEVENT\r\n" +
		"UID:reunion-7@pilotage-ent-1d\r\n" +
		"DTSTAMP:20310102T020405Z\r\n" +
		"DTSTART;TZID=Europe/Paris:20310701T140000\r\n" +
		"DTEND;TZID=Europe/Paris:20310701T163000\r\n" +
		"SEQUENCE:2\r\n" +
		"SUMMARY:GT numérique du 01/07/2031\r\n" +
		"DESCRIPTION:Instance : GT numérique\\nhttps://p.example/reunions/7\r\n" +
		"STATUS:TENTATIVE\r\n" +
		"END:VEVENT\r\n" +
		"BEGIN:VEVENT\r\n" +
		"UID:action-3@pilotage-ent-1d\r\n" +
		"DTSTAMP:20310102T020405Z\r\n" +
		"DTSTART;VALUE=DATE:20310320\r\n" +
		"DTEND;VALUE=DATE:20310321\r\n" +
		"SEQUENCE:3\r\n" +
		"SUMMARY:Échéance : Relancer\r\n" +
		"DESCRIPTION:Instance : COPIL\\nRéunion : Lancement\\nStatut : En cours\r\n" +
		"TRANSP:TRANSPARENT\r\n" +
		"STATUS:CONFIRMED\r\n" +
		"END:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	if got != want {
		t.Errorf("agenda :\n%q\nattendu :\n%q", got, want)
	}
}
