package models

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ConventionInput is what the convention form gives. Dates are JJ/MM/AAAA; Communes are
// INSEE codes separated by commas or spaces (for a local convention with an EPCI and no
// commune, the EPCI's member communes of the département are taken).
type ConventionInput struct {
	Kind            string
	Reference       string
	Titre           string
	Objet           string
	ParentID        int64
	Departement     string
	EPCI            string
	Communes        string
	CharteVersionID int64
	DateExpiration  string
	PreavisMois     string
	Renouvellement  string
}

var conventionFields = []Choice{
	{"reference", "Référence"}, {"type", "Type"}, {"parent", "Convention parente"}, {"departement", "Département"},
	{"epci", "EPCI"}, {"titre", "Titre"}, {"objet", "Objet"}, {"charte", "Version de la charte"},
	{"expiration", "Date d'expiration"}, {"preavis", "Préavis (mois)"}, {"renouvellement", "Renouvellement"},
	{"communes", "Communes"},
}

func (c Convention) auditValues(communes []string) map[string]string {
	v := map[string]string{"reference": c.Reference, "type": c.KindLabel(), "departement": c.Departement(),
		"titre": c.Titre, "objet": c.Objet, "expiration": frDate(c.DateExpiration), "renouvellement": c.RenouvellementLabel(),
		"communes": strings.Join(communes, ", ")}
	if c.ParentID != nil {
		v["parent"] = strconv.FormatInt(*c.ParentID, 10)
	}
	if c.EPCISiren != nil {
		v["epci"] = *c.EPCISiren
	}
	if c.CharteVersionID != nil {
		v["charte"] = strconv.FormatInt(*c.CharteVersionID, 10)
	}
	if c.PreavisMois != nil {
		v["preavis"] = strconv.Itoa(*c.PreavisMois)
	}
	return v
}

// checkConvention validates the input against the rules and the reference data, the
// hierarchy included, and returns the convention and its communes.
func (s *Store) checkConvention(tx *gorm.DB, scope Scope, in ConventionInput, selfID int64) (Convention, []string, error) {
	var errs ValidationError
	c := Convention{Kind: strings.TrimSpace(in.Kind), Reference: strings.ToUpper(strings.TrimSpace(in.Reference)),
		Titre: strings.TrimSpace(in.Titre), Objet: strings.ReplaceAll(strings.TrimSpace(in.Objet), "\r\n", "\n"),
		Renouvellement: strings.TrimSpace(in.Renouvellement)}
	if !slices.Contains(ChoiceValues(ConventionKinds), c.Kind) {
		errs.Add(0, "type", "Choisissez le type de convention.")
	}
	switch {
	case c.Reference == "":
		errs.Add(0, "reference", "La référence est obligatoire (exemple : CRE-93-2012-014).")
	case !referencePattern.MatchString(c.Reference):
		errs.Add(0, "reference", "La référence s'écrit en majuscules, chiffres et tirets, de 3 à 40 caractères (exemple : CRE-93-2012-014).")
	default:
		var n int64
		if err := tx.Model(&Convention{}).Where("reference = ? AND id <> ?", c.Reference, selfID).Count(&n).Error; err != nil {
			return c, nil, err
		}
		if n > 0 {
			errs.Add(0, "reference", "Cette référence est déjà celle d'une autre convention : choisissez-en une autre.")
		}
	}
	if msg := textProblem("Le titre", c.Titre, MaxConventionTitre, true, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if msg := textProblem("L'objet", c.Objet, MaxConventionObjet, false, true); msg != "" {
		errs.Add(0, "objet", msg)
	}
	if c.Renouvellement == "" {
		c.Renouvellement = "avenant"
	}
	if !slices.Contains(ChoiceValues(Renouvellements), c.Renouvellement) {
		errs.Add(0, "renouvellement", "Choisissez le mode de renouvellement.")
	}
	if raw := strings.TrimSpace(in.DateExpiration); raw != "" {
		d, msg := dateProblem("La date d'expiration", raw, s.now(), false)
		if msg != "" {
			errs.Add(0, "expiration", msg)
		} else {
			c.DateExpiration = &d
		}
	}
	if raw := strings.TrimSpace(in.PreavisMois); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 36 {
			errs.Add(0, "preavis", "Le préavis est un nombre de mois entre 0 et 36.")
		} else {
			c.PreavisMois = &n
		}
	}
	if in.CharteVersionID > 0 {
		known, err := existsOrReported(tx.Model(&CharteVersion{}).Where("id = ? AND archived_at IS NULL", in.CharteVersionID),
			&errs, "charte", "Choisissez une version de la charte dans la liste.")
		if err != nil {
			return c, nil, err
		}
		if known {
			c.CharteVersionID = &in.CharteVersionID
		}
	}
	communes, err := s.checkHierarchy(tx, scope, &c, in, &errs)
	if err != nil {
		return c, nil, err
	}
	return c, communes, errs.OrNil()
}

