package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// govData adds to the fixture a 93 body, a member with an email on the académie body,
// and one meeting per body (the académie's with an agenda item and a decision).
type govData struct {
	govFixture
	b93               models.InstanceRow
	acadR, r77, r93   string // meetings' paths
	acadID, r77ID     int64
	memberEmailDomain string
}

func newGovData(t *testing.T, s *models.Store) govData {
	t.Helper()
	d := govData{govFixture: newGovFixture(t, s), memberEmailDomain: "exemple-fictif.org"}
	ctx := t.Context()
	d.b93 = must(s.CreateInstance(ctx, d.actors["ia93"], models.InstanceInput{Nom: "Co-pilotage 93", Kind: models.InstanceCopilotage, Departement: "93"}))
	org := must(s.CreateOrganisation(ctx, d.sys, models.OrganisationInput{Kind: models.OrgRectorat, Nom: "Rectorat bis"}))
	c := must(s.CreateContact(ctx, d.sys, models.ContactInput{OrganisationID: org.ID, Nom: "Durand", Prenom: "Paul", Email: "paul.durand@" + d.memberEmailDomain, Telephone: "01 23 45 67 89"}))
	pilote := d.clients["pilote"]
	if rec := pilote.post(instancePath(d.acad.ID, "/membres"), url.Values{"contact": {idStr(c.ID)}, "role": {"membre"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("membre : %d", rec.Code)
	}
	d.acadR = createReunion(t, pilote, reunionForm(d.acad.ID, "2031-03-11", "titre", "COPIL de printemps"))
	d.r77 = createReunion(t, d.clients["ia77"], reunionForm(d.b77.ID, "2031-03-12"))
	d.r93 = createReunion(t, d.clients["ia93"], reunionForm(d.b93.ID, "2031-03-13", "statut", "reportee"))
	if rec := pilote.post(d.acadR+"/points", url.Values{"titre": {"Bilan"}, "presentateur": {"DAN"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("point : %d", rec.Code)
	}
	d.acadID, d.r77ID = idAfter(t, d.acadR, "/reunions/"), idAfter(t, d.r77, "/reunions/")
	must(s.CreateDecision(ctx, d.sys, models.DecisionInput{ReunionID: d.acadID, Texte: "Lancer l'étude.", Kind: models.DecisionArbitrage, Academie: true}))
	return d
}

// exportRows reads an export (xlsx or csv) and returns its header and data rows.
func exportRows(t *testing.T, c *formClient, path string) ([]string, [][]string) {
	t.Helper()
	rec := c.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s : statut %d", path, rec.Code)
	}
	if strings.Contains(path, ".xlsx") {
		return readXLSX(t, path, rec.Body.Bytes())
	}
	return readCSV(t, path, rec.Body.Bytes())
}

// listIDs are the ids of the rows of a list page, from the links of its first column.
func listIDs(t *testing.T, c *formClient, path, table, prefix string) []string {
	t.Helper()
	rec := c.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s : statut %d", path, rec.Code)
	}
	var ids []string
	doc(t, rec).Find(table + " tbody tr").Each(func(_ int, tr *goquery.Selection) {
		href, _ := tr.Find("td a").First().Attr("href")
		ids = append(ids, strings.TrimPrefix(href, prefix))
	})
	slices.Sort(ids)
	return ids
}

func column(data [][]string, i int) []string {
	var out []string
	for _, r := range data {
		out = append(out, r[i])
	}
	slices.Sort(out)
	return out
}

func TestGovernanceExportsEqualLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		d := newGovData(t, s)
		cases := []struct {
			client, query string
			instances     int
		}{
			{"pilote", "", 3}, {"pilote", "?departement=academie", 1}, {"pilote", "?type=" + models.InstanceCopilotage, 2},
			{"ia93", "", 2}, {"ia93", "?departement=77", 0}, {"lecteur", "", 3},
		}
		for _, c := range cases {
			cl := d.clients[c.client]
			onScreen := listIDs(t, cl, "/instances"+c.query, "#tableau-instances", "/instances/")
			if len(onScreen) != c.instances {
				t.Errorf("%s %s : %d instances à l'écran, attendu %d", c.client, c.query, len(onScreen), c.instances)
			}
			for _, ext := range []string{".xlsx", ".csv"} {
				header, data := exportRows(t, cl, "/instances"+ext+c.query)
				if header[0] != "Identifiant" || header[1] != "Instance" {
					t.Errorf("en-tête %v", header)
				}
				if got := column(data, 0); !slices.Equal(got, onScreen) {
					t.Errorf("%s /instances%s%s : export %v, écran %v", c.client, ext, c.query, got, onScreen)
				}
			}
		}
		rcases := []struct{ client, query string }{
			{"pilote", ""}, {"pilote", "?instance=" + strconv.FormatInt(d.acad.ID, 10)}, {"pilote", "?statut=reportee"},
			{"pilote", "?du=2031-03-12&au=12/03/2031"}, {"ia93", ""}, {"ia77", ""},
		}
		for _, c := range rcases {
			cl := d.clients[c.client]
			onScreen := listIDs(t, cl, "/reunions"+c.query, "#tableau-reunions", "/reunions/")
			if len(onScreen) == 0 {
				t.Errorf("%s %s : aucune réunion à l'écran", c.client, c.query)
			}
			for _, ext := range []string{".xlsx", ".csv"} {
				_, data := exportRows(t, cl, "/reunions"+ext+c.query)
				if got := column(data, 0); !slices.Equal(got, onScreen) {
					t.Errorf("%s /reunions%s%s : export %v, écran %v", c.client, ext, c.query, got, onScreen)
				}
			}
		}
		// The IA 93 sees neither the 77 body nor its meeting.
		for _, ext := range []string{".xlsx", ".csv"} {
			_, data := exportRows(t, d.clients["ia93"], "/instances"+ext)
			if slices.Contains(column(data, 1), d.b77.Nom) {
				t.Errorf("IA 93 : l'instance du 77 est exportée")
			}
			_, data = exportRows(t, d.clients["ia93"], "/reunions"+ext)
			if slices.Contains(column(data, 4), d.b77.Nom) || slices.Contains(column(data, 0), strconv.FormatInt(d.r77ID, 10)) {
				t.Errorf("IA 93 : la réunion du 77 est exportée")
			}
		}
		// The meeting's row: Paris date and times, body, status label, place, counts.
		header, data := exportRows(t, d.clients["pilote"], "/reunions.csv?instance="+strconv.FormatInt(d.acad.ID, 10))
		want := []string{strconv.FormatInt(d.acadID, 10), "11/03/2031", "14:00", "16:00", d.acad.Nom, "COPIL de printemps", "Planifiée", "Rectorat", "", "1", "1"}
		if len(data) != 1 || !slices.Equal(data[0], want) {
			t.Errorf("ligne de la réunion : %v (en-tête %v), attendu %v", data, header, want)
		}
		if _, data := exportRows(t, d.clients["pilote"], "/reunions.xlsx?instance="+strconv.FormatInt(d.acad.ID, 10)); len(data) != 1 || data[0][9] != "1" || data[0][10] != "1" || excelClock(data[0][2]) != "14:00" {
			t.Errorf("ligne xlsx de la réunion : %v", data)
		}
		for _, bad := range []string{"/instances.csv?type=inconnu", "/reunions.xlsx?du=31/02/2031", "/reunions.csv?statut=x"} {
			if rec := d.clients["pilote"].get(bad); rec.Code != http.StatusBadRequest {
				t.Errorf("%s : statut %d, attendu 400", bad, rec.Code)
			}
		}
	})
}

