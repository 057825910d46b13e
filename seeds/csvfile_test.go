package seeds

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// csvTestRead reads the whole file: the records, and the errors returned by
// Next (Next is called again after a *LineError, until io.EOF).
func csvTestRead(t *testing.T, f *CSVFile) (recs []Record, errs []error) {
	t.Helper()
	for range 1_000_000 {
		rec, err := f.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, rec)
	}
	t.Fatal("Next never returned io.EOF")
	return nil, nil
}

func csvTestOpen(t *testing.T, path string) *CSVFile {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ReadCSV(fh)
	if err != nil {
		t.Fatalf("ReadCSV(%s): %v", path, err)
	}
	return f
}

func csvTestParse(t *testing.T, data string) *CSVFile {
	t.Helper()
	f, err := ReadCSV(strings.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV(%q): %v", data, err)
	}
	return f
}

// csvSample is a sample file TestReadCSVSamples reads, and what it holds.
type csvSample struct {
	path     string
	sep      rune
	records  int
	columns  int
	has      []string
	lastLine int
	check    func(t *testing.T, recs []Record)
}

// TestReadCSVSamples reads the real files published by the ministry and our
// own seed files.
func TestReadCSVSamples(t *testing.T) {
	const shared = "../../shared/data"
	tests := []csvSample{
		{
			path:     "samples/annuaire_education_extrait_94.csv", // BOM, ';', CRLF
			sep:      ';',
			records:  25,
			columns:  71,
			lastLine: 26,
			has:      []string{"identifiant_de_l_etablissement", "code_commune", "nom_commune", "appartenance_education_prioritaire", "coordx_origine", "libelle_bassin_formation"},
			check:    checkAnnuaireSample,
		},
		{
			path:     "samples/one_statistiques_extrait.csv", // BOM, ';', all quoted, LF
			sep:      ';',
			records:  40,
			columns:  8,
			lastLine: 41,
			has:      []string{"etablissement", "uai", "date", "profil", "connexions", "visiteurs_uniques", "comptes_charges", "comptes_actives"},
			check:    checkStatistiquesSample,
		},
		{
			path:     "communes_creteil.csv", // no BOM, ',', LF
			sep:      ',',
			records:  593,
			columns:  9,
			lastLine: 594,
			has:      []string{"code_insee", "nom", "departement", "population", "codes_postaux", "epci_siren", "epci_nom", "ept_siren", "ept_nom"},
			check:    checkCommunesSample,
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			checkCSVSample(t, filepath.Join(shared, tt.path), tt)
		})
	}
}

// checkCSVSample reads the sample at path, and checks it against tt: separator, encoding,
// normalised header, records and their lines, and tt's own checks.
func checkCSVSample(t *testing.T, path string, tt csvSample) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("échantillon absent : %v", err)
	}
	f := csvTestOpen(t, path)
	if f.Separator() != tt.sep {
		t.Errorf("Separator() = %q, want %q", f.Separator(), tt.sep)
	}
	if f.Encoding() != "UTF-8" {
		t.Errorf("Encoding() = %q", f.Encoding())
	}
	if n := len(f.Header()); n != tt.columns {
		t.Errorf("%d columns, want %d: %q", n, tt.columns, f.Header())
	}
	for _, h := range f.Header() {
		if h == "" || NormalizeHeader(h) != h {
			t.Errorf("header name %q is not normalised", h)
		}
	}
	for _, col := range tt.has {
		if !f.Has(col) {
			t.Errorf("Has(%q) = false; header %q", col, f.Header())
		}
	}
	recs, errs := csvTestRead(t, f)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if len(recs) != tt.records {
		t.Fatalf("%d records, want %d", len(recs), tt.records)
	}
	for i, r := range recs {
		if r.Line != i+2 {
			t.Errorf("record %d: Line = %d, want %d", i, r.Line, i+2)
		}
	}
	if last := recs[len(recs)-1].Line; last != tt.lastLine {
		t.Errorf("last record on line %d, want %d", last, tt.lastLine)
	}
	tt.check(t, recs)
}

// checkAnnuaireSample checks the first école of the directory extract, and its last (empty) column.
func checkAnnuaireSample(t *testing.T, recs []Record) {
	r := recs[0]
	if got := r.Get("identifiant_de_l_etablissement"); got != "0940204L" {
		t.Errorf("identifiant = %q", got)
	}
	if got := r.Get("code_commune"); got != "94046" {
		t.Errorf("code_commune = %q", got)
	}
	if got := r.Get("Nom_commune"); got != "Maisons-Alfort" {
		t.Errorf("nom_commune = %q", got)
	}
	if got := r.Get("libelle_academie"); got != "Créteil" {
		t.Errorf("libelle_academie = %q", got)
	}
	if got := r.Get("libelle_bassin_formation"); got != "" {
		t.Errorf("last (empty) column = %q", got)
	}
}

