package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// DepartementChoices lists the départements (code and "93 — Seine-Saint-Denis") for filters.
func (s *Store) DepartementChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	var rows []Departement
	if err := s.db.WithContext(ctx).Select("code, nom").Order("code").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, d := range rows {
		out[i] = Choice{Value: d.Code, Label: d.Code + " — " + d.Nom}
	}
	return out, nil
}

// MaxChoices bounds the options of a filter's select; past it, the filter asks the user to
// choose a département first (at national scale there are 1,250 EPCI).
const MaxChoices = 200

// EPCIChoices lists the EPCI and EPT (SIREN and name) of a département ("" for all) for
// filters, EPT last, by name; nil when there are more than MaxChoices.
func (s *Store) EPCIChoices(ctx context.Context, scope Scope, departement string) ([]Choice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	// Too many to list is known from the first MaxChoices+1 rows met, before any sort: at
	// national scale, sorting the 1,431 EPCI to return none took a quarter of /communes.
	if many, err := moreThan(s.epciQuery(ctx, EPCIFilter{Departement: departement}), "x.siren", MaxChoices); err != nil || many {
		return nil, err
	}
	q := s.epciQuery(ctx, EPCIFilter{Departement: departement}).Select("x.siren, x.nom, x.type")
	var rows []EPCI
	if err := q.Order("CASE WHEN x.type = 'EPT' THEN 1 ELSE 0 END, x.nom_recherche, x.siren").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, e := range rows {
		out[i] = Choice{Value: e.Siren, Label: e.Nom}
	}
	return out, nil
}

// CirconscriptionChoices lists circonscriptions for filters: those of a département, or
// all of them when departement is "" (a circonscription's scope: its own only); nil when
// there are more than MaxChoices.
func (s *Store) CirconscriptionChoices(ctx context.Context, scope Scope, departement string) ([]Choice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Model(&Circonscription{}).Where("archived_at IS NULL").Session(&gorm.Session{})
	if scope.Kind == ScopeCirconscription {
		q = q.Where("code IN ?", scope.Circonscriptions)
	}
	if departement != "" {
		q = q.Where("departement_code = ?", departement)
	}
	if many, err := moreThan(q.Session(&gorm.Session{}), "code", MaxChoices); err != nil || many {
		return nil, err
	}
	var circos []Circonscription
	if err := q.Select("code, nom").Order("nom, code").Find(&circos).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(circos))
	for i, c := range circos {
		out[i] = Choice{Value: c.Code, Label: c.Nom}
	}
	return out, nil
}

// DepartementChoicesIn lists the départements a scope's filters and forms offer: every
// département for the académie, the scope's own otherwise (those of its circonscriptions or
// communes for the narrower scopes).
func (s *Store) DepartementChoicesIn(ctx context.Context, scope Scope) ([]Choice, error) {
	all, err := s.DepartementChoices(ctx, scope)
	if err != nil || scope.Kind == ScopeAcademie {
		return all, err
	}
	own := scope.Departements
	switch scope.Kind {
	case ScopeCirconscription:
		err = s.db.WithContext(ctx).Table("circonscriptions").Where("code IN ?", scope.Circonscriptions).
			Distinct().Pluck("departement_code", &own).Error
	case ScopeCommunes:
		err = s.db.WithContext(ctx).Table("communes").Where("code_insee IN ?", scope.Communes).
			Distinct().Pluck("departement_code", &own).Error
	}
	out := all[:0:0]
	for _, ch := range all {
		if slices.Contains(own, ch.Value) {
			out = append(out, ch)
		}
	}
	return out, err
}

// moreThan reports whether the query q matches more than n rows, reading at most n+1 keys
// in no order (no sort, no full count).
func moreThan(q *gorm.DB, key string, n int) (bool, error) {
	var keys []string
	err := q.Select(key).Limit(n+1).Pluck(key, &keys).Error
	return len(keys) > n, err
}
