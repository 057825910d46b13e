package exports_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/exports"
)

// buildCSV writes rows with NewCSV and returns the raw bytes.
func buildCSV(t *testing.T, table exports.Table, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	rw, err := exports.NewCSV(&buf, table)
	if err != nil {
		t.Fatalf("NewCSV: %v", err)
	}
	writeAll(t, rw, rows)
	return buf.Bytes()
}

func TestCSVFormat(t *testing.T) {
	data := buildCSV(t, sampleTable, sampleRows())
	if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", data[:min(len(data), 8)])
	}
	body := string(data[3:])
	lines := strings.SplitAfter(body, "\n")
	if got := len(lines) - 1; got != 1+len(sampleRows()) { // last element is ""
		t.Fatalf("lines = %d:\n%s", got, body)
	}
	for i, l := range lines[:len(lines)-1] {
		if !strings.HasSuffix(l, "\r\n") {
			t.Errorf("line %d does not end with CRLF: %q", i+1, l)
		}
	}
	want := []string{
		"Code INSEE;Nom;Effectif;Taux;Date d'ouverture;Remarque\r\n",
		"01001;L'Abergement-Clémenciat;123;12,5;15/03/2024;'=1+1\r\n",
		"0930388S;Créteil;4567;1234,5;31/12/1999;'+33 1 23\r\n",
		"97411;Saint-Denis;;;;'-5\r\n",
		"02A004;a\uFFFDb;7;0,25;;\r\n",
	}
	if !slices.Equal(lines[:len(lines)-1], want) {
		t.Errorf("CSV =\n%q\nwant\n%q", lines, want)
	}
}

func TestCSVReadBack(t *testing.T) {
	data := buildCSV(t, sampleTable, sampleRows())
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Code INSEE", "Nom", "Effectif", "Taux", "Date d'ouverture", "Remarque"},
		{"01001", "L'Abergement-Clémenciat", "123", "12,5", "15/03/2024", "'=1+1"},
		{"0930388S", "Créteil", "4567", "1234,5", "31/12/1999", "'+33 1 23"},
		{"97411", "Saint-Denis", "", "", "", "'-5"},
		{"02A004", "a\uFFFDb", "7", "0,25", "", ""},
	}
	if !slices.EqualFunc(records, want, slices.Equal) {
		t.Errorf("records =\n%q\nwant\n%q", records, want)
	}
}

func TestCSVFields(t *testing.T) {
	tests := []struct {
		name string
		kind exports.Kind
		in   any
		want string
	}{
		{"equals", exports.Text, "=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`},
		{"plus", exports.Text, "+1", "'+1"},
		{"minus", exports.Text, "-1", "'-1"},
		{"at", exports.Text, "@SUM(A1)", "'@SUM(A1)"},
		{"tab", exports.Text, "\t=1", "'\t=1"},
		// encoding/csv with UseCRLF drops a lone CR (and quotes the field).
		{"carriage return", exports.Text, "\r=1", `"'=1"`},
		{"newline inside", exports.Text, "a\nb", "\"a\r\nb\""},
		{"inner equals kept", exports.Text, "a=b", "a=b"},
		{"leading zero code", exports.Text, "01001", "01001"},
		{"separator quoted", exports.Text, "a;b", `"a;b"`},
		{"invalid UTF-8", exports.Text, "\xc3(x\xff", "\uFFFD(x\uFFFD"},
		{"nil text", exports.Text, nil, ""},
		{"nil *string", exports.Text, (*string)(nil), ""},
		{"negative integer untouched", exports.Integer, -12, "-12"},
		{"large integer", exports.Integer, int64(1234567890123), "1234567890123"},
		{"uint8", exports.Integer, uint8(255), "255"},
		{"negative decimal untouched", exports.Decimal, -0.5, "-0,5"},
		{"decimal no thousands", exports.Decimal, 1234567.125, "1234567,125"},
		{"decimal from int", exports.Decimal, 3, "3"},
		{"NaN", exports.Decimal, nan(), ""},
		{"date", exports.Date, day(2024, 9, 2), "02/09/2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := exports.Table{Columns: []exports.Column{{Header: "x", Kind: tt.kind}}}
			data := string(buildCSV(t, table, [][]any{{tt.in}}))
			want := "\uFEFFx\r\n" + tt.want + "\r\n"
			if data != want {
				t.Errorf("CSV = %q, want %q", data, want)
			}
		})
	}
}

func TestCSVHeaderNeutralized(t *testing.T) {
	table := exports.Table{Columns: []exports.Column{{Header: "=cmd", Kind: exports.Text}}}
	if got := string(buildCSV(t, table, nil)); got != "\uFEFF'=cmd\r\n" {
		t.Errorf("CSV = %q", got)
	}
}
