package views

import (
	"html/template"
	"strconv"
	"strings"
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
	// breakdown pairs a caption with the rows of a breakdown table.
	"breakdown": func(title string, rows any) map[string]any {
		return map[string]any{"Title": title, "Rows": rows}
	},
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
