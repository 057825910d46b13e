package models

import (
	"context"
	"strconv"
	"strings"
)

// The choices of the candidature form, derived from the communes chosen: their écoles,
// the EPCI and EPT they belong to, and the contacts the actor reads.

// CandidatureEcoleChoices lists the écoles of the communes (INSEE codes), by commune and
// name: "École Jean Jaurès (0930001A) — Montreuil".
func (s *Store) CandidatureEcoleChoices(ctx context.Context, scope Scope, communes []string) ([]Choice, error) {
	if err := scope.readReference(); err != nil || len(communes) == 0 {
		return nil, err
	}
	var rows []struct {
		UAI     string `gorm:"column:uai"`
		Nom     string
		Commune string
	}
	if err := s.db.WithContext(ctx).Table("ecoles AS e").Joins("JOIN communes c ON c.code_insee = e.code_insee").
		Select("e.uai, e.nom, c.nom AS commune").Where("e.code_insee IN ?", cleanCodes(communes)).
		Order("c.nom_recherche, e.nom, e.uai").Limit(MaxCandidatureEcoles).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: r.UAI, Label: r.Nom + " (" + r.UAI + ") — " + r.Commune}
	}
	return out, nil
}

// CandidaturePorteurChoices lists the EPCI and EPT that count one of the communes.
func (s *Store) CandidaturePorteurChoices(ctx context.Context, scope Scope, communes []string) ([]Choice, error) {
	if err := scope.readReference(); err != nil || len(communes) == 0 {
		return nil, err
	}
	codes := cleanCodes(communes)
	var rows []struct {
		Siren, Nom string
	}
	if err := s.db.WithContext(ctx).Table("epci AS x").Select("x.siren, x.nom").
		Where("x.siren IN (SELECT epci_siren FROM communes WHERE code_insee IN ? AND epci_siren IS NOT NULL) OR "+
			"x.siren IN (SELECT ept_siren FROM communes WHERE code_insee IN ? AND ept_siren IS NOT NULL)", codes, codes).
		Order("x.nom, x.siren").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: r.Siren, Label: r.Nom + " (" + r.Siren + ")"}
	}
	return out, nil
}

// CandidatureContactChoices lists the live contacts the scope reads, by name: "Marie
// Dupont — Mairie de Bobigny".
func (s *Store) CandidatureContactChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []struct {
		ID                  int64
		Nom, Prenom, OrgNom string
	}
	if err := contactsIn(s.db.WithContext(ctx), scope).Select("c.id, c.nom, c.prenom, o.nom AS org_nom").
		Where("c.archived_at IS NULL AND o.archived_at IS NULL AND c.anonymised_at IS NULL").
		Order("c.nom_recherche, c.id").Limit(MaxChoices).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: strings.TrimSpace(r.Prenom+" "+r.Nom) + " — " + r.OrgNom}
	}
	return out, nil
}
