package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestFormDatesOutsideYears1990To2100Refused: a date of year 0 or after 2100, typed in the
// meeting, action, member or convention form, is a 422 with the French message beside its
// field and the typed value kept, and nothing is saved (it used to be, and came out as
// 0000-01-01T00:00:00Z in exports and DTSTART:00000101 in calendars). The first and last
// days of the range are accepted; the lists' date filters refuse the same dates.
func TestFormDatesOutsideYears1990To2100Refused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		fx := newGovFixture(t, s)
		pilote, sys, acad := fx.clients["pilote"], fx.sys, fx.acad
		held := must(s.CreateReunion(ctx, sys, models.ReunionInput{InstanceID: acad.ID, Date: "15/03/2012", HeureDebut: "14:00", HeureFin: "16:00"}))
		counts := func() (meetings, actions, conventions, members int) { return govCounts(t, s, sys, acad.ID) }
		forms := []dateForm{
			{"réunion", "/reunions", "date", "#reunion-date-erreur", "La date doit être comprise entre 1990 et 2100.",
				func(day string) url.Values { return reunionForm(acad.ID, day) }},
			{"action", "/actions", "echeance", "#action-echeance-erreur", "La date d'échéance doit être comprise entre 1990 et 2100.",
				func(day string) url.Values {
					return url.Values{"reunion": {idStr(held.ID)}, "titre": {"Recenser les écoles"}, "echeance": {day}}
				}},
			{"convention", "/conventions", "expiration", "#convention-expiration-erreur", "La date d'expiration doit être comprise entre 1990 et 2100.",
				func(day string) url.Values {
					return url.Values{"type": {"cadre"}, "reference": {"CRE-AC-2011-001"}, "titre": {"Convention cadre"}, "expiration": {day}}
				}},
			{"membre", instancePath(acad.ID, "/membres"), "debut", "#membre-debut-erreur", "La date de début doit être comprise entre 1990 et 2100.",
				func(day string) url.Values {
					return url.Values{"contact": {idStr(fx.contact)}, "role": {"membre"}, "debut": {day}}
				}},
		}
		m0, a0, c0, n0 := counts()
		for _, f := range forms {
			for _, day := range []string{"01/01/0000", "31/12/2101", "0000-01-01", "31/12/1989"} {
				refusedDate(t, pilote, f, day)
			}
		}
		if m, a, c, n := counts(); m != m0 || a != a0 || c != c0 || n != n0 {
			t.Fatalf("enregistré malgré la date refusée : réunions %d→%d, actions %d→%d, conventions %d→%d, membres %d→%d", m0, m, a0, a, c0, c, n0, n)
		}
		// The first and the last day of the range are dates like any other.
		for _, f := range forms {
			if f.name == "convention" {
				continue // one convention cadre only: its expiration is checked below
			}
			for _, day := range []string{"01/01/1990", "31/12/2100"} {
				if rec := pilote.post(f.path, f.form(day)); rec.Code != http.StatusSeeOther {
					t.Errorf("%s, %s : statut %d, attendu 303", f.name, day, rec.Code)
				}
			}
		}
		if rec := pilote.post("/conventions", forms[2].form("31/12/2100")); rec.Code != http.StatusSeeOther {
			t.Errorf("convention, 31/12/2100 : statut %d, attendu 303", rec.Code)
		}
		// The lists' filters read dates the same way.
		for _, path := range []string{"/reunions?du=01/01/0000", "/decisions?au=31/12/2101"} {
			rec := pilote.get(path)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "La date doit être comprise entre 1990 et 2100.") {
				t.Errorf("%s : statut %d, ou message absent", path, rec.Code)
			}
		}
	})
}

// dateForm is a form with a date field, as TestFormDatesOutsideYears1990To2100Refused
// sends it: where, the field, its error's selector and message, and the form for a day.
type dateForm struct {
	name, path, field, sel, msg string
	form                        func(day string) url.Values
}

// govCounts counts the meetings, actions, conventions and members of the body acad.
func govCounts(t *testing.T, s *models.Store, sys models.Actor, acad int64) (meetings, actions, conventions, members int) {
	t.Helper()
	ctx := t.Context()
	r, err1 := s.ListReunions(ctx, models.AcademieScope(), models.ReunionFilter{}, models.PageRequest{})
	a, err2 := s.ListActions(ctx, models.AcademieScope(), models.ActionFilter{}, models.PageRequest{})
	c, err3 := s.ListConventions(ctx, models.AcademieScope(), models.ConventionFilter{}, models.PageRequest{})
	m, err4 := s.ListMembers(ctx, sys, acad)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return int(r.Total), int(a.Total), int(c.Total), len(m)
}

// refusedDate checks the form f sent with day is refused (422) with the French message
// beside the field and the typed value kept.
func refusedDate(t *testing.T, pilote *formClient, f dateForm, day string) {
	t.Helper()
	rec := pilote.post(f.path, f.form(day))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("%s, %s : statut %d, attendu 422", f.name, day, rec.Code)
		return
	}
	d := doc(t, rec)
	if got := strings.TrimSpace(d.Find(f.sel).Text()); got != f.msg {
		t.Errorf("%s, %s : message %q, attendu %q", f.name, day, got, f.msg)
	}
	if v, _ := d.Find(`[name="` + f.field + `"]`).Attr("value"); v != day {
		t.Errorf("%s, %s : saisie non conservée (%q)", f.name, day, v)
	}
}
