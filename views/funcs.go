package views

import (
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

// funcs are the formatting helpers templates may use.
var funcs = template.FuncMap{
	"nombre":  number,
	"nombrep": numberPtr,
	"pluriel": fr.Plural[int],
	// minuscule writes a label inside a sentence ("par circonscription").
	"minuscule": strings.ToLower,
	// exportLinks gives the download links of a list without filters.
	"exportLinks": func(path string) map[string]string {
		return map[string]string{"XLSX": path + ".xlsx", "CSV": path + ".csv"}
	},
	// field describes a form input: id, name, label, hint, type, value, error.
	"field": func(id, name, label, hint, typ, value, err string) map[string]any {
		return map[string]any{"ID": id, "Name": name, "Label": label, "Hint": hint, "Type": typ, "Value": value,
			"Error": err, "Autocomplete": autocomplete(id, name, typ), "Required": false}
	},
	"date": dateTime,
	"jour": day,
	// euros writes an amount in integer cents (int64 or *int64) « 1 234,56 € ».
	"euros": euros,
	// jours writes a mean number of days « 12,5 j ».
	"jours": func(d float64) string { return fr.Decimal(d, 1) + fr.NNBSP + "j" },
	// dict gathers the arguments of a shared partial: "Key", value, "Key", value...
	"dict": dict,
	// breakdown pairs a caption with the rows of a breakdown table.
	"breakdown": func(title string, rows any) map[string]any {
		return map[string]any{"Title": title, "Rows": rows}
	},
}

// euros writes an amount in integer cents; nil is « — ».
func euros(v any) (string, error) {
	switch c := v.(type) {
	case int64:
		return fr.Euros(c), nil
	case *int64:
		return fr.EurosPtr(c), nil
	}
	return "", fmt.Errorf("euros : montant inattendu %T", v)
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

// dateTime is fr.DateTime for a template: a timestamp (time.Time or *time.Time) in Paris
// time, 02/01/2012 à 14:05, or "—" for none. A day without a time (a DATE column) goes
// through day instead.
func dateTime(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	if t.IsZero() {
		return fr.None
	}
	return fr.DateTime(t)
}

// day is fr.Day for a template: a day without a time (a DATE column: convention dates,
// membership, signatures, délibérations…), 02/01/2012, or "—" for none.
func day(v any) string {
	t, ok := timeOf(v)
	if !ok {
		return ""
	}
	if t.IsZero() {
		return fr.None
	}
	return fr.Day(t)
}

// timeOf reads a template's time.Time or *time.Time; a nil pointer is the zero time, any
// other value is not a time.
func timeOf(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case *time.Time:
		if x == nil {
			return time.Time{}, true
		}
		return *x, true
	}
	return time.Time{}, false
}

// number writes a count with its thousands grouped, whether the view model holds it as an
// int or, straight from a database row, as an int64.
func number(v any) (string, error) {
	switch n := v.(type) {
	case int:
		return fr.Int(n), nil
	case int64:
		return fr.Int(n), nil
	case int32:
		return fr.Int(n), nil
	}
	return "", fmt.Errorf("nombre : %T n'est pas un entier", v)
}

func numberPtr(n *int) string {
	if n == nil {
		return fr.None
	}
	return fr.Int(*n)
}
