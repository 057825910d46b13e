package models

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Objects of an avenant.
const (
	AvenantProlongation = "prolongation"
	AvenantExtension    = "extension_annexe"
	AvenantFinancement  = "financement"
	AvenantAutre        = "autre"
)

// AvenantObjets lists the objects of an avenant with their French labels.
var AvenantObjets = []Choice{
	{AvenantProlongation, "Prolongation"},
	{AvenantExtension, "Extension de l'annexe des écoles"},
	{AvenantFinancement, "Modification du financement"},
	{AvenantAutre, "Autre"},
}

// Avenant is an amendment to a convention, numbered per convention. A prolongation moves
// the convention's expiry (DateFin); an extension adds écoles to the annex.
type Avenant struct {
	ID                 int64
	ConventionID       int64
	Numero             int
	Objet              string
	Description        string
	DateSignature      *time.Time
	DateEffet          *time.Time
	NouvelleExpiration *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ArchivedAt         *time.Time
	Version            int
}

// TableName is the avenants table.
func (Avenant) TableName() string { return "avenants" }

// ObjetLabel is the French label of the object.
func (a Avenant) ObjetLabel() string { return LabelOf(AvenantObjets, a.Objet) }

// AvenantInput is what the avenant form gives; Ecoles are the UAI added to the annex by an
// extension.
type AvenantInput struct {
	Objet              string
	Description        string
	DateSignature      string
	DateEffet          string
	NouvelleExpiration string
	Ecoles             []string
}

// CreateAvenant records the next avenant of a signed or in-force convention and applies
// it: a prolongation moves the expiry, an extension adds its écoles to the annex.
func (s *Store) CreateAvenant(ctx context.Context, actor Actor, conventionID int64, in AvenantInput) (Avenant, error) {
	var a Avenant
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.writableConvention(tx, actor, conventionID)
		if err != nil {
			return err
		}
		var uais []string
		a, uais, err = s.checkAvenant(tx, c, in)
		if err != nil {
			return err
		}
		return s.applyAvenant(tx, actor, c, &a, uais)
	})
	return a, err
}

// checkAvenant reads the avenant form for convention c: its object, description and dates,
// and for an extension the écoles it adds to the annex.
func (s *Store) checkAvenant(tx *gorm.DB, c ConventionRow, in AvenantInput) (Avenant, []string, error) {
	var errs ValidationError
	// A convention past its expiry but not yet recorded échue still takes an avenant
	// signed while it was in force (checked below, once the date is read).
	if c.Statut != StatutSignee && c.Statut != StatutEnVigueur && !c.ExpiryUnrecorded {
		errs.Add(0, "objet", "Un avenant modifie une convention signée ou en vigueur ; celle-ci est « "+c.StatutLabel()+" ».")
		return Avenant{}, nil, &errs
	}
	a := Avenant{ConventionID: c.ID, Objet: strings.TrimSpace(in.Objet),
		Description: strings.ReplaceAll(strings.TrimSpace(in.Description), "\r\n", "\n")}
	if !slices.Contains(ChoiceValues(AvenantObjets), a.Objet) {
		errs.Add(0, "objet", "Choisissez l'objet de l'avenant.")
	}
	if msg := textProblem("La description", a.Description, MaxConventionObjet, false, true); msg != "" {
		errs.Add(0, "description", msg)
	}
	a.DateSignature = s.optionalDate(&errs, "date_signature", "La date de signature", in.DateSignature, true)
	a.DateEffet = s.optionalDate(&errs, "date_effet", "La date d'effet", in.DateEffet, false)
	a.NouvelleExpiration = s.optionalDate(&errs, "nouvelle_expiration", "La nouvelle date d'expiration", in.NouvelleExpiration, false)
	if c.ExpiryUnrecorded && errs.OrNil() == nil && (a.DateSignature == nil || a.DateSignature.After(*c.DateFin)) {
		errs.Add(0, "date_signature", "La convention a expiré le "+frDate(c.DateFin)+
			" : seul un avenant signé au plus tard ce jour-là peut encore être enregistré (indiquez sa date de signature).")
	}
	uais, err := s.checkAvenantObjet(tx, c, a, in, &errs)
	if err != nil {
		return a, nil, err
	}
	return a, uais, errs.OrNil()
}

// optionalDate reads an optional date (JJ/MM/AAAA) of a form; a wrong one is reported on
// field and read as none.
func (s *Store) optionalDate(errs *ValidationError, field, subject, raw string, notFuture bool) *time.Time {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	d, msg := dateProblem(subject, raw, s.now(), notFuture)
	if msg != "" {
		errs.Add(0, field, msg)
		return nil
	}
	return &d
}

