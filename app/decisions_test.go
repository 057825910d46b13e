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
	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// decFixture is the world with the académie's COPIL and the 77 co-pilotage, each with a
// held meeting; pilote and i77 are the actors of the pilote and of the IA-DASEN of the 77.
type decFixture struct {
	*world
	acad, b77   models.InstanceRow
	rAcad, r77  models.ReunionRow
	pilote, i77 models.Actor
}

func newDecFixture(t *testing.T, s *models.Store) decFixture {
	t.Helper()
	w := newWorld(t, s, app.Config{})
	fx := decFixture{world: w, pilote: w.actors["pilote"], i77: w.actors["ia77"]}
	fx.acad = must(s.CreateInstance(t.Context(), fx.pilote, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}))
	fx.b77 = w.copilotage(t, "77")
	fx.rAcad, fx.r77 = w.heldReunion(t, fx.pilote, fx.acad.ID, "2012-03-15"), w.heldReunion(t, fx.i77, fx.b77.ID, "2012-03-16")
	return fx
}

func idStr(n int64) string { return strconv.FormatInt(n, 10) }

func TestDecisionPagesScopeAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		d77 := fx.decision(t, fx.i77, fx.r77.ID, "Équiper les écoles de Melun", "77")
		dAcad := fx.decision(t, fx.pilote, fx.rAcad.ID, "Adopter la charte v1")
		ia93 := fx.clients["ia93"]
		for _, path := range []string{"/decisions/" + idStr(d77.ID), "/decisions/" + idStr(d77.ID) + "/modifier"} {
			if rec := ia93.get(path); rec.Code != http.StatusNotFound {
				t.Errorf("IA 93 %s : %d, attendu 404", path, rec.Code)
			}
		}
		form := url.Values{"reunion": {idStr(fx.r77.ID)}, "texte": {"pirate"}, "type": {"arbitrage"}, "version": {idStr(int64(d77.Version))}}
		if rec := ia93.post("/decisions/"+idStr(d77.ID), form); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 modifie une décision du 77 : %d", rec.Code)
		}
		if rec := ia93.post("/decisions/"+idStr(d77.ID)+"/archiver", nil); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 archive une décision du 77 : %d", rec.Code)
		}
		rec := ia93.get("/decisions/" + idStr(dAcad.ID))
		if rec.Code != http.StatusOK || doc(t, rec).Find("#lien-modifier").Length() != 0 {
			t.Errorf("IA 93 sur une décision académique : %d, ou « Modifier » proposé", rec.Code)
		}
		if n := rows(doc(t, ia93.get("/decisions")), "#tableau-decisions"); n != 1 {
			t.Errorf("IA 93 voit %d décisions, attendu 1", n)
		}
		// A read-only role gets the form closed with an explanation (403), and its POST is refused.
		lecteur := fx.clients["lecteur"]
		rec = lecteur.get("/decisions/nouveau?reunion=" + idStr(fx.rAcad.ID))
		if rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("lecteur sur le formulaire : %d", rec.Code)
		}
		if rec := lecteur.post("/decisions", url.Values{"reunion": {idStr(fx.rAcad.ID)}, "texte": {"x"}, "type": {"arbitrage"}}); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusForbidden {
			t.Errorf("lecteur enregistre une décision : %d", rec.Code)
		}
		if n := rows(doc(t, fx.clients["pilote"].get("/decisions")), "#tableau-decisions"); n != 2 {
			t.Errorf("le pilote voit %d décisions, attendu 2", n)
		}
	})
}