// codeList cuts a list of codes at commas, semicolons and spaces, upper-cased and
// without duplicates, in their order.
func codeList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(dbText(s), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		f = strings.ToUpper(strings.TrimSpace(f))
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// setConventionCommunes replaces the communes of a convention; the annex keeps only the
// écoles of the communes still covered.
func setConventionCommunes(tx *gorm.DB, id int64, codes []string) error {
	if err := tx.Where("convention_id = ?", id).Delete(&ConventionCommune{}).Error; err != nil {
		return err
	}
	rows := make([]ConventionCommune, len(codes))
	for i, code := range codes {
		rows[i] = ConventionCommune{ConventionID: id, CodeINSEE: code}
	}
	if len(rows) > 0 {
		if err := tx.CreateInBatches(&rows, 50).Error; err != nil {
			return err
		}
	}
	return tx.Where("convention_id = ? AND uai NOT IN (SELECT e.uai FROM ecoles e JOIN convention_communes cc ON cc.code_insee = e.code_insee AND cc.convention_id = ?)", id, id).
		Delete(&ConventionEcole{}).Error
}

// CreateConvention creates a convention in "brouillon"; the actor must write it (an IA of
// another département gets ErrForbidden).
func (s *Store) CreateConvention(ctx context.Context, actor Actor, in ConventionInput) (ConventionRow, error) {
	var row ConventionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, communes, err := s.checkConvention(tx, actor.Scope, in, 0)
		if err != nil {
			return err
		}
		if !CanCreateConventions(actor) || !CanWriteConvention(actor, c) {
			return ErrForbidden
		}
		now := s.now().UTC()
		c.Statut, c.StatutDepuis, c.CreatedAt, c.UpdatedAt, c.Version = StatutBrouillon, now, now, now, 1
		c.DateFin = c.DateExpiration
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		if err := setConventionCommunes(tx, c.ID, communes); err != nil {
			return err
		}
		key := strconv.FormatInt(c.ID, 10)
		if err := s.audit(tx, actor, "creation", "convention", key, diff(conventionFields, nil, c.auditValues(communes))); err != nil {
			return err
		}
		row, err = s.conventionDetail(tx, AcademieScope(), c.ID)
		return err
	})
	return row, err
}

// UpdateConvention changes a convention if it is still at version (*ConflictError
// otherwise). The status moves only through TransitionConvention.
func (s *Store) UpdateConvention(ctx context.Context, actor Actor, id int64, version int, in ConventionInput) (ConventionRow, error) {
	var row ConventionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := s.conventionDetail(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if !CanWriteConvention(actor, before.Convention) {
			return ErrForbidden
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "convention", key, before)
		}
		c, communes, err := s.checkConvention(tx, actor.Scope, in, id)
		if err != nil {
			return err
		}
		if !CanWriteConvention(actor, c) {
			return ErrForbidden
		}
		if c.Kind != before.Kind {
			var errs ValidationError
			errs.Add(0, "type", "Le type d'une convention ne change pas après sa création : créez une autre convention.")
			return &errs
		}
		oldCommunes := make([]string, len(before.Communes))
		for i, cc := range before.Communes {
			oldCommunes[i] = cc.CodeINSEE
		}
		changes := diff(conventionFields, before.auditValues(oldCommunes), c.auditValues(communes))
		if len(changes) == 0 {
			row = before
			return nil
		}
		fin := c.DateExpiration
		if before.Prolongee() { // an avenant of prolongation keeps its later expiry
			fin = before.DateFin
		}
		if err := s.updateVersioned(tx, &Convention{}, "convention", id, version, map[string]any{
			"reference": c.Reference, "parent_id": c.ParentID, "departement_code": c.DepartementCode, "epci_siren": c.EPCISiren,
			"titre": c.Titre, "objet": c.Objet, "charte_version_id": c.CharteVersionID, "date_expiration": c.DateExpiration,
			"date_fin": fin, "preavis_mois": c.PreavisMois, "renouvellement": c.Renouvellement,
		}, func() (any, error) { return s.conventionDetail(tx, actor.Scope, id) }); err != nil {
			return err
		}
		if c.Kind == ConventionLocale {
			if err := setConventionCommunes(tx, id, communes); err != nil {
				return err
			}
		}
		if err := s.audit(tx, actor, "modification", "convention", key, changes); err != nil {
			return err
		}
		if err := refreshConventionsEnVigueur(tx, id); err != nil {
			return err
		}
		row, err = s.conventionDetail(tx, AcademieScope(), id)
		return err
	})
	return row, err
}

