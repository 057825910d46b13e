package app_test

import (
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

// TestCirconscriptionsAdmin: the administrator creates a circonscription of the 93 (code
// in the UAI format, checked), renames it, assigns it the écoles of Bobigny by commune and
// one école of Pantin by UAI (each change in the école's history and the journal), then
// creates an IEN account for it: the IEN sees its écoles. Archiving waits until it has no
// école and no IEN; an archived circonscription leaves the choices.
func TestCirconscriptionsAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newAdminFixture(t, s, app.Config{})
		code := "0930999" + string(models.UAICheckLetter("0930999"))
		c := circoSteps{s: s, fx: fx, a: fx.admin, code: code, path: "/admin/circonscriptions/" + code}
		c.create(t)
		row := c.assignEcoles(t)
		id := c.ien(t, row)
		c.archive(t, id)
	})
}

// circoSteps are the steps of TestCirconscriptionsAdmin, on the circonscription code of the
// 93 whose page is path.
type circoSteps struct {
	s          *models.Store
	fx         adminFixture
	a          *formClient
	code, path string
}

// create checks the list of the 94 and the refusals of the form, creates the
// circonscription (its code typed in lower case), renames it, and refuses a stale rename.
func (c circoSteps) create(t *testing.T) {
	t.Helper()
	a, code, path := c.a, c.code, c.path
	d := page(t, a.get("/admin/circonscriptions?departement=94"), "liste 94", http.StatusOK)
	if n := rows(d, "#tableau-circonscriptions"); n != 24 {
		t.Errorf("%d circonscriptions du 94, attendu 24", n)
	}
	page(t, a.get("/admin/circonscriptions/nouveau?departement=93"), "nouveau", http.StatusOK)
	for _, c := range []struct {
		form       url.Values
		field, msg string
	}{
		{url.Values{"departement": {"93"}, "code": {"0930999X"}, "nom": {"Bobigny"}}, "code", "la lettre de contrôle de 0930999 est F"},
		{url.Values{"departement": {"93"}, "code": {"0940920P"}, "nom": {"Bobigny"}}, "code", "commence par 093"},
		{url.Values{"departement": {"94"}, "code": {"0940920P"}, "nom": {"Bobigny"}}, "code", "déjà celui de la circonscription"},
		{url.Values{"departement": {"93"}, "code": {code}, "nom": {""}}, "nom", "obligatoire"},
		{url.Values{"departement": {"99"}, "code": {code}, "nom": {"x"}}, "departement", "Choisissez le département"},
	} {
		d := page(t, a.post("/admin/circonscriptions", c.form), c.msg, http.StatusUnprocessableEntity)
		if got := d.Find("#circonscription-" + c.field + "-erreur").Text(); !strings.Contains(got, c.msg) {
			t.Errorf("%v : %q, attendu %q", c.form, got, c.msg)
		}
	}
	rec := a.post("/admin/circonscriptions", url.Values{"departement": {"93"}, "code": {strings.ToLower(code)}, "nom": {"Circonscription de Bobigny"}})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/admin/circonscriptions/"+code) {
		t.Fatalf("création : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	if rec := a.post(path, url.Values{"nom": {"Circonscription d'inspection de Bobigny"}, "version": {"1"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("renommage : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	if rec := c.fx.admin2.post(path, url.Values{"nom": {"Autre nom"}, "version": {"1"}}); rec.Code != http.StatusConflict {
		t.Errorf("renommage périmé : %d", rec.Code)
	}
}

