package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestAccountScopeFieldsByRole: the page shows every scope field, each marked with its
// role, and says that only the role's are kept (the form without JavaScript); the fieldset
// asked by htmx when the role changes shows only the role's fields and keeps the others'
// values hidden. A référent's communes and EPCI are chosen by name.
func TestAccountScopeFieldsByRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		d := page(t, fx.admin.get("/admin/utilisateurs/nouveau"), "nouveau", http.StatusOK)
		for sel, role := range map[string]string{"#compte-departement": "ia_dasen", "#compte-circonscription": "ien", "#compte-epci": "referent_commune", "#compte-communes": "referent_commune"} {
			if got, _ := d.Find(sel).Closest("[data-roles]").Attr("data-roles"); got != role {
				t.Errorf("%s : rôle %q, attendu %q", sel, got, role)
			}
		}
		if !strings.Contains(d.Find("#compte-perimetre-aide").Text(), "Seuls les champs du rôle choisi sont enregistrés") {
			t.Error("page sans l'explication des champs ignorés")
		}
		if d.Find(`#compte-role`).Closest("[data-hx-get='/admin/utilisateurs/perimetre']").Length() != 1 {
			t.Error("le rôle ne recharge pas le périmètre")
		}
		for _, c := range []struct {
			role       string
			shown, not []string
			note       string
		}{
			{"ia_dasen", []string{"#compte-departement"}, []string{"#compte-circonscription", "#compte-epci", "#compte-communes"}, "IA-DASEN"},
			{"ien", []string{"#compte-circonscription"}, []string{"#compte-departement", "#compte-epci", "#compte-communes"}, "IEN"},
			{"referent_commune", []string{"#compte-epci", "#compte-communes"}, []string{"#compte-departement", "#compte-circonscription"}, "référent"},
			{"lecteur", nil, []string{"#compte-departement", "#compte-circonscription", "#compte-epci", "#compte-communes"}, "toute l'académie"},
			{"", nil, []string{"#compte-departement", "#compte-circonscription", "#compte-epci", "#compte-communes"}, "Choisissez d'abord le rôle"},
		} {
			checkScopeFragment(t, fx.admin, c.role, c.shown, c.not, c.note)
		}
		if rec := fx.clients["pilote"].get("/admin/utilisateurs/perimetre?role=ien"); rec.Code != http.StatusForbidden {
			t.Errorf("pilote : %d", rec.Code)
		}

		accountScopesByName(t, s, fx.admin)
	})
}

// checkScopeFragment checks the scope fieldset htmx asks when the role changes to role
// shows the fields shown, not the fields not, the note, and keeps the others' values hidden.
func checkScopeFragment(t *testing.T, admin *formClient, role string, shown, not []string, note string) {
	t.Helper()
	q := url.Values{"role": {role}, "departement": {"93"}, "communes": {"93008"}, "epci": {""}}
	rec := admin.get("/admin/utilisateurs/perimetre?" + q.Encode())
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "<html") {
		t.Fatalf("%s : %d", role, rec.Code)
	}
	d := doc(t, rec)
	for _, sel := range shown {
		if d.Find(sel).Length() != 1 {
			t.Errorf("%s : %s absent", role, sel)
		}
	}
	for _, sel := range not {
		if d.Find(sel).Length() != 0 {
			t.Errorf("%s : %s affiché", role, sel)
		}
	}
	if !strings.Contains(d.Find("#compte-perimetre-aide").Text(), note) {
		t.Errorf("%s : note %q", role, d.Find("#compte-perimetre-aide").Text())
	}
	if d.Find("#compte-perimetre[data-role-fields]").Length() != 0 {
		t.Errorf("%s : le fragment se filtrerait encore", role)
	}
	if role == "ien" && (d.Find(`input[type=hidden][name=departement][value="93"]`).Length() != 1 ||
		d.Find(`input[type=hidden][name=communes][value="93008"]`).Length() != 1) {
		t.Errorf("%s : valeurs des autres champs perdues", role)
	}
}

// accountScopesByName checks a référent's communes and EPCI are chosen by name (the others'
// fields ignored), an ambiguous name is refused beside the field, and an IEN's form ignores
// a commune typed in a field it does not use.
func accountScopesByName(t *testing.T, s *models.Store, admin *formClient) {
	t.Helper()
	id := createdID(t, admin.post("/admin/utilisateurs", url.Values{"nom": {"Rémi Référent"}, "email": {"remi@ville.fr"},
		"role": {"referent_commune"}, "communes": {"Bobigny (93008)", "pantin"}, "departement": {"77"}, "circonscription": {"0940920P"}}))
	u, _ := s.GetUser(t.Context(), id)
	if !slices.Equal(u.Communes, []string{"93008", "93055"}) || u.DepartementCode != nil || u.CodeCirconscription != nil {
		t.Errorf("référent : %+v", u)
	}
	d := page(t, admin.get("/admin/utilisateurs/"+idStr(id)+"/modifier"), "modifier", http.StatusOK)
	if txt := d.Find("#compte-communes-choisis").Text(); !strings.Contains(txt, "Bobigny (93008)") || !strings.Contains(txt, "Pantin (93055)") {
		t.Errorf("communes du compte : %q", txt)
	}
	id = createdID(t, admin.post("/admin/utilisateurs", userForm("Eve EPT", "eve@ept.fr", "referent_commune", "epci", "est ensemble")))
	if u, _ := s.GetUser(t.Context(), id); u.EPCISiren == nil || *u.EPCISiren != "200057875" {
		t.Errorf("EPCI par son nom : %+v", u.EPCISiren)
	}
	// An ambiguous name: the message next to the field, no account.
	rec := admin.post("/admin/utilisateurs", userForm("Marc Marolles", "marc@ville.fr", "referent_commune", "communes", "Marolles-en-Brie"))
	d = page(t, rec, "ambigu", http.StatusUnprocessableEntity)
	if msg := d.Find("#compte-communes-erreur").Text(); msg != "Plusieurs communes s'appellent Marolles-en-Brie : précisez le code (Marolles-en-Brie (77278), Marolles-en-Brie (94048))." {
		t.Errorf("message : %q", msg)
	}
	if _, err := s.FindUserByEmail(t.Context(), "marc@ville.fr"); err == nil {
		t.Error("compte créé malgré un nom ambigu")
	}
	// An IEN's form ignores an unreadable commune typed in a field it does not use.
	createdID(t, admin.post("/admin/utilisateurs", userForm("Inès IEN", "ines@ac-creteil.fr", "ien", "circonscription", "0940920P", "communes", "Marolles-en-Brie")))
}
