package exports_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
)

// TestLibreOfficePrint prints workbooks as people do: LibreOffice (Debian package
// libreoffice-calc-nogui) converts them to PDF, and the pages are counted. A list of two
// columns takes about one A4 page per 45 rows, a wide list fits one page wide in
// landscape, every page repeats the header and has its footer. Skipped without
// LibreOffice, unless PILOTAGE_REQUIRE_LIBREOFFICE=1.
func TestLibreOfficePrint(t *testing.T) {
	soffice := lookPath(t, "soffice", "PILOTAGE_REQUIRE_LIBREOFFICE")
	if testing.Short() {
		t.Skip("LibreOffice conversion")
	}
	dir := t.TempDir()
	files := map[string]func(*os.File) error{
		"liste.xlsx":      writeTwoColumns,
		"large.xlsx":      writeWide,
		"couverture.xlsx": writeCoverage,
	}
	var names []string
	for name, write := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := write(f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.Close()
		names = append(names, filepath.Join(dir, name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profil"), "--headless",
		"--convert-to", "pdf", "--outdir", dir}, names...)
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=fr_FR.UTF-8", "LANG=fr_FR.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	tests := []struct {
		file           string
		minPages       int
		maxPages       int
		landscape      bool   // the first page
		header, footer string // on every page
	}{
		// 300 rows at about 45 a page: 7 pages, not more.
		{"liste.pdf", 6, 8, false, "Population", "Liste des communes"},
		// 120 rows of 16 columns: one page wide, so 2 or 3 pages (not 3 columns of pages).
		{"large.pdf", 2, 3, true, "Colonne", "Liste large"},
		// The summary (8 columns: landscape) on one page, 150 uncovered communes on 4 more.
		{"couverture.pdf", 4, 6, true, "", "Couverture de la charte"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			pdf, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			pages, width, height := pdfPages(pdf)
			if pages < tt.minPages || pages > tt.maxPages {
				t.Errorf("%d pages, want %d to %d", pages, tt.minPages, tt.maxPages)
			}
			if landscape := width > height; landscape != tt.landscape || min(width, height) < 590 || min(width, height) > 600 {
				t.Errorf("page %v × %v pt, want A4 (landscape %v)", width, height, tt.landscape)
			}
			checkPageTexts(t, filepath.Join(dir, tt.file), pages, tt.header, tt.footer)
		})
	}
}

// lookPath finds a program, or skips the test with a message unless require is set to 1.
func lookPath(t *testing.T, name, require string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(require) == "1" {
			t.Fatalf("%s introuvable alors que %s=1", name, require)
		}
		t.Skipf("%s introuvable : test ignoré (%s=1 le rend obligatoire)", name, require)
	}
	return path
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)
	mediaBox   = regexp.MustCompile(`/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]`)
)

// pdfPages counts the pages of a PDF written by LibreOffice (its page objects are not
// compressed) and reads the size of the first.
func pdfPages(pdf []byte) (pages int, width, height float64) {
	pages = len(pageObject.FindAll(pdf, -1))
	if m := mediaBox.FindSubmatch(pdf); m != nil {
		width, _ = strconv.ParseFloat(string(m[1]), 64)
		height, _ = strconv.ParseFloat(string(m[2]), 64)
	}
	return pages, width, height
}

// checkPageTexts checks, when pdftotext (poppler-utils) is installed, that every page
// shows the header row and the footer with its page number.
func checkPageTexts(t *testing.T, pdf string, pages int, header, footer string) {
	t.Helper()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext introuvable : texte des pages non vérifié")
		return
	}
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	texts := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	if len(texts) != pages {
		t.Errorf("pdftotext: %d pages, want %d", len(texts), pages)
	}
	for i, text := range texts {
		if header != "" && !strings.Contains(text, header) {
			t.Errorf("page %d lacks the header %q", i+1, header)
		}
		if !strings.Contains(text, footer) || !strings.Contains(text, fmt.Sprintf("Page %d / ", i+1)) {
			t.Errorf("page %d lacks its footer (%q, page number):\n%s", i+1, footer, text)
		}
	}
}

var printDoc = exports.Document{Filters: []exports.Field{{Label: "Département", Value: "93"}},
	Scope: "Académie de Créteil (77, 93, 94)", At: time.Date(2026, 11, 20, 13, 5, 0, 0, time.UTC)}

// writeTwoColumns writes a list of 300 communes and their population.
func writeTwoColumns(w *os.File) error {
	doc := printDoc
	doc.Title = "Liste des communes"
	rw, err := exports.NewXLSX(w, doc, exports.Table{Sheet: "Communes", Columns: []exports.Column{
		{Header: "Code INSEE", Kind: exports.Text}, {Header: "Population", Kind: exports.Integer}}})
	if err != nil {
		return err
	}
	for i := range 300 {
		if err := rw.WriteRow(fmt.Sprintf("93%03d", i), 1000+i*997); err != nil {
			return err
		}
	}
	return rw.Close()
}

// writeWide writes 120 rows of 16 columns of every kind.
func writeWide(w *os.File) error {
	doc := printDoc
	doc.Title = "Liste large"
	kinds := []exports.Kind{exports.Text, exports.Integer, exports.Euros, exports.Percent, exports.Date, exports.DateTime,
		exports.Time, exports.Decimal}
	table := exports.Table{Sheet: "Large"}
	for i := range 16 {
		table.Columns = append(table.Columns, exports.Column{Header: "Colonne " + strconv.Itoa(i+1), Kind: kinds[i%len(kinds)]})
	}
	rw, err := exports.NewXLSX(w, doc, table)
	if err != nil {
		return err
	}
	row := make([]any, len(table.Columns))
	for i := range 120 {
		for j, c := range table.Columns {
			row[j] = sampleValue(c.Kind)
			if c.Kind == exports.Text {
				row[j] = "École élémentaire Jean Jaurès " + strconv.Itoa(i)
			}
		}
		if err := rw.WriteRow(row...); err != nil {
			return err
		}
	}
	return rw.Close()
}

// writeCoverage writes the coverage workbook with 150 uncovered communes.
func writeCoverage(w *os.File) error {
	doc := printDoc
	doc.Title = exports.CoverageTitle
	row := func(code, nom string) models.CoverageRow {
		return models.CoverageRow{Code: code, Nom: nom, Communes: 200, CommunesCovered: 137, Eleves: 150000, ElevesCovered: 98765}
	}
	cov := models.Coverage{Departements: []models.CoverageRow{row("77", "Seine-et-Marne"), row("93", "Seine-Saint-Denis"),
		row("94", "Val-de-Marne")}, Total: row("", "Académie")}
	var buf bytes.Buffer
	err := exports.WriteCoverageXLSX(&buf, doc, cov, func(fn func(models.UncoveredCommune) error) error {
		for i := range 150 {
			if err := fn(models.UncoveredCommune{CodeINSEE: fmt.Sprintf("77%03d", i), Nom: "Commune " + strconv.Itoa(i),
				DepartementCode: "77", Population: int64(1200 + i), Eleves: int64(150 + i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
