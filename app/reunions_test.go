package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func reunionForm(instance int64, date string, extra ...string) url.Values {
	return withFields(url.Values{"instance": {strconv.FormatInt(instance, 10)}, "date": {date}, "heure_debut": {"14:00"},
		"heure_fin": {"16:00"}, "lieu": {"Rectorat"}}, extra...)
}

// createReunion posts the form and returns the new meeting's path.
func createReunion(t *testing.T, c *formClient, f url.Values) string {
	t.Helper()
	rec := c.post("/reunions", f)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("création de réunion : %d %s", rec.Code, rec.Body.String())
	}
	loc, _, _ := strings.Cut(rec.Header().Get("Location"), "?")
	return loc
}

func TestReunionPagesScopeAndValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		pilote, ia77, ia93, lecteur := fx.clients["pilote"], fx.clients["ia77"], fx.clients["ia93"], fx.clients["lecteur"]
		if rec := pilote.post(instancePath(fx.acad.ID, "/membres"), url.Values{"contact": {strconv.FormatInt(fx.contact, 10)}, "role": {"membre"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("membre : %d", rec.Code)
		}
		acad := createReunion(t, pilote, reunionForm(fx.acad.ID, "2031-03-11", "titre", "COPIL <script>alert(1)</script>"))
		r77 := createReunion(t, ia77, reunionForm(fx.b77.ID, "2031-03-12"))
		rec := pilote.get(acad)
		d := doc(t, rec)
		if rec.Code != http.StatusOK || rows(d, "#tableau-invites") != 1 || strings.Contains(rec.Body.String(), "<script>alert") {
			t.Errorf("page de la réunion : %d, %d invités", rec.Code, rows(d, "#tableau-invites"))
		}
		if !strings.Contains(d.Find("#date-reunion").Text(), "mardi 11/03/2031, 14:00 – 16:00") {
			t.Errorf("date affichée : %q", d.Find("#date-reunion").Text())
		}
		invite := acad + "/invites/" + strconv.FormatInt(fx.contact, 10)
		if rec := pilote.post(invite, url.Values{"presence": {"excuse"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("présence : %d", rec.Code)
		}
		if cell := doc(t, pilote.get(acad)).Find("#tableau-invites tbody td").Eq(1).Text(); !strings.HasPrefix(strings.TrimSpace(cell), "Excusé") {
			t.Errorf("présence non enregistrée")
		}
		if rec := pilote.post(invite, url.Values{"presence": {"peut-etre"}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("présence inconnue : %d", rec.Code)
		}
		if rec := ia93.post(invite, url.Values{"presence": {"present"}}); rec.Code != http.StatusForbidden {
			t.Errorf("IA 93 note la présence à une réunion académique : %d", rec.Code)
		}
		if rec := ia93.get(r77); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 ouvre une réunion du 77 : %d", rec.Code)
		}
		if rec := ia93.get(r77 + ".ics"); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 télécharge une réunion du 77 : %d", rec.Code)
		}
		if rec := ia93.post(r77, reunionForm(fx.b77.ID, "2031-03-12", "version", "1")); rec.Code != http.StatusNotFound {
			t.Errorf("IA 93 modifie une réunion du 77 : %d", rec.Code)
		}
		if rec := ia93.get(acad); rec.Code != http.StatusOK {
			t.Errorf("IA 93 ne voit pas une réunion académique : %d", rec.Code)
		}
		rec = ia93.get("/reunions")
		if n := rows(doc(t, rec), "#tableau-reunions"); n != 1 {
			t.Errorf("IA 93 voit %d réunions, attendu 1", n)
		}
		if n := rows(doc(t, pilote.get("/reunions?statut=annulee")), "#tableau-reunions"); n != 0 {
			t.Errorf("filtre de statut : %d", n)
		}
		if rec := lecteur.get("/reunions/nouveau"); rec.Code != http.StatusForbidden || doc(t, rec).Find("#formulaire-ferme").Length() != 1 {
			t.Errorf("lecteur, formulaire : %d", rec.Code)
		}
		// Field errors next to the fields, in French.
		rec = pilote.post("/reunions", reunionForm(fx.acad.ID, "31/02/2012", "heure_fin", "13:00", "visio", "javascript:alert(1)", "titre", strings.Repeat("t", 10000)))
		d = doc(t, rec)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("formulaire invalide : %d", rec.Code)
		}
		for _, id := range []string{"#reunion-date-erreur", "#reunion-visio-erreur", "#reunion-titre-erreur"} {
			if d.Find(id).Text() == "" {
				t.Errorf("pas de message %s", id)
			}
		}
		rec = pilote.post("/reunions", reunionForm(fx.acad.ID, "2031-03-11", "heure_fin", "13:00"))
		if !strings.Contains(doc(t, rec).Find("#reunion-heure_fin-erreur").Text(), "fin") {
			t.Errorf("fin avant le début : %d", rec.Code)
		}
		// Weekend warning, scheduling still allowed.
		rec = pilote.post("/reunions", reunionForm(fx.acad.ID, "2031-03-15", "heure_fin", "13:00"))
		if !strings.Contains(doc(t, rec).Find("#avertissements-date").Text(), "samedi") {
			t.Errorf("pas d'avertissement pour un samedi")
		}
		sat := createReunion(t, pilote, reunionForm(fx.acad.ID, "2031-03-15"))
		if !strings.Contains(doc(t, pilote.get(sat)).Find("#avertissements-date").Text(), "samedi") {
			t.Errorf("pas d'avertissement sur la page")
		}
	})
}

func TestReunionEditICSAndMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fx := newGovFixture(t, s)
		pilote, amif := fx.clients["pilote"], fx.clients["amif"]
		path := createReunion(t, pilote, reunionForm(fx.acad.ID, "2031-03-11"))
		f := reunionForm(fx.acad.ID, "2031-03-11", "version", "1", "lieu", "", "statut", "annulee",
			"compte_rendu", "## Relevé\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) et [y](https://exemple.fr)")
		if rec := pilote.post(path, f); rec.Code != http.StatusSeeOther {
			t.Fatalf("modification : %d %s", rec.Code, rec.Body.String())
		}
		f.Set("lieu", "Ailleurs")
		rec := amif.post(path, f)
		if rec.Code != http.StatusConflict || doc(t, rec).Find("#conflit").Length() != 1 {
			t.Errorf("mise à jour perdue : %d", rec.Code)
		}
		rec = pilote.get(path)
		d := doc(t, rec)
		if d.Find("#texte-compte-rendu h2").Text() != "Relevé" || d.Find("#texte-compte-rendu script").Length() != 0 ||
			d.Find(`#texte-compte-rendu a[href^="javascript"]`).Length() != 0 || d.Find(`#texte-compte-rendu a[href="https://exemple.fr"]`).Length() != 1 {
			t.Errorf("compte rendu mal assaini : %s", d.Find("#texte-compte-rendu").Text())
		}
		if !strings.Contains(d.Find("#fiche-reunion").Text(), "Annulée") || strings.Contains(d.Find("#fiche-reunion").Text(), "Rectorat") {
			t.Errorf("lieu non vidé ou statut non enregistré")
		}
		rec = pilote.get(path + ".ics")
		if rec.Code != http.StatusOK {
			t.Fatalf(".ics : %d", rec.Code)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf(".ics illisible : %v", err)
		}
		ev := cal.Events()[0]
		id := strings.TrimPrefix(path, "/reunions/")
		if ev.Id() != "reunion-"+id+"@pilotage-ent-1d" {
			t.Errorf("UID %q", ev.Id())
		}
		if v := ev.GetProperty(ics.ComponentPropertyStatus).Value; v != "CANCELLED" {
			t.Errorf("STATUS %q", v)
		}
		if v := ev.GetProperty(ics.ComponentPropertySequence).Value; v != "1" {
			t.Errorf("SEQUENCE %q", v)
		}
		if p := ev.GetProperty(ics.ComponentPropertyDtStart); p.ICalParameters["TZID"][0] != "Europe/Paris" || p.Value != "20310311T140000" {
			t.Errorf("DTSTART %v %q", p.ICalParameters, p.Value)
		}
		if _, err := time.Parse("20060102T150405Z", ev.GetProperty(ics.ComponentPropertyDtstamp).Value); err != nil {
			t.Errorf("DTSTAMP : %v", err)
		}
		// Agenda items and archive.
		if rec := pilote.post(path+"/points", url.Values{"titre": {""}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("point sans titre : %d", rec.Code)
		}
		if rec := pilote.post(path+"/points", url.Values{"titre": {"Budget"}, "presentateur": {"Mme Martin"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("ajout de point : %d", rec.Code)
		}
		if n := doc(t, pilote.get(path)).Find("#liste-points li").Length(); n != 1 {
			t.Errorf("%d points", n)
		}
		if rec := pilote.post(path+"/archiver", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("archivage : %d", rec.Code)
		}
		if rec := pilote.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("réunion archivée : %d", rec.Code)
		}
		if rec := pilote.post(path+"/restaurer", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("restauration : %d", rec.Code)
		}
	})
}
