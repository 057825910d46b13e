package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Departement is a département of the académie.
type Departement struct {
	Code      string `gorm:"primaryKey"`
	Nom       string
	Academie  string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// TableName is the departements table.
func (Departement) TableName() string { return "departements" }

// DepartementRow is a département with its counts.
type DepartementRow struct {
	Code       string
	Nom        string
	Academie   string
	NbCommunes int
	Population int
	NbEcoles   int
	NbEleves   int
	NbEPCI     int // EPCI other than EPT with a member commune in the département
	NbEPT      int
}

// departementColumns read the département with its figures, kept in chiffres_departements
// (models/departement_figures.go).
const departementColumns = `d.code, d.nom, d.academie, COALESCE(f.nb_communes, 0) AS nb_communes,
	COALESCE(f.population, 0) AS population, COALESCE(f.nb_ecoles, 0) AS nb_ecoles,
	COALESCE(f.nb_eleves, 0) AS nb_eleves, COALESCE(f.nb_epci, 0) AS nb_epci, COALESCE(f.nb_ept, 0) AS nb_ept`

// departementsWithFigures starts the queries of départements with their figures.
func departementsWithFigures(db *gorm.DB) *gorm.DB {
	return db.Table("departements AS d").Joins("LEFT JOIN chiffres_departements f ON f.departement_code = d.code").
		Select(departementColumns)
}

// ListDepartements returns every département with its counts, by code.
func (s *Store) ListDepartements(ctx context.Context, scope Scope) ([]DepartementRow, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var rows []DepartementRow
	err := departementsWithFigures(s.db.WithContext(ctx)).Order("d.code").Scan(&rows).Error
	return rows, err
}

// GetDepartement returns one département with its counts.
func (s *Store) GetDepartement(ctx context.Context, scope Scope, code string) (DepartementRow, error) {
	if err := scope.readReference(); err != nil {
		return DepartementRow{}, err
	}
	var rows []DepartementRow
	err := departementsWithFigures(s.db.WithContext(ctx)).Where("d.code = ?", code).Limit(1).Scan(&rows).Error
	if err != nil {
		return DepartementRow{}, err
	}
	if len(rows) == 0 {
		return DepartementRow{}, ErrNotFound
	}
	return rows[0], nil
}

// Breakdown counts écoles and pupils by one category.
type Breakdown struct {
	Key      string `gorm:"column:category"`
	NbEcoles int
	NbEleves int
}

// EcoleBreakdown counts the écoles matching f by type, by statut and by priority education.
func (s *Store) EcoleBreakdown(ctx context.Context, scope Scope, f EcoleFilter) (byType, byStatut, byEP []Breakdown, err error) {
	if err := scope.readReference(); err != nil {
		return nil, nil, nil, err
	}
	group := func(col string) ([]Breakdown, error) {
		var out []Breakdown
		err := s.ecolesQuery(ctx, f).
			Select("e." + col + " AS category, COUNT(*) AS nb_ecoles, COALESCE(SUM(e.nb_eleves), 0) AS nb_eleves").
			Group("e." + col).Order("e." + col).Scan(&out).Error
		return out, err
	}
	if byType, err = group("type"); err != nil {
		return
	}
	if byStatut, err = group("statut"); err != nil {
		return
	}
	byEP, err = group("education_prioritaire")
	return
}

// Circonscription is a primary-school inspection district.
type Circonscription struct {
	Code            string `gorm:"primaryKey"`
	Nom             string
	DepartementCode string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// TableName is the circonscriptions table.
func (Circonscription) TableName() string { return "circonscriptions" }

// ListCirconscriptions returns the circonscriptions of a département ("" for all), by name.
func (s *Store) ListCirconscriptions(ctx context.Context, scope Scope, departement string) ([]Circonscription, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Model(&Circonscription{})
	if departement != "" {
		q = q.Where("departement_code = ?", departement)
	}
	var out []Circonscription
	return out, q.Order("nom, code").Find(&out).Error
}

// IsEmpty reports whether the territory holds no département yet (a fresh database).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Departement{}).Count(&n).Error
	return n == 0, err
}
