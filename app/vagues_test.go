package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// The scope matrix's case of the waves: a wave of the 93 and one of the 77, each created
// by the département's IA-DASEN.
func init() {
	scopeCases[models.EntityVague] = scopeCase{list: "/vagues", exports: []string{"/vagues.csv"}, api: "/api/v1/vagues",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			v := must(m.s.CreateVague(t.Context(), m.actors["ia"+dep], models.VagueInput{Nom: "Vague Mq" + dep,
				AnneeScolaire: "2013-2014", OuverturePrevue: "02/09/2013", Departement: dep}))
			return scopeRecord{marker: "Vague Mq" + dep, page: "/vagues/" + idStr(v.ID)}
		}}
}

// vagueFields is a filled wave form.
func vagueFields(kv ...string) url.Values {
	return withFields(url.Values{"nom": {"Vague 2013-2014"}, "annee_scolaire": {"2013-2014"}, "ouverture_prevue": {"02/09/2013"},
		"departement": {"93"}, "cible": {"40"}}, kv...)
}

// TestVagueForm: a wrong field comes back with its French message and the typed values;
// a valid form creates the wave; a 94 wave is refused to the IA 93, the form to a référent.
func TestVagueForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ia93 := w.clients["ia93"]
		rec := ia93.post("/vagues", vagueFields("annee_scolaire", "2013-2015"))
		d := refusedField(t, rec, "vague-annee", "les deux années doivent se suivre", "2013-2015")
		if v, _ := d.Find("#vague-cible").Attr("value"); v != "40" {
			t.Errorf("cible non reprise : %q", v)
		}
		refusedField(t, ia93.post("/vagues", vagueFields("ouverture_prevue", "31/02/2013")), "vague-ouverture", "Date invalide", "31/02/2013")
		if rec := ia93.post("/vagues", vagueFields("departement", "94")); rec.Code != http.StatusForbidden || doc(t, rec).Find("#refus").Length() != 1 {
			t.Errorf("vague du 94 par l'IA 93 : %d", rec.Code)
		}
		rec = ia93.post("/vagues", vagueFields())
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		loc := rec.Header().Get("Location")
		page := ia93.get(loc)
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "La vague a été créée.") ||
			doc(t, page).Find("#tableau-phases tbody tr").Length() != len(models.DeploiementPhases) {
			t.Errorf("fiche : %d", page.Code)
		}
		id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/vagues/")
		if rec := w.clients["ia94"].get("/vagues/" + id); rec.Code != http.StatusNotFound {
			t.Errorf("vague du 93 lue par l'IA 94 : %d", rec.Code)
		}
		if rec := w.clients["referent93"].get("/vagues/nouvelle"); rec.Code != http.StatusForbidden {
			t.Errorf("formulaire pour un référent : %d", rec.Code)
		}
		for _, u := range []string{"/vagues", "/vagues/" + id, "/vagues/" + id + "/modifier", "/vagues/nouvelle"} {
			checkPageRules(t, u, doc(t, ia93.get(u)))
		}
		edit := ia93.get("/vagues/" + id + "/modifier")
		version, _ := doc(t, edit).Find(`input[name="version"]`).Attr("value")
		if rec := ia93.post("/vagues/"+id, vagueFields("nom", "Vague 93 renommée", "version", version)); rec.Code != http.StatusSeeOther {
			t.Errorf("modification : %d", rec.Code)
		}
		if rec := ia93.post("/vagues/"+id, vagueFields("nom", "Encore", "version", version)); rec.Code != http.StatusConflict {
			t.Errorf("modification périmée : %d", rec.Code)
		}
		if rec := ia93.post("/vagues/"+id+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("archivage : %d", rec.Code)
		}
		archives := ia93.get("/vagues?archives=oui")
		if !strings.Contains(archives.Body.String(), "Vague 93 renommée") || !strings.Contains(archives.Body.String(), "/vagues/"+id+"/restaurer") {
			t.Errorf("archives : vague absente")
		}
	})
}

// TestVagueListExportAPI: the filters of the list, its exports and its API are the same,
// in the reader's scope.
func TestVagueListExportAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		for _, v := range []struct{ actor, nom, annee, dep string }{
			{"pilote", "Vague académique 2013", "2013-2014", ""}, {"ia93", "Vague 93 de 2014", "2014-2015", "93"},
			{"ia94", "Vague 94 de 2014", "2014-2015", "94"}} {
			must(s.CreateVague(t.Context(), w.actors[v.actor], models.VagueInput{Nom: v.nom, AnneeScolaire: v.annee,
				OuverturePrevue: "01/09/2014", Departement: v.dep}))
		}
		for _, c := range []struct {
			role, query string
			want        []string
		}{{"pilote", "", []string{"Vague académique 2013", "Vague 93 de 2014", "Vague 94 de 2014"}},
			{"pilote", "?annee=2014-2015", []string{"Vague 93 de 2014", "Vague 94 de 2014"}},
			{"pilote", "?departement=academie", []string{"Vague académique 2013"}},
			{"ia93", "?annee=2014-2015", []string{"Vague 93 de 2014"}},
			{"ia93", "", []string{"Vague académique 2013", "Vague 93 de 2014"}}} {
			cl := w.clients[c.role]
			onScreen := doc(t, cl.get("/vagues"+c.query)).Find("#tableau-vagues tbody tr td:first-child a").
				Map(func(_ int, a *goquery.Selection) string { return a.Text() })
			_, data := readXLSX(t, c.query, cl.get("/vagues.xlsx"+c.query).Body.Bytes())
			var exported []string
			for _, row := range data {
				exported = append(exported, row[1])
			}
			_, csvData := readCSV(t, c.query, cl.get("/vagues.csv"+c.query).Body.Bytes())
			var body struct {
				Total int64 `json:"total"`
				Items []struct {
					Nom string `json:"nom"`
				} `json:"items"`
			}
			if err := json.Unmarshal(cl.get("/api/v1/vagues"+c.query).Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			var api []string
			for _, it := range body.Items {
				api = append(api, it.Nom)
			}
			if !slices.Equal(onScreen, c.want) || !slices.Equal(exported, c.want) || !slices.Equal(api, c.want) ||
				len(csvData) != len(c.want) || body.Total != int64(len(c.want)) {
				t.Errorf("%s %s : écran %v, export %v, API %v (%d), CSV %d lignes", c.role, c.query, onScreen, exported, api, body.Total, len(csvData))
			}
		}
		if rec := w.clients["pilote"].get("/vagues?annee=2014"); rec.Code != http.StatusBadRequest {
			t.Errorf("année invalide dans le filtre : %d", rec.Code)
		}
		if rec := w.clients["pilote"].get("/api/v1/vagues?departement=xx"); rec.Code != http.StatusBadRequest {
			t.Errorf("département invalide dans l'API : %d", rec.Code)
		}
	})
}