// checkAvenantObjet checks what the object of the avenant needs: a later expiry for a
// prolongation, new écoles for an extension (returned), no expiry for the others.
func (s *Store) checkAvenantObjet(tx *gorm.DB, c ConventionRow, a Avenant, in AvenantInput, errs *ValidationError) ([]string, error) {
	switch a.Objet {
	case AvenantProlongation:
		switch {
		case a.NouvelleExpiration == nil && strings.TrimSpace(in.NouvelleExpiration) == "":
			errs.Add(0, "nouvelle_expiration", "Un avenant de prolongation donne la nouvelle date d'expiration.")
		case a.NouvelleExpiration != nil && c.DateFin != nil && !a.NouvelleExpiration.After(*c.DateFin):
			errs.Add(0, "nouvelle_expiration", "La nouvelle date d'expiration doit être postérieure à l'actuelle ("+frDate(c.DateFin)+").")
		}
	case AvenantExtension:
		return s.newAnnexEcoles(tx, c, in.Ecoles, errs)
	default:
		if a.NouvelleExpiration != nil {
			errs.Add(0, "nouvelle_expiration", "Seul un avenant de prolongation change la date d'expiration.")
		}
	}
	return nil, nil
}

// applyAvenant numbers and records a checked avenant, moves the convention's expiry or
// extends its annex, and audits the change on the convention.
func (s *Store) applyAvenant(tx *gorm.DB, actor Actor, c ConventionRow, a *Avenant, uais []string) error {
	conventionID := c.ID
	var last struct{ N int }
	if err := tx.Model(&Avenant{}).Where("convention_id = ?", conventionID).Select("COALESCE(MAX(numero), 0) AS n").Scan(&last).Error; err != nil {
		return err
	}
	now := s.now().UTC()
	a.Numero, a.CreatedAt, a.UpdatedAt, a.Version = last.N+1, now, now, 1
	if err := tx.Create(a).Error; err != nil {
		return err
	}
	changes := []Change{{Field: "avenant", Label: "Avenant", New: "n° " + strconv.Itoa(a.Numero) + " : " + a.ObjetLabel()}}
	if a.Objet == AvenantProlongation {
		if err := tx.Model(&Convention{}).Where("id = ?", conventionID).Update("date_fin", a.NouvelleExpiration).Error; err != nil {
			return err
		}
		changes = append(changes, Change{Field: "fin", Label: "Expiration", Old: frDate(c.DateFin), New: frDate(a.NouvelleExpiration)})
	}
	if len(uais) > 0 {
		rows := make([]ConventionEcole, len(uais))
		for i, u := range uais {
			rows[i] = ConventionEcole{ConventionID: conventionID, UAI: u, AvenantID: &a.ID}
		}
		if err := insertAnnexRows(tx, rows); err != nil {
			return err
		}
		changes = append(changes, Change{Field: "annexe", Label: "Annexe", New: "+ " + strings.Join(uais, ", ")})
	}
	if err := touchConvention(tx, s.now(), conventionID); err != nil {
		return err
	}
	if err := refreshConventionsEnVigueur(tx, conventionID); err != nil {
		return err
	}
	return s.audit(tx, actor, "modification", "convention", strconv.FormatInt(conventionID, 10), changes)
}

// insertAnnexRows adds rows to the annex (the columns read from the écoles are not stored).
func insertAnnexRows(tx *gorm.DB, rows []ConventionEcole) error {
	return tx.Omit("Nom", "CodeINSEE", "CommuneNom", "NbEleves", "AvenantNumero", "TypeEtablissem").CreateInBatches(&rows, 50).Error
}

// newAnnexEcoles checks the écoles an extension adds: écoles of the covered communes, not in
// the annex yet.
func (s *Store) newAnnexEcoles(tx *gorm.DB, c ConventionRow, uais []string, errs *ValidationError) ([]string, error) {
	in := codeList(strings.Join(uais, " "))
	if len(in) == 0 {
		errs.Add(0, "ecoles", "Un avenant d'extension ajoute au moins une école à l'annexe : cochez-les.")
		return nil, nil
	}
	allowed, err := s.annexCandidates(tx, c.ID)
	if err != nil {
		return nil, err
	}
	var out, refused []string
	for _, u := range in {
		if slices.ContainsFunc(c.Ecoles, func(e ConventionEcole) bool { return e.UAI == u }) {
			continue // already in the annex
		}
		if !slices.Contains(allowed, u) {
			refused = append(refused, u)
			continue
		}
		out = append(out, u)
	}
	if len(refused) > 0 {
		errs.Add(0, "ecoles", "Ces écoles ne sont pas dans les communes de la convention : "+strings.Join(refused, ", ")+".")
	}
	if len(out) == 0 && len(refused) == 0 {
		errs.Add(0, "ecoles", "Ces écoles sont déjà dans l'annexe.")
	}
	return out, nil
}

