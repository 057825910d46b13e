package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestFicheCommune: on the demonstration, the fiche of Bobigny tells its écoles (as many as
// the commune has), its conventions in force, the financing plans with the commune's
// share, the training of its écoles opened and whom to ask, in sections that match the
// module's own figures; the IA of the 94 and the référent of Bobigny for another commune
// get 404; the lecteur reads it without any person named.
func TestFicheCommune(t *testing.T) {
	s := dbtest.Quickest().OpenDemo(t)
	w := newWorld(t, s, app.Config{})
	ctx := t.Context()
	commune := must(s.GetCommune(ctx, models.AcademieScope(), "93008"))
	ent := must(s.ListDeploiements(ctx, models.AcademieScope(), models.DeploiementFilter{Commune: "93008"}, models.PageRequest{Size: models.MaxPageSize}))
	hors := 0
	for _, e := range ent.Items {
		if !e.InProgramme() {
			hors++
		}
	}
	convs := must(s.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{Commune: "93008", Statut: models.StatutEnVigueur}, models.PageRequest{}))
	for _, name := range []string{"pilote", "ia93", "referent93", "lecteur"} {
		rec := w.clients[name].get("/communes/93008/fiche")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s : %d", name, rec.Code)
		}
		d := doc(t, rec)
		listed, others := d.Find("#tableau-fiche-ecoles tbody tr").Length(), digits(d.Find("#fiche-hors-programme").Text())
		if listed != len(ent.Items)-hors || others != hors || listed+others != commune.NbEcoles {
			t.Errorf("%s : %d écoles listées et %d hors programme, la commune en a %d dont %d hors programme", name, listed, others, commune.NbEcoles, hors)
		}
		if n := d.Find("#fiche-conventions + ul li").Length(); n != int(convs.Total) {
			t.Errorf("%s : %d conventions en vigueur, attendu %d", name, n, convs.Total)
		}
		for _, id := range []string{"#fiche-financement", "#fiche-formation", "#fiche-prochaine-etape", "#fiche-contacts"} {
			if d.Find(id).Length() != 1 {
				t.Errorf("%s : section %s absente", name, id)
			}
		}
		if strings.Contains(rec.Body.String(), "@") {
			t.Errorf("%s : une adresse électronique figure sur la fiche", name)
		}
	}
	for name, path := range map[string]string{"ia94": "/communes/93008/fiche", "referent93": "/communes/93048/fiche", "ien94": "/communes/93008/fiche"} {
		if rec := w.clients[name].get(path); rec.Code != http.StatusNotFound {
			t.Errorf("%s, %s : %d, attendu 404", name, path, rec.Code)
		}
	}
	if s.Dialect() == models.SQLite {
		w3c := newW3CPages(t)
		w3c.add("/communes/93008/fiche", w.clients["pilote"].get("/communes/93008/fiche").Body.Bytes())
		w3c.check()
	}
}
