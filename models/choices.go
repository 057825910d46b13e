package models

import "context"

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

// EPCIChoices lists the EPCI and EPT (SIREN and name) for filters, EPT last, by name.
func (s *Store) EPCIChoices(ctx context.Context, scope Scope, departement string) ([]Choice, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	q := s.epciQuery(ctx, EPCIFilter{Departement: departement}).Select("x.siren, x.nom, x.type")
	var rows []EPCI
	if err := q.Order("CASE WHEN x.type = 'EPT' THEN 1 ELSE 0 END, x.nom").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, e := range rows {
		out[i] = Choice{Value: e.Siren, Label: e.Nom}
	}
	return out, nil
}

// CirconscriptionChoices lists circonscriptions for filters: those of a département, or
// all of them when departement is "".
func (s *Store) CirconscriptionChoices(ctx context.Context, scope Scope, departement string) ([]Choice, error) {
	circos, err := s.ListCirconscriptions(ctx, scope, departement)
	if err != nil {
		return nil, err
	}
	out := make([]Choice, len(circos))
	for i, c := range circos {
		out[i] = Choice{Value: c.Code, Label: c.Nom}
	}
	return out, nil
}