// checkStatistiquesSample checks the first row of the ONE statistics extract, and that every count is a French integer.
func checkStatistiquesSample(t *testing.T, recs []Record) {
	if got := recs[0].Get("uai"); got != "0930388S" {
		t.Errorf("uai = %q", got)
	}
	if got := recs[0].Get("Établissement"); !strings.HasPrefix(got, "ECOLE ELEMENTAIRE") {
		t.Errorf("etablissement = %q", got)
	}
	for _, r := range recs {
		for _, col := range []string{"connexions", "visiteurs_uniques", "comptes_charges", "comptes_actives"} {
			if _, ok, err := ParseFrenchInt(r.Get(col)); !ok || err != nil {
				t.Errorf("ligne %d, %s = %q: ok=%v err=%v", r.Line, col, r.Get(col), ok, err)
			}
		}
	}
}

// checkCommunesSample checks the first commune of our seed file, and that every population is a French integer.
func checkCommunesSample(t *testing.T, recs []Record) {
	if got := recs[0].Get("Code INSEE"); got != "77001" {
		t.Errorf("code_insee = %q", got)
	}
	if got := recs[0].Get("nom"); got != "Achères-la-Forêt" {
		t.Errorf("nom = %q", got)
	}
	for _, r := range recs {
		if n, ok, err := ParseFrenchInt(r.Get("population")); !ok || err != nil || n < 0 {
			t.Errorf("ligne %d: population %q: %d %v %v", r.Line, r.Get("population"), n, ok, err)
		}
	}
}

func TestReadCSVWindows1252(t *testing.T) {
	for _, src := range []string{"file", "bytes"} {
		t.Run(src, func(t *testing.T) {
			var f *CSVFile
			if src == "file" {
				f = csvTestOpen(t, "testdata/csvfile/windows1252_semicolon.csv")
			} else {
				f = csvTestParse(t, "Ville;Acad\xe9mie\r\nCr\xe9teil;Cr\xe9teil\r\n")
			}
			if f.Encoding() != "Windows-1252" {
				t.Errorf("Encoding() = %q", f.Encoding())
			}
			if f.Separator() != ';' {
				t.Errorf("Separator() = %q", f.Separator())
			}
			recs, errs := csvTestRead(t, f)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := recs[0].Get("ville"); got != "Créteil" {
				t.Errorf("ville = %q, want Créteil", got)
			}
			if src == "bytes" {
				if got := recs[0].Get("academie"); got != "Créteil" {
					t.Errorf("academie = %q", got)
				}
				return
			}
			// Trailing empty header cells are ignored; ";;;" rows are skipped.
			if want := []string{"uai", "libelle", "ville", "oeuvre", "montant"}; !slices.Equal(f.Header(), want) {
				t.Errorf("Header() = %q, want %q", f.Header(), want)
			}
			if len(recs) != 2 {
				t.Fatalf("%d records, want 2", len(recs))
			}
			if got := recs[0].Get("libelle"); got != "Collège François Rabelais" {
				t.Errorf("libelle = %q", got)
			}
			if got := recs[0].Get("oeuvre"); got != "cœur" {
				t.Errorf("oeuvre = %q", got)
			}
			if n, ok, err := ParseFrenchInt(recs[0].Get("montant")); n != 1234 || !ok || err != nil {
				t.Errorf("montant = %q → %d %v %v", recs[0].Get("montant"), n, ok, err)
			}
			if got := recs[1].Get("libelle"); got != "École « Les Tilleuls »" {
				t.Errorf("libelle = %q", got)
			}
		})
	}
}

func TestReadCSVBOMComma(t *testing.T) {
	f := csvTestOpen(t, "testdata/csvfile/utf8_bom_comma.csv")
	if f.Separator() != ',' || f.Encoding() != "UTF-8" {
		t.Errorf("Separator() = %q, Encoding() = %q", f.Separator(), f.Encoding())
	}
	if want := []string{"code_insee", "nom_de_la_commune", "population"}; !slices.Equal(f.Header(), want) {
		t.Errorf("Header() = %q, want %q", f.Header(), want)
	}
	recs, errs := csvTestRead(t, f)
	if len(errs) > 0 || len(recs) != 2 {
		t.Fatalf("records %d, errors %v", len(recs), errs)
	}
	if got := recs[0].Get("nom_de_la_commune"); got != "Créteil" {
		t.Errorf("nom = %q", got)
	}
	if n, _, err := ParseFrenchInt(recs[1].Get("population")); n != 95510 || err != nil {
		t.Errorf("population = %d, %v", n, err)
	}
}