// ArchiveConvention archives a convention without live children: it leaves the registry.
func (s *Store) ArchiveConvention(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.conventionDetail(tx, actor.Scope, id)
		if err != nil {
			return err
		}
		if !CanWriteConvention(actor, c.Convention) {
			return ErrForbidden
		}
		if len(c.Children) > 0 {
			var errs ValidationError
			errs.Add(0, "archive", "Cette convention a des conventions rattachées : archivez-les d'abord.")
			return &errs
		}
		if err := s.setArchived(tx, actor, &Convention{}, "convention", id, true); err != nil {
			return err
		}
		return refreshConventionsEnVigueur(tx, id)
	})
}

// RestoreConvention brings an archived convention of the scope back.
func (s *Store) RestoreConvention(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var c Convention
		err := conventionsIn(tx, actor.Scope, true).Where("c.id = ?", id).Select("c.*").Scan(&c).Error
		if err != nil {
			return err
		}
		if c.ID == 0 {
			return ErrNotFound
		}
		if !CanWriteConvention(actor, c) {
			return ErrForbidden
		}
		if err := s.setArchived(tx, actor, &Convention{}, "convention", id, false); err != nil {
			return err
		}
		return refreshConventionsEnVigueur(tx, id)
	})
}

// writableConvention reads a live convention of the scope the actor writes.
func (s *Store) writableConvention(tx *gorm.DB, actor Actor, id int64) (ConventionRow, error) {
	c, err := s.conventionDetail(tx, actor.Scope, id)
	if err != nil {
		return c, err
	}
	if !CanWriteConvention(actor, c.Convention) {
		return c, ErrForbidden
	}
	return c, nil
}

// PartyInput is a party of the parties' form: an organisation, its signatory and the day
// they signed (JJ/MM/AAAA, empty until signed).
type PartyInput struct {
	OrganisationID int64
	Nom            string
	Fonction       string
	Date           string
}

func (s *Store) checkParty(tx *gorm.DB, actor Actor, in PartyInput) (ConventionParty, error) {
	var errs ValidationError
	p := ConventionParty{OrganisationID: in.OrganisationID, SignataireNom: strings.TrimSpace(in.Nom),
		SignataireFonction: strings.TrimSpace(in.Fonction)}
	var n int64
	if err := actor.Scope.restrictTo(tx.Table("organisations AS o"), EntityOrganisation, "o").
		Where("o.id = ? AND o.archived_at IS NULL", in.OrganisationID).Count(&n).Error; err != nil {
		return p, err
	}
	if n == 0 {
		errs.Add(0, "organisation", "Choisissez l'organisation dans la liste.")
	}
	if msg := textProblem("Le nom du signataire", p.SignataireNom, MaxSignataire, false, false); msg != "" {
		errs.Add(0, "signataire", msg)
	}
	if msg := textProblem("La fonction du signataire", p.SignataireFonction, MaxSignataire, false, false); msg != "" {
		errs.Add(0, "fonction", msg)
	}
	if raw := strings.TrimSpace(in.Date); raw != "" {
		d, msg := dateProblem("La date de signature", raw, s.now(), true)
		if msg != "" {
			errs.Add(0, "date_signature", msg)
		} else {
			p.DateSignature = &d
			if p.SignataireNom == "" {
				errs.Add(0, "signataire", "Indiquez le nom du signataire avant sa date de signature.")
			}
		}
	}
	return p, errs.OrNil()
}

