package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// CoverageRow is the coverage of one département (or of the académie, Code ""): communes
// covered by an adoption of the current version, and their pupils.
type CoverageRow struct {
	Code            string `gorm:"column:code"`
	Nom             string `gorm:"column:nom"`
	Communes        int64  `gorm:"column:communes"`
	CommunesCovered int64  `gorm:"column:communes_couvertes"`
	Eleves          int64  `gorm:"column:eleves"`
	ElevesCovered   int64  `gorm:"column:eleves_couverts"`
}

// CommunesShare is the share of communes covered, between 0 and 1.
func (r CoverageRow) CommunesShare() float64 { return share(r.CommunesCovered, r.Communes) }

// ElevesShare is the share of pupils covered, between 0 and 1.
func (r CoverageRow) ElevesShare() float64 { return share(r.ElevesCovered, r.Eleves) }

func share(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Coverage is the coverage of the current version: per département of the scope and in total.
type Coverage struct {
	Version      CharteVersion
	Departements []CoverageRow
	Total        CoverageRow
}

// isCovered is true when the commune c is covered by version @v (couverture_communes,
// kept up to date by refreshCoverage).
const isCovered = "EXISTS (SELECT 1 FROM couverture_communes cc WHERE cc.charte_version_id = @v AND cc.code_insee = c.code_insee)"

// summarized reports whether the coverage of the scope is the sum of whole départements,
// read from couverture_departements; a circonscription or a list of communes is counted
// commune by commune.
func (s Scope) summarized() bool { return s.Kind == ScopeAcademie || s.Kind == ScopeDepartement }

// CoverageOf returns the coverage of the current (adopted) version, per département of the
// scope, and its total. ErrNotFound when no version is adopted.
func (s *Store) CoverageOf(ctx context.Context, scope Scope) (Coverage, error) {
	var cov Coverage
	v, err := s.CurrentCharte(ctx)
	if err != nil {
		return cov, err
	}
	cov.Version = v
	if cov.Departements, err = s.coverageRows(ctx, scope, v.ID); err != nil {
		return cov, err
	}
	// The total is the sum of the département rows (a handful), not a second pass.
	for _, d := range cov.Departements {
		cov.Total.Communes += d.Communes
		cov.Total.CommunesCovered += d.CommunesCovered
		cov.Total.Eleves += d.Eleves
		cov.Total.ElevesCovered += d.ElevesCovered
	}
	cov.Total.Nom = "Académie"
	if scope.Kind != ScopeAcademie {
		cov.Total.Nom = "Total de votre territoire"
	}
	return cov, nil
}

// coverageRows returns the coverage of version per département of the scope.
func (s *Store) coverageRows(ctx context.Context, scope Scope, version int64) ([]CoverageRow, error) {
	var rows []CoverageRow
	if scope.summarized() {
		q := scope.within(s.db.WithContext(ctx).Table("couverture_departements AS cd"), "cd", departementsTerritory, reachRead).
			Joins("JOIN departements d ON d.code = cd.departement_code").
			Where("cd.charte_version_id = ?", version).
			Select("cd.departement_code AS code, d.nom AS nom, cd.communes, cd.communes_couvertes, cd.eleves, cd.eleves_couverts")
		return rows, q.Order("cd.departement_code").Scan(&rows).Error
	}
	// Commune by commune, the pupils summed over the scope's communes only (an index read
	// each), not over every école of the country.
	db := s.db.WithContext(ctx)
	communes := scope.within(db.Table("communes AS c"), "c", communesTerritory, reachRead).
		Select(`c.departement_code, CASE WHEN `+isCovered+` THEN 1 ELSE 0 END AS couverte,
			COALESCE((SELECT SUM(COALESCE(ue.nb_eleves, 0)) FROM ecoles ue WHERE ue.code_insee = c.code_insee), 0) AS eleves`,
			map[string]any{"v": version})
	q := db.Table("(?) AS x", communes).Joins("JOIN departements d ON d.code = x.departement_code").
		Select(`x.departement_code AS code, d.nom AS nom, COUNT(*) AS communes, SUM(x.couverte) AS communes_couvertes,
			COALESCE(SUM(x.eleves), 0) AS eleves, COALESCE(SUM(x.couverte * x.eleves), 0) AS eleves_couverts`)
	return rows, q.Group("x.departement_code, d.nom").Order("x.departement_code").Scan(&rows).Error
}

// UncoveredCommune is a commune not covered by the current version.
type UncoveredCommune struct {
	CodeINSEE       string `gorm:"column:code_insee"`
	Nom             string
	DepartementCode string
	Population      int64
	Eleves          int64 `gorm:"column:eleves"`
}

func (s *Store) uncoveredQuery(ctx context.Context, scope Scope, versionID int64, departement string) *gorm.DB {
	q := scope.within(s.db.WithContext(ctx).Table("communes AS c"), "c", communesTerritory, reachRead).
		Where("NOT ("+isCovered+")", map[string]any{"v": versionID})
	if departement != "" {
		q = q.Where("c.departement_code = ?", dbText(departement))
	}
	return q
}

const uncoveredColumns = `c.code_insee, c.nom, c.departement_code, c.population,
	COALESCE((SELECT SUM(COALESCE(ue.nb_eleves, 0)) FROM ecoles ue WHERE ue.code_insee = c.code_insee), 0) AS eleves`

// ListUncovered returns one page of the communes of the scope not covered by the current
// version, by département and name.
func (s *Store) ListUncovered(ctx context.Context, scope Scope, departement string, p PageRequest) (Page[UncoveredCommune], error) {
	p = p.normalized()
	page := Page[UncoveredCommune]{Number: p.Number, Size: p.Size}
	v, err := s.CurrentCharte(ctx)
	if errors.Is(err, ErrNotFound) {
		return page, nil
	}
	if err != nil {
		return page, err
	}
	if page.Total, err = s.countUncovered(ctx, scope, v.ID, departement); err != nil {
		return page, err
	}
	err = s.uncoveredQuery(ctx, scope, v.ID, departement).Select(uncoveredColumns).
		Order("c.departement_code, c.nom_recherche, c.code_insee").Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}

// EachUncovered calls fn for every uncovered commune of the scope, from a cursor.
func (s *Store) EachUncovered(ctx context.Context, scope Scope, departement string, fn func(UncoveredCommune) error) error {
	v, err := s.CurrentCharte(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	db := s.db.WithContext(ctx)
	rows, err := s.uncoveredQuery(ctx, scope, v.ID, departement).Select(uncoveredColumns).
		Order("c.departement_code, c.nom_recherche, c.code_insee").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r UncoveredCommune
		if err := db.ScanRows(rows, &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// countUncovered counts the uncovered communes of the scope: from couverture_departements
// when the scope is made of whole départements, commune by commune otherwise.
func (s *Store) countUncovered(ctx context.Context, scope Scope, version int64, departement string) (int64, error) {
	var n int64
	if !scope.summarized() {
		err := s.uncoveredQuery(ctx, scope, version, departement).Count(&n).Error
		return n, err
	}
	q := scope.within(s.db.WithContext(ctx).Table("couverture_departements AS cd"), "cd", departementsTerritory, reachRead).
		Where("cd.charte_version_id = ?", version)
	if departement != "" {
		q = q.Where("cd.departement_code = ?", dbText(departement))
	}
	err := q.Select("COALESCE(SUM(cd.communes - cd.communes_couvertes), 0)").Scan(&n).Error
	return n, err
}
