package views

import (
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	cases := map[int]string{0: "0", 7: "7", 999: "999", 1000: "1\u202f000", 496814: "496\u202f814",
		4599353: "4\u202f599\u202f353", -12500: "-12\u202f500"}
	for n, want := range cases {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, attendu %q", n, got, want)
		}
	}
}

func TestPlural(t *testing.T) {
	cases := []struct {
		n    int
		want string
	}{{0, "0 école"}, {1, "1 école"}, {2, "2 écoles"}, {2642, "2\u202f642 écoles"}}
	for _, c := range cases {
		if got := Plural(c.n, "école", "écoles"); got != c.want {
			t.Errorf("Plural(%d) = %q, attendu %q", c.n, got, c.want)
		}
	}
}

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

// TestDayAndDate: a day without a time (midnight UTC, as DATE columns are read) prints as
// that day without a time, whatever the location the value carries; a timestamp prints in
// Paris time with its time.
func TestDayAndDate(t *testing.T) {
	day := time.Date(2027, time.February, 15, 0, 0, 0, 0, time.UTC)
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		newYork = time.FixedZone("EST", -5*3600)
	}
	for _, v := range []any{day, &day, day.In(paris), day.In(newYork), day.In(time.FixedZone("UTC+14", 14*3600))} {
		if got := Day(v); got != "15/02/2027" {
			t.Errorf("Day(%v) = %q, attendu 15/02/2027", v, got)
		}
	}
	if got := Day((*time.Time)(nil)); got != "—" {
		t.Errorf("Day(nil) = %q", got)
	}
	stamp := time.Date(2027, time.February, 15, 9, 30, 0, 0, time.UTC) // 10:30 in Paris (winter)
	for _, v := range []any{stamp, &stamp, stamp.In(newYork)} {
		if got := Date(v); got != "15/02/2027 à 10:30" {
			t.Errorf("Date(%v) = %q, attendu 15/02/2027 à 10:30", v, got)
		}
	}
	if got := Date(time.Date(2026, time.July, 1, 8, 30, 0, 0, time.UTC)); got != "01/07/2026 à 10:30" {
		t.Errorf("Date en été = %q", got)
	}
}
