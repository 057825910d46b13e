package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	"github.com/labstack/echo/v4"
)

// TestAnotherAcademie runs the product on another académie than Créteil: a fresh migrated
// database, the test académie of Versailles loaded by the function `pilotage seed reference
// --academie` calls, then every page of the route table (GET without parameters) as the
// administrator, a pilote and the IA-DASEN of the 92: each answers 200 (403 for the admin
// pages of the others), names Versailles and never Créteil; the IA of the 92 sees its three
// communes only; conventions and a deployment are created through the forms.
func TestAnotherAcademie(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		if _, err := seeds.LoadAcademieDir(t.Context(), s, "../seeds/testdata/academie_versailles"); err != nil {
			t.Fatal(err)
		}
		srv := app.New(app.Config{Addr: "127.0.0.1:0", LoginRate: 1000}, s, app.SharedViews(t), slog.New(slog.NewTextHandler(io.Discard, nil)))
		h := srv.Handler()
		clients := map[string]*formClient{}
		for name, in := range map[string]models.UserInput{
			"admin":  {Email: "admin@ac-versailles.fr", Nom: "Admin Versailles", Role: models.RoleAdmin},
			"pilote": {Email: "pilote@ac-versailles.fr", Nom: "Pilote Versailles", Role: models.RolePilote},
			"ia92":   {Email: "ia92@ac-versailles.fr", Nom: "IA Hauts-de-Seine", Role: models.RoleIA, Departement: "92"},
		} {
			clients[name] = newFormClient(t, h, signIn(t, s, in))
		}
		pages := academiePages(srv.Echo())
		if len(pages) < 40 {
			t.Fatalf("%d pages dans la table des routes", len(pages))
		}
		for _, name := range []string{"admin", "pilote", "ia92"} {
			for _, p := range pages {
				rec := clients[name].get(p + academieQueries[p])
				switch {
				case p == "/connexion" && rec.Code == http.StatusSeeOther: // signed in: to the home page
					continue
				case rec.Code == http.StatusForbidden && name != "admin": // the matrix checks who may
					continue
				case rec.Code != http.StatusOK:
					t.Errorf("%s, %s : statut %d", name, p, rec.Code)
					continue
				}
				if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
					continue
				}
				body := rec.Body.String()
				if i := strings.Index(body, "Créteil"); i >= 0 {
					t.Errorf("%s, %s : « Créteil » dans la page : …%s…", name, p, body[max(0, i-80):min(len(body), i+40)])
				}
				if strings.Contains(body, "<html") && !strings.Contains(body, "Académie de Versailles") {
					t.Errorf("%s, %s : l'académie n'est pas nommée", name, p)
				}
			}
		}
		if rec := clients["pilote"].get("/ecoles.xlsx"); rec.Code == http.StatusOK {
			f := openWorkbook(t, rec.Body.Bytes())
			if got, _ := f.GetCellValue(f.GetSheetName(0), "A3"); got != "Périmètre : Académie de Versailles (78, 91, 92, 95)" {
				t.Errorf("titre du classeur des écoles : %q", got)
			}
		}

		// The IA of the 92 works on the 92's three communes and six écoles publiques, nothing else.
		if got := doc(t, clients["ia92"].get("/")).Find("#mon-perimetre").Text(); !strings.Contains(got, "Hauts-de-Seine") || !strings.Contains(got, "3 communes") {
			t.Errorf("périmètre de l'IA 92 : %q", got)
		}
		var uais []string
		doc(t, clients["ia92"].get("/deploiements")).Find(`table tbody tr a[href^="/deploiements/"]`).Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			uais = append(uais, strings.TrimPrefix(href, "/deploiements/"))
		})
		if len(uais) != 6 || slices.ContainsFunc(uais, func(u string) bool { return !strings.HasPrefix(u, "092") }) {
			t.Errorf("écoles de l'IA 92 : %v", uais)
		}

		// The conventions of the 92: cadre and départementale by the pilote, Nanterre's by the IA.
		create := func(c *formClient, form url.Values) string {
			t.Helper()
			rec := c.post("/conventions", form)
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("convention %v : %d %s", form, rec.Code, errorTexts(rec.Body.String()))
			}
			id, _, _ := strings.Cut(strings.TrimPrefix(rec.Header().Get("Location"), "/conventions/"), "?")
			return id
		}
		cadre := create(clients["pilote"], url.Values{"type": {"cadre"}, "reference": {"VER-AC-2026-001"}, "titre": {"Convention cadre ENT 1D"}})
		dep := create(clients["pilote"], url.Values{"type": {"departementale"}, "reference": {"VER-92-2026-001"},
			"titre": {"Convention départementale 92"}, "departement": {"92"}, "parent": {cadre}})
		locale := create(clients["ia92"], url.Values{"type": {"locale"}, "reference": {"VER-92-2026-002"}, "titre": {"ENT des écoles de Nanterre"},
			"departement": {"92"}, "parent": {dep}, "communes": {"92050"}})
		if got := doc(t, clients["ia92"].get("/conventions/"+locale)).Find("main").Text(); !strings.Contains(got, "ENT des écoles de Nanterre") ||
			!strings.Contains(got, "VER-92-2026-001") {
			t.Errorf("convention de Nanterre : %q", got)
		}
		// A deployment: an école of Nanterre opens.
		form := url.Values{"version": {"0"}, "nouvelle_phase": {"ouvert"}, "date_effet": {"07/09/2026"}, "ouverture_prevue": {"01/09/2026"},
			"ouverture_effective": {"07/09/2026"}}
		if rec := clients["ia92"].post("/deploiements/0929906T", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("déploiement : %d %s", rec.Code, errorTexts(rec.Body.String()))
		}
		if got := doc(t, clients["pilote"].get("/communes/92050")).Find("#etat-ent").Text(); !strings.Contains(got, "Ouvert dans 1 école sur 2") {
			t.Errorf("fiche de Nanterre : %q", got)
		}
	})
}

// academieQueries are the queries of the pages that need one.
var academieQueries = map[string]string{"/communes/fiches.xlsx": "?departement=92", "/communes/fiches.zip": "?departement=92"}

// academiePages are the pages of the route table: the GET routes without parameters,
// except the static assets, the API (tokens, its own test) and the steps of the sign-in
// flows (/connexion/…: answers of a provider, not pages).
func academiePages(e *echo.Echo) []string {
	var out []string
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet || strings.ContainsAny(r.Path, ":*") || strings.HasPrefix(r.Path, "/static") ||
			strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/connexion/") {
			continue
		}
		out = append(out, r.Path)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
