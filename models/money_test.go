package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
)

func TestParseEuros(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		err  error
	}{
		{"1 234,56", 123456, nil},
		{"1234.56", 123456, nil},
		{"1 234,56 €", 123456, nil},
		{"1 234,56€", 123456, nil},
		{"1234", 123400, nil},
		{"0", 0, nil},
		{"0,00", 0, nil},
		{"0,1", 10, nil},
		{",5", 50, nil},
		{"12 500,50", 1250050, nil},
		{"12\u00a0500,50", 1250050, nil},        // no-break space
		{"12\u202f500,50\u202f€", 1250050, nil}, // narrow no-break space
		{"1 000 000", 100000000, nil},
		{"  42  ", 4200, nil},
		{"1234,5", 123450, nil},
		{"1 234 EUR", 123400, nil},
		{"007", 700, nil},
		{"", 0, models.ErrAmountEmpty},
		{"   ", 0, models.ErrAmountEmpty},
		{"€", 0, models.ErrAmountEmpty},
		{"-5", 0, models.ErrAmountNegative},
		{"-0,10", 0, models.ErrAmountNegative},
		{"−5", 0, models.ErrAmountNegative},
		{"12,345", 0, models.ErrAmountAmbiguous},
		{"12.345", 0, models.ErrAmountAmbiguous},
		{"1,234", 0, models.ErrAmountAmbiguous},
		{"1234,567", 0, models.ErrAmountDecimals},
		{"0,345", 0, models.ErrAmountDecimals},
		{"1 234,567", 0, models.ErrAmountDecimals},
		{"12,3a", 0, models.ErrAmountInvalid},
		{"douze", 0, models.ErrAmountInvalid},
		{"1e5", 0, models.ErrAmountInvalid},
		{"1,234,567", 0, models.ErrAmountInvalid},
		{"12 34", 0, models.ErrAmountInvalid},
		{"1234 567", 0, models.ErrAmountInvalid},
		{"12,", 0, models.ErrAmountInvalid},
		{"0x10", 0, models.ErrAmountInvalid},
		{"99999999999999999999", 0, models.ErrAmountTooLarge},
	} {
		got, err := models.ParseEuros(c.in)
		if !errors.Is(err, c.err) || (err == nil && got != c.want) {
			t.Errorf("ParseEuros(%q) = %d, %v ; attendu %d, %v", c.in, got, err, c.want, c.err)
		}
	}
	if _, err := models.ParseEuros("12,345"); err == nil || err.Error() != "Montant ambigu : écrivez 12 345 ou 12,35." {
		t.Errorf("message ambigu : %v", err)
	}
	if p, err := models.ParseOptionalEuros(""); p != nil || err != nil {
		t.Errorf("montant facultatif vide : %v %v", p, err)
	}
	if p, err := models.ParseOptionalEuros("0"); p == nil || *p != 0 || err != nil {
		t.Errorf("0 facultatif : %v %v", p, err)
	}
}

// TestParseEurosExact: 3 × 0,10 € is exactly 0,30 €, integer cents read and shown the
// French way.
func TestParseEurosExact(t *testing.T) {
	dime, err := models.ParseEuros("0,10")
	if err != nil {
		t.Fatal(err)
	}
	if sum := dime + dime + dime; sum != 30 || fr.Euros(sum) != "0,30\u202f€" {
		t.Errorf("3 × 0,10 € = %d centimes (%s)", sum, fr.Euros(sum))
	}
}

// FuzzParseEuros: whatever is typed, ParseEuros never panics, accepts only amounts in
// range, and what fr.Euros shows reads back to the same cents.
func FuzzParseEuros(f *testing.F) {
	for _, s := range []string{"1 234,56", "1234.56", "12,345", "0", "-1", "1\u202f000,5 €", ",5", "9999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := models.ParseEuros(s)
		if err != nil {
			return
		}
		if n < 0 || n > models.MaxCentimes {
			t.Fatalf("ParseEuros(%q) = %d hors bornes", s, n)
		}
		back, err := models.ParseEuros(fr.Euros(n))
		if err != nil || back != n {
			t.Fatalf("aller-retour de %d (%q) : %d, %v", n, fr.Euros(n), back, err)
		}
		if plain, err := models.ParseEuros(strings.ReplaceAll(fr.EurosPlain(n), "\u202f", "")); err != nil && n >= 100000 {
			// "12345,67" without grouping reads back too (a 4+ digit integer part is never ambiguous).
			t.Fatalf("sans séparateurs %d : %v", n, err)
		} else if err == nil && plain != n {
			t.Fatalf("sans séparateurs %d : %d", n, plain)
		}
	})
}

func TestSplitCents(t *testing.T) {
	for _, c := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{1000000, []int64{3333, 3333, 3334}, []int64{333300, 333300, 333400}},
		{10, []int64{0, 0}, []int64{5, 5}},
		{7, []int64{5, 0, 5}, []int64{4, 0, 3}},
		{0, []int64{1, 2}, []int64{0, 0}},
		{1, []int64{1, 1000000}, []int64{0, 1}},
		{9_000_000_000_000_000, []int64{1 << 40, 1 << 40}, []int64{4_500_000_000_000_000, 4_500_000_000_000_000}},
	} {
		got := models.SplitCents(c.total, c.weights)
		var sum int64
		for _, g := range got {
			sum += g
		}
		if sum != c.total && c.total > 0 {
			t.Errorf("SplitCents(%d, %v) = %v : somme %d", c.total, c.weights, got, sum)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("SplitCents(%d, %v) = %v, attendu %v", c.total, c.weights, got, c.want)
				break
			}
		}
	}
}
