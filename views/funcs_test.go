package views

import (
	"testing"
	"time"
)

func TestTemplatesParse(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"home", "communes/list", "communes/show", "ecoles/list", "ecoles/show",
		"epci/list", "epci/show", "departements/list", "departements/show", "errors/error", "sources"} {
		if !v.Has(page) {
			t.Errorf("gabarit %s absent", page)
		}
	}
}

// TestDayAndDateFuncs: the templates' "jour" and "date" take a time.Time or a *time.Time
// and show "—" for none; the formats themselves are views/fr's (tested there).
func TestDayAndDateFuncs(t *testing.T) {
	d := time.Date(2027, time.February, 15, 0, 0, 0, 0, time.UTC)
	stamp := time.Date(2027, time.February, 15, 9, 30, 0, 0, time.UTC) // 10:30 in Paris (winter)
	for _, c := range []struct {
		got, want string
	}{
		{day(d), "15/02/2027"}, {day(&d), "15/02/2027"}, {day(d.In(time.FixedZone("UTC-5", -5*3600))), "15/02/2027"},
		{day((*time.Time)(nil)), "—"}, {day(time.Time{}), "—"}, {day("15/02/2027"), ""},
		{dateTime(stamp), "15/02/2027 à 10:30"}, {dateTime(&stamp), "15/02/2027 à 10:30"},
		{dateTime((*time.Time)(nil)), "—"}, {dateTime(time.Time{}), "—"}, {dateTime(42), ""},
		{numberPtr(nil), "—"},
	} {
		if c.got != c.want {
			t.Errorf("%q, attendu %q", c.got, c.want)
		}
	}
	n := 2642
	if got := numberPtr(&n); got != "2\u202f642" {
		t.Errorf("nombrep = %q", got)
	}
}