// SaveConventionParty adds a party to a convention (partyID 0) or changes one: its
// signatory and signature day. A party is added once.
func (s *Store) SaveConventionParty(ctx context.Context, actor Actor, id, partyID int64, in PartyInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.saveParty(tx, actor, id, partyID, in) })
}

// saveParty is SaveConventionParty in the transaction tx.
func (s *Store) saveParty(tx *gorm.DB, actor Actor, id, partyID int64, in PartyInput) error {
	c, err := s.writableConvention(tx, actor, id)
	if err != nil {
		return err
	}
	p, err := s.checkParty(tx, actor, in)
	if err != nil {
		return err
	}
	key := strconv.FormatInt(id, 10)
	var before *ConventionParty
	for i := range c.Parties {
		if c.Parties[i].ID == partyID && partyID != 0 {
			before = &c.Parties[i]
		} else if c.Parties[i].OrganisationID == p.OrganisationID {
			var errs ValidationError
			errs.Add(0, "organisation", "Cette organisation est déjà partie à la convention.")
			return &errs
		}
	}
	if partyID != 0 && before == nil {
		return ErrNotFound
	}
	p.ConventionID = id
	change := Change{Field: "parties", Label: "Parties"}
	if before == nil {
		p.Position = len(c.Parties) + 1
		if err := tx.Omit("OrganisationNom", "OrganisationKind").Create(&p).Error; err != nil {
			return err
		}
	} else {
		if err := tx.Model(&ConventionParty{}).Where("id = ?", partyID).Updates(map[string]any{
			"organisation_id": p.OrganisationID, "signataire_nom": p.SignataireNom,
			"signataire_fonction": p.SignataireFonction, "date_signature": p.DateSignature}).Error; err != nil {
			return err
		}
		change.Old = before.Label()
	}
	var org Organisation
	if err := tx.Select("nom").First(&org, p.OrganisationID).Error; err != nil {
		return err
	}
	p.OrganisationNom = org.Nom
	change.New = p.Label()
	if err := touchConvention(tx, s.now(), id); err != nil {
		return err
	}
	return s.audit(tx, actor, "modification", "convention", key, []Change{change})
}

// Label is the party as the audit log and the drafted convention name it: "Commune de
// Bobigny (Jean Dupont, maire) signée le 02/01/2012".
func (p ConventionParty) Label() string {
	out := p.OrganisationNom
	if p.SignataireNom != "" {
		out += " (" + p.SignataireNom
		if p.SignataireFonction != "" {
			out += ", " + p.SignataireFonction
		}
		out += ")"
	}
	if p.DateSignature != nil {
		out += " signée le " + frDate(p.DateSignature)
	}
	return out
}

// RemoveConventionParty removes a party from a convention not yet signed.
func (s *Store) RemoveConventionParty(ctx context.Context, actor Actor, id, partyID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.writableConvention(tx, actor, id)
		if err != nil {
			return err
		}
		for _, p := range c.Parties {
			if p.ID != partyID {
				continue
			}
			if slices.Contains([]string{StatutSignee, StatutEnVigueur, StatutEchue, StatutResiliee}, c.Statut) {
				var errs ValidationError
				errs.Add(0, "parties", "La convention est signée : ses parties ne changent plus (passez par un avenant).")
				return &errs
			}
			if err := tx.Delete(&ConventionParty{}, partyID).Error; err != nil {
				return err
			}
			if err := touchConvention(tx, s.now(), id); err != nil {
				return err
			}
			return s.audit(tx, actor, "modification", "convention", strconv.FormatInt(id, 10),
				[]Change{{Field: "parties", Label: "Parties", Old: p.Label()}})
		}
		return ErrNotFound
	})
}

// touchConvention bumps a convention's version after a change of its parts (parties,
// annex, avenants), so that an open form sees it changed.
func touchConvention(tx *gorm.DB, now time.Time, id int64) error {
	return tx.Model(&Convention{}).Where("id = ?", id).Updates(map[string]any{
		"updated_at": now.UTC(), "version": gorm.Expr("version + 1")}).Error
}
