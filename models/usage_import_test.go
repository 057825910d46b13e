package models_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

var (
	impAdmin = models.Actor{Name: "Admin", Role: models.RoleAdmin, Scope: models.AcademieScope()}
	impIA93  = models.Actor{Name: "IA 93", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}}
	impIA94  = models.Actor{Name: "IA 94", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"94"}}}
)

// impFile reads a statistics file given as text.
func impFile(t *testing.T, name, text string) *models.UsageFile {
	t.Helper()
	f, err := seeds.ReadUsagesFile(strings.NewReader(text), int64(len(text)), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func impSample(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../seeds/testdata/one_statistiques_extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// impSnapshot is every stored usage row and every kept monthly figure, as text.
func impSnapshot(t *testing.T, s *models.Store) (rows, months string) {
	t.Helper()
	var u []map[string]any
	if err := models.RawDB(s).Raw("SELECT uai, " + impDayOf(s, "periode") + " AS p, granularite, profil, connexions, visiteurs, comptes_charges, comptes_actives, import_id, departement_code FROM usages ORDER BY uai, periode, granularite, profil").Scan(&u).Error; err != nil {
		t.Fatal(err)
	}
	var m []map[string]any
	if err := models.RawDB(s).Raw("SELECT departement_code, code_circonscription, " + impDayOf(s, "mois") + " AS m, profil, ecoles, comptes_charges, comptes_actives, connexions, visiteurs, activation_charges, activation_actives, activite_actives, activite_visiteurs FROM usages_mois ORDER BY 1, 2, 3, 4").Scan(&m).Error; err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(u), fmt.Sprint(m)
}

// impCount is the number a counting query answers.
func impCount(t *testing.T, s *models.Store, query string) int64 {
	t.Helper()
	var n int64
	if err := models.RawDB(s).Raw(query).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// noImportID is a snapshot of rows without their imports.
func noImportID(rows string) string {
	return regexp.MustCompile(`import_id:[0-9]+ `).ReplaceAllString(rows, "")
}

// impDayOf is a DATE column as text YYYY-MM-DD on both engines.
func impDayOf(s *models.Store, col string) string {
	if s.Dialect() == models.Postgres {
		return "TO_CHAR(" + col + ", 'YYYY-MM-DD')"
	}
	return "substr(" + col + ", 1, 10)"
}

// impMonth is the kept figures of a département, month (YYYY-MM-DD) and profile, summed
// over its circonscriptions: écoles, chargés, activés, connexions, visiteurs, and the four
// terms of the rates.
func impMonth(t *testing.T, s *models.Store, dep, mois, profil string) [9]int64 {
	t.Helper()
	var r struct{ E, Ch, Ac, Cx, Vi, AcCh, AcAc, AtAc, AtVi int64 }
	err := models.RawDB(s).Raw("SELECT COALESCE(SUM(ecoles), 0) AS e, COALESCE(SUM(comptes_charges), 0) AS ch, COALESCE(SUM(comptes_actives), 0) AS ac, "+
		"COALESCE(SUM(connexions), 0) AS cx, COALESCE(SUM(visiteurs), 0) AS vi, COALESCE(SUM(activation_charges), 0) AS ac_ch, "+
		"COALESCE(SUM(activation_actives), 0) AS ac_ac, COALESCE(SUM(activite_actives), 0) AS at_ac, COALESCE(SUM(activite_visiteurs), 0) AS at_vi "+
		"FROM usages_mois WHERE departement_code = ? AND "+impDayOf(s, "mois")+" = ? AND profil = ?", dep, mois, profil).Scan(&r).Error
	if err != nil {
		t.Fatal(err)
	}
	return [9]int64{r.E, r.Ch, r.Ac, r.Cx, r.Vi, r.AcCh, r.AcAc, r.AtAc, r.AtVi}
}

// TestUsageImportSample imports the sample (counts checked by hand), re-imports it (nothing
// changes), imports a correction of a month (replaced), and undoes the imports in turn,
// each undo restoring exactly what was there before.
func TestUsageImportSample(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		sample := impSample(t)
		p, err := s.PreviewUsages(ctx, impAdmin, impFile(t, "export.csv", sample))
		if err != nil {
			t.Fatal(err)
		}
		if p.Lignes != 40 || p.Ecoles != 4 || len(p.Periodes) != 2 || p.Remplacees != 0 || len(p.Ignorees) != 0 ||
			strings.Join(p.Departements, ",") != "77,93,94" || p.Granularite != "mois" || !p.Applicable() {
			t.Fatalf("aperçu : %+v", p)
		}
		emptyRows, emptyMonths := impSnapshot(t, s)
		first, err := s.ImportUsages(ctx, impAdmin, impFile(t, "export.csv", sample))
		if err != nil || first.ImportID == 0 || first.Lignes != 40 {
			t.Fatalf("import : %+v %v", first, err)
		}
		// 93, novembre, élèves : 0930388S (318 chargés, 161 activés, 473 connexions, 75
		// visiteurs) + 0931461H (173, 30, 31, 10).
		if got := impMonth(t, s, "93", "2025-11-01", "eleve"); got != [9]int64{2, 491, 191, 504, 85, 491, 191, 191, 85} {
			t.Fatalf("93 novembre élèves : %v", got)
		}
		if got := impMonth(t, s, "94", "2025-12-01", "enseignant"); got[0] != 1 {
			t.Fatalf("94 décembre enseignants : %v", got)
		}
		rows1, months1 := impSnapshot(t, s)

		again, err := s.ImportUsages(ctx, impAdmin, impFile(t, "export.csv", sample))
		if err != nil || again.Remplacees != 40 {
			t.Fatalf("réimport : %+v %v", again, err)
		}
		rows2, months2 := impSnapshot(t, s)
		if noImportID(rows2) != noImportID(rows1) || months2 != months1 || rows2 == rows1 {
			t.Fatalf("le même fichier deux fois a changé les chiffres :\n%s\n%s", rows1, rows2)
		}

		// A correction of December for the élèves of 0930388S (319 chargés, 166 → 200 activés).
		fix := strings.Replace(sample, `"2025-12-01T00:00";"Élève";"250";"57";"319";"166"`, `"2025-12-01T00:00";"Élève";"260";"57";"319";"200"`, 1)
		fix = strings.Join(append(strings.SplitAfter(fix, "\n")[:1], strings.SplitAfter(fix, "\n")[21:]...), "")
		third, err := s.ImportUsages(ctx, impAdmin, impFile(t, "correction.csv", fix))
		if err != nil || third.Remplacees != 20 || third.Lignes != 20 {
			t.Fatalf("correction : %+v %v", third, err)
		}
		if got := impMonth(t, s, "93", "2025-12-01", "eleve"); got[2] != 200+30 || got[3] != 260+46 {
			t.Fatalf("93 décembre élèves après correction : %v", got)
		}
		if got := impMonth(t, s, "93", "2025-11-01", "eleve"); got != [9]int64{2, 491, 191, 504, 85, 491, 191, 191, 85} {
			t.Fatalf("novembre touché par la correction de décembre : %v", got)
		}

		err = s.UndoUsageImport(ctx, impAdmin, again.ImportID)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("l'import n° %d", third.ImportID)) || !strings.Contains(err.Error(), "correction.csv") {
			t.Fatalf("annulation d'un import remplacé depuis : %v", err)
		}
		for _, step := range []struct {
			id           int64
			rows, months string
		}{{third.ImportID, rows2, months2}, {again.ImportID, rows1, months1}, {first.ImportID, emptyRows, emptyMonths}} {
			if err := s.UndoUsageImport(ctx, impAdmin, step.id); err != nil {
				t.Fatalf("annulation de %d : %v", step.id, err)
			}
			if r, m := impSnapshot(t, s); r != step.rows || m != step.months {
				t.Fatalf("annulation de %d : pas restauré à l'identique\n%s\n%s\n%s\n%s", step.id, r, step.rows, m, step.months)
			}
		}
		if err := s.UndoUsageImport(ctx, impAdmin, first.ImportID); err == nil || !strings.Contains(err.Error(), "déjà été annulé") {
			t.Fatalf("seconde annulation : %v", err)
		}
		hist, err := s.ListUsageImports(ctx, impAdmin, 50)
		if err != nil || len(hist) != 3 || hist[0].ID != third.ImportID || hist[0].UndoneAt == nil || hist[2].Lignes != 40 ||
			hist[2].Ecoles != 4 || hist[1].Remplacees != 40 || hist[0].Fichier != "correction.csv" || *hist[0].UndoneBy != "Admin" {
			t.Fatalf("historique : %+v %v", hist, err)
		}
		if events := impCount(t, s, "SELECT COUNT(*) FROM audit_events WHERE entity = 'usage_imports'"); events != 6 {
			t.Fatalf("%d événements d'audit, 6 attendus", events)
		}
	})
}

// TestUsageImportSkipped reports the rows without UAI, of an unknown UAI and, for an
// IA-DASEN, of another département, with their lines; refuses a file with faults and the
// roles that do not import.
func TestUsageImportSkipped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		text := impSample(t) +
			`"Circonscription de Bobigny";"";"2025-11-01T00:00";"Élève";"1";"1";"1";"1"` + "\n" +
			`"École fermée";"0939999Z";"2025-11-01T00:00";"Élève";"1";"1";"1";"1"` + "\n"
		rep, err := s.ImportUsages(ctx, impIA93, impFile(t, "ia93.csv", text))
		if err != nil {
			t.Fatal(err)
		}
		skipped := map[string][]int{}
		for _, k := range rep.Ignorees {
			skipped[k.Motif] = append(skipped[k.Motif], k.Line)
		}
		// Lines 12-21 and 32-41 are Hermé (77) and Vitry (94).
		if rep.Lignes != 20 || rep.Ecoles != 2 || fmt.Sprint(skipped[models.UsageSansUAI]) != "[42]" ||
			fmt.Sprint(skipped[models.UsageUAIInconnue]) != "[43]" || len(skipped[models.UsageHorsDepartement]) != 20 ||
			skipped[models.UsageHorsDepartement][0] != 12 || skipped[models.UsageHorsDepartement][19] != 41 {
			t.Fatalf("import de l'IA 93 : %+v", rep)
		}
		if n94 := impCount(t, s, "SELECT COUNT(*) FROM usages WHERE departement_code <> '93'"); n94 != 0 {
			t.Fatalf("%d lignes hors du 93 importées", n94)
		}
		// The IA 94 neither sees nor undoes the 93's import.
		if h, err := s.ListUsageImports(ctx, impIA94, 10); err != nil || len(h) != 0 {
			t.Fatalf("historique de l'IA 94 : %v %v", h, err)
		}
		if err := s.UndoUsageImport(ctx, impIA94, rep.ImportID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("annulation par l'IA 94 : %v", err)
		}
		if h, err := s.ListUsageImports(ctx, impIA93, 10); err != nil || len(h) != 1 || *h[0].DepartementCode != "93" || h[0].Ignorees != 22 {
			t.Fatalf("historique de l'IA 93 : %+v %v", h, err)
		}
		ien := models.Actor{Name: "IEN", Role: models.RoleIEN, Scope: models.Scope{Kind: models.ScopeCirconscription, Circonscriptions: []string{"0930001X"}}}
		if _, err := s.PreviewUsages(ctx, ien, impFile(t, "f.csv", text)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("aperçu d'un IEN : %v", err)
		}
		bad := strings.Replace(impSample(t), `"473"`, `"-473"`, 1)
		var verr *models.ValidationError
		if _, err := s.ImportUsages(ctx, impAdmin, impFile(t, "f.csv", bad)); !errors.As(err, &verr) ||
			verr.Errors[0].Error() != "ligne 5, colonne Connexions : « -473 » : un nombre de comptes ou de connexions ne peut pas être négatif." {
			t.Fatalf("fichier fautif : %v", err)
		}
		only94 := strings.Join(append(strings.SplitAfter(impSample(t), "\n")[:1], strings.SplitAfter(impSample(t), "\n")[16:21]...), "")
		if _, err := s.ImportUsages(ctx, impIA93, impFile(t, "f.csv", only94)); !errors.As(err, &verr) || !strings.Contains(err.Error(), "aucune ligne") {
			t.Fatalf("fichier sans ligne du 93 : %v", err)
		}
		if imports := impCount(t, s, "SELECT COUNT(*) FROM usage_imports"); imports != 1 {
			t.Fatalf("%d imports enregistrés, 1 attendu", imports)
		}
	})
}

