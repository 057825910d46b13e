package models

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// A commune as a party, and the signatures of all the parties at once.

// AddCommuneParty makes a commune (INSEE code) a party to a convention. Its organisation is
// the commune's live one; when it has none, it is created on the fly, in the same
// transaction and audited as any creation (the actor must be allowed to write it: an
// IA-DASEN the communes of their département). A refusal is a validation error on the
// form's field "commune".
func (s *Store) AddCommuneParty(ctx context.Context, actor Actor, id int64, code string, in PartyInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.writableConvention(tx, actor, id); err != nil {
			return err
		}
		orgID, err := s.communeOrganisation(tx, actor, strings.ToUpper(strings.TrimSpace(code)))
		if err != nil {
			return err
		}
		in.OrganisationID = orgID
		err = s.saveParty(tx, actor, id, 0, in)
		var verr *ValidationError
		if errors.As(err, &verr) {
			for i, fe := range verr.Errors {
				if fe.Field == "organisation" {
					verr.Errors[i].Field = "commune"
				}
			}
		}
		return err
	})
}

// communeOrganisation returns the id of the commune's live organisation, created when
// there is none.
func (s *Store) communeOrganisation(tx *gorm.DB, actor Actor, code string) (int64, error) {
	var ids []int64
	if err := tx.Model(&Organisation{}).Where("kind = ? AND code_insee = ? AND archived_at IS NULL", OrgCommune, dbText(code)).
		Order("id").Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		return ids[0], nil
	}
	row, err := s.createOrganisation(tx, actor, OrganisationInput{Kind: OrgCommune, Commune: code})
	if errors.Is(err, ErrForbidden) {
		return 0, &ValidationError{Errors: []FieldError{{Field: "commune",
			Msg: "Votre rôle ne permet pas de créer l'organisme de cette commune (hors de votre périmètre) : choisissez une commune de votre territoire."}}}
	}
	return row.ID, err
}

// SignatureInput is one party's line of the signatures form: its signatory, their function
// and the day they signed (JJ/MM/AAAA, empty until signed).
type SignatureInput struct {
	PartyID  int64
	Nom      string
	Fonction string
	Date     string
}

// SaveConventionSignatures records the signatories and signature days of the parties of a
// convention in one save, if the convention is still at version (*ConflictError
// otherwise). Every line is checked first and nothing is written when one is wrong: the
// field errors are named after the form's fields, "signataire-<party id>",
// "fonction-<party id>", "date_signature-<party id>". Each party whose signature changed
// gets one audit event; a line that changes nothing writes nothing. Once the convention is
// signed, a signature day can be corrected but not cleared.
func (s *Store) SaveConventionSignatures(ctx context.Context, actor Actor, id int64, version int, lines []SignatureInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.writableConvention(tx, actor, id)
		if err != nil {
			return err
		}
		key := strconv.FormatInt(id, 10)
		if c.Version != version {
			return s.conflict(tx, "convention", key, c)
		}
		signed := slices.Contains([]string{StatutSignee, StatutEnVigueur, StatutEchue, StatutResiliee}, c.Statut)
		type change struct {
			before, after ConventionParty
		}
		var changes []change
		var errs ValidationError
		for _, line := range lines {
			i := slices.IndexFunc(c.Parties, func(p ConventionParty) bool { return p.ID == line.PartyID })
			if i < 0 {
				return ErrNotFound
			}
			before := c.Parties[i]
			suffix := "-" + strconv.FormatInt(before.ID, 10)
			after, err := s.checkParty(tx, actor, PartyInput{OrganisationID: before.OrganisationID, Nom: line.Nom, Fonction: line.Fonction, Date: line.Date})
			var verr *ValidationError
			switch {
			case errors.As(err, &verr):
				for _, fe := range verr.Errors {
					errs.Add(0, fe.Field+suffix, fe.Msg)
				}
				continue
			case err != nil:
				return err
			}
			if signed && before.DateSignature != nil && after.DateSignature == nil {
				errs.Add(0, "date_signature"+suffix, "La convention est signée : la date de signature de "+before.OrganisationNom+
					" peut être corrigée, pas effacée.")
				continue
			}
			after.ID, after.ConventionID, after.OrganisationNom = before.ID, before.ConventionID, before.OrganisationNom
			if after.Label() != before.Label() {
				changes = append(changes, change{before: before, after: after})
			}
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		for _, ch := range changes {
			if err := tx.Model(&ConventionParty{}).Where("id = ?", ch.after.ID).Updates(map[string]any{
				"signataire_nom": ch.after.SignataireNom, "signataire_fonction": ch.after.SignataireFonction,
				"date_signature": ch.after.DateSignature}).Error; err != nil {
				return err
			}
			if err := s.audit(tx, actor, "modification", "convention", key,
				[]Change{{Field: "parties", Label: "Parties", Old: ch.before.Label(), New: ch.after.Label()}}); err != nil {
				return err
			}
		}
		return touchConvention(tx, s.now(), id)
	})
}
