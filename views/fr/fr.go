// Package fr formats numbers, amounts, percentages, days and times the French way, as every
// page, export and document of the product shows them: "2 640", "12 500,50 €", "33,33 %",
// "15/02/2027", "15/02/2027 à 10:30" (Paris time).
//
// It is a leaf: it imports the standard library only, never another package of the project,
// so that models, views, exports, app, seeds and cmd can all use it. Between thousands and
// before a unit (€, %) it writes a narrow no-break space (U+202F), the French typographic
// rule, so that an amount never breaks across lines. Reading typed amounts and dates is
// input validation and stays with the rules that use it (models).
package fr

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// NNBSP is the narrow no-break space written between groups of thousands and before a unit.
const NNBSP = "\u202f"

// None is what the pages show for a missing value: an amount, a count or a date not known.
const None = "—"

// Integer is the signed integer types Int and Plural take: counts are int in the pages'
// view models and int64 in the database rows.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64
}

// Int writes n with its thousands grouped: 496 814, -12 500.
func Int[T Integer](n T) string {
	if n < 0 {
		return "-" + group(strconv.FormatUint(abs(int64(n)), 10))
	}
	return group(strconv.FormatInt(int64(n), 10))
}

// Plural writes a count and its noun, singular for 0 and 1 as French has it: "1 école",
// "0 école", "2 640 écoles".
func Plural[T Integer](n T, one, many string) string {
	if n <= 1 {
		return Int(n) + " " + one
	}
	return Int(n) + " " + many
}

// Decimal writes f rounded to decimals digits after a decimal comma, thousands grouped:
// Decimal(24.46, 1) is "24,5", Decimal(1234.5, 1) "1 234,5". It is for ratios and sizes
// computed as floats; amounts of money are integer cents and go through Euros.
func Decimal(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := group(intPart)
	if hasFrac {
		out += "," + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// Euros writes an amount of integer cents in euros: 12 500,50 €.
func Euros(cents int64) string { return EurosPlain(cents) + NNBSP + "€" }

// EurosPlain is Euros without the euro sign, the way a form shows an amount to edit:
// 12 500,50.
func EurosPlain(cents int64) string {
	u := abs(cents)
	rest := u % 100
	s := group(strconv.FormatUint(u/100, 10)) + ","
	if rest < 10 {
		s += "0"
	}
	s += strconv.FormatUint(rest, 10)
	if cents < 0 {
		return "-" + s
	}
	return s
}

// EurosPtr is Euros, or None for no amount.
func EurosPtr(cents *int64) string {
	if cents == nil {
		return None
	}
	return Euros(*cents)
}

// Percent writes hundredths of a percent exactly, trailing zeros dropped: 3333 is
// "33,33 %", 3350 "33,5 %", 6000 "60 %".
func Percent[T Integer](hundredths T) string {
	u := abs(int64(hundredths))
	s := group(strconv.FormatUint(u/100, 10))
	if r := u % 100; r != 0 {
		s += "," + strings.TrimRight(strconv.FormatUint(100+r, 10)[1:], "0")
	}
	if hundredths < 0 {
		s = "-" + s
	}
	return s + NNBSP + "%"
}

// PercentOf writes part / whole as a percentage rounded half up to one decimal, a trailing
// zero dropped: PercentOf(17, 40) is "42,5 %", PercentOf(1, 3) "33,3 %", PercentOf(2, 2)
// "100 %". It is None when whole is not positive. part is a count or an amount, not
// negative; the division is exact for any int64.
func PercentOf(part, whole int64) string {
	if whole <= 0 || part < 0 {
		return None
	}
	// tenths = round(part × 1000 / whole), in 128 bits: part may be a sum of cents.
	hi, lo := bits.Mul64(uint64(part), 1000)
	lo, carry := bits.Add64(lo, uint64(whole)/2, 0)
	hi += carry
	if hi >= uint64(whole) {
		return None // the quotient does not fit 64 bits: no page shows such a percentage
	}
	tenths, _ := bits.Div64(hi, lo, uint64(whole))
	if tenths > math.MaxInt64/10 {
		return None
	}
	return Percent(int64(tenths) * 10)
}

// group inserts NNBSP between groups of three digits of a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3*len(NNBSP))
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(NNBSP)
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// abs is |n| as an unsigned number, right for math.MinInt64 too.
func abs(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}