// assignEcoles assigns the écoles of Bobigny by commune (by name) and one of Pantin chosen
// among the suggestions, after the refusals; the école's history and the page show it.
func (c circoSteps) assignEcoles(t *testing.T) models.CirconscriptionRow {
	t.Helper()
	a, ctx, code, path := c.a, t.Context(), c.code, c.path
	// Écoles: those of Bobigny by commune (by name), one of Pantin by UAI.
	bobigny, _ := c.s.ListEcoles(ctx, models.AcademieScope(), models.EcoleFilter{Commune: "93008"}, models.PageRequest{Size: 500})
	pantin, _ := c.s.ListEcoles(ctx, models.AcademieScope(), models.EcoleFilter{Commune: "93055"}, models.PageRequest{Size: 1})
	creteil, _ := c.s.ListEcoles(ctx, models.AcademieScope(), models.EcoleFilter{Commune: "94028"}, models.PageRequest{Size: 1})
	if bobigny.Total == 0 || len(pantin.Items) == 0 || len(creteil.Items) == 0 {
		t.Fatal("écoles du référentiel")
	}
	for _, c := range []struct {
		form       url.Values
		field, msg string
	}{
		{url.Values{"uai": {creteil.Items[0].UAI}}, "affectation-uai", "pas dans le département 93"},
		{url.Values{"uai": {"0930000Z 12"}}, "affectation-uai", "UAI invalides"},
		{url.Values{"communes": {"Créteil"}}, "affectation-communes", "pas dans le département 93"},
		{url.Values{}, "affectation-uai", "Indiquez des écoles"},
	} {
		d := page(t, a.post(path+"/ecoles", c.form), c.msg, http.StatusUnprocessableEntity)
		if got := d.Find("#" + c.field + "-erreur").Text(); !strings.Contains(got, c.msg) {
			t.Errorf("%v : %q, attendu %q", c.form, got, c.msg)
		}
	}
	// An école chosen by its name among the suggestions comes back as its label.
	if rec := a.post(path+"/ecoles", url.Values{"ecoles_choisies": {"zzz école inconnue"}}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(doc(t, rec).Find("#affectation-ecoles-erreur").Text(), "Aucune école") {
		t.Errorf("école inconnue : %d", rec.Code)
	}
	if rec := a.post(path+"/ecoles", url.Values{"communes": {"bobigny"}, "ecoles_choisies": {pantin.Items[0].Nom + " (" + pantin.Items[0].UAI + ")"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("affectation : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	row, err := c.s.GetCirconscription(ctx, models.SystemActor("test"), code)
	if err != nil || row.NbEcoles != int(bobigny.Total)+1 || row.Nom != "Circonscription d'inspection de Bobigny" {
		t.Fatalf("circonscription : %+v, %v", row, err)
	}
	evs, err := c.s.History(ctx, models.SystemActor("test"), "ecole", pantin.Items[0].UAI)
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].Changes, code) {
		t.Errorf("historique de l'école : %+v, %v", evs, err)
	}
	d := page(t, a.get(path), path, http.StatusOK)
	if d.Find(`#ecoles-circonscription input[name="ecoles"]`).Length() != row.NbEcoles || !strings.Contains(d.Find("#historique").Parent().Text(), "Écoles affectées") {
		t.Error("page : écoles ou historique absents")
	}
	return row
}

// ien creates an IEN account for the circonscription: their home page counts its écoles,
// and the list of écoles shows them; it returns the account's id.
func (c circoSteps) ien(t *testing.T, row models.CirconscriptionRow) int64 {
	t.Helper()
	a, ctx, code := c.a, t.Context(), c.code
	// An IEN of the 93 for it: their home page counts its écoles.
	id := createdID(t, a.post("/admin/utilisateurs", userForm("Iris IEN", "iris@ac-creteil.fr", "ien", "circonscription", code)))
	if u, _ := c.s.GetUser(ctx, id); u.CodeCirconscription == nil || *u.CodeCirconscription != code {
		t.Fatalf("IEN : %+v", u.CodeCirconscription)
	}
	ien := newFormClient(t, c.fx.h, signIn(t, c.s, models.UserInput{Email: "iris@ac-creteil.fr"}))
	home := page(t, ien.get("/"), "/", http.StatusOK).Find("#mon-perimetre").Text()
	if !strings.Contains(strings.Join(strings.Fields(home), " "), idStr(int64(row.NbEcoles))+" écoles") {
		t.Errorf("accueil de l'IEN : %q (attendu %d écoles)", strings.Join(strings.Fields(home), " "), row.NbEcoles)
	}
	d := page(t, ien.get("/ecoles?circonscription="+code), "écoles de l'IEN", http.StatusOK)
	if n := rows(d, "#tableau-ecoles"); n != min(row.NbEcoles, 50) && n != row.NbEcoles {
		t.Errorf("écoles de la circonscription : %d lignes", n)
	}
	return id
}

// archive checks archiving waits for the IEN (account id) and the écoles (those listed
// on the refusal) to leave, archives it (it leaves the choices), restores it, and checks
// its journal and that only the administrator reaches the pages.
func (c circoSteps) archive(t *testing.T, id int64) {
	t.Helper()
	a, ctx, code, path := c.a, t.Context(), c.code, c.path
	// Archiving waits for the écoles and the IEN to leave.
	d := page(t, a.post(path+"/archiver", nil), "archivage refusé", http.StatusUnprocessableEntity)
	if msg := d.Find("#refus").Text(); !strings.Contains(msg, "compte encore") || !strings.Contains(msg, "IEN") {
		t.Errorf("archivage refusé : %q", msg)
	}
	if rec := a.post("/admin/utilisateurs/"+idStr(id), userForm("Iris IEN", "iris@ac-creteil.fr", "ien", "circonscription", "0940920P", "version", "1")); rec.Code != http.StatusSeeOther {
		t.Fatalf("IEN déplacée : %d", rec.Code)
	}
	var all []string
	d.Find(`#ecoles-circonscription input[name="ecoles"]`).Each(func(_ int, b *goquery.Selection) {
		v, _ := b.Attr("value")
		all = append(all, v)
	})
	if rec := a.post(path+"/ecoles/retirer", url.Values{"ecoles": all}); rec.Code != http.StatusSeeOther {
		t.Fatalf("retrait : %d", rec.Code)
	}
	if rec := a.post(path+"/archiver", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("archivage : %d %s", rec.Code, errorTexts(rec.Body.String()))
	}
	choices, _ := c.s.CirconscriptionChoices(ctx, models.AcademieScope(), "93")
	if slices.ContainsFunc(choices, func(c models.Choice) bool { return c.Value == code }) {
		t.Error("circonscription archivée encore proposée")
	}
	if rec := a.post("/admin/utilisateurs", userForm("Ivan IEN", "ivan@ac-creteil.fr", "ien", "circonscription", code)); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("IEN d'une circonscription archivée : %d", rec.Code)
	}
	if !strings.Contains(page(t, a.get("/admin/circonscriptions"), "liste", http.StatusOK).Find("#liste-archivees").Text(), "Bobigny") {
		t.Error("archivée absente de la liste des archives")
	}
	if rec := a.post(path+"/restaurer", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("restauration : %d", rec.Code)
	}
	got := historyActionsOf(t, c.s, "circonscription", code)
	if !slices.Equal(got, []string{"restauration", "archivage", "modification", "modification", "modification", "creation"}) {
		t.Errorf("journal : %v", got)
	}
	// Only the administrator (the IEN's session was closed when their scope changed).
	ien := newFormClient(t, c.fx.h, signIn(t, c.s, models.UserInput{Email: "iris@ac-creteil.fr"}))
	if rec := ien.get("/admin/circonscriptions"); rec.Code != http.StatusForbidden {
		t.Errorf("IEN sur l'administration : %d", rec.Code)
	}
}

// historyActionsOf returns the audit actions recorded on a record keyed by a code, newest first.
func historyActionsOf(t *testing.T, s *models.Store, entity, key string) []string {
	t.Helper()
	evs, err := s.History(t.Context(), models.SystemActor("test"), entity, key)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return out
}
