package models

import (
	"fmt"
	"regexp"
	"strconv"
)

// uaiLetters is the alphabet of the UAI check letter (no I, O or Q).
const uaiLetters = "ABCDEFGHJKLMNPRSTUVWXYZ"

var (
	uaiPattern   = regexp.MustCompile(`^[0-9]{7}[A-Z]$`)
	inseePattern = regexp.MustCompile(`^(?:[0-9]{5}|2[AB][0-9]{3})$`)
	sirenPattern = regexp.MustCompile(`^[0-9]{9}$`)
	depPattern   = regexp.MustCompile(`^(?:[0-9]{2}|2[AB]|97[0-9])$`)
)

// UAICheckLetter returns the check letter of the 7 digits of a UAI: the number modulo 23
// read in the UAI alphabet.
func UAICheckLetter(digits string) byte {
	n, _ := strconv.Atoi(digits)
	return uaiLetters[n%23]
}

// CheckUAI returns a French message when uai is not a well-formed UAI with the right
// check letter, "" when it is.
func CheckUAI(uai string) string {
	if !uaiPattern.MatchString(uai) {
		return "UAI invalide : 7 chiffres suivis d'une lettre attendus (ex. 0930388S)"
	}
	if want := UAICheckLetter(uai[:7]); uai[7] != want {
		return fmt.Sprintf("UAI invalide : la lettre de contrôle de %s est %c, pas %c", uai[:7], want, uai[7])
	}
	return ""
}

// ValidINSEE reports whether code looks like a commune's INSEE code (5 digits, or 2A/2B in Corsica).
func ValidINSEE(code string) bool { return inseePattern.MatchString(code) }

// ValidSIREN reports whether code is 9 digits.
func ValidSIREN(code string) bool { return sirenPattern.MatchString(code) }

// ValidDepartementCode reports whether code looks like a département code (77, 2A, 974).
func ValidDepartementCode(code string) bool { return depPattern.MatchString(code) }

// departementOfINSEE returns the département of an INSEE code: 3 characters overseas, 2 otherwise.
func departementOfINSEE(code string) string {
	if len(code) == 5 && code[:2] == "97" {
		return code[:3]
	}
	if len(code) >= 2 {
		return code[:2]
	}
	return ""
}

// departementOfUAI returns the département encoded in a UAI ("0930388S" → "93", "9740001A" → "974").
func departementOfUAI(uai string) string {
	if len(uai) < 3 {
		return ""
	}
	if uai[0] == '0' {
		switch uai[:3] {
		case "620":
			return "2A"
		case "720":
			return "2B"
		}
		return uai[1:3]
	}
	return uai[:3]
}

// ValidUAIShape reports whether s has the shape of a UAI (7 digits and a letter), whatever its check letter.
func ValidUAIShape(s string) bool { return uaiPattern.MatchString(s) }
