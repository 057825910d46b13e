package models_test

import (
	"testing"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestDayProblem: the one reading of a typed date, French or ISO, refuses days that do not
// exist and years outside 1990-2100 with a French message naming the date.
func TestDayProblem(t *testing.T) {
	const invalid = "Date invalide : indiquez une date qui existe, au format JJ/MM/AAAA (exemple : 15/03/2012)."
	const outside = "La date d'échéance doit être comprise entre 1990 et 2100."
	cases := []struct {
		in   string
		want time.Time
		msg  string
	}{
		{"15/03/2012", time.Date(2012, 3, 15, 0, 0, 0, 0, time.UTC), ""},
		{" 1/2/2012 ", time.Date(2012, 2, 1, 0, 0, 0, 0, time.UTC), ""},
		{"2012-03-15", time.Date(2012, 3, 15, 0, 0, 0, 0, time.UTC), ""},
		{"01/01/1990", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"31/12/2100", time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{"01/01/0000", time.Time{}, outside},
		{"0000-01-01", time.Time{}, outside},
		{"31/12/1989", time.Time{}, outside},
		{"31/12/2101", time.Time{}, outside},
		{"01/01/9999", time.Time{}, outside},
		{"31/02/2012", time.Time{}, invalid},
		{"15/03/20125", time.Time{}, invalid},
		{"demain", time.Time{}, invalid},
		{"", time.Time{}, invalid},
	}
	for _, c := range cases {
		got, msg := models.DayProblem("La date d'échéance", c.in)
		if !got.Equal(c.want) || msg != c.msg {
			t.Errorf("%q : %v %q, attendu %v %q", c.in, got, msg, c.want, c.msg)
		}
	}
}

// TestStoreRefusesDatesOutsideRange: the data layer refuses a meeting, an action or a
// member's mandate dated 01/01/0000 or 31/12/2101, whoever calls it (forms, imports, API),
// with a field error, and saves nothing.
func TestStoreRefusesDatesOutsideRange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx, sys := t.Context(), models.SystemActor("test")
		body, err := s.CreateInstance(ctx, sys, models.InstanceInput{Nom: "COPIL", Kind: models.InstanceCopil})
		if err != nil {
			t.Fatal(err)
		}
		held, err := s.CreateReunion(ctx, sys, models.ReunionInput{InstanceID: body.ID, Date: "15/03/2012", HeureDebut: "14:00", HeureFin: "16:00"})
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []string{"01/01/0000", "31/12/2101"} {
			_, err := s.CreateReunion(ctx, sys, models.ReunionInput{InstanceID: body.ID, Date: day, HeureDebut: "14:00", HeureFin: "16:00"})
			if got := fieldsOf(t, err)["date"]; got != "La date doit être comprise entre 1990 et 2100." {
				t.Errorf("réunion du %s : %q", day, got)
			}
			_, err = s.CreateAction(ctx, sys, models.ActionInput{ReunionID: held.ID, Titre: "Recenser", Echeance: day})
			if got := fieldsOf(t, err)["echeance"]; got != "La date d'échéance doit être comprise entre 1990 et 2100." {
				t.Errorf("action pour le %s : %q", day, got)
			}
		}
		r, _ := s.ListReunions(ctx, models.AcademieScope(), models.ReunionFilter{}, models.PageRequest{})
		a, _ := s.ListActions(ctx, models.AcademieScope(), models.ActionFilter{}, models.PageRequest{})
		if r.Total != 1 || a.Total != 0 {
			t.Errorf("enregistré malgré la date : %d réunions, %d actions", r.Total, a.Total)
		}
	})
}
