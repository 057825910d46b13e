package models_test

import (
	"context"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestSummarizeScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		cases := []struct {
			name     string
			scope    models.Scope
			communes int
			ecoles   int
			err      bool
		}{
			{"académie", models.AcademieScope(), 593, 2642, false},
			{"département 93", models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}, 39, 897, false},
			{"circonscription", models.Scope{Kind: models.ScopeCirconscription, Circonscriptions: []string{"0940920P"}}, 1, 24, false},
			{"Bobigny", models.Scope{Kind: models.ScopeCommunes, Communes: []string{"93008"}}, 1, 31, false},
			{"portée vide", models.Scope{}, 0, 0, true},
			{"département sans code", models.Scope{Kind: models.ScopeDepartement}, 0, 0, true},
		}
		for _, c := range cases {
			got, err := s.SummarizeScope(context.Background(), c.scope)
			if (err != nil) != c.err {
				t.Errorf("%s : erreur %v", c.name, err)
				continue
			}
			if got.NbCommunes != c.communes || got.NbEcoles != c.ecoles {
				t.Errorf("%s : %+v, attendu %d communes et %d écoles", c.name, got, c.communes, c.ecoles)
			}
		}
	})
}