// annexCandidates are the UAI of the écoles of a convention's communes.
func (s *Store) annexCandidates(tx *gorm.DB, id int64) ([]string, error) {
	var uais []string
	err := tx.Table("ecoles e").Joins("JOIN convention_communes cc ON cc.code_insee = e.code_insee").
		Where("cc.convention_id = ?", id).Order("e.uai").Pluck("e.uai", &uais).Error
	return uais, err
}

// AnnexChoice is an école that may be in a convention's annex.
type AnnexChoice struct {
	UAI        string `gorm:"column:uai"`
	Nom        string
	CommuneNom string
	Type       string
	NbEleves   int64
	InAnnex    bool
	ByAvenant  bool
}

// AnnexChoices lists the écoles of a convention's communes and whether each is in its
// annex, for the annex form.
func (s *Store) AnnexChoices(ctx context.Context, scope Scope, id int64) ([]AnnexChoice, error) {
	db := s.db.WithContext(ctx)
	if _, err := s.conventionDetail(db, scope, id); err != nil {
		return nil, err
	}
	var out []AnnexChoice
	err := db.Table("ecoles e").Joins("JOIN convention_communes cc ON cc.code_insee = e.code_insee AND cc.convention_id = ?", id).
		Joins("JOIN communes m ON m.code_insee = e.code_insee").
		Joins("LEFT JOIN convention_ecoles ce ON ce.convention_id = cc.convention_id AND ce.uai = e.uai").
		Select(`e.uai, e.nom, m.nom AS commune_nom, e.type, COALESCE(e.nb_eleves, 0) AS nb_eleves,
			CASE WHEN ce.uai IS NULL THEN 0 ELSE 1 END AS in_annex, CASE WHEN ce.avenant_id IS NULL THEN 0 ELSE 1 END AS by_avenant`).
		Order("m.nom_recherche, e.nom_recherche, e.uai").Scan(&out).Error
	return out, err
}

// SetConventionAnnex sets the écoles of the annex signed with the convention (those added by
// avenants stay). Once the convention is signed, its annex changes only by avenant.
func (s *Store) SetConventionAnnex(ctx context.Context, actor Actor, id int64, uais []string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.writableConvention(tx, actor, id)
		if err != nil {
			return err
		}
		var errs ValidationError
		if slices.Contains([]string{StatutSignee, StatutEnVigueur, StatutEchue, StatutResiliee}, c.Statut) {
			errs.Add(0, "ecoles", "La convention est « "+c.StatutLabel()+" » : son annexe change par un avenant d'extension.")
			return &errs
		}
		allowed, err := s.annexCandidates(tx, id)
		if err != nil {
			return err
		}
		want := codeList(strings.Join(uais, " "))
		var refused []string
		for _, u := range want {
			if !slices.Contains(allowed, u) {
				refused = append(refused, u)
			}
		}
		if len(refused) > 0 {
			errs.Add(0, "ecoles", "Ces écoles ne sont pas dans les communes de la convention : "+strings.Join(refused, ", ")+".")
			return &errs
		}
		var before []string
		for _, e := range c.Ecoles {
			if e.AvenantID == nil {
				before = append(before, e.UAI)
			}
		}
		if err := tx.Where("convention_id = ? AND avenant_id IS NULL", id).Delete(&ConventionEcole{}).Error; err != nil {
			return err
		}
		var rows []ConventionEcole
		for _, u := range want {
			if !slices.ContainsFunc(c.Ecoles, func(e ConventionEcole) bool { return e.UAI == u && e.AvenantID != nil }) {
				rows = append(rows, ConventionEcole{ConventionID: id, UAI: u})
			}
		}
		if len(rows) > 0 {
			if err := insertAnnexRows(tx, rows); err != nil {
				return err
			}
		}
		slices.Sort(want)
		if err := touchConvention(tx, s.now(), id); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "convention", strconv.FormatInt(id, 10),
			[]Change{{Field: "annexe", Label: "Annexe des écoles", Old: strings.Join(before, ", "), New: strings.Join(want, ", ")}})
	})
}

// CheckAvenantOf returns ErrNotFound unless avenantID is a live avenant of the live
// convention conventionID of the scope.
func (s *Store) CheckAvenantOf(ctx context.Context, scope Scope, conventionID, avenantID int64) error {
	c, err := avenantConvention(s.db.WithContext(ctx), scope, avenantID)
	if err == nil && c.ID != conventionID {
		err = ErrNotFound
	}
	return err
}

// AvenantConventionID returns the convention of a live avenant of the scope.
func (s *Store) AvenantConventionID(ctx context.Context, scope Scope, avenantID int64) (int64, error) {
	c, err := avenantConvention(s.db.WithContext(ctx), scope, avenantID)
	return c.ID, err
}
