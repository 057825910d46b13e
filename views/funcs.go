package views

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// funcs are the formatting helpers templates may use.
var funcs = template.FuncMap{
	"nombre":  Number,
	"nombrep": numberPtr,
	"pluriel": Plural,
	// exportLinks gives the download links of a list without filters.
	"exportLinks": func(path string) map[string]string {
		return map[string]string{"XLSX": path + ".xlsx", "CSV": path + ".csv"}
	},
	// field describes a form input: id, name, label, hint, type, value, error.
	"field": func(id, name, label, hint, typ, value, err string) map[string]any {
		return map[string]any{"ID": id, "Name": name, "Label": label, "Hint": hint, "Type": typ, "Value": value,
			"Error": err, "Autocomplete": autocomplete(id, name, typ), "Required": false}
	},
	"date": Date,
	"jour": Day,
	// dict gathers the arguments of a shared partial: "Key", value, "Key", value...
	"dict": dict,
	// breakdown pairs a caption with the rows of a breakdown table.
	"breakdown": func(title string, rows any) map[string]any {
		return map[string]any{"Title": title, "Rows": rows}
	},
}

// dict makes a map of its key and value pairs, for a partial that takes several arguments.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict : nombre impair d'arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict : clé %v qui n'est pas une chaîne", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// Number formats n the French way, with a narrow no-break space between thousands: 496 814.
func Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// autocomplete hints browsers and password managers (RGAA 11.13).
func autocomplete(id, name, typ string) string {
	switch {
	case name == "email":
		return "email"
	case name == "actuel" || (typ == "password" && strings.HasPrefix(id, "connexion")):
		return "current-password"
	case typ == "password":
		return "new-password"
	case name == "nom":
		return "name"
	}
	return ""
}

// paris is the time zone of every date shown.
var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()

// Date formats a timestamp (time.Time or *time.Time) the French way, in Paris time:
// 02/01/2012 à 14:05. A day without a time (a DATE column) goes through Day instead.
func Date(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return "—"
		}
		t = *x
	default:
		return ""
	}
	if t.IsZero() {
		return "—"
	}
	return t.In(paris).Format("02/01/2006 à 15:04")
}

// Day formats a day without a time (a DATE column: convention dates, membership, signatures,
// délibérations…) the French way: 02/01/2012. Such a day is stored as midnight UTC; it is
// read in UTC, never moved to Paris time, so it prints as that day whatever the time zone
// of the value or of the server.
func Day(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return "—"
		}
		t = *x
	default:
		return ""
	}
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("02/01/2006")
}

func numberPtr(n *int) string {
	if n == nil {
		return "—"
	}
	return Number(*n)
}

// Plural returns "1 école" or "2 640 écoles" (French: 0 and 1 take the singular).
func Plural(n int, one, many string) string {
	if n <= 1 {
		return Number(n) + " " + one
	}
	return Number(n) + " " + many
}
