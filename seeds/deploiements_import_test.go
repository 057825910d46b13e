package seeds_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// statusXLSX builds a workbook whose first sheet holds rows (a time.Time is a date cell).
func statusXLSX(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	wb := excelize.NewFile()
	style, _ := wb.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
		for j, v := range r {
			if _, ok := v.(time.Time); ok {
				c, _ := excelize.CoordinatesToCellName(j+1, i+1)
				_ = wb.SetCellStyle("Sheet1", c, c, style)
			}
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readStatus(t *testing.T, data []byte) *seeds.DeploiementsFile {
	t.Helper()
	f, err := seeds.ReadDeploiementsFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("lecture : %v", err)
	}
	return f
}

func TestReadDeploiementsFileCSV(t *testing.T) {
	text := "Code UAI;État;Date d'effet;Ouverture prévue\r\n0930001A;En déploiement;09/01/2012;2012-09-03\r\n" +
		"0930002b;EN_DEPLOIEMENT;;\r\n0930003C;généralisé;3/9/2013;\r\n"
	w1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"utf8": []byte(text), "bom": append([]byte("\xEF\xBB\xBF"), text...), "windows-1252": []byte(w1252)} {
		t.Run(name, func(t *testing.T) {
			f := readStatus(t, data)
			if len(f.Errors) != 0 || len(f.Rows) != 3 {
				t.Fatalf("%s : %+v", f.Format, f)
			}
			r := f.Rows[0]
			if r.UAI != "0930001A" || r.Phase != "en_deploiement" || r.DateEffet.Format("02/01/2006") != "09/01/2012" ||
				r.OuverturePrevue == nil || r.OuverturePrevue.Format("02/01/2006") != "03/09/2012" || r.Line != 2 {
				t.Fatalf("ligne 2 : %+v", r)
			}
			if f.Rows[1].UAI != "0930002B" || f.Rows[1].Phase != "en_deploiement" || !f.Rows[1].DateEffet.IsZero() || f.Rows[2].Phase != "generalise" {
				t.Fatalf("lignes 3-4 : %+v", f.Rows[1:])
			}
		})
	}
}

func TestReadDeploiementsFileFaults(t *testing.T) {
	text := "uai;phase;date;vague\n0930001A;ouvert;31/02/2012;\n0930002B;fermé;;\nXYZ;;;\n0930001A;pilote;;\n;;;Vague 1\n"
	f := readStatus(t, []byte(text))
	want := []string{
		"ligne 2, colonne Date d'effet : « 31/02/2012 » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).",
		"ligne 3, colonne Phase : phase inconnue : « fermé »",
		"ligne 4, colonne UAI : « XYZ » n'est pas un UAI",
		"ligne 6, colonne UAI : UAI manquant.",
	}
	got := make([]string, len(f.Errors))
	for i, fe := range f.Errors {
		got[i] = fe.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("erreurs : %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("erreur %d : %q, attendu %q…", i, got[i], want[i])
		}
	}
	// The duplicate of line 5 refers to line 2 only when line 2 was read: here line 2 was at
	// fault, so line 5 is kept.
	if len(f.Rows) != 1 || f.Rows[0].Line != 5 {
		t.Fatalf("lignes retenues : %+v", f.Rows)
	}
	dup := readStatus(t, []byte("uai;phase\n0930001A;ouvert\n0930001a;pilote\n"))
	if len(dup.Errors) != 1 || dup.Errors[0].Error() != "ligne 3, colonne UAI : l'école 0930001A figure déjà ligne 2." {
		t.Fatalf("doublon : %+v", dup.Errors)
	}
}