func TestReadCSVTab(t *testing.T) {
	f := csvTestOpen(t, "testdata/csvfile/tab.csv")
	if f.Separator() != '\t' {
		t.Errorf("Separator() = %q", f.Separator())
	}
	recs, errs := csvTestRead(t, f)
	if len(errs) > 0 || len(recs) != 1 || recs[0].Get("ville") != "Créteil" {
		t.Fatalf("records %v, errors %v", recs, errs)
	}
}

func TestReadCSVTruncated(t *testing.T) {
	f := csvTestOpen(t, "testdata/csvfile/truncated.csv")
	recs, errs := csvTestRead(t, f)
	if len(recs) != 2 {
		t.Errorf("%d records before the error, want 2", len(recs))
	}
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	var le *LineError
	if !errors.As(errs[0], &le) {
		t.Fatalf("error %T %v is not a *LineError", errs[0], errs[0])
	}
	if le.Line != 4 {
		t.Errorf("Line = %d, want 4 (the line where the quoted field starts)", le.Line)
	}
	if got, want := errs[0].Error(), "ligne 4 : guillemet non fermé ou mal placé"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestReadCSVQuoteErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		recs int
		want []string
	}{
		{"bare quote", "uai;nom\n1;Collège \"Les Tilleuls\"\n2;B\n", 1, []string{"ligne 2 : guillemet non fermé ou mal placé"}},
		{"text after closing quote", "uai;nom\n1;A\n2;\"B\"x\n3;C\n", 2, []string{"ligne 3 : guillemet non fermé ou mal placé"}},
		{"unclosed over several lines", "uai;nom\n1;A\n2;\"B\n\n3;C\n4;D\n", 1, []string{"ligne 3 : guillemet non fermé ou mal placé"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, errs := csvTestRead(t, csvTestParse(t, tt.data))
			var got []string
			for _, err := range errs {
				var le *LineError
				if !errors.As(err, &le) {
					t.Errorf("%T is not a *LineError", err)
				}
				got = append(got, err.Error())
			}
			if len(recs) != tt.recs || !slices.Equal(got, tt.want) {
				t.Errorf("%d records, errors %q; want %d, %q", len(recs), got, tt.recs, tt.want)
			}
		})
	}
}

func TestReadCSVFieldCount(t *testing.T) {
	f := csvTestOpen(t, "testdata/csvfile/wrong_count.csv")
	recs, errs := csvTestRead(t, f)
	var got []string
	for _, err := range errs {
		var le *LineError
		if !errors.As(err, &le) {
			t.Errorf("%T is not a *LineError", err)
		}
		got = append(got, err.Error())
	}
	want := []string{"ligne 3 : 2 colonnes au lieu de 3", "ligne 4 : 4 colonnes au lieu de 3"}
	if !slices.Equal(got, want) {
		t.Errorf("errors = %q, want %q", got, want)
	}
	var lines []int
	for _, r := range recs {
		lines = append(lines, r.Line)
	}
	if !slices.Equal(lines, []int{2, 5}) {
		t.Errorf("record lines = %v, want [2 5] (reading resumes after an error)", lines)
	}
}

