package exports

import "strings"

// maxFileName is the maximum length of a name returned by SafeFileName.
const maxFileName = 60

// accents maps common French (and a few neighbouring) lowercase letters to
// ASCII.
var accents = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a",
	'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o",
	'œ': "oe", 'ß': "ss",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y",
}

// SafeFileName turns a label into an ASCII file name stem (without
// extension): lowercase, common accented letters stripped, every character
// outside [a-z0-9-] replaced by '-', dashes collapsed and trimmed, at most
// 60 characters. It returns "export" when nothing usable remains.
//
//	SafeFileName("Écoles de Créteil – 2024/2025") == "ecoles-de-creteil-2024-2025"
func SafeFileName(base string) string {
	var b strings.Builder
	dash := true // suppresses leading dashes and repeats
	put := func(r rune) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	for _, r := range strings.ToLower(base) {
		if b.Len() > maxFileName {
			break
		}
		a, ok := accents[r]
		if !ok {
			put(r)
			continue
		}
		for _, ar := range a {
			put(ar)
		}
	}
	name := b.String()
	if len(name) > maxFileName {
		name = name[:maxFileName]
	}
	name = strings.Trim(name, "-")
	if name == "" {
		return "export"
	}
	return name
}