func TestReadDeploiementsFileXLSX(t *testing.T) {
	data := statusXLSX(t, []any{"Import des déploiements"}, []any{},
		[]any{"UAI", "Phase", "Date", "Solution", "Ouverture effective"},
		[]any{"0930001A", "Ouvert", time.Date(2012, 1, 9, 0, 0, 0, 0, time.UTC), "Aucune", "03/09/2012"},
		[]any{}, []any{"0930002B", "pilote", "2012-01-10", "", ""})
	f := readStatus(t, data)
	if f.Format != "XLSX" || len(f.Errors) != 0 || len(f.Rows) != 2 {
		t.Fatalf("classeur : %+v", f)
	}
	r := f.Rows[0]
	if r.Line != 4 || r.Phase != "ouvert" || r.DateEffet.Format("02/01/2006") != "09/01/2012" || r.Solution != "Aucune" ||
		r.OuvertureEffective == nil || r.OuvertureEffective.Format("02/01/2006") != "03/09/2012" {
		t.Fatalf("ligne 4 : %+v", r)
	}
	if f.Rows[1].Line != 6 || f.Rows[1].DateEffet.Format("02/01/2006") != "10/01/2012" {
		t.Fatalf("ligne 6 : %+v", f.Rows[1])
	}
	zero := int64(0)
	edits, lines := f.Edits(nil, nil)
	if len(edits) != 2 || lines[1] != 6 || edits[0].SolutionID == nil || *edits[0].SolutionID != zero || edits[1].SolutionID != nil {
		t.Fatalf("modifications : %+v %v", edits, lines)
	}
}

func TestReadDeploiementsFileRefusals(t *testing.T) {
	bomb, err := seeds.DeploiementsZipBomb(260)
	if err != nil {
		t.Fatal(err)
	}
	if len(bomb) > 1<<20 {
		t.Fatalf("bombe de %d octets", len(bomb))
	}
	big := append([]byte("uai;phase\n"), bytes.Repeat([]byte("0930001A;ouvert\n"), seeds.MaxDeploiementsFileSize/16+1)...)
	many := "uai\n" + strings.Repeat("0930001A\n", seeds.MaxDeploiementsRows+1)
	cases := []struct {
		name string
		data []byte
		size int64
		want error
	}{
		{"bombe", bomb, int64(len(bomb)), seeds.ErrDeploiementsBomb},
		{"50 Mo annoncés", []byte("uai\n"), seeds.MaxDeploiementsFileSize + 1, seeds.ErrDeploiementsTooLarge},
		{"50 Mo lus", big, -1, seeds.ErrDeploiementsTooLarge},
		{"trop de lignes", []byte(many), -1, seeds.ErrDeploiementsTooMany},
		{"PDF", []byte("%PDF-1.4\n..."), -1, seeds.ErrDeploiementsFormat},
		{"binaire", []byte("uai\x00\x01\x02"), -1, seeds.ErrDeploiementsFormat},
		{"XLS", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...."), -1, seeds.ErrDeploiementsFormat},
		{"sans UAI", []byte("ecole;phase\nx;ouvert\n"), -1, seeds.ErrDeploiementsNoUAI},
		{"vide", nil, -1, seeds.ErrEmptyFile},
	}
	for _, c := range cases {
		f, err := seeds.ReadDeploiementsFile(bytes.NewReader(c.data), c.size)
		if !errors.Is(err, c.want) || f != nil {
			t.Errorf("%s : %v, attendu %v", c.name, err, c.want)
		}
	}
}

func TestDeploiementsEditsResolve(t *testing.T) {
	f := readStatus(t, []byte("uai;vague;solution\n0930001A;vague 2013-2014;ENT Un\n0930002B;Vague inconnue;\n0930003C;7;2\n"))
	vagues := []models.Vague{{ID: 7, Nom: "Vague 2013-2014"}}
	solutions := []models.SolutionENT{{ID: 2, Produit: "ENT Un"}}
	edits, lines := f.Edits(vagues, solutions)
	if len(edits) != 2 || lines[0] != 2 || lines[1] != 4 || *edits[0].VagueID != 7 || *edits[0].SolutionID != 2 || *edits[1].VagueID != 7 {
		t.Fatalf("résolution : %+v %v", edits, lines)
	}
	if len(f.Errors) != 1 || f.Errors[0].Error() != "ligne 3, colonne Vague : vague inconnue : « Vague inconnue »." {
		t.Fatalf("erreurs : %+v", f.Errors)
	}
}
