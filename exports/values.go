package exports

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
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
// (nil, nil pointer, NaN or infinity).
func floatOf(v any) (f float64, ok bool, err error) {
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
			return 0, false, kindError(v, Decimal)
		}
		return float64(n), ok, nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, nil
	}
	return f, true, nil
}

// timeOf converts a Date value; ok is false for an empty cell (nil, nil
// pointer or zero time).
func timeOf(v any) (t time.Time, ok bool, err error) {
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
		return t, false, kindError(v, Date)
	}
	if t.IsZero() {
		return t, false, nil
	}
	return civilDate(t), true, nil
}

// civilDate keeps only the calendar date of t as read in its own location,
// at midnight UTC, so that Excel gets a whole day number and CSV and XLSX
// show the same day.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// kindError reports a value whose Go type does not fit the column kind.
func kindError(v any, k Kind) error {
	return fmt.Errorf("valeur de type %T incompatible avec une colonne %v", v, k)
}

// columnError adds the column position and header to a conversion error.
func columnError(i int, c Column, err error) error {
	return fmt.Errorf("exports : colonne %d (%q) : %w", i+1, c.Header, err)
}
