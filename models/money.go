package models

import (
	"errors"
	"strconv"
	"strings"
)

// Amounts of money are integer cents (int64), never floats: 3 × 0,10 € is exactly 0,30 €.
// They are entered the French way, "12 500,50" (ParseEuros, here: reading an amount is a
// rule of the forms and the imports), and shown by views/fr (fr.Euros: "12 500,50 €").

// MaxCentimes bounds an amount (one thousand billion euros): far above any plan, and far
// from the overflow of a sum of int64.
const MaxCentimes = int64(100_000_000_000_000)

// Errors of ParseEuros; their messages are French, for the forms.
var (
	ErrAmountEmpty     = errors.New("Montant obligatoire.")
	ErrAmountNegative  = errors.New("Montant négatif : saisissez un montant positif ou nul.")
	ErrAmountInvalid   = errors.New("Montant invalide : chiffres, espaces et virgule seulement (exemple : 12 500,50).")
	ErrAmountDecimals  = errors.New("Montant invalide : deux décimales au plus (les centimes).")
	ErrAmountAmbiguous = errors.New("Montant ambigu : écrivez 12 345 ou 12,35.")
	ErrAmountTooLarge  = errors.New("Montant trop élevé.")
)

// thousands are the characters accepted between groups of thousands: space, no-break
// space, narrow no-break space, thin space.
const thousands = " \u00a0\u202f\u2009"

// ParseEuros reads an amount in euros typed the French (or the English) way and returns it
// in cents: "1 234,56", "1234.56", "1 234,56 €", "1234", "0". Spaces of any kind separate
// thousands. Negative amounts, letters, more than two decimals and the ambiguous "12,345"
// or "12.345" (thousands or decimals?) are refused with a French message. An empty input
// is ErrAmountEmpty: the caller decides whether the amount was required.
func ParseEuros(s string) (int64, error) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), thousands))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "€"), "EUR"))
	s = strings.Trim(s, thousands)
	if s == "" {
		return 0, ErrAmountEmpty
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, ErrAmountNegative
	}
	digits, sep, grouped, err := amountDigits(strings.TrimPrefix(s, "+"))
	if err != nil {
		return 0, err
	}
	intPart, frac, err := amountParts(digits, sep, grouped)
	if err != nil {
		return 0, err
	}
	return amountCents(intPart, frac)
}

// amountDigits reads the digits of an amount grouped by spaces (the groups after the first
// have three digits) and returns them with the byte index of the decimal separator among
// them (-1 without one) and whether thousands were grouped.
func amountDigits(s string) (string, int, bool, error) {
	var digits strings.Builder
	sep := -1 // byte index of the decimal separator in digits
	group, grouped := 0, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
			group++
		case strings.ContainsRune(thousands, r):
			if sep >= 0 || group == 0 || (grouped && group != 3) || (!grouped && group > 3) {
				return "", 0, false, ErrAmountInvalid
			}
			grouped, group = true, 0
		case r == ',' || r == '.':
			if sep >= 0 {
				return "", 0, false, ErrAmountInvalid
			}
			if grouped && group != 3 {
				return "", 0, false, ErrAmountInvalid
			}
			sep, group = digits.Len(), 0
		default:
			return "", 0, false, ErrAmountInvalid
		}
	}
	if grouped && sep < 0 && group != 3 {
		return "", 0, false, ErrAmountInvalid
	}
	return digits.String(), sep, grouped, nil
}

// amountParts cuts the digits at the decimal separator into the euros and at most two
// decimals, refusing "12,345" (thousands or three decimals?).
func amountParts(d string, sep int, grouped bool) (string, string, error) {
	intPart, frac := d, ""
	if sep >= 0 {
		intPart, frac = d[:sep], d[sep:]
		if intPart == "" {
			intPart = "0"
		}
		switch {
		case frac == "":
			return "", "", ErrAmountInvalid
		case len(frac) == 3 && !grouped && len(intPart) <= 3 && intPart != "0":
			// "12,345" or "12.345": thousands separator or three decimals?
			return "", "", ErrAmountAmbiguous
		case len(frac) > 2:
			return "", "", ErrAmountDecimals
		}
	}
	if intPart == "" {
		return "", "", ErrAmountInvalid
	}
	return intPart, frac, nil
}

// amountCents turns the euros and decimals read into cents, within MaxCentimes.
func amountCents(intPart, frac string) (int64, error) {
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 13 {
		return 0, ErrAmountTooLarge
	}
	var euros int64
	if intPart != "" {
		n, err := strconv.ParseInt(intPart, 10, 64)
		if err != nil {
			return 0, ErrAmountInvalid
		}
		euros = n
	}
	cents := int64(0)
	if frac != "" {
		n, _ := strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			n *= 10
		}
		cents = n
	}
	total := euros*100 + cents
	if total > MaxCentimes {
		return 0, ErrAmountTooLarge
	}
	return total, nil
}

// ParseOptionalEuros is ParseEuros where an empty input means "no amount" (nil).
func ParseOptionalEuros(s string) (*int64, error) {
	n, err := ParseEuros(s)
	if errors.Is(err, ErrAmountEmpty) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &n, nil
}
