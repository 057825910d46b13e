package models_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestAdoptionWriteRulesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		v, err := s.CreateCharte(t.Context(), actors["pilote"], charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		in := func(commune, epci string) models.AdoptionInput {
			return models.AdoptionInput{CharteVersionID: v.ID, Commune: commune, EPCI: epci, Ref: "DEL-2012-01", Date: "12/01/2012"}
		}
		for _, tc := range []struct {
			actor, commune, epci string
			ok                   bool
		}{
			{"admin", "77288", "", true}, {"pilote", "94028", "", true}, {"amif", "93008", "", true},
			{"ia93", "93008", "", true}, {"ia93", "77288", "", false}, {"ia93", "", "200057875", true},
			{"ia77", "", "200057875", false}, {"bobigny", "93008", "", true}, {"bobigny", "93010", "", false},
			{"ien", "93008", "", false}, {"lecteur", "93008", "", false},
		} {
			_, err := s.CreateAdoption(t.Context(), actors[tc.actor], in(tc.commune, tc.epci))
			if (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, models.ErrForbidden)) {
				t.Errorf("%s pour %s%s : err = %v, attendu %v", tc.actor, tc.commune, tc.epci, err, tc.ok)
			}
		}
		all, err := s.ListAdoptions(t.Context(), actors["pilote"].Scope, models.AdoptionFilter{}, models.PageRequest{})
		if err != nil || all.Total != 6 {
			t.Fatalf("pilote voit %d adoptions (%v)", all.Total, err)
		}
		var melun int64
		for _, a := range all.Items {
			if a.CodeINSEE != nil && *a.CodeINSEE == "77288" {
				melun = a.ID
			}
		}
		ia93 := actors["ia93"]
		if _, err := s.GetAdoption(t.Context(), ia93.Scope, melun); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 lit l'adoption de Melun : %v", err)
		}
		if _, err := s.UpdateAdoption(t.Context(), ia93, melun, 1, in("77288", "")); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("IA 93 modifie l'adoption de Melun : %v", err)
		}
		p93, _ := s.ListAdoptions(t.Context(), ia93.Scope, models.AdoptionFilter{}, models.PageRequest{})
		if p93.Total != 4 { // 93008 ×3 and Est Ensemble
			t.Errorf("IA 93 voit %d adoptions, attendu 4", p93.Total)
		}
		if err := s.ArchiveAdoption(t.Context(), actors["lecteur"], melun); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("lecteur archive : %v", err)
		}
		if err := s.ArchiveAdoption(t.Context(), actors["admin"], melun); err != nil {
			t.Errorf("admin archive : %v", err)
		}
	})
}

func TestAdoptionValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		v, err := s.CreateCharte(t.Context(), actors["pilote"], charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		for name, tc := range map[string]struct {
			in    models.AdoptionInput
			field string
		}{
			"date impossible":   {models.AdoptionInput{CharteVersionID: v.ID, Commune: "93008", Ref: "D1", Date: "31/02/2012"}, "deliberation_date"},
			"date future":       {models.AdoptionInput{CharteVersionID: v.ID, Commune: "93008", Ref: "D1", Date: "01/01/2099"}, "deliberation_date"},
			"sans collectivité": {models.AdoptionInput{CharteVersionID: v.ID, Ref: "D1", Date: "01/01/2012"}, "commune"},
			"commune inconnue":  {models.AdoptionInput{CharteVersionID: v.ID, Commune: "99999", Ref: "D1", Date: "01/01/2012"}, "commune"},
			"version inconnue":  {models.AdoptionInput{CharteVersionID: 9999, Commune: "93008", Ref: "D1", Date: "01/01/2012"}, "version"},
			"sans référence":    {models.AdoptionInput{CharteVersionID: v.ID, Commune: "93008", Date: "01/01/2012"}, "deliberation_ref"},
			"référence longue":  {models.AdoptionInput{CharteVersionID: v.ID, Commune: "93008", Ref: strings.Repeat("x", 10000), Date: "01/01/2012"}, "deliberation_ref"},
		} {
			_, err := s.CreateAdoption(t.Context(), actors["pilote"], tc.in)
			var verr *models.ValidationError
			if !errors.As(err, &verr) {
				t.Errorf("%s : err = %v", name, err)
				continue
			}
			found := false
			for _, fe := range verr.Errors {
				found = found || fe.Field == tc.field
			}
			if !found {
				t.Errorf("%s : %v, attendu une erreur sur %s", name, err, tc.field)
			}
		}
	})
}