func TestDecisionFormValidationAndEscaping(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		p := fx.clients["pilote"]
		rec := p.post("/decisions", url.Values{"reunion": {idStr(fx.rAcad.ID)}, "texte": {strings.Repeat("a", 10000)}, "type": {"inconnu"}, "communes": {"99999"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("saisie invalide : %d", rec.Code)
		}
		d := doc(t, rec)
		for _, sel := range []string{"#decision-texte-erreur", "#decision-type-erreur", "#decision-communes-erreur"} {
			if strings.TrimSpace(d.Find(sel).Text()) == "" {
				t.Errorf("pas de message %s", sel)
			}
		}
		if v := d.Find("#decision-texte").Text(); len(v) != 10000 {
			t.Errorf("texte saisi non conservé (%d caractères)", len(v))
		}
		rec = p.post("/decisions", url.Values{"reunion": {idStr(fx.rAcad.ID)}, "texte": {""}, "type": {"arbitrage"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#decision-texte-erreur").Text(), "obligatoire") {
			t.Errorf("texte vide : %d", rec.Code)
		}
		rec = p.post("/decisions", url.Values{"reunion": {idStr(fx.rAcad.ID)}, "texte": {"<script>alert(1)</script>"}, "type": {"arbitrage"},
			"academie": {"1"}, "departements": {"93", "94"}, "communes": {"93008"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, rec.Body.String())
		}
		show := p.get(rec.Header().Get("Location"))
		if strings.Contains(show.Body.String(), "<script>alert(1)</script>") || !strings.Contains(show.Body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("texte non échappé")
		}
		if got := doc(t, show).Find("#fiche-decision").Text(); !strings.Contains(got, "Académie, Département 93, Département 94, Bobigny (93008)") {
			t.Errorf("territoires : %q", got)
		}
	})
}

// TestDecisionTerritoriesOutsideScopeRefused: an IA-DASEN of the 93, on a meeting of its
// co-pilotage, cannot tag the decision with the académie, the 77 or Melun (77288), even by
// posting them: 422, the form again with the French message beside the territories or the
// communes and the choices kept, and nothing saved. The form offers only its département.
func TestDecisionTerritoriesOutsideScopeRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		ctx := t.Context()
		r93 := fx.heldReunion(t, fx.actors["ia93"], fx.copilotage(t, "93").ID, "2012-03-20")
		ia93 := fx.clients["ia93"]
		d := doc(t, ia93.get("/decisions/nouveau?reunion="+idStr(r93.ID)))
		if d.Find("#decision-academie").Length() != 0 || d.Find("#decision-departement-77").Length() != 0 || d.Find("#decision-departement-93").Length() != 1 {
			t.Errorf("territoires proposés à l'IA 93 : %q", d.Find("#territoires").Text())
		}
		form := func(extra url.Values) url.Values {
			v := url.Values{"reunion": {idStr(r93.ID)}, "texte": {"Étendre l'ENT"}, "type": {"orientation"}}
			for k, vs := range extra {
				v[k] = vs
			}
			return v
		}
		cases := []struct {
			name, sel, want string
			extra           url.Values
		}{
			{"département 77", "#territoires-erreur", "Hors de votre périmètre (département 93) : département 77.", url.Values{"departements": {"93", "77"}}},
			{"académie", "#territoires-erreur", "Hors de votre périmètre (département 93) : toute l'académie.", url.Values{"academie": {"1"}}},
			{"Melun", "#decision-communes-erreur", "Communes hors de votre périmètre (département 93) : Melun (77288).", url.Values{"communes": {"93008, 77288"}}},
		}
		for _, c := range cases {
			rec := ia93.post("/decisions", form(c.extra))
			if rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s : statut %d, attendu 422", c.name, rec.Code)
				continue
			}
			d := doc(t, rec)
			if got := strings.TrimSpace(d.Find(c.sel).Text()); !strings.Contains(got, c.want) {
				t.Errorf("%s : message %q, attendu %q", c.name, got, c.want)
			}
			if c.name == "département 77" && d.Find("#decision-departement-77[checked]").Length() != 1 {
				t.Errorf("%s : le choix refusé n'est pas montré coché", c.name)
			}
			if c.name == "Melun" {
				kept := d.Find(`#decision-communes-choisis input[name="communes"]`).Map(func(_ int, in *goquery.Selection) string { return in.AttrOr("value", "") })
				if strings.Join(kept, ", ") != "93008, 77288" {
					t.Errorf("%s : saisie non conservée %q", c.name, kept)
				}
			}
		}
		if page, err := s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{}); err != nil || page.Total != 0 {
			t.Fatalf("%d décisions enregistrées malgré les refus (%v)", page.Total, err)
		}
		// Its own territories are accepted; an edit adding the 77 is refused and changes nothing.
		rec := ia93.post("/decisions", form(url.Values{"departements": {"93"}, "communes": {"93008"}}))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("territoires du 93 : %d", rec.Code)
		}
		page, err := s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{})
		if err != nil || page.Total != 1 {
			t.Fatalf("décision du 93 : %d (%v)", page.Total, err)
		}
		dec := page.Items[0]
		edit := form(url.Values{"departements": {"93", "77"}, "communes": {"77288"}, "version": {idStr(int64(dec.Version))}})
		if rec := ia93.post("/decisions/"+idStr(dec.ID), edit); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(doc(t, rec).Find("#territoires-erreur").Text(), "département 77") {
			t.Errorf("modification avec le 77 : %d", rec.Code)
		}
		if cur, err := s.GetDecision(ctx, models.AcademieScope(), dec.ID); err != nil || cur.TerritoiresLabel() != "Département 93, Bobigny (93008)" {
			t.Errorf("territoires après le refus : %q (%v)", cur.TerritoiresLabel(), err)
		}
	})
}

func TestDecisionLostUpdateZeroValuesArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		d := fx.decision(t, fx.pilote, fx.rAcad.ID, "Généraliser l'ENT", "93", "94")
		path := "/decisions/" + idStr(d.ID)
		form := func(texte string) url.Values {
			return url.Values{"reunion": {idStr(fx.rAcad.ID)}, "texte": {texte}, "type": {"orientation"}, "version": {idStr(int64(d.Version))}}
		}
		if rec := fx.clients["pilote"].post(path, form("Généraliser l'ENT")); rec.Code != http.StatusSeeOther {
			t.Fatalf("effacer les territoires : %d", rec.Code)
		}
		cur, err := s.GetDecision(t.Context(), models.AcademieScope(), d.ID)
		if err != nil || len(cur.Territoires) != 0 {
			t.Errorf("territoires non effacés : %+v %v", cur.Territoires, err)
		}
		rec := fx.clients["pilote2"].post(path, form("Version écrasante"))
		if rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("mise à jour perdue : %d", rec.Code)
		}
		if cur, _ := s.GetDecision(t.Context(), models.AcademieScope(), d.ID); cur.Texte != "Généraliser l'ENT" {
			t.Errorf("texte écrasé : %q", cur.Texte)
		}
		rec = fx.clients["pilote"].post(path+"/archiver", nil)
		if rec.Code != http.StatusSeeOther || fx.clients["pilote"].get(path).Code != http.StatusNotFound {
			t.Fatalf("archivage : %d", rec.Code)
		}
		if rec := fx.clients["pilote"].post(path+"/restaurer", nil); rec.Code != http.StatusSeeOther || fx.clients["pilote"].get(path).Code != http.StatusOK {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}

func TestDecisionExportEqualsListAndAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newDecFixture(t, s)
		fx.decision(t, fx.i77, fx.r77.ID, "Former les directeurs", "77")
		fx.decision(t, fx.pilote, fx.rAcad.ID, "Adopter la charte", "93")
		fx.decision(t, fx.pilote, fx.rAcad.ID, "Former les référents", "93", "94")
		p := fx.clients["pilote"]
		for _, c := range []struct {
			query string
			rows  int
		}{{"", 3}, {"?territoire=93", 2}, {"?q=former", 2}, {"?instance=" + idStr(fx.b77.ID), 1}, {"?du=16/03/2012&au=16/03/2012", 1}} {
			var onScreen []string
			doc(t, p.get("/decisions"+c.query)).Find("#tableau-decisions tbody tr td:nth-child(4) a").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				onScreen = append(onScreen, strings.TrimPrefix(href, "/decisions/"))
			})
			for _, ext := range []string{".xlsx", ".csv"} {
				rec := p.get("/decisions" + ext + c.query)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s%s : %d", ext, c.query, rec.Code)
				}
				var data [][]string
				if ext == ".xlsx" {
					_, data = readXLSX(t, c.query, rec.Body.Bytes())
				} else {
					_, data = readCSV(t, c.query, rec.Body.Bytes())
				}
				var ids []string
				for _, row := range data {
					ids = append(ids, row[0])
				}
				if !slices.Equal(ids, onScreen) || len(ids) != c.rows {
					t.Errorf("%s%s : export %v, écran %v", ext, c.query, ids, onScreen)
				}
			}
		}
		if rec := p.get("/decisions?du=31/02/2012"); rec.Code != http.StatusBadRequest {
			t.Errorf("date invalide dans le filtre : %d", rec.Code)
		}
		var body struct {
			Total int64
			Items []struct {
				ID    int64
				Texte string
			}
		}
		rec := fx.clients["ia93"].get("/api/v1/decisions")
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Total != 2 {
			t.Errorf("API vue de l'IA 93 : %s (%v)", rec.Body.String(), err)
		}
	})
}
