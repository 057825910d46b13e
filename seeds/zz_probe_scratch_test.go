package seeds_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/models/dbtest"
	"github.com/ac-creteil/pilotage/seeds"
)

func TestZZProbe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		sc := models.AcademieScope()
		f, _ := os.Open("../../shared/data/samples/annuaire_education_extrait_94.csv")
		file, c, err := seeds.ImportEcolesFile(ctx, s, f, models.ImportOptions{})
		t.Logf("annuaire: %d rows skipped %d %v %v", len(file.Rows), file.Skipped, c, err)
		f, _ = os.Open("../../shared/data/samples/annuaire_education_extrait_94.csv")
		file, c, err = seeds.ImportEcolesFile(ctx, s, f, models.ImportOptions{})
		t.Logf("annuaire2: %d rows %v %v", len(file.Rows), c, err)
		f, _ = os.Open("../../shared/data/samples/annuaire_education_extrait_94.csv")
		n, c, err := seeds.ImportCommunesFile(ctx, s, f, models.ImportOptions{DryRun: true})
		t.Logf("annuaire communes dry: %d %v %v", n, c, err)
		n, c, err = seeds.ImportCommunesFile(ctx, s, strings.NewReader("code_insee;nom;departement;population\n94028;Créteil;94;93398\n"), models.ImportOptions{})
		t.Logf("communes: %d %v %v", n, c, err)
		cr, err := s.GetCommune(ctx, sc, "94028")
		t.Logf("%+v %v", cr, err)
		d := "0949990"
		uai := d + string(models.UAICheckLetter(d))
		_, c, err = seeds.ImportEcolesFile(ctx, s, strings.NewReader("uai;nom;type;statut;code_insee;nb_classes\n"+uai+";Ecole\x00 nul;maternelle;public;94028;-3\n"), models.ImportOptions{})
		t.Logf("nul/neg classes: %v %v", c, err)
		_, c, err = seeds.ImportEcolesFile(ctx, s, strings.NewReader("uai;nom;type;statut;code_insee\n"+uai+";Ecole\x00 nul;maternelle;public;94028\n"), models.ImportOptions{})
		t.Logf("nul: %v %v", c, err)
		e, err := s.GetEcole(ctx, sc, uai)
		t.Logf("%q %v", e.Nom, err)
	})
}
