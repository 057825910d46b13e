package models

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"gorm.io/gorm"
)

// KeptFiguresDiff checks the figures the data layer keeps in tables against the same
// figures computed from scratch, for the external tests of every write path: it returns ""
// when they agree, else what differs. In a transaction rolled back, it reads the kept
// tables, recomputes them all (every convention's communes in force, the départements'
// figures, the charter's coverage, the
// deployments' figures, the teachers trained and the training's coverage) and reads them again; and it counts the communes without
// a local convention in force per département the way the alerts did before the table
// existed (every commune against every convention, expiry compared with today), against
// what the alerts read from the kept rows. Being in a _test.go file, it is no part of the
// package's API.
func KeptFiguresDiff(ctx context.Context, s *Store) (string, error) {
	var diff string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		kept, err := keptTables(tx)
		if err != nil {
			return err
		}
		if diff, err = sansConventionDiff(s, tx); err != nil {
			return err
		}
		var ids []int64
		if err := tx.Model(&Convention{}).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		if err := refreshConventionsEnVigueur(tx, ids...); err != nil {
			return err
		}
		if err := refreshFormesOf(tx, nil); err != nil {
			return err
		}
		if err := refreshEvaluationSums(tx, nil); err != nil {
			return err
		}
		if err := refreshDepartementFigures(tx); err != nil {
			return err
		}
		if err := refreshCoverage(tx, coverageScope{}); err != nil {
			return err
		}
		fresh, err := keptTables(tx)
		if err != nil {
			return err
		}
		for _, t := range slices.Sorted(maps.Keys(kept)) {
			if k, f := fmt.Sprint(kept[t]), fmt.Sprint(fresh[t]); k != f {
				diff += fmt.Sprintf("%s gardée :\n%s\nrecalculée :\n%s\n", t, k, f)
			}
		}
		return errKeptRollback
	})
	if errors.Is(err, errKeptRollback) {
		err = nil
	}
	return diff, err
}

// errKeptRollback ends KeptFiguresDiff's transaction without writing.
var errKeptRollback = errors.New("annulation du contrôle des chiffres gardés")

// keptTables reads the kept tables, each in the order of its key.
func keptTables(tx *gorm.DB) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	for table, order := range map[string]string{
		"conventions_en_vigueur":  "convention_id, code_insee",
		"chiffres_departements":   "departement_code",
		"couverture_communes":     "charte_version_id, code_insee",
		"couverture_departements": "charte_version_id, departement_code",
		"chiffres_deploiements":   "departement_code, phase",
		"formation_formes":        "uai",
		"couverture_ecoles":       "uai",
		"couverture_groupes":      "departement_code, code_circonscription, vague_id",
		"formations":              "id",
	} {
		var rows []map[string]any
		if err := tx.Table(table).Order(order).Find(&rows).Error; err != nil {
			return nil, err
		}
		out[table] = rows
	}
	return out, nil
}

// sansConventionDiff compares the communes without a local convention in force per
// département, from scratch and as the alerts count them.
func sansConventionDiff(s *Store, tx *gorm.DB) (string, error) {
	today := s.todayDate()
	var scratch []struct {
		Code string
		N    int
	}
	err := tx.Raw(`SELECT m.departement_code AS code, COUNT(*) AS n FROM communes m
		WHERE NOT EXISTS (SELECT 1 FROM convention_communes fc JOIN conventions fcv ON fcv.id = fc.convention_id
			WHERE fc.code_insee = m.code_insee AND fcv.kind = 'locale' AND fcv.statut = 'en_vigueur'
			AND fcv.archived_at IS NULL AND (fcv.date_fin IS NULL OR fcv.date_fin >= ?))
		GROUP BY m.departement_code ORDER BY m.departement_code`, today).Scan(&scratch).Error
	if err != nil {
		return "", err
	}
	want := map[string]int{}
	for _, r := range scratch {
		want[r.Code] = r.N
	}
	deps, err := s.sansConvention(tx, AcademieScope(), today)
	if err != nil {
		return "", err
	}
	got := map[string]int{}
	for _, d := range deps {
		if d.SansConvention != 0 {
			got[d.Code] = d.SansConvention
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Sprintf("communes sans convention en vigueur : gardées %v, recalculées %v\n", got, want), nil
	}
	return "", nil
}
