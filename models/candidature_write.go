package models

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Proposing and editing a candidature. Each write records its audit event (entity
// "candidature") in its transaction, with optimistic locking on its version.

// CandidatureInput is what the candidature form gives: INSEE codes and UAI.
type CandidatureInput struct {
	CampagneID int64
	Titre      string
	Communes   []string
	EPCI       string // SIREN of the carrying EPCI, optional
	Ecoles     []string
	ContactID  int64
	Notes      string
}

// proposes reports whether the actor proposes or edits (before its decision) a candidature
// of the département dep and these communes: whoever scores it, or a référent whose
// communes include all of them.
func proposes(actor Actor, dep string, communes []string) bool {
	if writesDepartemental(actor, EntityCandidature, &dep) {
		return true
	}
	if accessOf(actor, EntityCandidature) != WritesOwn || actor.Scope.Kind != ScopeCommunes || len(communes) == 0 {
		return false
	}
	for _, c := range communes {
		if !slices.Contains(actor.Scope.Communes, c) {
			return false
		}
	}
	return true
}

// CanProposeCandidatures reports whether the actor's role proposes candidatures (the
// pages offer the form then; the Store checks each one).
func CanProposeCandidatures(actor Actor) bool { return CanCreate(actor, EntityCandidature) }

// CanEditCandidature reports whether the actor changes the candidature's file: whoever
// scores it; before the decision, also the référent of all its communes.
func CanEditCandidature(actor Actor, c CandidatureRow) bool {
	if CanScoreCandidature(actor, c) {
		return true
	}
	return c.Decision == "" && proposes(actor, c.DepartementCode, c.CommuneCodes())
}

// CanScoreCandidature reports whether the actor scores the candidature and decides on it:
// the administrator, the pilotes académiques and the IA-DASEN of its département.
func CanScoreCandidature(actor Actor, c CandidatureRow) bool {
	return writesDepartemental(actor, EntityCandidature, &c.DepartementCode)
}

// cleanCodes trims, upper-cases, sorts and deduplicates codes.
func cleanCodes(in []string) []string {
	out := make([]string, 0, len(in))
	for _, c := range in {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, dbText(c))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkCandidature validates the form against the campaign, the reference data and the
// contacts the actor reads; it returns the candidature, its communes and its écoles.
func checkCandidature(tx *gorm.DB, actor Actor, in CandidatureInput) (Candidature, []string, []string, error) {
	var errs ValidationError
	c := Candidature{CampagneID: in.CampagneID, Titre: strings.TrimSpace(in.Titre),
		Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
	if msg := textProblem("Le titre de la candidature", c.Titre, MaxCandidatureTitre, true, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if msg := textProblem("Les notes", c.Notes, MaxCandidatureNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	camp, err := getCampagne(tx, actor.Scope, in.CampagneID)
	switch {
	case err == ErrNotFound:
		errs.Add(0, "campagne", "Choisissez la campagne dans la liste.")
	case err != nil:
		return c, nil, nil, err
	}
	communes, ecoles := cleanCodes(in.Communes), cleanCodes(in.Ecoles)
	if err := checkCandidatureCommunes(tx, &c, camp, communes, &errs); err != nil {
		return c, nil, nil, err
	}
	if err := checkCandidatureEcoles(tx, communes, ecoles, &errs); err != nil {
		return c, nil, nil, err
	}
	if siren := strings.TrimSpace(in.EPCI); siren != "" {
		var n int64
		if err := tx.Table("communes").Where("code_insee IN ? AND (epci_siren = ? OR ept_siren = ?)", communes, dbText(siren), dbText(siren)).
			Count(&n).Error; err != nil {
			return c, nil, nil, err
		}
		if n == 0 {
			errs.Add(0, "epci", "Cet EPCI ne compte aucune des communes de la candidature : choisissez celui qui la porte.")
		}
		c.EPCISiren = &siren
	}
	if in.ContactID > 0 {
		ok, err := readableContacts(tx, actor.Scope, []int64{in.ContactID})
		if err != nil {
			return c, nil, nil, err
		}
		if !ok[in.ContactID] {
			errs.Add(0, "contact", "Contact inconnu : choisissez dans la liste.")
		}
		id := in.ContactID
		c.ContactID = &id
	}
	return c, communes, ecoles, errs.OrNil()
}

// checkCandidatureCommunes checks that the communes exist and lie in one département, the
// campaign's when it has one, and sets the candidature's département.
func checkCandidatureCommunes(tx *gorm.DB, c *Candidature, camp CampagneRow, communes []string, errs *ValidationError) error {
	if len(communes) == 0 {
		errs.Add(0, "communes", "Choisissez au moins une commune.")
		return nil
	}
	if len(communes) > MaxCandidatureCommunes {
		errs.Add(0, "communes", "Une candidature compte au plus "+strconv.Itoa(MaxCandidatureCommunes)+" communes.")
		return nil
	}
	var found []struct {
		CodeINSEE       string `gorm:"column:code_insee"`
		DepartementCode string
	}
	if err := tx.Table("communes").Select("code_insee, departement_code").Where("code_insee IN ?", communes).
		Order("code_insee").Scan(&found).Error; err != nil {
		return err
	}
	if len(found) != len(communes) {
		errs.Add(0, "communes", "Commune inconnue : choisissez-la par son nom ou son code INSEE (exemple : 93008).")
		return nil
	}
	c.DepartementCode = found[0].DepartementCode
	for _, f := range found {
		if f.DepartementCode != c.DepartementCode {
			errs.Add(0, "communes", "Les communes d'une candidature sont d'un même département.")
			return nil
		}
	}
	if camp.DepartementCode != nil && *camp.DepartementCode != c.DepartementCode {
		errs.Add(0, "communes", "Cette campagne est celle du département "+*camp.DepartementCode+" : choisissez des communes de ce département.")
	}
	return nil
}

// checkCandidatureEcoles checks that each école proposed lies in one of the communes.
func checkCandidatureEcoles(tx *gorm.DB, communes, ecoles []string, errs *ValidationError) error {
	if len(ecoles) > MaxCandidatureEcoles {
		errs.Add(0, "ecoles", "Une candidature propose au plus "+strconv.Itoa(MaxCandidatureEcoles)+" écoles.")
		return nil
	}
	if len(ecoles) == 0 || len(communes) == 0 {
		return nil
	}
	var found []string
	if err := tx.Table("ecoles").Where("uai IN ? AND code_insee IN ?", ecoles, communes).Pluck("uai", &found).Error; err != nil {
		return err
	}
	for _, u := range ecoles {
		if !slices.Contains(found, u) {
			errs.Add(0, "ecoles", "L'école "+u+" n'est pas une école des communes de la candidature.")
			return nil
		}
	}
	return nil
}

// writeCandidatureLinks replaces the communes and écoles of the candidature.
func writeCandidatureLinks(tx *gorm.DB, id int64, communes, ecoles []string) error {
	if err := tx.Where("candidature_id = ?", id).Delete(&CandidatureCommune{}).Error; err != nil {
		return err
	}
	if err := tx.Where("candidature_id = ?", id).Delete(&CandidatureEcole{}).Error; err != nil {
		return err
	}
	cs := make([]CandidatureCommune, len(communes))
	for i, code := range communes {
		cs[i] = CandidatureCommune{id, code}
	}
	if len(cs) > 0 {
		if err := tx.CreateInBatches(&cs, 100).Error; err != nil {
			return err
		}
	}
	es := make([]CandidatureEcole, len(ecoles))
	for i, uai := range ecoles {
		es[i] = CandidatureEcole{id, uai}
	}
	if len(es) == 0 {
		return nil
	}
	return tx.CreateInBatches(&es, 100).Error
}

// CreateCandidature records a candidature. Field errors come first; then ErrForbidden when
// the actor may not propose it (a référent for a commune that is not theirs); a closed
// campaign receives none.
func (s *Store) CreateCandidature(ctx context.Context, actor Actor, in CandidatureInput) (CandidatureRow, error) {
	var row CandidatureRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, communes, ecoles, err := checkCandidature(tx, actor, in)
		if err != nil {
			return err
		}
		if !CanProposeCandidatures(actor) || !proposes(actor, c.DepartementCode, communes) {
			return ErrForbidden
		}
		var statut string
		if err := tx.Table("campagnes").Where("id = ?", c.CampagneID).Pluck("statut", &statut).Error; err != nil {
			return err
		}
		if statut != "ouverte" {
			return &ValidationError{Errors: []FieldError{{Field: "campagne", Msg: "Cette campagne est close : elle ne reçoit plus de candidature."}}}
		}
		now := s.now().UTC()
		c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := writeCandidatureLinks(tx, c.ID, communes, ecoles); err != nil {
			return err
		}
		if row, err = getCandidature(tx, actor.Scope, c.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "candidature", strconv.FormatInt(c.ID, 10), diff(candidatureFields, nil, row.auditValues()))
	})
	return row, err
}

// candidatureEdit is the write path of an existing candidature (recordEdit) with may.
func candidatureEdit(may func(tx *gorm.DB, c CandidatureRow) error) recordEdit[CandidatureRow] {
	return recordEdit[CandidatureRow]{entity: "candidature", model: &Candidature{}, fields: candidatureFields,
		get: func(tx *gorm.DB, scope Scope, id int64, _ bool) (CandidatureRow, error) {
			return getCandidature(tx, scope, id)
		},
		version: func(c CandidatureRow) int { return c.Version }, may: may}
}

// UpdateCandidature changes the file of a candidature if it is still at version (its
// campaign stays): ErrNotFound outside the scope, ErrForbidden when the actor may not
// change it (or not where the change would put it), *ConflictError, *ValidationError.
func (s *Store) UpdateCandidature(ctx context.Context, actor Actor, id int64, version int, in CandidatureInput) (CandidatureRow, error) {
	var communes, ecoles []string
	edit := candidatureEdit(func(_ *gorm.DB, c CandidatureRow) error { return forbiddenUnless(CanEditCandidature(actor, c)) })
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before CandidatureRow) (map[string]any, error) {
		in.CampagneID = before.CampagneID
		c, cs, es, err := checkCandidature(tx, actor, in)
		if err != nil {
			return nil, err
		}
		if !proposes(actor, c.DepartementCode, cs) {
			return nil, ErrForbidden
		}
		communes, ecoles = cs, es
		return map[string]any{"titre": c.Titre, "departement_code": c.DepartementCode, "epci_siren": c.EPCISiren,
			"contact_id": c.ContactID, "notes": c.Notes}, nil
	}, func(tx *gorm.DB) error { return writeCandidatureLinks(tx, id, communes, ecoles) })
}
