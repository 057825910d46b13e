package exports

import (
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// MarcheDate is one key date of a market: its kind (the end of its UID) and its summary.
type MarcheDate struct {
	Key, Summary string
	Day          time.Time
}

// MarcheDates are the key dates of a market: publication, deadline for bids, and for each
// awarded lot its start and its end with renewals (the renewal to decide).
func MarcheDates(m models.MarcheRow) []MarcheDate {
	var out []MarcheDate
	if m.DatePublication != nil {
		out = append(out, MarcheDate{"publication", "Publication : " + m.Objet, *m.DatePublication})
	}
	if m.DateLimite != nil {
		out = append(out, MarcheDate{"limite", "Date limite des offres : " + m.Objet, *m.DateLimite})
	}
	for _, l := range m.Lots {
		n := strconv.Itoa(l.Numero)
		if l.DateAttribution != nil {
			out = append(out, MarcheDate{"lot-" + n + "-attribution", "Attribution du lot " + n + " : " + m.Objet, *l.DateAttribution})
		}
		if l.DateDebut != nil {
			out = append(out, MarcheDate{"lot-" + n + "-debut", "Début du lot " + n + " : " + m.Objet, *l.DateDebut})
		}
		if fin := l.FinPrevue(); fin != nil {
			out = append(out, MarcheDate{"lot-" + n + "-fin", "Fin du lot " + n + " (reconductions comprises) : " + m.Objet, *fin})
		}
	}
	return out
}

// MarcheICS is the calendar of a market's key dates, all-day events with stable UIDs
// ("marche-<id>-<key>@…"); url is the market's page.
func MarcheICS(m models.MarcheRow, url string, now time.Time) []byte {
	w := icsWriter{stamp: now.UTC().Format("20060102T150405Z")}
	w.line("BEGIN:VCALENDAR")
	w.line("PRODID:-//Academie de Creteil//Pilotage ENT 1D//FR")
	w.line("VERSION:2.0")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.line("X-WR-CALNAME:" + escapeICS("Marché : "+m.Objet))
	w.marche(MarcheEvent{Marche: m, URL: url}, time.Time{})
	w.line("END:VCALENDAR")
	return w.b.Bytes()
}

// MarcheEvent is a market in the personal agenda, with its page's address.
type MarcheEvent struct {
	Marche models.MarcheRow
	URL    string
}

// marche writes the all-day events of the market's key dates from the day from (all when
// zero), with stable UIDs ("marche-<id>-<key>@…").
func (w *icsWriter) marche(e MarcheEvent, from time.Time) {
	m := e.Marche
	for _, d := range MarcheDates(m) {
		if d.Day.Before(from) {
			continue
		}
		w.line("BEGIN:VEVENT")
		w.line("UID:marche-" + strconv.FormatInt(m.ID, 10) + "-" + d.Key + "@pilotage-ent-1d")
		w.line("DTSTAMP:" + w.stamp)
		w.line("DTSTART;VALUE=DATE:" + d.Day.Format("20060102"))
		w.line("DTEND;VALUE=DATE:" + d.Day.AddDate(0, 0, 1).Format("20060102"))
		w.line("SEQUENCE:" + strconv.Itoa(max(m.Version-1, 0)))
		w.line("SUMMARY:" + escapeICS(d.Summary))
		if e.URL != "" {
			w.line("URL:" + e.URL)
		}
		w.line("END:VEVENT")
	}
}