func TestReadCSVEmpty(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"no bytes", nil},
		{"BOM only", []byte("\xef\xbb\xbf")},
		{"BOM and blank lines", []byte("\xef\xbb\xbf \r\n\t\r\n\r\n")},
		{"blank lines", []byte("\n\n\n")},
		{"separators only", []byte(";;;\r\n;;;\r\n")},
		{"no-break spaces", []byte("\u00a0\n")},
	}
	for _, file := range []string{"empty.csv", "bom_only.csv", "bom_whitespace.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata/csvfile", file))
		if err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct {
			name string
			data []byte
		}{file, data})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ReadCSV(bytes.NewReader(tt.data))
			if !errors.Is(err, ErrEmptyFile) || f != nil {
				t.Errorf("ReadCSV = %v, %v; want ErrEmptyFile", f, err)
			}
			if err != nil && err.Error() != "le fichier est vide" {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestReadCSVHeaderOnly(t *testing.T) {
	for _, data := range []string{"uai;nom", "uai;nom\r\n", "uai;nom\n\n;;\n"} {
		f := csvTestParse(t, data)
		if _, err := f.Next(); err != io.EOF {
			t.Errorf("%q: Next() = %v, want io.EOF", data, err)
		}
		if _, err := f.Next(); err != io.EOF {
			t.Errorf("%q: second Next() = %v, want io.EOF", data, err)
		}
	}
}

func TestReadCSVMultiline(t *testing.T) {
	f := csvTestOpen(t, "testdata/csvfile/multiline.csv")
	if f.Separator() != ',' {
		t.Errorf("Separator() = %q", f.Separator())
	}
	recs, errs := csvTestRead(t, f)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	type row struct {
		line                  int
		uai, nom, commentaire string
	}
	var got []row
	for _, r := range recs {
		got = append(got, row{r.Line, r.Get("uai"), r.Get("nom"), r.Get("commentaire")})
	}
	want := []row{
		{2, "0940001A", "A", "ligne un\nligne deux\nligne trois"},
		{5, "0940002B", "B", "simple"},
		{7, "0940003C", `C "entre guillemets"`, "a,b"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("records =\n%+v\nwant\n%+v", got, want)
	}

	// An error after a multi-line field names the right line too.
	f = csvTestParse(t, "a;b\n1;\"x\ny\nz\"\n2\n")
	recs, errs = csvTestRead(t, f)
	if len(recs) != 1 || recs[0].Line != 2 || len(errs) != 1 || errs[0].Error() != "ligne 5 : 1 colonne au lieu de 2" {
		t.Errorf("records %v, errors %v", recs, errs)
	}
}

func TestReadCSVDuplicateHeader(t *testing.T) {
	fh, err := os.Open("testdata/csvfile/duplicate_header.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ReadCSV(fh)
	if f != nil || err == nil {
		t.Fatalf("ReadCSV = %v, %v; want an error", f, err)
	}
	want := "ligne 1 : colonne « uai » en double, colonne « nom » en double, colonne « code_insee » en double"
	if err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	var le *LineError
	if !errors.As(err, &le) || le.Line != 1 {
		t.Errorf("error %#v is not a *LineError on line 1", err)
	}

	// After blank lines, the header line is not line 1.
	_, err = ReadCSV(strings.NewReader("\n\nx;X\n"))
	if err == nil || err.Error() != "ligne 3 : colonne « x » en double" {
		t.Errorf("error %v", err)
	}
}

func TestReadCSVTrailingColumns(t *testing.T) {
	data := "uai;nom;;;\r\n" +
		"0940001A;A;;;\r\n" +
		";;;;\r\n" +
		"0940002B;B\r\n" +
		"0940003C;C;;;x\r\n" +
		"0940004D;D;; ;\r\n"
	f := csvTestParse(t, data)
	if want := []string{"uai", "nom"}; !slices.Equal(f.Header(), want) {
		t.Errorf("Header() = %q", f.Header())
	}
	recs, errs := csvTestRead(t, f)
	var lines []int
	for _, r := range recs {
		lines = append(lines, r.Line)
		if len(r.fields) != 2 {
			t.Errorf("line %d: %d fields", r.Line, len(r.fields))
		}
	}
	if !slices.Equal(lines, []int{2, 4, 6}) {
		t.Errorf("record lines %v, want [2 4 6]", lines)
	}
	if len(errs) != 1 || errs[0].Error() != "ligne 5 : 5 colonnes au lieu de 2" {
		t.Errorf("errors %v", errs)
	}
}

func TestReadCSVUnnamedColumn(t *testing.T) {
	f := csvTestParse(t, "uai;;nom;%\n1;x;A;50\n")
	if want := []string{"uai", "", "nom", ""}; !slices.Equal(f.Header(), want) {
		t.Errorf("Header() = %q, want %q", f.Header(), want)
	}
	if f.Has("") {
		t.Error(`Has("") = true`)
	}
	recs, errs := csvTestRead(t, f)
	if len(errs) > 0 || len(recs) != 1 || recs[0].Get("nom") != "A" || recs[0].Get("") != "" {
		t.Errorf("records %v, errors %v", recs, errs)
	}
}

func TestCSVSeparatorDetection(t *testing.T) {
	tests := []struct {
		data string
		want rune
	}{
		{"a;b;c\n1,5;2,5;3\n", ';'},
		{"a,b,c\n1;2;3\n", ','},
		{"a\tb\tc\n", '\t'},
		{"\"x;y\";\"z;t\",b,c\n", ','},    // separators inside quotes do not count
		{"\"Nom, prénom\";UAI\n", ';'},    // idem
		{"\"Nom\n;;;;\",b\nx,y\n", ','},   // the header line ends outside quotes
		{"Nom, prénom;UAI\n", ';'},        // tie: ';' wins
		{"a,b\tc\n", '\t'},                // tie: tab before ','
		{"uai\n0940001A\n", ';'},          // single column
		{"\n\n  \n;;;\nuai,nom\n", ','},   // blank lines before the header
		{"\ufeffuai,nom\n", ','},          // BOM (already stripped by ReadCSV)
		{"uai,nom,ville;cp", ','},         // no final newline
		{"\"unclosed;a;b,c\n", ';'},       // quote never closed
		{"ma\u00a0ville;b\n", ';'},        // non-ASCII content
		{"\"\";\"\"\n\"a\",\"b\"\n", ','}, // quoted empty cells are blank
	}
	for _, tt := range tests {
		if got := csvDetectSeparator([]byte(tt.data)); got != tt.want {
			t.Errorf("csvDetectSeparator(%q) = %q, want %q", tt.data, got, tt.want)
		}
	}
}

func TestReadCSVNotCSV(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", "classeur"},
		{"xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Excel 97-2003"},
		{"utf16le", "\xff\xfeu\x00a\x00i\x00", "UTF-16"},
		{"utf16be", "\xfe\xff\x00u\x00a\x00i", "UTF-16"},
	}
	for _, tt := range tests {
		f, err := ReadCSV(strings.NewReader(tt.data))
		if f != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ReadCSV = %v, %v; want an error containing %q", tt.name, f, err, tt.want)
		}
	}
}

func TestReadCSVSizeLimit(t *testing.T) {
	data := "uai;nom\n1;A\n"
	if _, err := csvRead(strings.NewReader(data), int64(len(data))); err != nil {
		t.Errorf("exactly at the limit: %v", err)
	}
	_, err := csvRead(strings.NewReader(data+"\n"), int64(len(data)))
	if err == nil || err.Error() != "fichier trop volumineux (64 Mio maximum)" {
		t.Errorf("over the limit: %v", err)
	}
}

func TestReadCSVReadError(t *testing.T) {
	boom := errors.New("disque débranché")
	_, err := ReadCSV(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "lecture du fichier : ") {
		t.Errorf("ReadCSV = %v", err)
	}
	// Short reads are fine.
	f, err := ReadCSV(iotest.OneByteReader(strings.NewReader("uai;nom\n1;A\n")))
	if err != nil || len(f.Header()) != 2 {
		t.Errorf("ReadCSV = %v, %v", f, err)
	}
}

func TestCSVRecordGet(t *testing.T) {
	f := csvTestParse(t, "Code INSEE;Nom de la commune;Vide\n  94028 ;\u00a0Créteil\u202f;\n")
	if !f.Has("code_insee") || !f.Has(" Code INSEE ") || f.Has("code") {
		t.Error("Has")
	}
	h := f.Header()
	h[0] = "modifié"
	if f.Header()[0] != "code_insee" {
		t.Error("Header() returns the internal slice")
	}
	r, err := f.Next()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Get normalised", r.Get("code_insee"), "94028"},
		{"Get raw name", r.Get("Nom de la commune"), "Créteil"},
		{"Get absent", r.Get("population"), ""},
		{"Get absent raw", r.Get("Population totale"), ""},
		{"Get empty name", r.Get(""), ""},
		{"GetAny first present", r.GetAny("commune", "nom_de_la_commune", "code_insee"), "Créteil"},
		{"GetAny present but empty stops", r.GetAny("libelle", "vide", "code_insee"), ""},
		{"GetAny none", r.GetAny("a", "b"), ""},
		{"GetAny no names", r.GetAny(), ""},
		{"zero Record", Record{}.Get("uai"), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestNormalizeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Identifiant_de_l_etablissement", "identifiant_de_l_etablissement"},
		{"Comptes activés", "comptes_actives"},
		{" Code INSEE ", "code_insee"},
		{"Établissement", "etablissement"},
		{"Nom de l'établissement", "nom_de_l_etablissement"},
		{"Nom de l’établissement", "nom_de_l_etablissement"},
		{"Code-postal", "code_postal"},
		{"N° UAI", "n_uai"},
		{"Effectif 1ʳᵉ année", "effectif_1re_annee"},
		{"Surface (m²)", "surface_m2"},
		{"Rang du vœu", "rang_du_voeu"},
		{"ŒUVRE", "oeuvre"},
		{"Ça va -- très . bien", "ca_va_tres_bien"},
		{"__déjà__normalisé__", "deja_normalise"},
		{"Français\u00a0/\u202fAnglais", "francais_anglais"},
		{"\ufeffuai", "uai"},
		{"coordX_origine", "coordx_origine"},
		{"", ""},
		{"  ", ""},
		{"%", ""},
		{"ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸ", "aaaceeeeiioouuuy"},
		{"Straße", "strasse"},
	}
	for _, tt := range tests {
		got := NormalizeHeader(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := NormalizeHeader(got); again != got {
			t.Errorf("NormalizeHeader(%q) = %q: not idempotent", got, again)
		}
		if csvIsNormalized(got) {
			if _, ok := csvLookup(map[string]int{}, got); ok {
				t.Error("csvLookup")
			}
		}
	}
}

func TestCSVIsNormalized(t *testing.T) {
	for _, s := range []string{"uai", "code_insee", "a1_b2", "1", ""} {
		if !csvIsNormalized(s) || NormalizeHeader(s) != s {
			t.Errorf("csvIsNormalized(%q) = false or not a fixpoint", s)
		}
	}
	for _, s := range []string{"Uai", "_a", "a_", "a__b", "é", "a b", "a-b"} {
		if csvIsNormalized(s) {
			t.Errorf("csvIsNormalized(%q) = true", s)
		}
	}
}

func TestParseFrenchInt(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		ok      bool
		wantErr bool
	}{
		{"1234", 1234, true, false},
		{"1 234", 1234, true, false},
		{"1\u00a0234", 1234, true, false},
		{"1\u202f234", 1234, true, false},
		{"1\u2009234", 1234, true, false},
		{"12 345 678", 12345678, true, false},
		{"  42  ", 42, true, false},
		{"\u00a042\u00a0", 42, true, false},
		{"0", 0, true, false},
		{"007", 7, true, false},
		{"-12", -12, true, false},
		{"−1 234", -1234, true, false},
		{"+5", 5, true, false},
		{"12,00", 12, true, false},
		{"1 234,0", 1234, true, false},
		{"", 0, false, false},
		{"   ", 0, false, false},
		{"\u00a0", 0, false, false},
		{"12,5", 0, false, true},
		{"12,", 0, false, true},
		{"1.234", 0, false, true},
		{"1 23", 0, false, true},
		{"1234 567", 0, false, true},
		{"1  234", 0, false, true},
		{"1 2345", 0, false, true},
		{"abc", 0, false, true},
		{"12a", 0, false, true},
		{"-", 0, false, true},
		{"+", 0, false, true},
		{"--1", 0, false, true},
		{"- 1", 0, false, true},
		{"1e3", 0, false, true},
		{"99999999999999999999", 0, false, true},
		{"١٢", 0, false, true}, // non-ASCII digits
		{"1\xff", 0, false, true},
	}
	for _, tt := range tests {
		n, ok, err := ParseFrenchInt(tt.in)
		if n != tt.n || ok != tt.ok || (err != nil) != tt.wantErr {
			t.Errorf("ParseFrenchInt(%q) = %d, %v, %v; want %d, %v, error %v", tt.in, n, ok, err, tt.n, tt.ok, tt.wantErr)
		}
	}
	_, _, err := ParseFrenchInt(" 12,5 ")
	if err == nil || err.Error() != "« 12,5 » n'est pas un nombre entier" {
		t.Errorf("message %q", err)
	}
	_, _, err = ParseFrenchInt("99999999999999999999")
	if err == nil || err.Error() != "« 99999999999999999999 » : nombre trop grand" {
		t.Errorf("message %q", err)
	}
}

func TestCSVLineError(t *testing.T) {
	tests := []struct {
		err  LineError
		want string
	}{
		{LineError{Line: 437, Column: "uai", Msg: "UAI invalide"}, "ligne 437, colonne uai : UAI invalide"},
		{LineError{Line: 437, Msg: "UAI invalide"}, "ligne 437 : UAI invalide"},
		{LineError{Column: "uai", Msg: "colonne absente"}, "colonne uai : colonne absente"},
		{LineError{Msg: "erreur"}, "erreur"},
	}
	for _, tt := range tests {
		var err error = &tt.err
		if got := err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
