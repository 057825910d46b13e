package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
	ics "github.com/arran4/golang-ical"
)

// The scope matrix's cases of the training plans and of the sessions (a session of the
// whole département, which the référents of its communes read too).
func init() {
	scopeCases[models.EntityPlanFormation] = scopeCase{list: "/formations/plans", api: "/api/v1/plans-formation",
		pageOK: []int{http.StatusOK, http.StatusForbidden},
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			p := must(m.s.CreatePlanFormation(t.Context(), m.sys, models.PlanFormationInput{AnneeScolaire: "2012-2013",
				Departement: dep, Titre: "Plan Mq" + dep}))
			return scopeRecord{marker: "Plan Mq" + dep, page: "/formations/plans/" + idStr(p.ID) + "/modifier"}
		}}
	scopeCases[models.EntityFormation] = scopeCase{list: "/formations", exports: []string{"/formations.csv"},
		api: "/api/v1/formations",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			p := must(m.s.CreatePlanFormation(t.Context(), m.sys, models.PlanFormationInput{AnneeScolaire: "2013-2014", Departement: dep}))
			f := must(m.s.CreateFormation(t.Context(), m.sys, models.FormationInput{PlanID: p.ID, ModuleID: 1, Public: "enseignants",
				Lieu: "Salle Mq" + dep, Date: "12/02/2014", HeureDebut: "14h00", DureeMinutes: "120", Capacite: "20"}))
			return scopeRecord{marker: "Salle Mq" + dep, page: "/formations/" + idStr(f.ID)}
		}}
}

// formationValues is a valid session form for the plan, in the IEN's circonscription.
func formationValues(plan int64, date string) url.Values {
	return url.Values{"plan": {idStr(plan)}, "module": {"1"}, "public": {"enseignants"}, "circonscription": {"0940920P"},
		"lieu": {"École Paul Bert, Villejuif"}, "date": {date}, "heure_debut": {"14h30"}, "duree_minutes": {"180"},
		"capacite": {"12"}}
}