// TestUsageMonthsGranularity keeps the figures of a file of weeks per month: flows summed,
// stocks at the latest week, an unknown count left out of the rates; a month's row for the
// same école and month prevails over its weeks.
func TestUsageMonthsGranularity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		head := "Établissement;UAI;Date;Profil;Connexions;Visiteurs uniques;Comptes chargés;Comptes activés\n"
		weeks := head + "A;0930388S;2025-11-03T00:00;Élève;10;5;100;50\n" +
			"A;0930388S;2025-11-10T00:00;Élève;20;6;101;55\n" +
			"A;0930388S;2025-11-24T00:00;Élève;1;;;60\n" +
			"B;0931461H;2025-11-24T00:00;Élève;7;3;40;20\n"
		if _, err := s.ImportUsages(ctx, impAdmin, impFile(t, "semaines.csv", weeks)); err != nil {
			t.Fatal(err)
		}
		// 0930388S: 31 connexions, 11 visiteurs, chargés unknown, 60 activés; 0931461H: 7, 3, 40, 20.
		if got := impMonth(t, s, "93", "2025-11-01", "eleve"); got != [9]int64{2, 40, 80, 38, 14, 40, 20, 80, 14} {
			t.Fatalf("semaines : %v", got)
		}
		month := head + "A;0930388S;2025-11-01T00:00;Élève;100;50;120;70\n"
		if _, err := s.ImportUsages(ctx, impAdmin, impFile(t, "mois.csv", month)); err != nil {
			t.Fatal(err)
		}
		if got := impMonth(t, s, "93", "2025-11-01", "eleve"); got != [9]int64{2, 160, 90, 107, 53, 160, 90, 90, 53} {
			t.Fatalf("mois et semaines : %v", got)
		}
	})
}

