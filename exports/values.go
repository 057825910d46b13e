package exports

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ac-creteil/pilotage/views/fr"
)

// cleanText returns s with invalid UTF-8 sequences replaced by U+FFFD.
func cleanText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// textOf converts a Text value to a valid UTF-8 string ("" for nil).
func textOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return cleanText(x)
	case *string:
		if x == nil {
			return ""
		}
		return cleanText(*x)
	case []byte:
		return cleanText(string(x))
	}
	return cleanText(fmt.Sprint(v))
}

// intOf converts an Integer value; ok is false for an empty cell.
func intOf(v any) (n int64, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int:
		return int64(x), true, nil
	case int8:
		return int64(x), true, nil
	case int16:
		return int64(x), true, nil
	case int32:
		return int64(x), true, nil
	case int64:
		return x, true, nil
	case uint:
		return uintOf(uint64(x))
	case uint8:
		return int64(x), true, nil
	case uint16:
		return int64(x), true, nil
	case uint32:
		return int64(x), true, nil
	case uint64:
		return uintOf(x)
	case *int:
		if x == nil {
			return 0, false, nil
		}
		return int64(*x), true, nil
	case *int64:
		if x == nil {
			return 0, false, nil
		}
		return *x, true, nil
	}
	return 0, false, kindError(v, Integer)
}

// uintOf converts an unsigned value that must fit in an int64.
func uintOf(u uint64) (int64, bool, error) {
	if u > math.MaxInt64 {
		return 0, false, fmt.Errorf("entier %d trop grand", u)
	}
	return int64(u), true, nil
}

// floatOf converts a Decimal value; ok is false for an empty cell
// floatOf converts a Decimal or Percent value; ok is false for an empty cell
// (nil, nil pointer, NaN or infinity).
func floatOf(v any, k Kind) (f float64, ok bool, err error) {
	switch x := v.(type) {
	case float64:
		f = x
	case float32:
		f = float64(x)
	case *float64:
		if x == nil {
			return 0, false, nil
		}
		f = *x
	default:
		n, ok, err := intOf(v)
		if err != nil {
			return 0, false, kindError(v, k)
		}
		return float64(n), ok, nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, nil
	}
	return f, true, nil
}

// centsOf converts a Euros value, in cents; ok is false for an empty cell.
func centsOf(v any) (int64, bool, error) {
	n, ok, err := intOf(v)
	if err != nil {
		return 0, false, kindError(v, Euros)
	}
	return n, ok, nil
}

// timeOf converts a Date, DateTime or Time value to the wall clock it shows, as
// a UTC time: the calendar date in the value's own location for Date, the
// date and time in Paris otherwise. ok is false for an empty cell (nil, nil
// pointer or zero time).
func timeOf(v any, k Kind) (t time.Time, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return t, false, nil
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return t, false, nil
		}
		t = *x
	default:
		return t, false, kindError(v, k)
	}
	if t.IsZero() {
		return t, false, nil
	}
	if k == Date {
		return civilDate(t), true, nil
	}
	return parisClock(t), true, nil
}

// civilDate keeps only the calendar date of t as read in its own location,
// at midnight UTC, so that Excel gets a whole day number and CSV and XLSX
// show the same day.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parisClock is the date and time t shows in Paris, to the second, as a UTC
// time.
func parisClock(t time.Time) time.Time {
	p := t.In(paris())
	y, m, d := p.Date()
	return time.Date(y, m, d, p.Hour(), p.Minute(), p.Second(), 0, time.UTC)
}

// paris is the time zone of the dates written in exports: the product's one Europe/Paris.
func paris() *time.Location { return fr.Paris() }

// excelEpoch is day 0 of Excel's 1900 date system as Excel counts from
// 1 March 1900 (it believes 1900 was a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelSerial is the Excel serial number of a wall clock given as a UTC time:
// days since the epoch, plus the time of day as a fraction. ok is false
// before 1 January 1900, which Excel cannot show.
func excelSerial(t time.Time) (float64, bool) {
	if t.Year() < 1900 {
		return 0, false
	}
	days := float64(t.Sub(excelEpoch) / (24 * time.Hour))
	if t.Month() < time.March && t.Year() == 1900 {
		days-- // before Excel's imaginary 29 February 1900
	}
	return days + dayFraction(t), true
}

// dayFraction is the time of day of t as a fraction of a day: Excel's time.
// A fraction of a day seldom has an exact binary value, and LibreOffice drops
// (rather than rounds) what is below the second when it shows a time: the
// fraction is nudged up by a tenth of a millisecond so that 14:30 never shows
// as 14:29.
func dayFraction(t time.Time) float64 {
	secs := t.Hour()*3600 + t.Minute()*60 + t.Second()
	if secs == 0 {
		return 0
	}
	return float64(secs)/86400 + timeNudge
}

// timeNudge is a tenth of a millisecond, in days.
const timeNudge = 1e-4 / 86400

// kindError reports a value whose Go type does not fit the column kind.
func kindError(v any, k Kind) error {
	return fmt.Errorf("valeur de type %T incompatible avec une colonne %v", v, k)
}

// columnError adds the column position and header to a conversion error.
func columnError(i int, c Column, err error) error {
	return fmt.Errorf("exports : colonne %d (%q) : %w", i+1, c.Header, err)
}
