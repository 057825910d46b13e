package app_test

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// BenchmarkTableauDeBord measures issue 15's targets on the national synthetic territory
// (BenchmarkNational's), for the administrator: the académie's dashboard page (target
// < 100 ms) and a département's; the académie's workbook, side by side with a bare excelize
// StreamWriter writing the same cells read by the same store calls (no title block, style,
// width, chart or conditional format; target: within 1.5x in time and memory); the batch of
// 500 fiches of communes (target < 10 s).
//
//	go test -run '^$' -bench BenchmarkTableauDeBord -benchtime 5x -timeout 60m ./app
func BenchmarkTableauDeBord(b *testing.B) {
	for _, e := range dbtest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			s := openNational(b, e)
			h := newAnonymousServer(b, s, app.Config{})
			cookie := signIn(b, s, models.UserInput{Email: "admin@bench.ac-creteil.fr", Nom: "Banc", Role: models.RoleAdmin})
			signed := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				req.Header.Set("Cookie", cookie)
				h.ServeHTTP(w, req)
			})
			benchPage(b, signed, "page/academie", "/tableau-de-bord")
			benchPage(b, signed, "page/departement-13", "/tableau-de-bord/13")
			benchExport(b, signed, "classeur/academie", "/tableau-de-bord.xlsx")
			b.Run("classeur/plancher", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := bareDashboardWorkbook(context.Background(), s, io.Discard); err != nil {
						b.Fatal(err)
					}
				}
			})
			codes := must(s.FicheCodes(context.Background(), models.AcademieScope(), models.FichesFilter{Departement: "13"}))
			codes = append(codes, must(s.FicheCodes(context.Background(), models.AcademieScope(), models.FichesFilter{Departement: "14"}))...)
			benchExport(b, signed, "fiches-500", "/communes/fiches.xlsx?communes="+strings.Join(codes[:min(500, len(codes))], ","))
		})
	}
}

// bareDashboardWorkbook writes the same sheets' cells as the dashboard workbook's lists with
// a bare StreamWriter, from the same store calls: the floor of the workbook.
func bareDashboardWorkbook(ctx context.Context, s *models.Store, w io.Writer) error {
	d, err := s.DashboardOf(ctx, models.SystemActor("banc"), models.DashboardRequest{})
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name string
		rows [][]any
	}{{"Déploiement", progressCells(d)}}
	first := true
	for _, sh := range sheets {
		if err := bareSheet(f, sh.name, first, func(sink *bareSink) error {
			for _, r := range sh.rows {
				if err := sink.WriteRow(r...); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		first = false
	}
	for _, t := range exports.DashboardThemes(ctx, s, models.AcademieScope(), "") {
		if err := bareSheet(f, t.Table.Sheet, false, func(sink *bareSink) error { return t.Rows(sink) }); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func progressCells(d models.Dashboard) [][]any {
	var out [][]any
	for _, r := range d.Progress.Rows {
		out = append(out, []any{r.Label, r.Total.Ecoles, r.Total.Eleves, r.Opened(), r.OpenShare()})
	}
	return out
}

// bareSheet streams one sheet of plain rows.
func bareSheet(f *excelize.File, name string, first bool, fill func(*bareSink) error) error {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := fill(&bareSink{sw: sw}); err != nil {
		return err
	}
	return sw.Flush()
}

// bareSink writes rows as they come, pointers read, no conversion beyond excelize's own.
type bareSink struct {
	sw  *excelize.StreamWriter
	row int
}

func (b *bareSink) WriteRow(values ...any) error {
	b.row++
	cells := make([]any, len(values))
	for i, v := range values {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				continue
			}
			v = rv.Elem().Interface()
		}
		if t, ok := v.(time.Time); ok && t.IsZero() {
			continue
		}
		cells[i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, b.row)
	return b.sw.SetRow(cell, cells)
}
