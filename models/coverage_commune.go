package models

import (
	"context"
	"errors"

	"github.com/ac-creteil/pilotage/views/fr"
)

// CommuneCharte is how the charter applies to one commune: the version in force, the
// adoption of that version that covers the commune (its own, or that of its EPCI or EPT
// when it covers its member communes: the same rule as the coverage tables), and every
// adoption that applies to it, latest first.
type CommuneCharte struct {
	InScope   bool           // the commune lies in the scope (else nothing is said of it)
	Version   *CharteVersion // the version in force, nil when none is adopted
	Covering  *AdoptionRow
	Adoptions []AdoptionRow
}

// By says who adopted: "la commune" or "l'EPT Est Ensemble".
func (a AdoptionRow) By() string {
	if a.CodeINSEE != nil {
		return "la commune"
	}
	if a.EPCIType == "EPT" {
		return "l'EPT " + a.EPCINom
	}
	return "l'EPCI " + a.EPCINom
}

// deliberationLabel is "délibération du 12/03/2015 (DEL-2015-03)".
func (a AdoptionRow) deliberationLabel() string {
	return "délibération du " + fr.Day(a.DeliberationDate) + " (" + a.DeliberationRef + ")"
}

// Label says in French whether and how the version in force covers the commune: "Couverte
// par l'adoption de l'EPT Est Ensemble pour ses communes membres, charte v3, délibération du
// 12/03/2015 (DEL-2015-03)."
func (c CommuneCharte) Label() string {
	switch {
	case !c.InScope:
		return ""
	case c.Version == nil:
		return "Aucune version de la charte n'est adoptée."
	case c.Covering != nil && c.Covering.CodeINSEE != nil:
		return "Couverte par sa propre adoption de la charte v" + c.Covering.CharteNumero + ", " + c.Covering.deliberationLabel() + "."
	case c.Covering != nil:
		return "Couverte par l'adoption de " + c.Covering.By() + " pour ses communes membres, charte v" + c.Covering.CharteNumero + ", " +
			c.Covering.deliberationLabel() + "."
	}
	msg := "Non couverte par la version en vigueur de la charte (v" + c.Version.Numero + ")."
	if len(c.Adoptions) > 0 {
		a := c.Adoptions[0]
		msg += " Dernière adoption : charte v" + a.CharteNumero + ", par " + a.By() + ", " + a.deliberationLabel() + "."
	}
	return msg
}

// Covered reports whether the version in force covers the commune.
func (c CommuneCharte) Covered() bool { return c.Covering != nil }

// CommuneCharteOf tells how the charter applies to the commune code, within the scope: a
// commune outside it gets InScope false and nothing else.
func (s *Store) CommuneCharteOf(ctx context.Context, scope Scope, code string) (CommuneCharte, error) {
	var out CommuneCharte
	db := s.db.WithContext(ctx)
	var n int64
	if err := scope.within(db.Table("communes AS c"), "c", communesTerritory, reachRead).
		Where("c.code_insee = ?", dbText(code)).Count(&n).Error; err != nil || n == 0 {
		return out, err
	}
	out.InScope = true
	if err := withAdoptionNames(adoptionsIn(db, scope, AdoptionFilter{Commune: code})).
		Order("a.deliberation_date DESC, a.id DESC").Limit(MaxPageSize).Scan(&out.Adoptions).Error; err != nil {
		return out, err
	}
	v, err := s.CurrentCharte(ctx)
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Version = &v
	for i, a := range out.Adoptions {
		if a.CharteVersionID != v.ID {
			continue
		}
		if out.Covering == nil || (a.CodeINSEE != nil && out.Covering.CodeINSEE == nil) { // its own adoption first
			out.Covering = &out.Adoptions[i]
		}
	}
	return out, nil
}