type apiInstances struct {
	Total   int64 `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
	Items   []struct {
		ID      int64  `json:"id"`
		Nom     string `json:"nom"`
		Membres []struct {
			Nom  string `json:"nom"`
			Role string `json:"role"`
		} `json:"membres"`
	} `json:"items"`
}

type apiReunions struct {
	Total int64 `json:"total"`
	Items []struct {
		ID          int64  `json:"id"`
		InstanceID  int64  `json:"instance_id"`
		Statut      string `json:"statut"`
		NbDecisions int    `json:"nb_decisions"`
		OrdreDuJour []struct {
			Titre        string `json:"titre"`
			Presentateur string `json:"presentateur"`
		} `json:"ordre_du_jour"`
	} `json:"items"`
}

func getJSON(t *testing.T, c *formClient, path string, v any) string {
	t.Helper()
	rec := c.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s : statut %d %s", path, rec.Code, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("%s : %v", path, err)
	}
	return rec.Body.String()
}

func TestGovernanceAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		d := newGovData(t, s)
		var bodies apiInstances
		raw := getJSON(t, d.clients["pilote"], "/api/v1/instances", &bodies)
		if bodies.Total != 3 || len(bodies.Items) != 3 || bodies.Page != 1 || bodies.PerPage == 0 {
			t.Errorf("pilote : %+v", bodies)
		}
		if strings.Contains(raw, d.memberEmailDomain) || strings.Contains(raw, "01 23 45") || !strings.Contains(raw, `"membres"`) {
			t.Errorf("API instances : courriel ou téléphone de membre, ou membres absents : %s", raw)
		}
		for _, i := range bodies.Items {
			if i.ID == d.acad.ID && (len(i.Membres) != 1 || i.Membres[0].Nom != "Paul Durand" || i.Membres[0].Role != "membre") {
				t.Errorf("membres de l'instance académique : %+v", i.Membres)
			}
		}
		raw = getJSON(t, d.clients["ia93"], "/api/v1/instances", &bodies)
		if bodies.Total != 2 || strings.Contains(raw, d.b77.Nom) {
			t.Errorf("IA 93 : %d instances, 77 présente ? %s", bodies.Total, raw)
		}
		getJSON(t, d.clients["pilote"], "/api/v1/instances?departement=academie&per_page=1", &bodies)
		if bodies.Total != 1 || bodies.PerPage != 1 || bodies.Items[0].ID != d.acad.ID {
			t.Errorf("filtre académie : %+v", bodies)
		}

		var meetings apiReunions
		getJSON(t, d.clients["pilote"], "/api/v1/reunions", &meetings)
		if meetings.Total != 3 {
			t.Errorf("pilote : %d réunions", meetings.Total)
		}
		for _, m := range meetings.Items {
			if m.ID == d.acadID && (len(m.OrdreDuJour) != 1 || m.OrdreDuJour[0].Titre != "Bilan" || m.NbDecisions != 1) {
				t.Errorf("réunion académique : %+v", m)
			}
		}
		getJSON(t, d.clients["ia93"], "/api/v1/reunions", &meetings)
		if meetings.Total != 2 {
			t.Errorf("IA 93 : %d réunions, attendu 2", meetings.Total)
		}
		for _, m := range meetings.Items {
			if m.InstanceID == d.b77.ID {
				t.Errorf("IA 93 voit la réunion du 77")
			}
		}
		getJSON(t, d.clients["pilote"], "/api/v1/reunions?statut=reportee", &meetings)
		if meetings.Total != 1 || meetings.Items[0].Statut != "reportee" {
			t.Errorf("filtre statut : %+v", meetings)
		}
		for _, bad := range []string{"/api/v1/instances?type=x", "/api/v1/reunions?au=2031-02-30", "/api/v1/reunions?instance=abc"} {
			if rec := d.clients["pilote"].get(bad); rec.Code != http.StatusBadRequest {
				t.Errorf("%s : statut %d, attendu 400", bad, rec.Code)
			}
		}
	})
}

func TestGovernanceArchives(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		d := newGovData(t, s)
		pilote, ia93, ia77, lecteur := d.clients["pilote"], d.clients["ia93"], d.clients["ia77"], d.clients["lecteur"]
		for _, step := range []struct {
			c    *formClient
			path string
		}{{pilote, d.acadR + "/archiver"}, {ia93, instancePath(d.b93.ID, "/archiver")}, {ia77, instancePath(d.b77.ID, "/archiver")}} {
			if rec := step.c.post(step.path, nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("%s : %d", step.path, rec.Code)
			}
		}
		archived := func(c *formClient, path string) []string {
			_, actions := c.attrs(path, "#tableau-archives tbody form", "action")
			return actions
		}
		if a := archived(ia93, "/instances/archives"); !slices.Equal(a, []string{instancePath(d.b93.ID, "/restaurer")}) {
			t.Errorf("IA 93, instances archivées : %v", a)
		}
		if a := archived(pilote, "/instances/archives"); len(a) != 0 {
			t.Errorf("pilote, instances archivées (aucune académique) : %v", a)
		}
		if a := archived(pilote, "/reunions/archives"); !slices.Equal(a, []string{d.acadR + "/restaurer"}) {
			t.Errorf("pilote, réunions archivées : %v", a)
		}
		if a := archived(ia93, "/reunions/archives"); len(a) != 0 {
			t.Errorf("IA 93, réunions archivées : %v", a)
		}
		for _, p := range []string{"/instances/archives", "/reunions/archives"} {
			rec := lecteur.get(p)
			if rec.Code != http.StatusOK || doc(t, rec).Find("#archives-reservees").Length() != 1 || rows(doc(t, rec), "#tableau-archives") != 0 {
				t.Errorf("lecteur %s : %d", p, rec.Code)
			}
		}
		// Archived records leave the exports and the API.
		if _, data := exportRows(t, ia93, "/instances.csv"); len(data) != 1 {
			t.Errorf("IA 93 : %d instances exportées après archivage, attendu 1", len(data))
		}
		var meetings apiReunions
		if getJSON(t, pilote, "/api/v1/reunions", &meetings); meetings.Total != 0 {
			// 77 and 93 bodies archived, the académie's meeting archived.
			t.Errorf("pilote : %d réunions après archivage, attendu 0", meetings.Total)
		}
		// Restore through the archives page's buttons.
		if rec := ia93.post(instancePath(d.b93.ID, "/restaurer"), nil); rec.Code != http.StatusSeeOther {
			t.Errorf("restauration de l'instance : %d", rec.Code)
		}
		if rec := pilote.post(d.acadR+"/restaurer", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("restauration de la réunion : %d", rec.Code)
		}
		if a := archived(ia93, "/instances/archives"); len(a) != 0 {
			t.Errorf("après restauration : %v", a)
		}
		if a := archived(pilote, "/reunions/archives"); len(a) != 0 {
			t.Errorf("après restauration : %v", a)
		}
		if ids := listIDs(t, ia93, "/reunions", "#tableau-reunions", "/reunions/"); len(ids) != 2 {
			t.Errorf("IA 93 après restauration : %v", ids)
		}
		// Someone else's archives cannot be restored: the IA 93 does not see the 77 body.
		if rec := ia93.post(instancePath(d.b77.ID, "/restaurer"), nil); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 restaure l'instance du 77 : %d", rec.Code)
		}
	})
}
