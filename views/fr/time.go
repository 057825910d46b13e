package fr

import (
	"sync"
	"time"
	// The time-zone database is embedded: Paris time is right (summer time included) even
	// on a server or a container without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// paris is Europe/Paris, loaded once, on first use.
var paris = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600) // unreachable with the embedded database
})

// Paris is the Europe/Paris time zone: the time of every timestamp shown (pages, exports,
// audit labels, calendars) and of "today" in the product.
func Paris() *time.Location { return paris() }

// Day writes a day without a time (a DATE column: convention dates, signatures,
// délibérations…): 15/02/2027. Such a day is stored as midnight UTC; it is read in UTC,
// never moved to Paris time, so that it prints as that day whatever the location of t or
// of the server. The zero time is "": the caller says what a missing day shows.
func Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("02/01/2006")
}

// ParisDay writes the day a timestamp falls on in Paris, without its time: 15/02/2027 for
// 15/02/2027 at 00:30 in Paris (23:30 UTC the day before). It is for the day of a meeting or
// of "today"; a DATE column goes through Day. The zero time is "".
func ParisDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Paris()).Format("02/01/2006")
}

// DateTime writes a timestamp in Paris time: 15/02/2027 à 10:30. The zero time is "".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Paris()).Format("02/01/2006 à 15:04")
}

// weekdays are the French names of the days, Sunday first as time.Weekday counts.
var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// Weekday is the French name of a day of the week, in lower case: "mardi".
func Weekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return weekdays[d]
}
