package models

import (
	"context"

	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Creating and editing a market. Each write records its audit event (entity "marche") in
// its transaction, with optimistic locking on its version.

// MarcheInput is what the market form gives: amounts in euros typed the French way, dates
// JJ/MM/AAAA, INSEE codes.
type MarcheInput struct {
	Reference       string
	Objet           string
	Acheteur        string
	EPCI            string // SIREN, for a market of an EPCI
	Coordinateur    string // INSEE code of the coordinator of a groupement
	Communes        []string
	Procedure       string
	MontantEstime   string
	DatePublication string
	DateLimite      string
	Notes           string
	CahierVersionID int64 // the cahier des charges version it is based on, 0: none
}

// CanWriteMarche reports whether the actor changes the market: the administrator, the
// pilotes and the IA-DASEN of its département.
func CanWriteMarche(actor Actor, m Marche) bool {
	return writesDepartemental(actor, EntityMarche, &m.DepartementCode)
}

// CanCreateMarches reports whether the actor's role creates markets.
func CanCreateMarches(actor Actor) bool { return CanCreate(actor, EntityMarche) }

// checkMarche validates the form and returns the market and its communes (the coordinator
// first for a groupement).
func checkMarche(tx *gorm.DB, scope Scope, in MarcheInput) (Marche, []string, error) {
	var errs ValidationError
	m := Marche{Reference: strings.TrimSpace(in.Reference), Objet: strings.TrimSpace(in.Objet),
		Acheteur: strings.TrimSpace(in.Acheteur), Procedure: strings.TrimSpace(in.Procedure),
		Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
	if msg := textProblem("L'objet du marché", m.Objet, MaxMarcheObjet, true, false); msg != "" {
		errs.Add(0, "objet", msg)
	}
	if msg := textProblem("La référence", m.Reference, MaxMarcheReference, false, false); msg != "" {
		errs.Add(0, "reference", msg)
	}
	if msg := textProblem("Les notes", m.Notes, MaxMarcheNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	if LabelOf(MarcheAcheteurs, m.Acheteur) == m.Acheteur {
		errs.Add(0, "acheteur", "Choisissez l'acheteur : commune, EPCI ou groupement de commandes.")
	}
	if LabelOf(MarcheProcedures, m.Procedure) == m.Procedure {
		errs.Add(0, "procedure", "Choisissez la procédure dans la liste.")
	}
	m.MontantEstime = optionalCents(&errs, "montant_estime", in.MontantEstime)
	m.DatePublication = optionalDay(&errs, "date_publication", "La date de publication", in.DatePublication)
	m.DateLimite = optionalDay(&errs, "date_limite", "La date limite des offres", in.DateLimite)
	if m.DatePublication != nil && m.DateLimite != nil && m.DateLimite.Before(*m.DatePublication) {
		errs.Add(0, "date_limite", "La date limite des offres suit la date de publication.")
	}
	communes := cleanCodes(in.Communes)
	coord := strings.ToUpper(strings.TrimSpace(in.Coordinateur))
	if m.Acheteur == "groupement" {
		if coord == "" {
			errs.Add(0, "coordinateur", "Choisissez la commune coordonnatrice du groupement.")
		} else {
			communes = append([]string{coord}, slices.DeleteFunc(communes, func(c string) bool { return c == coord })...)
		}
	}
	if err := checkMarcheCommunes(tx, &m, communes, &errs); err != nil {
		return m, nil, err
	}
	if err := checkMarcheEPCI(tx, &m, in.EPCI, communes, &errs); err != nil {
		return m, nil, err
	}
	if err := checkMarcheCahier(tx, scope, &m, in.CahierVersionID, &errs); err != nil {
		return m, nil, err
	}
	return m, communes, errs.OrNil()
}

// optionalCents reads an optional amount in euros into errs under field.
func optionalCents(errs *ValidationError, field, v string) *int64 {
	c, err := ParseOptionalEuros(v)
	if err != nil {
		errs.Add(0, field, err.Error())
		return nil
	}
	return c
}

// checkMarcheCommunes checks that the communes exist and lie in one département, and
// sets the market's département; a commune buys alone, a groupement has two members or more.
func checkMarcheCommunes(tx *gorm.DB, m *Marche, communes []string, errs *ValidationError) error {
	switch {
	case len(communes) == 0:
		errs.Add(0, "communes", "Choisissez au moins une commune.")
		return nil
	case len(communes) > MaxMarcheCommunes:
		errs.Add(0, "communes", "Un marché compte au plus "+strconv.Itoa(MaxMarcheCommunes)+" communes.")
		return nil
	case m.Acheteur == "commune" && len(communes) != 1:
		errs.Add(0, "communes", "Une commune acheteuse achète seule : choisissez une seule commune, ou un groupement de commandes.")
		return nil
	case m.Acheteur == "groupement" && len(communes) < 2:
		errs.Add(0, "communes", "Un groupement de commandes compte au moins deux communes, dont la coordonnatrice.")
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
		errs.Add(0, "communes", "Commune inconnue : choisissez-la par son nom ou son code INSEE (exemple : 94028).")
		return nil
	}
	m.DepartementCode = found[0].DepartementCode
	for _, f := range found {
		if f.DepartementCode != m.DepartementCode {
			errs.Add(0, "communes", "Les communes d'un marché sont d'un même département.")
			return nil
		}
	}
	return nil
}

// checkMarcheEPCI checks the EPCI of a market bought by an EPCI: it counts the communes.
func checkMarcheEPCI(tx *gorm.DB, m *Marche, siren string, communes []string, errs *ValidationError) error {
	siren = strings.TrimSpace(siren)
	if m.Acheteur != "epci" {
		return nil
	}
	if siren == "" {
		errs.Add(0, "epci", "Choisissez l'EPCI acheteur.")
		return nil
	}
	var n int64
	if err := tx.Table("communes").Where("code_insee IN ? AND (epci_siren = ? OR ept_siren = ?)", communes, dbText(siren), dbText(siren)).
		Count(&n).Error; err != nil {
		return err
	}
	if n != int64(len(communes)) {
		errs.Add(0, "epci", "Les communes couvertes sont des communes membres de l'EPCI acheteur.")
	}
	m.EPCISiren = &siren
	return nil
}

// writeMarcheCommunes replaces the communes of the market, keeping the délibérations of
// those that stay; the first is the coordinator of a groupement.
func writeMarcheCommunes(tx *gorm.DB, id int64, acheteur string, communes []string) error {
	var kept []MarcheCommune
	if err := tx.Where("marche_id = ?", id).Find(&kept).Error; err != nil {
		return err
	}
	if err := tx.Where("marche_id = ?", id).Delete(&MarcheCommune{}).Error; err != nil {
		return err
	}
	rows := make([]MarcheCommune, len(communes))
	for i, code := range communes {
		rows[i] = MarcheCommune{MarcheID: id, CodeINSEE: code, Coordinateur: acheteur == "groupement" && i == 0}
		for _, k := range kept {
			if k.CodeINSEE == code {
				rows[i].DeliberationDate, rows[i].DeliberationRef = k.DeliberationDate, k.DeliberationRef
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(&rows, 100).Error
}

// CreateMarche records a market, "en préparation". Field errors come first; then
// ErrForbidden when the actor may not write a market of that département.
func (s *Store) CreateMarche(ctx context.Context, actor Actor, in MarcheInput) (MarcheRow, error) {
	var row MarcheRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, communes, err := checkMarche(tx, actor.Scope, in)
		if err != nil {
			return err
		}
		if !CanWriteMarche(actor, m) {
			return ErrForbidden
		}
		now := s.now().UTC()
		m.Statut, m.CreatedAt, m.UpdatedAt, m.Version = "en_preparation", now, now, 1
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		if err := writeMarcheCommunes(tx, m.ID, m.Acheteur, communes); err != nil {
			return err
		}
		if row, err = getMarche(tx, actor.Scope, m.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "marche", strconv.FormatInt(m.ID, 10), diff(marcheFields, nil, row.auditValues()))
	})
	return row, err
}

// marcheEdit is the write path of an existing market (recordEdit), for the actors who
// write it.
func marcheEdit(actor Actor) recordEdit[MarcheRow] {
	return recordEdit[MarcheRow]{entity: "marche", model: &Marche{}, fields: marcheFields,
		get: func(tx *gorm.DB, scope Scope, id int64, _ bool) (MarcheRow, error) {
			return getMarche(tx, scope, id)
		},
		version: func(m MarcheRow) int { return m.Version },
		may:     func(_ *gorm.DB, m MarcheRow) error { return forbiddenUnless(CanWriteMarche(actor, m.Marche)) }}
}

// errMarcheClosed is the field error of a change to a market already decided.
var errMarcheClosed = &ValidationError{Errors: []FieldError{{Field: "statut",
	Msg: "Ce marché est clos (attribué, infructueux ou sans suite) : il ne change plus."}}}

// closed reports whether the market's status is final.
func (m Marche) closed() bool { return len(marcheTransitions[m.Statut]) == 0 }

// UpdateMarche changes a market still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor may not write it (or where the change would put it),
// *ConflictError, *ValidationError.
func (s *Store) UpdateMarche(ctx context.Context, actor Actor, id int64, version int, in MarcheInput) (MarcheRow, error) {
	var communes []string
	var acheteur string
	return marcheEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before MarcheRow) (map[string]any, error) {
		if before.closed() {
			return nil, errMarcheClosed
		}
		m, cs, err := checkMarche(tx, actor.Scope, in)
		if err != nil {
			return nil, err
		}
		if !CanWriteMarche(actor, m) {
			return nil, ErrForbidden
		}
		communes, acheteur = cs, m.Acheteur
		return map[string]any{"reference": m.Reference, "objet": m.Objet, "departement_code": m.DepartementCode,
			"acheteur": m.Acheteur, "epci_siren": m.EPCISiren, "procedure_marche": m.Procedure,
			"montant_estime": m.MontantEstime, "date_publication": m.DatePublication, "date_limite": m.DateLimite,
			"notes": m.Notes, "cahier_version_id": m.CahierVersionID}, nil
	}, func(tx *gorm.DB) error { return writeMarcheCommunes(tx, id, acheteur, communes) })
}

// marcheError is a *ValidationError of one field.
func marcheError(field, msg string) error {
	return &ValidationError{Errors: []FieldError{{Field: field, Msg: msg}}}
}
