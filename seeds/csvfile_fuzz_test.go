package seeds

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// csvFuzzSeeds are the inputs of the unit tests, plus regression cases.
var csvFuzzSeeds = []string{
	"",
	"\xef\xbb\xbf",
	"uai;nom\n",
	"uai;nom\r\n0940001A;A\r\n",
	"Ville;Acad\xe9mie\r\nCr\xe9teil;Cr\xe9teil\r\n",
	"uai;nom\n1;Collège \"Les Tilleuls\"\n2;B\n",
	"uai;nom\n1;A\n2;\"B\"x\n3;C\n",
	"uai;nom\n1;A\n2;\"B\n\n3;C\n4;D\n",
	"a;b\n1;\"x\ny\nz\"\n2\n",
	"uai;nom;;;\r\n0940001A;A;;;\r\n;;;;\r\n0940002B;B\r\n0940003C;C;;;x\r\n",
	"uai;;nom;%\n1;x;A;50\n",
	"\"Nom\n;;;;\",b\nx,y\n",
	"\n\nx;X\n",
	"PK\x03\x04",
	"\xff\xfeu\x00",
	"\"",
	"a\r",
	"a\rb\r\n1\r2\r\n",
}

func csvFuzzAddSeeds(f *testing.F) {
	for _, s := range csvFuzzSeeds {
		f.Add([]byte(s))
	}
	files, err := filepath.Glob("testdata/csvfile/*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzReadCSV feeds arbitrary bytes to ReadCSV and Next: they must never
// panic, Next must reach io.EOF, and what they return must be consistent.
func FuzzReadCSV(f *testing.F) {
	csvFuzzAddSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			if cf != nil {
				t.Fatalf("ReadCSV returned both a file and %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		header := fuzzCheckHeader(t, cf, data)
		fuzzCheckRecords(t, cf, data, header)
	})
}

// fuzzCheckHeader checks what ReadCSV found in data (separator, encoding, a normalised
// header without duplicates on a line) and returns the header.
func fuzzCheckHeader(t *testing.T, cf *CSVFile, data []byte) []string {
	t.Helper()
	header := cf.Header()
	switch cf.Separator() {
	case ';', ',', '\t':
	default:
		t.Fatalf("Separator() = %q", cf.Separator())
	}
	if e := cf.Encoding(); e != "UTF-8" && e != "Windows-1252" {
		t.Fatalf("Encoding() = %q", e)
	}
	if (cf.Encoding() == "UTF-8") != utf8.Valid(data) {
		t.Fatalf("Encoding() = %q for utf8.Valid = %v", cf.Encoding(), utf8.Valid(data))
	}
	if cf.headerLine < 1 {
		t.Fatalf("header on line %d", cf.headerLine)
	}
	seen := map[string]bool{}
	for _, h := range header {
		if NormalizeHeader(h) != h {
			t.Fatalf("header name %q is not normalised", h)
		}
		if h == "" {
			continue
		}
		if seen[h] {
			t.Fatalf("duplicate header name %q accepted", h)
		}
		seen[h] = true
		if !cf.Has(h) {
			t.Fatalf("Has(%q) = false", h)
		}
	}
	return header
}

// fuzzCheckRecords calls Next until io.EOF: every record on a later line than the one
// before, with a field per column, never blank, Get and GetAny agreeing, valid UTF-8.
func fuzzCheckRecords(t *testing.T, cf *CSVFile, data []byte, header []string) {
	t.Helper()
	prev := cf.headerLine
	// Every call to Next consumes at least one line.
	for range bytes.Count(data, []byte("\n")) + 2 {
		rec, err := cf.Next()
		if err == io.EOF {
			if _, err := cf.Next(); err != io.EOF {
				t.Fatalf("Next after io.EOF = %v", err)
			}
			return
		}
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("Next error %T %v is not a *LineError", err, err)
			}
			if le.Line <= prev {
				t.Fatalf("error on line %d after line %d", le.Line, prev)
			}
			prev = le.Line
			continue
		}
		if rec.Line <= prev {
			t.Fatalf("record on line %d after line %d", rec.Line, prev)
		}
		prev = rec.Line
		if len(rec.fields) != len(header) {
			t.Fatalf("line %d: %d fields for %d columns", rec.Line, len(rec.fields), len(header))
		}
		if csvBlankRecord(rec.fields) {
			t.Fatalf("line %d: blank record returned", rec.Line)
		}
		for i, h := range header {
			if h != "" && rec.Get(h) != rec.GetAny("\x00absent", h) {
				t.Fatalf("Get/GetAny disagree on %q", h)
			}
			if h != "" && !utf8.ValidString(rec.Get(h)) {
				t.Fatalf("column %d: invalid UTF-8 %q", i, rec.Get(h))
			}
		}
	}
	t.Fatal("Next did not reach io.EOF")
}

// FuzzNormalizeHeader checks that NormalizeHeader is idempotent and only
// produces lowercase letters, digits and single inner underscores.
func FuzzNormalizeHeader(f *testing.F) {
	for _, s := range []string{"Identifiant_de_l_etablissement", "Comptes activés", " Code INSEE ", "Rang du vœu", "1ʳᵉ", "İ", "ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeHeader(s)
		if again := NormalizeHeader(n); again != n {
			t.Fatalf("NormalizeHeader(%q) = %q, then %q", s, n, again)
		}
		if len(n) > 0 && (n[0] == '_' || n[len(n)-1] == '_') {
			t.Fatalf("NormalizeHeader(%q) = %q: untrimmed", s, n)
		}
		if strings.Contains(n, "__") {
			t.Fatalf("NormalizeHeader(%q) = %q: double underscore", s, n)
		}
		if csvIsNormalized(s) && n != s {
			t.Fatalf("csvIsNormalized(%q) but NormalizeHeader = %q", s, n)
		}
	})
}

// FuzzParseFrenchInt checks that ParseFrenchInt never panics and agrees with
// itself: ok means no error, and the plain digits parse to the same number.
func FuzzParseFrenchInt(f *testing.F) {
	for _, s := range []string{"1 234", "1\u00a0234", "1\u202f234", "", "-12", "12,00", "1.234", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok, err := ParseFrenchInt(s)
		if ok && err != nil || !ok && n != 0 {
			t.Fatalf("ParseFrenchInt(%q) = %d, %v, %v", s, n, ok, err)
		}
		if !ok && err == nil && strings.TrimSpace(s) != "" {
			t.Fatalf("ParseFrenchInt(%q): neither a value nor an error", s)
		}
	})
}