// TestUsageSkipGroups groups the skipped rows by reason, their lines as runs, and cuts long
// lists short.
func TestUsageSkipGroups(t *testing.T) {
	r := models.UsageImportReport{}
	for _, l := range []int{2, 3, 4, 7} {
		r.Ignorees = append(r.Ignorees, models.UsageSkip{Line: l, Etablissement: "Projet", Motif: models.UsageSansUAI})
	}
	for l := 10; l < 200; l += 2 {
		r.Ignorees = append(r.Ignorees, models.UsageSkip{Line: l, UAI: fmt.Sprintf("0940%03dA", l), Motif: models.UsageHorsDepartement})
	}
	g := r.SkipGroups()
	if len(g) != 2 || g[0].LinesText() != "2 à 4, 7" || fmt.Sprint(g[0].Structures) != "[Projet]" || g[0].MoreStructures != 0 {
		t.Fatalf("sans UAI : %+v %q", g, g[0].LinesText())
	}
	if len(g[1].Lines) != 95 || len(g[1].Structures) != 30 || g[1].MoreStructures != 65 ||
		!strings.HasSuffix(g[1].LinesText(), ", 68…") || !strings.HasPrefix(g[1].LinesText(), "10, 12, 14") {
		t.Fatalf("hors département : %d lignes, %d + %d structures, %q", len(g[1].Lines), len(g[1].Structures), g[1].MoreStructures, g[1].LinesText())
	}
}
