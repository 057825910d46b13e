package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestDecisionCommunesByName: the communes of a decision are chosen by name (or code, or a
// suggestion's label), as everywhere else; a name that names no commune comes back with the
// French message beside the field, what was typed kept and nothing saved; "Ajouter" shows
// the list changed without saving; the edit form names the stored communes.
func TestDecisionCommunesByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w, meeting := copilMeeting(t, s)
		ctx := t.Context()
		form := func(communes ...string) url.Values {
			return url.Values{"reunion": {idStr(meeting.ID)}, "texte": {"Ouvrir l'ENT"}, "type": {"orientation"}, "communes": communes}
		}
		c := w.clients["pilote"]

		rec := c.post("/decisions", form("Bobigny", "Melun"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création par les noms : %d", rec.Code)
		}
		// "Melun" is one commune of the reference; the decision names both by their codes.
		page := must(s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{}))
		if page.Total != 1 || page.Items[0].TerritoiresLabel() != "Melun (77288), Bobigny (93008)" {
			t.Fatalf("décision enregistrée : %d, %q", page.Total, page.Items[0].TerritoiresLabel())
		}
		dec := page.Items[0]

		rec = c.post("/decisions", form("Bobigny", "Introuvable-sur-Marne"))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("commune inconnue : %d, attendu 422", rec.Code)
		}
		d := doc(t, rec)
		if msg := d.Find("#decision-communes-erreur").Text(); !strings.Contains(msg, "Introuvable-sur-Marne") {
			t.Errorf("message de la commune inconnue : %q", msg)
		}
		if v := d.Find("#decision-communes").AttrOr("value", ""); v != "Introuvable-sur-Marne" {
			t.Errorf("saisie non conservée : %q", v)
		}
		if got := d.Find(`#decision-communes-choisis input[name="communes"]`).AttrOr("value", ""); got != "93008" {
			t.Errorf("commune reconnue non gardée : %q", got)
		}

		add := form("93008")
		add.Set("_ajouter", "communes")
		add.Add("communes", "Pantin")
		rec = c.post("/decisions", add)
		if rec.Code != http.StatusOK || !strings.Contains(doc(t, rec).Find("#decision-communes-choisis").Text(), "Pantin (93055)") {
			t.Errorf("« Ajouter » : %d", rec.Code)
		}
		if n := must(s.ListDecisions(ctx, models.AcademieScope(), models.DecisionFilter{}, models.PageRequest{})).Total; n != 1 {
			t.Errorf("%d décisions après les refus et « Ajouter », attendu 1", n)
		}

		edit := doc(t, c.get("/decisions/"+idStr(dec.ID)+"/modifier")).Find("#decision-communes-choisis").Text()
		if !strings.Contains(edit, "Bobigny (93008)") || !strings.Contains(edit, "Melun (77288)") {
			t.Errorf("formulaire de modification : %q", edit)
		}
	})
}

// TestDecisionTerritoireFilterByName: the register's "territoire" filter takes a
// département by code or name, or a commune by name or code; a name that names nothing is
// said beside the filter.
func TestDecisionTerritoireFilterByName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w, meeting := copilMeeting(t, s)
		pilote, ctx := w.actors["pilote"], t.Context()
		for _, in := range []models.DecisionInput{
			{Texte: "Bobigny pilote", Communes: "93008"},
			{Texte: "Tout le 93", Departements: []string{"93"}},
			{Texte: "Melun pilote", Communes: "77288"},
		} {
			in.ReunionID, in.Kind = meeting.ID, "orientation"
			must(s.CreateDecision(ctx, pilote, in))
		}
		c := w.clients["pilote"]
		for _, tc := range []struct{ q, want string }{
			{"Bobigny", "Bobigny pilote"},
			{"bobigny (93008)", "Bobigny pilote"},
			{"93008", "Bobigny pilote"},
			{"Seine-Saint-Denis", "Tout le 93"},
			{"93", "Tout le 93"},
			{"melun", "Melun pilote"},
		} {
			rec := c.get("/decisions?territoire=" + url.QueryEscape(tc.q))
			if rec.Code != http.StatusOK {
				t.Errorf("%q : statut %d", tc.q, rec.Code)
				continue
			}
			if got := strings.Join(strings.Fields(doc(t, rec).Find("#tableau-decisions tbody").Text()), " "); !strings.Contains(got, tc.want) || strings.Count(got, "pilote")+strings.Count(got, "Tout le") != 1 {
				t.Errorf("%q : %q, attendu la seule décision %q", tc.q, got, tc.want)
			}
		}
		rec := c.get("/decisions?territoire=" + url.QueryEscape("Nulle-Part-sur-Seine"))
		if msg := doc(t, rec).Find("#filtre-territoire-erreur").Text(); rec.Code == http.StatusInternalServerError || msg == "" {
			t.Errorf("territoire inconnu : statut %d, message %q", rec.Code, msg)
		}
	})
}

// copilMeeting is the world with a meeting held by an académie body, where the pilote
// records decisions.
func copilMeeting(t *testing.T, s *models.Store) (*world, models.ReunionRow) {
	t.Helper()
	w := newWorld(t, s, app.Config{})
	pilote := w.actors["pilote"]
	body := must(s.CreateInstance(t.Context(), pilote, models.InstanceInput{Nom: "COPIL académique", Kind: models.InstanceCopil}))
	return w, must(s.CreateReunion(t.Context(), pilote, models.ReunionInput{InstanceID: body.ID, Date: "2012-03-20",
		HeureDebut: "14:00", HeureFin: "16:00", Statut: models.ReunionTenue}))
}
