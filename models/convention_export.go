package models

import (
	"context"
	"strconv"

	"github.com/ac-creteil/pilotage/views/fr"
)

// The registry's export (issue 5): the annex écoles and the parties of the conventions of
// the filtered registry, as the workbook's sheets want them; the organisations a party may
// be chosen among; the days as the pages show them.

// ConventionOrganisationChoices lists the live organisations of the scope (id and name), for
// the party select of a convention's page.
func (s *Store) ConventionOrganisationChoices(ctx context.Context, scope Scope) ([]Choice, error) {
	var rows []struct {
		ID  int64
		Nom string
	}
	err := scope.restrictTo(s.db.WithContext(ctx).Table("organisations AS o"), EntityOrganisation, "o").
		Where("o.archived_at IS NULL").Select("o.id, o.nom").Order("o.nom_recherche, o.id").Limit(1000).Scan(&rows).Error
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Nom}
	}
	return out, err
}

// Days of a convention as the pages show them.
func (c Convention) DeliberationLabel() string { return frDate(c.DateDeliberation) }
func (c Convention) SignatureLabel() string    { return frDate(c.DateSignature) }
func (c Convention) EffetLabel() string        { return frDate(c.DateEffet) }
func (c Convention) ExpirationLabel() string   { return frDate(c.DateExpiration) }
func (c Convention) FinLabel() string          { return frDate(c.DateFin) }
func (c Convention) ResiliationLabel() string  { return frDate(c.DateResiliation) }

// DateLabel is the party's signature day.
func (p ConventionParty) DateLabel() string { return frDate(p.DateSignature) }

// Days of an avenant as the pages show them.
func (a Avenant) SignatureLabel() string  { return frDate(a.DateSignature) }
func (a Avenant) EffetLabel() string      { return frDate(a.DateEffet) }
func (a Avenant) ExpirationLabel() string { return frDate(a.NouvelleExpiration) }

// DateLabel is the day the transition took effect.
func (t ConventionTransition) DateLabel() string { return frDate(t.DateEffet) }

// WhenLabel is when the transition was recorded, in Paris (02/01/2012 à 14:05).
func (t ConventionTransition) WhenLabel() string {
	return fr.DateTime(t.CreatedAt)
}

// Counts as the pages' number formatter wants them (int).
func (c ConventionRow) EcolesCount() int { return int(c.NbEcoles) }
func (c ConventionRow) ElevesCount() int { return int(c.NbEleves) }
func (c ConventionRow) ElevesTotal() int { return int(c.ElevesAnnexe()) }
func (e ConventionEcole) Eleves() int    { return int(e.NbEleves) }
func (a AnnexChoice) Eleves() int        { return int(a.NbEleves) }