// TestFormationPages: French errors next to the fields, the IEN writing their
// circonscription's sessions only (a département's session is read-only for them), the
// Saturday and holiday warnings, the cancellation bumping the .ics SEQUENCE with
// STATUS:CANCELLED, the list's export and API.
func TestFormationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := newWorld(t, s, app.Config{})
		ctx := t.Context()
		day := func(v string) time.Time { x, _ := time.Parse(time.DateOnly, v); return x }
		must(s.ImportHolidays(ctx, []models.HolidayInput{{Nom: "Fête du travail", First: day("2031-05-01")}}, models.ImportOptions{}))
		plan := must(s.CreatePlanFormation(ctx, w.actors["ia94"], models.PlanFormationInput{AnneeScolaire: "2030-2031", Departement: "94"}))
		ien := w.clients["ien94"]
		bad := formationValues(plan.ID, "31/02/2031")
		bad.Set("heure_debut", "25h")
		bad.Set("capacite", "0")
		rec := ien.post("/formations", bad)
		d := doc(t, rec)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(d.Find("#formation-date-erreur").Text(), "Date invalide") ||
			!strings.Contains(d.Find("#formation-heure_debut-erreur").Text(), "Heure invalide") ||
			!strings.Contains(d.Find("#formation-capacite-erreur").Text(), "comprise entre 1") {
			t.Fatalf("erreurs : %d %s", rec.Code, d.Find(".fr-error-text").Text())
		}
		other := formationValues(plan.ID, "06/05/2031")
		other.Set("circonscription", "")
		if rec := ien.post("/formations", other); rec.Code != http.StatusForbidden {
			t.Fatalf("IEN, session du département : %d", rec.Code)
		}
		rec = ien.post("/formations", formationValues(plan.ID, "03/05/2031"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("création : %d %s", rec.Code, doc(t, rec).Find(".fr-error-text").Text())
		}
		path := strings.Split(rec.Header().Get("Location"), "?")[0]
		page := doc(t, ien.get(path))
		if !strings.Contains(page.Find("#alertes-calendrier").Text(), "samedi") || !strings.HasPrefix(page.Find("#places-formation").Text(), "12 places restantes sur 12") {
			t.Fatalf("page : %q", page.Find("#alertes-calendrier, #places-formation").Text())
		}
		if form := doc(t, ien.get(path+"/modifier")); form.Find("#formation-lieu").AttrOr("value", "") != "École Paul Bert, Villejuif" {
			t.Fatal("formulaire de modification")
		}
		holiday := formationValues(plan.ID, "01/05/2031")
		holiday.Set("version", "1")
		if rec := ien.post(path, holiday); rec.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d", rec.Code)
		}
		if !strings.Contains(doc(t, ien.get(path)).Find("#alertes-calendrier").Text(), "Fête du travail") {
			t.Fatal("jour férié non signalé")
		}
		dep := must(s.CreateFormation(ctx, w.actors["ia94"], models.FormationInput{PlanID: plan.ID, ModuleID: 2, Public: "directeurs",
			ADistance: true, Lien: "https://visio.example.fr/s", Date: "06/05/2031", HeureDebut: "9:00", DureeMinutes: "90", Capacite: "30"}))
		depPath := "/formations/" + idStr(dep.ID)
		if rec := ien.get(depPath); rec.Code != http.StatusOK || doc(t, rec).Find("#lien-modifier-formation").Length() != 0 {
			t.Fatalf("session départementale pour l'IEN : %d", rec.Code)
		}
		if rec := ien.post(depPath+"/annuler", url.Values{"version": {"1"}}); rec.Code != http.StatusForbidden {
			t.Fatalf("IEN annule la session du département : %d", rec.Code)
		}
		if rec := w.clients["ia93"].get(path); rec.Code != http.StatusNotFound {
			t.Fatalf("IA 93 : %d", rec.Code)
		}
		if rec := ien.post(path+"/annuler", url.Values{"version": {"2"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("annulation : %d", rec.Code)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(ien.get(path + ".ics").Body.String()))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf(".ics : %v", err)
		}
		ev := cal.Events()[0]
		if ev.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" || ev.GetProperty(ics.ComponentPropertySequence).Value != "2" ||
			ev.Id() != "formation-"+strings.TrimPrefix(path, "/formations/")+"@pilotage-ent-1d" {
			t.Fatalf("événement : %s", ien.get(path+".ics").Body.String())
		}
		if rec := w.clients["ia94"].get("/formations.csv?statut=annulee"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Paul Bert") {
			t.Fatalf("export : %d", rec.Code)
		}
		if rec := w.clients["ia94"].get("/api/v1/formations?circonscription=departement"); rec.Code != http.StatusOK ||
			!strings.Contains(rec.Body.String(), `"total":1`) || !strings.Contains(rec.Body.String(), `"a_distance":true`) {
			t.Fatalf("API : %d %s", rec.Code, rec.Body.String())
		}
	})
}

// TestFormationPlansAndModules: the IA-DASEN creates their département's plan (a second one
// for the same year is refused next to the field), the catalogue is the pilotes'.
func TestFormationPlansAndModules(t *testing.T) {
	w := newWorld(t, dbtest.Quickest().Open(t, true), app.Config{})
	ia := w.clients["ia93"]
	if rec := ia.post("/formations/plans", url.Values{"annee_scolaire": {"2030-2031"}, "departement": {"93"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("plan : %d", rec.Code)
	}
	rec := ia.post("/formations/plans", url.Values{"annee_scolaire": {"2030-2031"}, "departement": {"93"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#plan-annee-erreur").Text(), "déjà un plan") {
		t.Fatalf("doublon : %d", rec.Code)
	}
	if rec := ia.post("/formations/plans", url.Values{"annee_scolaire": {"2030-2031"}, "departement": {"77"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("plan du 77 : %d", rec.Code)
	}
	if rec := ia.get("/formations/plans"); !strings.Contains(doc(t, rec).Find("#tableau-plans").Text(), "2030-2031") {
		t.Fatal("liste des plans")
	}
	if rec := ia.post("/formations/modules", url.Values{"libelle": {"Classe numérique"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("module par l'IA : %d", rec.Code)
	}
	pilote := w.clients["pilote"]
	if rec := pilote.post("/formations/modules", url.Values{"libelle": {"Usages pédagogiques"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("libellé en double : %d", rec.Code)
	}
	if rec := pilote.post("/formations/modules", url.Values{"libelle": {"Classe numérique"}, "duree_minutes": {"120"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("module : %d", rec.Code)
	}
	if !strings.Contains(doc(t, ia.get("/formations/modules")).Find("#tableau-modules").Text(), "Classe numérique") {
		t.Fatal("catalogue")
	}
}
