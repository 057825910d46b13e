package exports

import (
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// SessionEvent is what an iCalendar VEVENT needs of a training session. No participant
// appears in it: whoever reads the session gets the same event.
type SessionEvent struct {
	Formation models.FormationRow
	URL       string // the session's page, absolute when known
}

// SessionsICS is the calendar of training sessions alone (a session's invitation).
func SessionsICS(sessions []SessionEvent, now time.Time) []byte {
	return AgendaICS("", nil, nil, sessions, now)
}

// session writes the VEVENT of a training session: UID "formation-<id>@…" stable, SEQUENCE
// the session's sequence (bumped at every change a calendar must see), STATUS:CANCELLED
// for a cancelled session, TENTATIVE for one only planned.
func (w *icsWriter) session(e SessionEvent) {
	r := e.Formation
	w.line("BEGIN:VEVENT")
	w.line("UID:formation-" + strconv.FormatInt(r.ID, 10) + "@pilotage-ent-1d")
	w.line("DTSTAMP:" + w.stamp)
	w.line("DTSTART;TZID=Europe/Paris:" + r.Debut().In(w.z).Format("20060102T150405"))
	w.line("DTEND;TZID=Europe/Paris:" + r.Fin().In(w.z).Format("20060102T150405"))
	w.line("SEQUENCE:" + strconv.Itoa(r.Sequence))
	w.line("SUMMARY:" + escapeICS("Formation : "+r.ModuleLibelle))
	if r.ADistance {
		w.line("LOCATION:" + escapeICS("À distance"))
	} else if r.Lieu != "" {
		w.line("LOCATION:" + escapeICS(r.Lieu))
	}
	desc := []string{"Public : " + r.PublicLabel(), "Territoire : " + r.TerritoireLabel(),
		"Places restantes : " + strconv.Itoa(r.PlacesRestantes()) + " sur " + strconv.Itoa(r.Capacite)}
	if r.ADistance && r.Lien != "" {
		desc = append([]string{"Lien : " + r.Lien}, desc...)
	}
	if e.URL != "" {
		desc = append(desc, e.URL)
		w.line("URL:" + e.URL)
	}
	w.line("DESCRIPTION:" + escapeICS(strings.Join(desc, "\n")))
	switch r.Statut {
	case models.FormationAnnulee:
		w.line("STATUS:CANCELLED")
	case models.FormationPlanifiee:
		w.line("STATUS:TENTATIVE")
	default:
		w.line("STATUS:CONFIRMED")
	}
	w.line("END:VEVENT")
}
