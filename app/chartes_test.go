package app_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/xuri/excelize/v2"
)

func charteForm(kv ...string) url.Values {
	return withFields(url.Values{"numero": {"1"}, "date": {"15/03/2011"}, "statut": {"projet"}, "securite": {"Les **mots de passe** sont personnels."}}, kv...)
}

// createdID reads the id of a redirect to /chartes/ID?fait=creation.
func charteCreatedID(t *testing.T, loc string) string {
	t.Helper()
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, "/chartes/"), "?")
	if _, err := strconv.Atoi(id); err != nil {
		t.Fatalf("redirection inattendue : %q", loc)
	}
	return id
}

func TestChartePagesAndRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		pilote, lecteur := fx.clients["pilote"], fx.clients["lecteur"]
		rec := pilote.post("/chartes", charteForm("perimetres", "<script>alert(1)</script>[lien](javascript:alert(1)) et <b>gras</b>"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
		}
		id := charteCreatedID(t, rec.Header().Get("Location"))
		page := lecteur.get("/chartes/" + id)
		body, _ := doc(t, page).Find("#section-perimetres, #section-securite").Html()
		sec, _ := doc(t, page).Find("#section-securite").Html()
		body += sec
		if page.Code != http.StatusOK || strings.Contains(body, "<script>alert") || strings.Contains(body, "javascript:") ||
			strings.Contains(body, "<b>gras</b>") || !strings.Contains(body, "<strong>mots de passe</strong>") {
			t.Errorf("page de la version (%d) : rendu non sûr ou Markdown absent", page.Code)
		}
		if doc(t, page).Find("#lien-modifier").Length() != 0 {
			t.Error("le lecteur voit « Modifier »")
		}
		charteFormsClosedToReaders(t, fx.clients)
		charteFormRefusals(t, pilote)
		// Lost update: two edits from the same version, the second is a 409.
		edit := charteForm("numero", "1", "version", "1", "statut", "adoptee")
		if r := pilote.post("/chartes/"+id, edit); r.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d %s", r.Code, r.Body.String())
		}
		if r := pilote.post("/chartes/"+id, charteForm("numero", "1b", "version", "1")); r.Code != http.StatusConflict || doc(t, r).Find("#conflit").Length() != 1 {
			t.Errorf("modification périmée : %d", r.Code)
		}
		// A second version, adopted: the first becomes "remplacée"; the diff marks changes.
		rec = pilote.post("/chartes", charteForm("numero", "2", "statut", "adoptee", "securite", "Les mots de passe sont personnels et robustes."))
		id2 := charteCreatedID(t, rec.Header().Get("Location"))
		if v1 := lecteur.get("/chartes/" + id); !strings.Contains(v1.Body.String(), "Remplacée") {
			t.Error("la version 1 n'est pas remplacée")
		}
		d := lecteur.get("/chartes/diff?de=" + id + "&a=" + id2)
		dd := doc(t, d)
		if d.Code != http.StatusOK || !strings.Contains(dd.Find("ins").Text(), "robustes") || dd.Find("del").Length() == 0 {
			t.Errorf("diff : %d %s", d.Code, dd.Find(".diff").Text())
		}
		// API.
		var api struct {
			Total int `json:"total"`
			Items []struct {
				Numero   string            `json:"numero"`
				Sections map[string]string `json:"sections"`
			} `json:"items"`
		}
		r := lecteur.get("/api/v1/chartes")
		if err := json.Unmarshal(r.Body.Bytes(), &api); err != nil || api.Total != 2 || len(api.Items[0].Sections) != 5 {
			t.Errorf("API : %v %+v", err, api)
		}
	})
}

// charteFormsClosedToReaders checks the forms for a role that only reads: 403 with an
// explanation, the POST refused.
func charteFormsClosedToReaders(t *testing.T, clients map[string]*formClient) {
	t.Helper()
	for _, name := range []string{"lecteur", "ia93", "amif"} {
		c := clients[name]
		if r := c.get("/chartes/nouveau"); r.Code != http.StatusForbidden || doc(t, r).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("%s /chartes/nouveau : %d", name, r.Code)
		}
		if r := c.post("/chartes", charteForm("numero", "x-"+name)); r.Code != http.StatusForbidden {
			t.Errorf("%s crée une version : %d", name, r.Code)
		}
	}
}

// charteFormRefusals checks the refusals of the form: messages next to the fields, values
// kept (escaped).
func charteFormRefusals(t *testing.T, pilote *formClient) {
	t.Helper()
	for name, tc := range map[string]struct {
		form  url.Values
		field string
	}{
		"numéro vide":     {charteForm("numero", ""), "charte-numero-erreur"},
		"numéro pris":     {charteForm(), "charte-numero-erreur"},
		"date impossible": {charteForm("numero", "2", "date", "31/02/2012"), "charte-date-erreur"},
		"trop long":       {charteForm("numero", "2", "securite", strings.Repeat("a", 20001)), "charte-securite-erreur"},
	} {
		r := pilote.post("/chartes", tc.form)
		if r.Code != http.StatusUnprocessableEntity || doc(t, r).Find("#"+tc.field).Length() != 1 {
			t.Errorf("%s : %d, message %s attendu", name, r.Code, tc.field)
		}
	}
	if r := pilote.post("/chartes", charteForm("numero", "<b>2</b>", "date", "31/02/2012")); !strings.Contains(r.Body.String(), "&lt;b&gt;2&lt;/b&gt;") {
		t.Error("le numéro saisi n'est pas gardé échappé")
	}
}

func TestCoveragePageAndExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		pilote := fx.clients["pilote"]
		if r := pilote.get("/chartes/couverture"); r.Code != http.StatusOK || doc(t, r).Find("#aucune-version").Length() != 1 {
			t.Fatalf("couverture sans version : %d", r.Code)
		}
		rec := pilote.post("/chartes", charteForm("statut", "adoptee"))
		id := charteCreatedID(t, rec.Header().Get("Location"))
		for _, f := range []url.Values{
			{"charte": {id}, "commune": {"93008"}, "deliberation_ref": {"D1"}, "deliberation_date": {"12/01/2012"}},
			{"charte": {id}, "epci": {"200057875"}, "couvre_membres": {"oui"}, "deliberation_ref": {"D2"}, "deliberation_date": {"12/01/2012"}},
		} {
			if r := pilote.post("/adoptions", f); r.Code != http.StatusSeeOther {
				t.Fatalf("adoption : %d %s", r.Code, r.Body.String())
			}
		}
		page := pilote.get("/chartes/couverture?departement=93&per_page=100")
		d := doc(t, page)
		if page.Code != http.StatusOK || !strings.Contains(d.Find("#ligne-academie").Text(), "9") {
			t.Fatalf("couverture : %d %s", page.Code, d.Find("#ligne-academie").Text())
		}
		if strings.Contains(d.Find("#tableau-non-couvertes").Text(), "Bobigny") || strings.Contains(d.Find("#tableau-non-couvertes").Text(), "Montreuil") {
			t.Error("une commune couverte est listée")
		}
		ia := fx.clients["ia77"].get("/chartes/couverture")
		if rows(doc(t, ia), "#tableau-couverture") != 2 { // 77 and the total
			t.Errorf("IA 77 voit %d lignes", rows(doc(t, ia), "#tableau-couverture"))
		}
		x := pilote.get("/chartes/couverture.xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
		if x.Code != http.StatusOK || err != nil {
			t.Fatalf("export : %d %v", x.Code, err)
		}
		hs, _, summary := sheetTable(t, f, "Synthèse")
		if len(summary) != 4 || summary[3][3] != "9" {
			t.Errorf("synthèse : %v", summary)
		}
		// Shares are percentages: numbers shown "…%", not raw decimals nor text.
		share := "E" + strconv.Itoa(hs+4)
		raw, _ := f.GetCellValue("Synthèse", share, excelize.Options{RawCellValue: true})
		if v, err := strconv.ParseFloat(raw, 64); err != nil || v < 0 || v > 1 {
			t.Errorf("part des communes %q (%v)", raw, err)
		}
		if shown, _ := f.GetCellValue("Synthèse", share); !strings.Contains(shown, "%") {
			t.Errorf("part des communes affichée %q", shown)
		}
		_, _, un := sheetTable(t, f, "Communes non couvertes")
		if len(un) < 1 {
			t.Fatalf("communes non couvertes : %v", un)
		}
		_, csvRows := readCSV(t, "couverture.csv", pilote.get("/chartes/couverture.csv").Body.Bytes())
		if len(csvRows) != len(un) {
			t.Errorf("CSV des communes non couvertes : %d lignes, classeur %d", len(csvRows), len(un))
		}
		for _, row := range un {
			if row[0] == "93008" || row[0] == "93048" {
				t.Errorf("%s exportée comme non couverte", row[0])
			}
		}
	})
}

// TestChartePagesValidHTML runs the W3C validator on the charter's pages, when it is installed.
func TestChartePagesValidHTML(t *testing.T) {
	java, err := exec.LookPath("java")
	if _, statErr := os.Stat(vnuJar); err != nil || statErr != nil {
		t.Skip("java ou vnu.jar introuvable : validation W3C ignorée")
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newWorld(t, s, app.Config{})
		p := fx.clients["pilote"]
		id := charteCreatedID(t, p.post("/chartes", charteForm("statut", "adoptee", "securite", "# Titre\n\n- un\n- *deux*")).Header().Get("Location"))
		id2 := charteCreatedID(t, p.post("/chartes", charteForm("numero", "2", "securite", "# Titre\n\n- un\n- trois")).Header().Get("Location"))
		p.post("/adoptions", adoptionForm(id, "commune", "93008"))
		dir := t.TempDir()
		var files []string
		for i, path := range []string{"/chartes", "/chartes/" + id, "/chartes/nouveau", "/chartes/" + id + "/modifier",
			"/chartes/diff?de=" + id + "&a=" + id2, "/chartes/couverture", "/adoptions", "/adoptions/nouveau"} {
			rec := p.get(path)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s : %d", path, rec.Code)
			}
			f := filepath.Join(dir, "page-"+strconv.Itoa(i)+".html")
			if err := os.WriteFile(f, rec.Body.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		if out, err := exec.Command(java, append([]string{"-jar", vnuJar, "--errors-only", "--format", "text"}, files...)...).CombinedOutput(); err != nil {
			t.Errorf("le validateur W3C signale des erreurs :\n%s", out)
		}
	})
}
