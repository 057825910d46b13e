package models

import (
	"fmt"
	"strings"
	"time"
)

// The years a date typed in a form may have. Outside them a date is a typo (01/01/0000,
// 31/12/20255) that would be saved, exported as 0000-01-01T00:00:00Z and put in calendars
// as DTSTART:00000101.
const (
	MinDateYear = 1990
	MaxDateYear = 2100
)

// ParseFrenchDate reads "31/01/2012", "31/1/2012" or "2012-01-31" (input type=date); ok is
// false for a date that does not exist, like 31/02/2012. It says nothing of the year: a
// form's date goes through DayProblem.
func ParseFrenchDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// DayProblem reads a day typed in a form or a filter and returns it, or the French message
// of its fault: a day that does not exist or is not written JJ/MM/AAAA, or one outside the
// years MinDateYear to MaxDateYear ("La date d'échéance doit être comprise entre 1990 et
// 2100." with subject "La date d'échéance"). It is the one check of every date the product
// reads: meetings, members, actions, decisions' and meetings' filters, charters, adoptions,
// conventions, signatures, status changes and avenants.
func DayProblem(subject, s string) (time.Time, string) {
	t, ok := ParseFrenchDate(s)
	if !ok {
		return time.Time{}, "Date invalide : indiquez une date qui existe, au format JJ/MM/AAAA (exemple : 15/03/2012)."
	}
	if y := t.Year(); y < MinDateYear || y > MaxDateYear {
		return time.Time{}, fmt.Sprintf("%s doit être comprise entre %d et %d.", subject, MinDateYear, MaxDateYear)
	}
	return t, ""
}
