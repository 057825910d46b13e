package app_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/models/dbtest"
	"github.com/xuri/excelize/v2"
)

// TestActionsExports: the actions list and "Mes actions" export in Excel and CSV exactly
// the rows on screen, in their order, with their due dates as dates; the file's name
// carries the filters.
func TestActionsExports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		mine := "u" + idStr(fx.users["pilote"])
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Bilan", Echeance: "01/04/2099", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "Envoyer la charte", Echeance: "01/04/2012", Responsable: mine})
		fx.action(t, fx.pilote, models.ActionInput{ReunionID: fx.rAcad.ID, Titre: "=Autre", Responsable: "u" + idStr(fx.users["pilote2"])})
		fx.action(t, fx.i77, models.ActionInput{ReunionID: fx.r77.ID, Titre: "Du 77", Echeance: "01/04/2012"})
		p := fx.clients["pilote"]
		for _, c := range []struct {
			list, table, query, name string
			rows                     int
		}{
			{"/actions", "#tableau-actions", "", "actions-", 4},
			{"/actions", "#tableau-actions", "?retard=1", "actions-en-retard-seulement-", 2},
			{"/actions", "#tableau-actions", "?instance=" + idStr(fx.acad.ID), "actions-" + idStr(fx.acad.ID) + "-", 3},
			{"/mes-actions", "#tableau-mes-actions", "", "mes-actions-", 2},
		} {
			page := doc(t, p.get(c.list+c.query))
			var onScreen []string
			page.Find(c.table + " tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) {
				onScreen = append(onScreen, strings.TrimPrefix(a.AttrOr("href", ""), "/actions/"))
			})
			if href, _ := page.Find(`a[href^="` + c.list + `.xlsx"]`).Attr("href"); href != c.list+".xlsx"+c.query {
				t.Errorf("%s%s : lien d'export %q", c.list, c.query, href)
			}
			for _, ext := range []string{".xlsx", ".csv"} {
				rec := p.get(c.list + ext + c.query)
				if disp := rec.Header().Get("Content-Disposition"); rec.Code != http.StatusOK || !strings.Contains(disp, `filename="`+c.name) {
					t.Fatalf("%s%s%s : %d %q", c.list, ext, c.query, rec.Code, disp)
				}
				var data [][]string
				if ext == ".xlsx" {
					_, data = readXLSX(t, c.list+ext, rec.Body.Bytes())
				} else {
					_, data = readCSV(t, c.list+ext, rec.Body.Bytes())
				}
				var ids []string
				for _, row := range data {
					ids = append(ids, row[0])
				}
				if !slices.Equal(ids, onScreen) || len(ids) != c.rows {
					t.Errorf("%s%s%s : export %v, écran %v", c.list, ext, c.query, ids, onScreen)
				}
			}
		}
		// The due date is a date cell, "Envoyer la charte" overdue.
		rec := p.get("/mes-actions.xlsx")
		f := openWorkbook(t, rec.Body.Bytes())
		h, header, data := sheetTable(t, f, "Mes actions")
		due := slices.Index(header, "Échéance")
		if due < 0 || data[0][1] != "Envoyer la charte" || data[0][due] != "01/04/2012" || data[0][slices.Index(header, "En retard")] != "oui" {
			t.Fatalf("mes actions : %v %v", header, data)
		}
		ref, _ := excelize.CoordinatesToCellName(due+1, h+1)
		if raw, _ := f.GetCellValue("Mes actions", ref, excelize.Options{RawCellValue: true}); raw != "41000" {
			t.Errorf("échéance %q, attendu le numéro de série du 01/04/2012", raw)
		}
	})
}

// TestPreparationWorkbook: the workbook of "Préparer la prochaine réunion" names the next
// meeting (title, date, hours, place) and the last one in its title block, and holds the
// conventions of the body's territory that expire soon, as its page does, their dates as
// dates.
func TestPreparationWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newSuiviWorld(t, s)
		ia93, body := newBody93(t, s)
		day := time.Now().AddDate(0, 1, 0)
		if _, err := s.CreateReunion(t.Context(), ia93, models.ReunionInput{InstanceID: body.ID, Titre: "Co-pilotage de rentrée",
			Date: day.Format("02/01/2006"), HeureDebut: "14:00", HeureFin: "16:30", Lieu: "DSDEN de Bobigny", Statut: models.ReunionPlanifiee}); err != nil {
			t.Fatal(err)
		}
		rec := w.clients["pilote"].get("/instances/" + idStr(body.ID) + "/preparer.xlsx")
		if disp := rec.Header().Get("Content-Disposition"); rec.Code != http.StatusOK || !strings.Contains(disp, `filename="preparation-co-pilotage-93-`) {
			t.Fatalf("classeur : %d %q", rec.Code, disp)
		}
		f := openWorkbook(t, rec.Body.Bytes())
		var block []string
		for r := 1; r <= 6; r++ {
			v, _ := f.GetCellValue("Préparation", "A"+strconv.Itoa(r))
			block = append(block, v)
		}
		want := "Prochaine réunion : Co-pilotage de rentrée, le " + day.Format("02/01/2006") + " de 14:00 à 16:30, DSDEN de Bobigny"
		if block[0] != "Préparer la prochaine réunion — Co-pilotage 93" || !slices.Contains(block, want) ||
			!slices.Contains(block, "Dernière réunion tenue : aucune réunion n'a encore été tenue") {
			t.Errorf("bloc de titre : %q, attendu %q", block, want)
		}
		h, header, data := sheetTable(t, f, "Préparation")
		var found bool
		for i, row := range data {
			if strings.Contains(strings.Join(row, "|"), "CRE-94") {
				t.Errorf("convention du 94 : %v", row)
			}
			if row[0] != "Convention qui arrive à échéance" || !strings.HasPrefix(row[2], "CRE-93-2012-002 — ") {
				continue
			}
			found = true
			date := slices.Index(header, "Date ou échéance")
			ref, _ := excelize.CoordinatesToCellName(date+1, h+1+i)
			raw, _ := f.GetCellValue("Préparation", ref, excelize.Options{RawCellValue: true})
			if n, err := strconv.Atoi(raw); err != nil || n < 40000 || row[date] != w.bobigny.DateExpiration.UTC().Format("02/01/2006") {
				t.Errorf("date d'expiration %q (%q) : une date sans heure attendue", row[date], raw)
			}
		}
		if !found {
			t.Errorf("convention qui expire absente : %v", data)
		}
	})
}

// newBody93 creates the co-pilotage of the 93 as its IA-DASEN, who is returned with it.
func newBody93(t *testing.T, s *models.Store) (models.Actor, models.InstanceRow) {
	t.Helper()
	ia93 := models.Actor{Name: "IA 93", Role: models.RoleIA, Scope: models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}}
	body, err := s.CreateInstance(t.Context(), ia93, models.InstanceInput{Nom: "Co-pilotage 93",
		Kind: models.InstanceCopilotage, Departement: "93"})
	if err != nil {
		t.Fatal(err)
	}
	return ia93, body
}
