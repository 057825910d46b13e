package models_test

import (
	"context"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestReferenceCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		scope := models.AcademieScope()
		deps, err := s.ListDepartements(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{"77": 507, "93": 39, "94": 47}
		total := models.DepartementRow{}
		for _, d := range deps {
			if d.NbCommunes != want[d.Code] {
				t.Errorf("%s : %d communes, attendu %d", d.Code, d.NbCommunes, want[d.Code])
			}
			total.NbCommunes += d.NbCommunes
			total.NbEcoles += d.NbEcoles
			total.NbEleves += d.NbEleves
		}
		if len(deps) != 3 || total.NbCommunes != 593 || total.NbEcoles != 2642 || total.NbEleves != 496814 {
			t.Errorf("totaux : %d départements, %+v", len(deps), total)
		}
		epci, err := s.ListEPCI(ctx, scope, models.EPCIFilter{}, models.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		ept, err := s.ListEPCI(ctx, scope, models.EPCIFilter{Type: "EPT"}, models.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if epci.Total-ept.Total != 24 || ept.Total != 7 {
			t.Errorf("EPCI %d (dont EPT %d), attendu 24 EPCI et 7 EPT", epci.Total, ept.Total)
		}
	})
}

func TestReferenceReloadChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		steps, err := seeds.LoadReference(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range steps {
			if st.Counts.Created != 0 || st.Counts.Updated != 0 || st.Counts.Unchanged == 0 {
				t.Errorf("%s : %v au second chargement", st.Name, st.Counts)
			}
		}
	})
}

func TestReferenceLoadOnEmptyDatabase(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		steps, err := seeds.LoadReference(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, st := range steps {
			got[st.Name] = st.Counts.Created
		}
		want := map[string]int{"départements": 3, "EPCI": 24, "EPT": 7, "communes": 593, "écoles": 2642,
			"circonscriptions": 24, "jours fériés": 77, "vacances scolaires": 59}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s : %d créés, attendu %d", k, got[k], v)
			}
		}
	})
}
