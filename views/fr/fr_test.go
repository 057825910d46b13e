package fr_test

import (
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
)

const nb = "\u202f"

func TestInt(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1" + nb + "000"}, {496814, "496" + nb + "814"},
		{4599353, "4" + nb + "599" + nb + "353"}, {-12500, "-12" + nb + "500"}, {-999, "-999"},
		{math.MinInt64, "-9" + nb + "223" + nb + "372" + nb + "036" + nb + "854" + nb + "775" + nb + "808"},
	} {
		if got := fr.Int(c.in); got != c.want {
			t.Errorf("Int(%d) = %q, attendu %q", c.in, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 école"}, {1, "1 école"}, {2, "2 écoles"}, {2642, "2" + nb + "642 écoles"}} {
		if got := fr.Plural(c.n, "école", "écoles"); got != c.want {
			t.Errorf("Plural(%d) = %q, attendu %q", c.n, got, c.want)
		}
	}
	if got := fr.Int(int32(-1234)); got != "-1"+nb+"234" {
		t.Errorf("Int(int32) = %q", got)
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		in   float64
		prec int
		want string
	}{
		{24.46, 1, "24,5"}, {24, 1, "24,0"}, {1234.5, 1, "1" + nb + "234,5"}, {2.4, 0, "2"},
		{-0.01, 1, "0,0"}, {-1234.56, 2, "-1" + nb + "234,56"},
	} {
		if got := fr.Decimal(c.in, c.prec); got != c.want {
			t.Errorf("Decimal(%v, %d) = %q, attendu %q", c.in, c.prec, got, c.want)
		}
	}
}

func TestEuros(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "0,00" + nb + "€"},
		{5, "0,05" + nb + "€"},
		{30, "0,30" + nb + "€"},
		{1250050, "12" + nb + "500,50" + nb + "€"},
		{100000000, "1" + nb + "000" + nb + "000,00" + nb + "€"},
		{-123456, "-1" + nb + "234,56" + nb + "€"},
		{-5, "-0,05" + nb + "€"},
	} {
		if got := fr.Euros(c.in); got != c.want {
			t.Errorf("Euros(%d) = %q, attendu %q", c.in, got, c.want)
		}
		if got := fr.EurosPlain(c.in); got+nb+"€" != c.want {
			t.Errorf("EurosPlain(%d) = %q", c.in, got)
		}
	}
	if got := fr.Euros(math.MinInt64); !strings.HasPrefix(got, "-92"+nb+"233") || !strings.HasSuffix(got, ",08"+nb+"€") {
		t.Errorf("Euros(MinInt64) = %q", got)
	}
	if got := fr.EurosPtr(nil); got != "—" {
		t.Errorf("montant absent : %q", got)
	}
	n := int64(1250050)
	if got := fr.EurosPtr(&n); got != fr.Euros(n) {
		t.Errorf("EurosPtr = %q", got)
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{3333, "33,33"}, {3350, "33,5"}, {3305, "33,05"}, {6000, "60"}, {0, "0"}, {5, "0,05"},
		{10000, "100"}, {123456, "1" + nb + "234,56"}, {-250, "-2,5"},
	} {
		if got := fr.Percent(c.in); got != c.want+nb+"%" {
			t.Errorf("Percent(%d) = %q, attendu %q", c.in, got, c.want+nb+"%")
		}
	}
	for _, c := range []struct {
		part, whole int64
		want        string
	}{
		{17, 40, "42,5" + nb + "%"}, {1, 3, "33,3" + nb + "%"}, {2, 3, "66,7" + nb + "%"}, {2, 2, "100" + nb + "%"},
		{0, 5, "0" + nb + "%"}, {3, 2, "150" + nb + "%"}, {1, 2000, "0,1" + nb + "%"}, {1, 2001, "0" + nb + "%"},
		{5, 0, "—"}, {5, -1, "—"}, {-1, 5, "—"},
		{math.MaxInt64, math.MaxInt64, "100" + nb + "%"}, // no overflow of part × 1000
		{math.MaxInt64 / 3, math.MaxInt64 / 3 * 2, "50" + nb + "%"},
		{math.MaxInt64, 1, "—"},
	} {
		if got := fr.PercentOf(c.part, c.whole); got != c.want {
			t.Errorf("PercentOf(%d, %d) = %q, attendu %q", c.part, c.whole, got, c.want)
		}
	}
}

