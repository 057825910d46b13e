package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SearchKey folds a name for accent- and case-insensitive search: "Créteil" and "CRETEIL"
// both give "creteil", "Saint-Maur-des-Fossés" gives "saint maur des fosses". Names are stored
// with their key, and a search compares keys.
func SearchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
			continue
		}
		space = false
	}
	return b.String()
}

// likeContains returns a LIKE pattern matching values that contain term, with LIKE's
// wildcards escaped (the query must say ESCAPE '\').
func likeContains(term string) string {
	return "%" + escapeLike(term) + "%"
}

// likePrefix returns a LIKE pattern matching values that start with term.
func likePrefix(term string) string {
	return escapeLike(term) + "%"
}

// dbText makes a value safe to bind as text: PostgreSQL refuses invalid UTF-8 and NUL
// bytes, which become U+FFFD, a character no stored code or name holds.
func dbText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func escapeLike(term string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term)
}
