package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// clockAt is a clock the test moves: Now reads it.
type clockAt struct{ t time.Time }

func (c *clockAt) now() time.Time { return c.t }

// eachAt runs fn on each engine with a store whose clock is c.
func eachAt(t *testing.T, c *clockAt, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, e := range dbtest.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.OpenWith(t, true, models.Options{Now: c.now})) })
	}
}

// jalonFields are the fields in error of a validation error.
func jalonFields(t *testing.T, err error) map[string]bool {
	out := map[string]bool{}
	for f := range fieldsOf(t, err) {
		out[f] = true
	}
	return out
}

// TestJalonValidation: French field errors, the territory read from the commune, the write
// rule of the IA-DASEN.
func TestJalonValidation(t *testing.T) {
	clock := &clockAt{t: time.Date(2013, 6, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx := t.Context()
		_, err := s.CreateJalon(ctx, who["pilote"], models.JalonInput{})
		if f := jalonFields(t, err); !f["titre"] || !f["niveau"] || !f["date_prevue"] {
			t.Fatalf("jalon vide : %v", err)
		}
		_, err = s.CreateJalon(ctx, who["pilote"], models.JalonInput{Titre: "Bilan", Niveau: "academie", DatePrevue: "31/02/2012", Statut: "atteint"})
		if f := jalonFields(t, err); !f["date_prevue"] || !f["date_effective"] {
			t.Fatalf("date impossible, atteint sans date : %v", err)
		}
		_, err = s.CreateJalon(ctx, who["pilote"], models.JalonInput{Titre: "X", Niveau: "academie", DatePrevue: "01/01/2012", VagueID: 999999})
		if f := jalonFields(t, err); !f["vague"] {
			t.Fatalf("vague inconnue : %v", err)
		}
		_, err = s.CreateJalon(ctx, who["ia93"], models.JalonInput{Titre: "Melun", Niveau: "commune", Commune: "77288", DatePrevue: "01/01/2013"})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IA 93, jalon de Melun : %v", err)
		}
		_, err = s.CreateJalon(ctx, who["ia93"], models.JalonInput{Titre: "Académie", Niveau: "academie", DatePrevue: "01/01/2013"})
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IA 93, jalon de l'académie : %v", err)
		}
		j, err := s.CreateJalon(ctx, who["ia93"], models.JalonInput{Titre: "Ouverture à Bobigny", Niveau: "commune", Commune: "93008", DatePrevue: "01/03/2013"})
		if err != nil || j.DepartementCode == nil || *j.DepartementCode != "93" || j.CommuneNom != "Bobigny" || !j.EnRetard {
			t.Fatalf("jalon de Bobigny : %+v, %v", j, err)
		}
		if _, err := s.GetJalon(ctx, who["ia77"].Scope, j.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("IA 77 lit un jalon du 93 : %v", err)
		}
		if _, err := s.GetJalon(ctx, who["bobigny"].Scope, j.ID); err != nil {
			t.Fatalf("référent de Bobigny : %v", err)
		}
	})
}

// TestJalonLate: "late" is derived from the planned day and the status, in the list, its
// filter and the record; a stale version is a conflict; archive and restore.
func TestJalonLate(t *testing.T) {
	clock := &clockAt{t: time.Date(2013, 6, 1, 10, 0, 0, 0, time.UTC)}
	eachAt(t, clock, func(t *testing.T, s *models.Store) {
		who := worldActors(t, s)
		ctx, p := t.Context(), who["pilote"]
		late := must(s.CreateJalon(ctx, p, models.JalonInput{Titre: "En retard", Niveau: "departement", Departement: "93", DatePrevue: "31/05/2013"}))
		today := must(s.CreateJalon(ctx, p, models.JalonInput{Titre: "Aujourd'hui", Niveau: "academie", DatePrevue: "01/06/2013", Statut: "en_cours"}))
		done := must(s.CreateJalon(ctx, p, models.JalonInput{Titre: "Atteint", Niveau: "academie", DatePrevue: "01/01/2013",
			Statut: "atteint", DateEffective: "15/01/2013"}))
		if !late.EnRetard || today.EnRetard || done.EnRetard {
			t.Fatalf("retards : %v %v %v", late.EnRetard, today.EnRetard, done.EnRetard)
		}
		page := must(s.ListJalons(ctx, p.Scope, models.JalonFilter{EnRetard: true}, models.PageRequest{}))
		if page.Total != 1 || page.Items[0].ID != late.ID {
			t.Fatalf("filtre en retard : %+v", page)
		}
		if _, err := s.UpdateJalon(ctx, p, late.ID, late.Version+1, models.JalonInput{Titre: "X", Niveau: "academie", DatePrevue: "01/01/2014"}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("version périmée : %v", err)
		}
		up, err := s.UpdateJalon(ctx, p, late.ID, late.Version, models.JalonInput{Titre: "Atteint enfin", Niveau: "departement", Departement: "93",
			DatePrevue: "31/05/2013", Statut: "atteint", DateEffective: "01/06/2013"})
		if err != nil || up.EnRetard || up.Version != late.Version+1 {
			t.Fatalf("modification : %+v, %v", up, err)
		}
		if err := s.ArchiveJalon(ctx, who["ia77"], today.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("IA 77 archive un jalon de l'académie : %v", err)
		}
		if err := s.ArchiveJalon(ctx, p, today.ID); err != nil {
			t.Fatal(err)
		}
		if page := must(s.ListJalons(ctx, p.Scope, models.JalonFilter{}, models.PageRequest{})); page.Total != 2 {
			t.Fatalf("après archivage : %d", page.Total)
		}
		if err := s.RestoreJalon(ctx, p, today.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