// TestDayAndDateTime: a day without a time (midnight UTC, as DATE columns are read) prints
// as that day, whatever the location the value carries; a timestamp prints in Paris time,
// summer and winter.
func TestDayAndDateTime(t *testing.T) {
	day := time.Date(2027, time.February, 15, 0, 0, 0, 0, time.UTC)
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err) // the time-zone database is embedded
	}
	for _, v := range []time.Time{day, day.In(fr.Paris()), day.In(newYork), day.In(time.FixedZone("UTC+14", 14*3600))} {
		if got := fr.Day(v); got != "15/02/2027" {
			t.Errorf("Day(%v) = %q, attendu 15/02/2027", v, got)
		}
	}
	stamp := time.Date(2027, time.February, 15, 9, 30, 0, 0, time.UTC) // 10:30 in Paris (winter)
	for _, v := range []time.Time{stamp, stamp.In(newYork)} {
		if got := fr.DateTime(v); got != "15/02/2027 à 10:30" {
			t.Errorf("DateTime(%v) = %q, attendu 15/02/2027 à 10:30", v, got)
		}
	}
	if got := fr.DateTime(time.Date(2026, time.July, 1, 8, 30, 0, 0, time.UTC)); got != "01/07/2026 à 10:30" {
		t.Errorf("DateTime en été = %q", got)
	}
	late := time.Date(2027, time.February, 14, 23, 30, 0, 0, time.UTC) // 00:30 on the 15th in Paris
	if got := fr.ParisDay(late); got != "15/02/2027" || fr.Day(late) != "14/02/2027" {
		t.Errorf("ParisDay(%v) = %q, Day = %q", late, got, fr.Day(late))
	}
	if fr.Day(time.Time{}) != "" || fr.DateTime(time.Time{}) != "" || fr.ParisDay(time.Time{}) != "" {
		t.Error("la date nulle s'écrit")
	}
}

func TestParis(t *testing.T) {
	if fr.Paris() != fr.Paris() {
		t.Error("Paris est rechargé à chaque appel")
	}
	if got := fr.Paris().String(); got != "Europe/Paris" {
		t.Errorf("fuseau %q", got)
	}
	// The night of the change to summer time: 02:00 becomes 03:00 on 28/03/2027.
	if _, off := time.Date(2027, 3, 28, 1, 30, 0, 0, time.UTC).In(fr.Paris()).Zone(); off != 2*3600 {
		t.Errorf("heure d'été : décalage %d", off)
	}
	if _, off := time.Date(2027, 1, 28, 1, 30, 0, 0, time.UTC).In(fr.Paris()).Zone(); off != 3600 {
		t.Errorf("heure d'hiver : décalage %d", off)
	}
}

func TestWeekday(t *testing.T) {
	if got := fr.Weekday(time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC).Weekday()); got != "mardi" {
		t.Errorf("12/03/2024 : %q", got)
	}
	if fr.Weekday(time.Sunday) != "dimanche" || fr.Weekday(time.Saturday) != "samedi" || fr.Weekday(7) != "" {
		t.Error("noms des jours")
	}
}

// TestLeaf: the package imports the standard library only, so that every layer may use it.
func TestLeaf(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.SplitN(path, "/", 2)[0], ".") && !strings.HasSuffix(name, "_test.go") {
				t.Errorf("%s importe %s : views/fr n'importe que la bibliothèque standard", name, path)
			}
		}
	}
}
