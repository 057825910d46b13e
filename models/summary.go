package models

import "context"

// TerritorySummary counts what lies in a scope: communes, écoles and pupils.
type TerritorySummary struct {
	NbCommunes int
	NbEcoles   int
	NbEleves   int
}

// SummarizeScope counts the communes and écoles of the caller's own territory (the home
// page's "Mon périmètre"). A circonscription counts the communes of its écoles.
func (s *Store) SummarizeScope(ctx context.Context, scope Scope) (TerritorySummary, error) {
	var out TerritorySummary
	if err := scope.readReference(); err != nil {
		return out, err
	}
	if scope.Kind == ScopeAcademie || scope.Kind == ScopeDepartement {
		// Whole départements: their figures are kept (models/departement_figures.go).
		err := scope.within(s.db.WithContext(ctx).Table("chiffres_departements AS cd"), "cd", departementsTerritory, reachRead).
			Select("COALESCE(SUM(cd.nb_communes), 0) AS nb_communes, COALESCE(SUM(cd.nb_ecoles), 0) AS nb_ecoles, " +
				"COALESCE(SUM(cd.nb_eleves), 0) AS nb_eleves").Scan(&out).Error
		return out, err
	}
	q := scope.within(s.db.WithContext(ctx).Table("ecoles AS e"), "e", ecolesTerritory, reachRead)
	err := q.Select("COUNT(DISTINCT e.code_insee) AS nb_communes, COUNT(*) AS nb_ecoles, COALESCE(SUM(e.nb_eleves), 0) AS nb_eleves").
		Scan(&out).Error
	if err != nil || scope.Kind == ScopeCirconscription {
		return out, err
	}
	var n int64
	cq := scope.within(s.db.WithContext(ctx).Table("communes AS c"), "c", communesTerritory, reachRead)
	err = cq.Count(&n).Error
	out.NbCommunes = int(n)
	return out, err
}
