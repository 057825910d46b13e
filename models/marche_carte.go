package models

import "context"

// The map of the markets: which ENT solution the awarded lots give to which communes and
// écoles, by département (the public écoles of the markets' communes, as the award gives
// them the solution).

// MarcheCouverture is one line of the map: a solution in a département.
type MarcheCouverture struct {
	DepartementCode string
	Solution        string
	NbMarches       int64
	NbCommunes      int64
	NbEcoles        int64
}

// MarcheCommuneCouverte is a commune covered by an awarded market, with its solution.
type MarcheCommuneCouverte struct {
	DepartementCode string
	CodeINSEE       string `gorm:"column:code_insee"`
	Commune         string
	Solution        string
	MarcheID        int64
	Objet           string
}

// MaxCarteCommunes bounds the communes listed on the map.
const MaxCarteCommunes = 2000

// MarchesCarte returns the map of the awarded markets of the scope: the totals by
// département and solution (SQL GROUP BY), and the communes covered.
func (s *Store) MarchesCarte(ctx context.Context, scope Scope) ([]MarcheCouverture, []MarcheCommuneCouverte, error) {
	db := s.db.WithContext(ctx)
	var lines []MarcheCouverture
	err := marchesIn(db, scope).Joins("JOIN marche_lots l ON l.marche_id = ma.id").
		Joins("JOIN solutions_ent so ON so.id = l.solution_id").Joins("JOIN marche_communes mc ON mc.marche_id = ma.id").
		Joins("LEFT JOIN ecoles e ON e.code_insee = mc.code_insee AND e.statut = 'public'").
		Select("ma.departement_code, so.produit AS solution, COUNT(DISTINCT ma.id) AS nb_marches, " +
			"COUNT(DISTINCT mc.code_insee) AS nb_communes, COUNT(DISTINCT e.uai) AS nb_ecoles").
		Group("ma.departement_code, so.produit").Order("ma.departement_code, so.produit").Scan(&lines).Error
	if err != nil {
		return nil, nil, err
	}
	var communes []MarcheCommuneCouverte
	err = marchesIn(db, scope).Joins("JOIN marche_lots l ON l.marche_id = ma.id").
		Joins("JOIN solutions_ent so ON so.id = l.solution_id").Joins("JOIN marche_communes mc ON mc.marche_id = ma.id").
		Joins("JOIN communes c ON c.code_insee = mc.code_insee").
		Select("DISTINCT ma.departement_code, mc.code_insee, c.nom AS commune, so.produit AS solution, ma.id AS marche_id, ma.objet").
		Order("ma.departement_code, c.nom, mc.code_insee, so.produit").Limit(MaxCarteCommunes).Scan(&communes).Error
	return lines, communes, err
}