func TestCoverage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		actors := worldActors(t, s)
		pilote := actors["pilote"]
		if _, err := s.CoverageOf(t.Context(), pilote.Scope); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("sans version adoptée : %v", err)
		}
		v, err := s.CreateCharte(t.Context(), pilote, charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []models.AdoptionInput{
			{CharteVersionID: v.ID, Commune: "93008", Ref: "D1", Date: "01/01/2012"},
			{CharteVersionID: v.ID, EPCI: "200057875", CouvreMembres: true, Ref: "D2", Date: "01/01/2012"},
			{CharteVersionID: v.ID, EPCI: "200054781", CouvreMembres: false, Ref: "D3", Date: "01/01/2012"}, // MGP, members not covered
		} {
			if _, err := s.CreateAdoption(t.Context(), pilote, in); err != nil {
				t.Fatal(err)
			}
		}
		cov, err := s.CoverageOf(t.Context(), pilote.Scope)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Total.CommunesCovered != 9 || len(cov.Departements) != 3 {
			t.Fatalf("communes couvertes : %d (%d départements)", cov.Total.CommunesCovered, len(cov.Departements))
		}
		deps, err := s.ListDepartements(t.Context(), pilote.Scope)
		if err != nil {
			t.Fatal(err)
		}
		var want models.CoverageRow
		n93 := int64(0)
		for _, d := range deps {
			want.Communes += int64(d.NbCommunes)
			want.Eleves += int64(d.NbEleves)
			if d.Code == "93" {
				n93 = int64(d.NbCommunes)
			}
		}
		ee, err := s.ListCommunes(t.Context(), pilote.Scope, models.CommuneFilter{EPCI: "200057875"}, models.PageRequest{Size: 100})
		if err != nil || ee.Total != 9 {
			t.Fatalf("Est Ensemble : %d communes (%v)", ee.Total, err)
		}
		for _, c := range ee.Items {
			want.ElevesCovered += int64(c.NbEleves)
		}
		if cov.Total.Communes != want.Communes || cov.Total.Eleves != want.Eleves || cov.Total.ElevesCovered != want.ElevesCovered {
			t.Errorf("total %+v, attendu %+v", cov.Total, want)
		}
		if want.ElevesCovered == 0 || cov.Total.ElevesShare() != float64(want.ElevesCovered)/float64(want.Eleves) {
			t.Errorf("part des élèves %v", cov.Total.ElevesShare())
		}
		for _, d := range cov.Departements {
			if (d.Code == "93") != (d.CommunesCovered == 9) {
				t.Errorf("département %s : %d communes couvertes", d.Code, d.CommunesCovered)
			}
		}
		ia77, _ := s.CoverageOf(t.Context(), actors["ia77"].Scope)
		if len(ia77.Departements) != 1 || ia77.Departements[0].Code != "77" {
			t.Errorf("IA 77 voit %+v", ia77.Departements)
		}
		ien, err := s.CoverageOf(t.Context(), actors["ien"].Scope)
		if err != nil || len(ien.Departements) != 1 || ien.Departements[0].Code != "94" || ien.Total.Communes == 0 {
			t.Errorf("IEN voit %+v (%v)", ien.Departements, err)
		}
		un, err := s.ListUncovered(t.Context(), pilote.Scope, "93", models.PageRequest{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if un.Total != n93-9 {
			t.Errorf("%d communes non couvertes en 93, attendu %d", un.Total, n93-9)
		}
		for _, c := range un.Items {
			if c.CodeINSEE == "93008" || c.CodeINSEE == "93048" {
				t.Errorf("%s est couverte", c.CodeINSEE)
			}
		}
	})
}

// TestCoverageFollowsChanges checks the kept coverage tables after each kind of change:
// an adoption created, moved to another commune, archived, and a new version adopted.
func TestCoverageFollowsChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pilote := worldActors(t, s)["pilote"]
		expect := func(step string, covered int64) {
			t.Helper()
			cov, err := s.CoverageOf(t.Context(), pilote.Scope)
			if err != nil {
				t.Fatal(err)
			}
			un, err := s.ListUncovered(t.Context(), pilote.Scope, "", models.PageRequest{Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			// The same count, commune by commune, for a scope that is not whole départements.
			ref, err := s.CoverageOf(t.Context(), models.Scope{Kind: models.ScopeCommunes, Communes: []string{"93008", "93048", "94028"}})
			if err != nil {
				t.Fatal(err)
			}
			if cov.Total.CommunesCovered != covered || un.Total != cov.Total.Communes-covered {
				t.Errorf("%s : %d communes couvertes, %d non couvertes sur %d ; attendu %d couvertes",
					step, cov.Total.CommunesCovered, un.Total, cov.Total.Communes, covered)
			}
			if (covered > 0) != (ref.Total.CommunesCovered > 0) {
				t.Errorf("%s : %d communes témoins couvertes", step, ref.Total.CommunesCovered)
			}
		}
		v1, err := s.CreateCharte(t.Context(), pilote, charteInput("1", models.CharteAdoptee))
		if err != nil {
			t.Fatal(err)
		}
		expect("version seule", 0)
		commune, err := s.CreateAdoption(t.Context(), pilote, models.AdoptionInput{CharteVersionID: v1.ID, Commune: "93008", Ref: "D1", Date: "01/01/2012"})
		if err != nil {
			t.Fatal(err)
		}
		expect("adoption de Bobigny", 1)
		epci, err := s.CreateAdoption(t.Context(), pilote, models.AdoptionInput{CharteVersionID: v1.ID, EPCI: "200057875", CouvreMembres: true, Ref: "D2", Date: "01/01/2012"})
		if err != nil {
			t.Fatal(err)
		}
		expect("adoption d'Est Ensemble", 9)
		if _, err := s.UpdateAdoption(t.Context(), pilote, commune.ID, commune.Version,
			models.AdoptionInput{CharteVersionID: v1.ID, Commune: "94028", Ref: "D1", Date: "01/01/2012"}); err != nil {
			t.Fatal(err)
		}
		expect("adoption déplacée à Créteil", 10)
		if err := s.ArchiveAdoption(t.Context(), pilote, epci.ID); err != nil {
			t.Fatal(err)
		}
		expect("adoption d'Est Ensemble archivée", 1)
		if _, err := s.CreateCharte(t.Context(), pilote, charteInput("2", models.CharteAdoptee)); err != nil {
			t.Fatal(err)
		}
		expect("nouvelle version", 0)
	})
}
