package seeds_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

func TestLoadSynthetic(t *testing.T) {
	opts := seeds.SyntheticOptions{Communes: 500, Ecoles: 800}
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		ctx, scope := t.Context(), models.AcademieScope()
		counts, err := seeds.LoadSynthetic(ctx, s, opts)
		if err != nil {
			t.Fatal(err)
		}
		if counts.Communes != (models.ImportCounts{Created: 500}) || counts.Ecoles != (models.ImportCounts{Created: 800}) {
			t.Fatalf("premier chargement : communes %v, écoles %v", counts.Communes, counts.Ecoles)
		}
		deps, err := s.ListDepartements(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		var nbCommunes, nbEcoles int
		for _, d := range deps {
			if d.Code == "77" || d.Code == "93" || d.Code == "94" || d.NbCommunes == 0 {
				t.Errorf("département synthétique %s : %d communes", d.Code, d.NbCommunes)
			}
			nbCommunes, nbEcoles = nbCommunes+d.NbCommunes, nbEcoles+d.NbEcoles
		}
		if len(deps) != 91 || nbCommunes != 500 || nbEcoles != 800 {
			t.Errorf("%d départements, %d communes, %d écoles", len(deps), nbCommunes, nbEcoles)
		}
		if p, err := s.ListEPCI(ctx, scope, models.EPCIFilter{}, models.PageRequest{}); err != nil || p.Total != 20 {
			t.Errorf("%d EPCI (une par 25 communes), %v", p.Total, err)
		}

		communeDep := map[string]string{}
		err = s.EachCommune(ctx, scope, models.CommuneFilter{}, func(c models.CommuneRow) error {
			communeDep[c.CodeINSEE] = c.DepartementCode
			if !models.ValidINSEE(c.CodeINSEE) || c.CodeINSEE[:2] != c.DepartementCode || c.EPCINom == "" || c.Population <= 0 {
				t.Errorf("commune synthétique incohérente : %+v", c)
			}
			return nil
		})
		if err != nil || len(communeDep) != 500 {
			t.Fatalf("%d communes parcourues, %v", len(communeDep), err)
		}
		seen := 0
		err = s.EachEcole(ctx, scope, models.EcoleFilter{}, func(e models.EcoleRow) error {
			seen++
			if msg := models.CheckUAI(e.UAI); msg != "" {
				t.Errorf("%s : %s", e.UAI, msg)
			}
			if e.UAI[1:3] != e.DepartementCode || communeDep[e.CodeINSEE] != e.DepartementCode {
				t.Errorf("%s : département %s, commune %s du %s", e.UAI, e.DepartementCode, e.CodeINSEE, communeDep[e.CodeINSEE])
			}
			if models.CheckUAI(e.CodeCirconscription) != "" || e.CirconscriptionNom == "" || e.NbEleves == nil || e.NbClasses == nil {
				t.Errorf("école synthétique incomplète : %+v", e)
			}
			return nil
		})
		if err != nil || seen != 800 {
			t.Fatalf("%d écoles parcourues, %v", seen, err)
		}

		again, err := seeds.LoadSynthetic(ctx, s, opts)
		if err != nil {
			t.Fatal(err)
		}
		if again.Communes != (models.ImportCounts{Unchanged: 500}) || again.Ecoles != (models.ImportCounts{Unchanged: 800}) {
			t.Errorf("second chargement : communes %v, écoles %v ; attendu rien de créé ni modifié", again.Communes, again.Ecoles)
		}
	})
}

func TestLoadSyntheticRefusesSizesOutOfRange(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		for _, opts := range []seeds.SyntheticOptions{{Communes: 10, Ecoles: 10}, {Communes: 91 * 1000, Ecoles: 10},
			{Communes: 100, Ecoles: 91*8999 + 1}} {
			if _, err := seeds.LoadSynthetic(t.Context(), s, opts); err == nil {
				t.Errorf("%+v accepté", opts)
			}
		}
		if empty, err := s.IsEmpty(t.Context()); err != nil || !empty {
			t.Errorf("tailles refusées mais base modifiée (%v)", err)
		}
	})
}
