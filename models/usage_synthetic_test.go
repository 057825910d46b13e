package models_test

import (
	"testing"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// TestLoadSyntheticUsages imports months × 5 profiles per école, one import per month, and
// the kept monthly figures sum the rows.
func TestLoadSyntheticUsages(t *testing.T) {
	dbtest.EachEmpty(t, func(t *testing.T, s *models.Store) {
		ctx := t.Context()
		if _, err := seeds.LoadSynthetic(ctx, s, seeds.SyntheticOptions{Communes: 100, Ecoles: 200}); err != nil {
			t.Fatal(err)
		}
		if err := seeds.LoadSyntheticUsages(ctx, s, 3); err != nil {
			t.Fatal(err)
		}
		db := models.RawDB(s)
		var rows, imports, months int64
		var kept, stored struct{ Ecoles, Actives, Connexions int64 }
		db.Raw("SELECT COUNT(*) FROM usages").Scan(&rows)
		db.Raw("SELECT COUNT(*) FROM usage_imports WHERE lignes = 1000").Scan(&imports)
		db.Raw("SELECT COUNT(DISTINCT mois) FROM usages_mois").Scan(&months)
		db.Raw("SELECT SUM(ecoles) AS ecoles, SUM(comptes_actives) AS actives, SUM(connexions) AS connexions FROM usages_mois").Scan(&kept)
		db.Raw("SELECT COUNT(*) AS ecoles, SUM(comptes_actives) AS actives, SUM(connexions) AS connexions FROM usages").Scan(&stored)
		if rows != 200*3*5 || imports != 3 || months != 3 || kept != stored || stored.Actives == 0 {
			t.Fatalf("%d lignes, %d imports, %d mois ; gardé %+v, lignes %+v", rows, imports, months, kept, stored)
		}
		if err := seeds.LoadSyntheticUsages(ctx, s, 0); err == nil {
			t.Fatal("0 mois accepté")
		}
	})
}
