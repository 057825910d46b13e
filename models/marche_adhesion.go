package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The adhesion of a commune to a market: the date and reference of its council's
// délibération. Whoever writes the market records it for every commune; a référent records
// it for their own communes only, never for another member's.

// AdhesionInput is the adhesion form of one commune of a market.
type AdhesionInput struct {
	Commune string // INSEE code
	Date    string // JJ/MM/AAAA, "" clears it
	Ref     string
}

// MaxDeliberationRef bounds the reference of a délibération.
const MaxDeliberationRef = 100

// CanRecordAdhesion reports whether the actor records the adhesion of the commune to the
// market: whoever writes the market, or the référent of that commune.
func CanRecordAdhesion(actor Actor, m Marche, commune string) bool {
	if CanWriteMarche(actor, m) {
		return true
	}
	return actor.Scope.valid() && actor.Role == RoleReferent && actor.Scope.Kind == ScopeCommunes &&
		slices.Contains(actor.Scope.Communes, commune)
}

// RecordAdhesion sets the délibération of one commune of the market, still at version, in
// one audited transaction: ErrNotFound outside the scope or for a commune that is not a
// member, ErrForbidden for another commune's référent.
func (s *Store) RecordAdhesion(ctx context.Context, actor Actor, id int64, version int, in AdhesionInput) (MarcheRow, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Commune))
	edit := marcheEdit(actor)
	edit.may = func(_ *gorm.DB, m MarcheRow) error {
		if !slices.Contains(m.CommuneCodes(), code) {
			return ErrNotFound
		}
		return forbiddenUnless(CanRecordAdhesion(actor, m.Marche, code))
	}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		var errs ValidationError
		day := optionalDay(&errs, "date", "La date de la délibération", in.Date)
		ref := strings.TrimSpace(in.Ref)
		if msg := textProblem("La référence de la délibération", ref, MaxDeliberationRef, false, false); msg != "" {
			errs.Add(0, "ref", msg)
		}
		if err := errs.OrNil(); err != nil {
			return nil, err
		}
		return map[string]any{}, tx.Model(&MarcheCommune{}).Where("marche_id = ? AND code_insee = ?", id, code).
			Updates(map[string]any{"deliberation_date": day, "deliberation_ref": ref}).Error
	}, nil)
}
