package models_test

import (
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestSuggestAndResolvePlaces(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		all := models.AcademieScope()
		ia93 := models.Scope{Kind: models.ScopeDepartement, Departements: []string{"93"}}

		got, err := s.SuggestCommunes(ctx, all, "", "creteil")
		if err != nil || len(got) == 0 || got[0].Code != "94028" || got[0].Label() != "Créteil (94028)" {
			t.Fatalf("« creteil » : %+v, %v", got, err)
		}
		if got, _ := s.SuggestCommunes(ctx, all, "", "94000"); len(got) != 1 || got[0].Code != "94028" || !strings.Contains(got[0].Detail, "94000") {
			t.Errorf("code postal 94000 : %+v", got)
		}
		if got, _ := s.SuggestCommunes(ctx, all, "", "saint"); len(got) != models.MaxSuggestions {
			t.Errorf("« saint » : %d suggestions, attendu %d au plus", len(got), models.MaxSuggestions)
		}
		if got, _ := s.SuggestCommunes(ctx, ia93, "", "creteil"); len(got) != 0 {
			t.Errorf("IA 93 : Créteil proposé hors périmètre : %+v", got)
		}
		if got, _ := s.SuggestCommunes(ctx, all, "93", "bob"); len(got) != 1 || got[0].Code != "93008" {
			t.Errorf("« bob » dans le 93 : %+v", got)
		}
		if got, _ := s.SuggestEPCI(ctx, all, "", "est ensemble"); len(got) != 1 || got[0].Code != "200057875" {
			t.Errorf("EPCI « est ensemble » : %+v", got)
		}
		if got, _ := s.SuggestEcoles(ctx, all, "", "0930388"); len(got) != 1 {
			t.Errorf("école 0930388 : %+v", got)
		}

		cases := []struct {
			scope     models.Scope
			dep, text string
			code, msg string
		}{
			{all, "", "Bobigny (93008)", "93008", ""},
			{all, "", "93008", "93008", ""},
			{all, "", "bobigny", "93008", ""},
			{all, "", "  CRÉTEIL ", "94028", ""},
			{all, "", "94000", "94028", ""},
			{all, "", "Marolles-en-Brie", "", "Plusieurs communes s'appellent Marolles-en-Brie : précisez le code (Marolles-en-Brie (77278), Marolles-en-Brie (94048))."},
			{all, "94", "Marolles-en-Brie", "94048", ""},
			{all, "", "Pantin (93008)", "", "le code 93008 est celui de Bobigny"},
			{all, "", "99999", "", "Commune inconnue : 99999."},
			{all, "", "77760", "", "Plusieurs communes ont le code postal 77760"},
			{all, "", "saint", "", "Plusieurs communes correspondent à « saint »"},
			{all, "", "zzz", "", "Aucune commune de votre périmètre"},
			{ia93, "", "94028", "", "Commune hors de votre périmètre : Créteil (94028)."},
			{ia93, "", "Créteil", "", "Aucune commune de votre périmètre"},
			{all, "93", "Créteil", "94028", ""}, // outside the département: the form says so
		}
		for _, c := range cases {
			p, msg, err := s.ResolveCommune(ctx, c.scope, c.dep, c.text)
			if err != nil {
				t.Fatal(err)
			}
			if p.Code != c.code || (c.msg == "" && msg != "") || !strings.Contains(msg, c.msg) {
				t.Errorf("%q (%s) : %+v, %q ; attendu %q, %q", c.text, c.dep, p, msg, c.code, c.msg)
			}
		}
		if p, msg, _ := s.ResolveEPCI(ctx, all, "", "Est Ensemble (200057875)"); p.Code != "200057875" || msg != "" {
			t.Errorf("EPCI : %+v %q", p, msg)
		}
		if p, msg, _ := s.ResolveEPCI(ctx, all, "", "est ensemble"); p.Code != "200057875" || msg != "" {
			t.Errorf("EPCI par nom : %+v %q", p, msg)
		}
		if p, msg, _ := s.ResolveEcole(ctx, all, "", "0930388s"); p.Code != "0930388S" || msg != "" {
			t.Errorf("école par UAI : %+v %q", p, msg)
		}
		labels, err := s.CommuneLabels(ctx, []string{"93008", "94028", "99999"})
		if err != nil || len(labels) != 2 || labels["93008"].Label() != "Bobigny (93008)" {
			t.Errorf("libellés : %+v, %v", labels, err)
		}
	})
}
