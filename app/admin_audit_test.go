package app_test

import (
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

// journalFixture is the world where the admin has imported a change of the communes (an
// event of three changes: created, updated, unchanged).
type journalFixture struct {
	*world
	admin, pilote *formClient
}

func newJournalFixture(t *testing.T, s *models.Store) journalFixture {
	t.Helper()
	w := newWorld(t, s, app.Config{})
	p := 1234
	actor := w.actors["admin"]
	actor.RequestID = "req-journal"
	if _, err := s.ImportCommunes(t.Context(), []models.CommuneInput{{Line: 2, CodeINSEE: "94028", Nom: "Créteil", Departement: "94", Population: &p}},
		models.ImportOptions{Actor: actor}); err != nil {
		t.Fatal(err)
	}
	return journalFixture{world: w, admin: w.clients["admin"], pilote: w.clients["pilote"]}
}

func TestJournalPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newJournalFixture(t, s)
		adminID := idStr(fx.actors["admin"].UserID)

		rec := fx.admin.get("/admin/journal")
		if rec.Code != http.StatusOK {
			t.Fatalf("journal : statut %d", rec.Code)
		}
		d := doc(t, rec)
		if h1 := d.Find("h1").Text(); h1 != "Journal des modifications" {
			t.Errorf("titre %q", h1)
		}
		for _, id := range []string{"filtre-acteur", "filtre-entite", "filtre-action", "filtre-du", "filtre-au", "filtre-identifiant"} {
			if d.Find("#"+id).Length() != 1 {
				t.Errorf("filtre #%s absent", id)
			}
		}
		if d.Find("#filtre-acteur option[value='"+adminID+"']").Length() != 1 {
			t.Errorf("l'admin n'est pas dans la liste des auteurs")
		}
		body := d.Find("#tableau-journal").Text()
		for _, want := range []string{"Import", "Communes (référentiel)", "Mis à jour", "Compte admin", "Création", "Utilisateur"} {
			if !strings.Contains(body, want) {
				t.Errorf("le journal ne montre pas %q", want)
			}
		}

		// Filtered by author and entity: the one import, its three changes.
		rec = fx.admin.get("/admin/journal?acteur=" + adminID + "&entite=communes&action=import&du=01/01/2000&au=2099-12-31")
		if rec.Code != http.StatusOK {
			t.Fatalf("journal filtré : statut %d", rec.Code)
		}
		d = doc(t, rec)
		if n := rows(d, "#tableau-journal"); n != 3 {
			t.Errorf("journal filtré : %d lignes, attendu 3 (un import, trois compteurs)", n)
		}
		if text := d.Find("#tableau-journal").Text(); strings.Contains(text, "Utilisateur") || !strings.Contains(text, "req-journal") {
			t.Errorf("journal filtré : %s", text)
		}
		if v, _ := d.Find("#filtre-acteur option[selected]").Attr("value"); v != adminID {
			t.Errorf("auteur choisi %q, attendu %s", v, adminID)
		}
		if href, _ := d.Find("a[href^='/admin/journal.xlsx']").Attr("href"); !strings.Contains(href, "entite=communes") || !strings.Contains(href, "acteur="+adminID) {
			t.Errorf("lien d'export %q sans les filtres", href)
		}

		// htmx asks for the results only.
		rec = fx.admin.do(htmxRequest("/admin/journal?entite=communes"))
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), "tableau-journal") {
			t.Errorf("fragment htmx : statut %d", rec.Code)
		}
	})
}

func TestJournalInvalidFilters(t *testing.T) {
	cases := []struct {
		query, field, msg string
	}{
		{"du=31/02/2026", "du", "Date invalide"},
		{"au=demain", "au", "Date invalide"},
		{"du=2026-13-01", "du", "Date invalide"},
		{"du=02/01/2026&au=01/01/2026", "au", "précède"},
		{"entite=inconnue", "entite", "Valeur non reconnue"},
		{"action=%27%20OR%201%3D1%20--", "action", "Valeur non reconnue"},
		{"acteur=-3", "acteur", "Valeur non reconnue"},
		{"acteur=99999999999999999999", "acteur", "Valeur trop longue"},
		{"identifiant=%ff", "identifiant", "Caractères invalides"},
		{"sort=at", "sort", "Tri inconnu"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newJournalFixture(t, s)
		for _, c := range cases {
			rec := fx.admin.get("/admin/journal?" + c.query)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s : statut %d, attendu 400", c.query, rec.Code)
				continue
			}
			d := doc(t, rec)
			if c.field == "sort" {
				if !strings.Contains(d.Find(".fr-alert--error").Text(), c.msg) {
					t.Errorf("%s : pas de message %q", c.query, c.msg)
				}
				continue
			}
			if msg := d.Find("#filtre-" + c.field + "-erreur").Text(); !strings.Contains(msg, c.msg) {
				t.Errorf("%s : message à côté du champ %q, attendu %q", c.query, msg, c.msg)
			}
			if d.Find("#tableau-journal").Length() != 0 {
				t.Errorf("%s : des résultats sont affichés malgré l'erreur", c.query)
			}
		}
		for _, q := range []string{"du=31/12/2025", "du=1/2/2026", "au=2026-12-31", "du=%2031/12/2025%20"} {
			if rec := fx.admin.get("/admin/journal?" + q); rec.Code != http.StatusOK {
				t.Errorf("%s : statut %d, attendu 200", q, rec.Code)
			}
		}
		if rec := fx.admin.get("/admin/journal.xlsx?du=31/02/2026"); rec.Code != http.StatusBadRequest {
			t.Errorf("export avec une date invalide : statut %d, attendu 400", rec.Code)
		}
	})
}

func TestJournalAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newJournalFixture(t, s)
		for _, path := range []string{"/admin/journal", "/admin/journal.xlsx"} {
			if rec := fx.pilote.get(path); rec.Code != http.StatusForbidden {
				t.Errorf("%s par un pilote : statut %d, attendu 403", path, rec.Code)
			}
			rec := get(t, fx.h, path)
			if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/connexion") {
				t.Errorf("%s anonyme : statut %d vers %q, attendu 303 vers /connexion", path, rec.Code, rec.Header().Get("Location"))
			}
		}
	})
}

func TestJournalExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newJournalFixture(t, s)
		adminID := idStr(fx.actors["admin"].UserID)
		dateRe := regexp.MustCompile(`^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$`)

		// The whole log: one row per change (one for an event without changes).
		want := 0
		if err := s.EachAudit(t.Context(), models.SystemActor("test"), models.AuditFilter{}, func(ev models.AuditEvent) error {
			want += max(1, len(ev.ChangeList()))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		rec := fx.admin.get("/admin/journal.xlsx")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "journal-") {
			t.Fatalf("export : statut %d, %q", rec.Code, rec.Header().Get("Content-Disposition"))
		}
		header, data := readXLSX(t, "journal.xlsx", rec.Body.Bytes())
		wantHeader := []string{"Date (heure de Paris)", "Auteur", "Rôle", "Périmètre", "Action", "Fiche", "Identifiant",
			"Champ", "Avant", "Après", "Identifiant de requête"}
		if strings.Join(header, "|") != strings.Join(wantHeader, "|") {
			t.Errorf("en-tête %v", header)
		}
		if len(data) != want {
			t.Errorf("export complet : %d lignes, attendu %d", len(data), want)
		}

		// The filtered export holds only the import of the admin, one row per counter.
		rec = fx.admin.get("/admin/journal.xlsx?acteur=" + adminID + "&entite=communes")
		if rec.Code != http.StatusOK {
			t.Fatalf("export filtré : statut %d", rec.Code)
		}
		_, data = readXLSX(t, "journal.xlsx", rec.Body.Bytes())
		if len(data) != 3 {
			t.Fatalf("export filtré : %d lignes, attendu 3 : %v", len(data), data)
		}
		fields := []string{}
		for _, row := range data {
			row = append(row, make([]string, len(wantHeader))...)
			if !isExcelDateTime(row[0]) || row[1] != "Compte admin (n° "+adminID+")" || row[2] != "Administrateur" ||
				row[3] != "académie" || row[4] != "Import" || row[5] != "Communes (référentiel)" || row[6] != "" || row[10] != "req-journal" {
				t.Errorf("ligne %v", row[:len(wantHeader)])
			}
			fields = append(fields, row[7]+"="+row[9])
		}
		if got := strings.Join(fields, ", "); got != "Créés=0, Mis à jour=1, Inchangés=0" {
			t.Errorf("changements exportés : %s", got)
		}
		// The CSV twin: the same rows, dates as French text.
		rec = fx.admin.get("/admin/journal.csv?acteur=" + adminID + "&entite=communes")
		if disp := rec.Header().Get("Content-Disposition"); rec.Code != http.StatusOK || !strings.Contains(disp, `filename="journal-`+adminID+"-") {
			t.Fatalf("export CSV : statut %d, %q", rec.Code, disp)
		}
		_, data = readCSV(t, "journal.csv", rec.Body.Bytes())
		if len(data) != 3 || !dateRe.MatchString(data[0][0]) {
			t.Errorf("export CSV : %v", data)
		}
	})
}

func TestRecordPagesShowHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		h := newServer(t, s)
		for _, path := range []string{"/communes/94028", "/ecoles/0930388S", "/epci/200054781"} {
			rec := get(t, h, path)
			if rec.Code != http.StatusOK {
				t.Errorf("%s : statut %d", path, rec.Code)
				continue
			}
			d := doc(t, rec)
			if got := d.Find("h2#historique").Text(); got != "Historique" {
				t.Errorf("%s : titre de l'historique %q", path, got)
			}
			if !strings.Contains(d.Text(), "Aucune modification n'a été enregistrée pour cette fiche") {
				t.Errorf("%s : l'historique vide n'est pas annoncé", path)
			}
		}
	})
}

// isExcelDateTime reports whether a raw cell value is an Excel date and time of today or
// yesterday (an event of the test).
func isExcelDateTime(raw string) bool {
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil || serial == math.Trunc(serial) {
		return false
	}
	at, err := excelize.ExcelDateToTime(serial, false)
	return err == nil && time.Since(at) < 48*time.Hour && time.Since(at) > -48*time.Hour
}
