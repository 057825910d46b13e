package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Cahiers des charges (issue 16): the académie's model (no département) or a département's
// adaptation, with its versions, each a PDF (owner kind "cahier", models/document.go) with
// its date, a summary of what changed and the charter version it complies with. A market
// names the version it is based on (marches.cahier_version_id). The administrator and the
// pilotes write every cahier, an IA-DASEN their département's adaptations; everyone else
// reads (registry, policy.go).

// DocumentCahier is the owner kind of the documents of a cahier des charges' versions.
const DocumentCahier = "cahier"

// Limits of a cahier des charges.
const (
	MaxCahierTitre    = 200
	MaxCahierNotes    = 5000
	MaxCahierNumero   = 20
	MaxCahierResume   = 2000
	MaxCahierVersions = 100
)

// CahierCharges is a cahier des charges as stored.
type CahierCharges struct {
	ID              int64
	Titre           string
	DepartementCode *string
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the cahiers_charges table.
func (CahierCharges) TableName() string { return "cahiers_charges" }

// NiveauLabel says whose cahier it is: the académie's model or a département's adaptation.
func (c CahierCharges) NiveauLabel() string {
	if c.DepartementCode == nil {
		return "Modèle académique"
	}
	return "Adaptation départementale (" + *c.DepartementCode + ")"
}

// CahierVersion is one version of a cahier des charges.
type CahierVersion struct {
	ID              int64
	CahierID        int64
	Numero          string
	DateVersion     time.Time
	Resume          string
	CharteVersionID *int64
	DocumentID      *int64
	Par             string
	CreatedAt       time.Time
}

// TableName is the cahier_versions table.
func (CahierVersion) TableName() string { return "cahier_versions" }

// CahierVersionRow is a version as the pages show it: its charter and its document named.
type CahierVersionRow struct {
	CahierVersion
	Charte      string // the charter version's number, "" without one
	DocumentNom string // "" when the document was removed
}

// CharteLabel names the charter version it complies with.
func (v CahierVersionRow) CharteLabel() string {
	if v.Charte == "" {
		return fr.None
	}
	return "Charte n° " + v.Charte
}

// CahierRow is a cahier des charges with its versions, the latest first.
type CahierRow struct {
	CahierCharges
	Versions []CahierVersionRow `gorm:"-"`
}

// Derniere is the latest version, nil without one.
func (c CahierRow) Derniere() *CahierVersionRow {
	if len(c.Versions) == 0 {
		return nil
	}
	return &c.Versions[0]
}

var cahierFields = []Choice{{"titre", "Titre"}, {"departement", "Département"}, {"notes", "Notes"}, {"versions", "Versions"}}

func (c CahierRow) auditValues() map[string]string {
	dep := ""
	if c.DepartementCode != nil {
		dep = *c.DepartementCode
	}
	versions := make([]string, len(c.Versions))
	for i, v := range c.Versions {
		versions[i] = "version " + v.Numero + " du " + v.DateVersion.Format("02/01/2006") + " : " + v.Resume
		if v.DocumentID != nil {
			versions[i] += " (document n° " + strconv.FormatInt(*v.DocumentID, 10) + ")"
		}
	}
	return map[string]string{"titre": c.Titre, "departement": dep, "notes": c.Notes, "versions": strings.Join(versions, "\n")}
}

// CanWriteCahier reports whether the actor changes the cahier: the administrator and the
// pilotes every one, an IA-DASEN their département's adaptations.
func CanWriteCahier(actor Actor, c CahierCharges) bool {
	return writesDepartemental(actor, EntityCahier, c.DepartementCode)
}

// CanCreateCahiers reports whether the actor's role creates cahiers des charges.
func CanCreateCahiers(actor Actor) bool { return CanCreate(actor, EntityCahier) }

// cahiersIn starts every query of cahiers: the live ones of the scope (alias cc).
func cahiersIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("cahiers_charges AS cc"), EntityCahier, "cc").Where("cc.archived_at IS NULL")
}

// withCahierVersions loads the versions of the rows, in one query.
func withCahierVersions(tx *gorm.DB, rows []CahierRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, at := idsOf(rows, func(r CahierRow) int64 { return r.ID })
	var versions []CahierVersionRow
	if err := tx.Table("cahier_versions v").Select("v.*, COALESCE(ch.numero, '') AS charte, COALESCE(d.nom, '') AS document_nom").
		Joins("LEFT JOIN charte_versions ch ON ch.id = v.charte_version_id").
		Joins("LEFT JOIN documents d ON d.id = v.document_id AND d.archived_at IS NULL").
		Where("v.cahier_id IN ?", ids).Order("v.cahier_id, v.date_version DESC, v.id DESC").Scan(&versions).Error; err != nil {
		return err
	}
	for _, v := range versions {
		r := &rows[at[v.CahierID]]
		r.Versions = append(r.Versions, v)
	}
	return nil
}

// getCahier reads a live cahier of the scope with its versions.
func getCahier(tx *gorm.DB, scope Scope, id int64) (CahierRow, error) {
	var rows []CahierRow
	if err := cahiersIn(tx, scope).Select("cc.*").Where("cc.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return CahierRow{}, err
	}
	if len(rows) == 0 {
		return CahierRow{}, ErrNotFound
	}
	return rows[0], withCahierVersions(tx, rows)
}

// GetCahier returns one live cahier des charges of the scope with its versions.
func (s *Store) GetCahier(ctx context.Context, scope Scope, id int64) (CahierRow, error) {
	return getCahier(s.db.WithContext(ctx), scope, id)
}

// CahierFilter selects cahiers: Departement "academie" keeps the académie's models.
type CahierFilter struct {
	Departement string
	Q           string
}

var cahiersOrder = fixedOrder("cahiers", false, textCol("cc.titre"), intCol("cc.id"))

// ListCahiers returns one page of the live cahiers of the scope matching f, by title.
func (s *Store) ListCahiers(ctx context.Context, scope Scope, f CahierFilter, p PageRequest) (Page[CahierRow], error) {
	db := s.db.WithContext(ctx)
	rows := func() *gorm.DB { return filterCahiers(cahiersIn(db, scope), f) }
	read := func(ids []int64) ([]CahierRow, error) {
		var out []CahierRow
		if err := cahiersIn(db, scope).Select("cc.*").Where("cc.id IN ?", ids).Scan(&out).Error; err != nil {
			return nil, err
		}
		return out, withCahierVersions(db, out)
	}
	return readPage(ctx, s, listQuery{rows: rows, order: cahiersOrder}, p, read, func(r CahierRow) int64 { return r.ID })
}

// CahierInput is the form of a new cahier des charges: Departement "" for the académie's
// model.
type CahierInput struct {
	Titre, Departement, Notes string
}

// CreateCahier records a cahier des charges: field errors first, then ErrForbidden when
// the actor may not write one of that level.
func (s *Store) CreateCahier(ctx context.Context, actor Actor, in CahierInput) (CahierRow, error) {
	var row CahierRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var errs ValidationError
		c := CahierCharges{Titre: strings.TrimSpace(in.Titre), Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
		if msg := textProblem("Le titre", c.Titre, MaxCahierTitre, true, false); msg != "" {
			errs.Add(0, "titre", msg)
		}
		if msg := textProblem("Les notes", c.Notes, MaxCahierNotes, false, true); msg != "" {
			errs.Add(0, "notes", msg)
		}
		if dep := strings.TrimSpace(in.Departement); dep != "" {
			var n int64
			if err := tx.Table("departements").Where("code = ?", dbText(dep)).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				errs.Add(0, "departement", "Département inconnu : choisissez dans la liste.")
			}
			c.DepartementCode = &dep
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		if !CanWriteCahier(actor, c) {
			return ErrForbidden
		}
		now := s.now().UTC()
		c.CreatedAt, c.UpdatedAt, c.Version = now, now, 1
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		var err error
		if row, err = getCahier(tx, actor.Scope, c.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "cahier", strconv.FormatInt(c.ID, 10), diff(cahierFields, nil, row.auditValues()))
	})
	return row, err
}

// CahierVersionInput is the form of a new version: its number, date (JJ/MM/AAAA), what
// changed, the charter version (0: none) and its PDF.
type CahierVersionInput struct {
	Numero, Date, Resume string
	CharteID             int64
	FileName             string
	File                 io.Reader
}

// cahierEdit is the write path of an existing cahier (recordEdit).
func cahierEdit(actor Actor) recordEdit[CahierRow] {
	return recordEdit[CahierRow]{entity: "cahier", model: &CahierCharges{}, fields: cahierFields,
		get: func(tx *gorm.DB, scope Scope, id int64, _ bool) (CahierRow, error) {
			return getCahier(tx, scope, id)
		},
		version: func(c CahierRow) int { return c.Version },
		may:     func(_ *gorm.DB, c CahierRow) error { return forbiddenUnless(CanWriteCahier(actor, c.CahierCharges)) }}
}

// AddCahierVersion adds a version to the cahier still at version: its document, read up
// to 10 Mo and checked to be a PDF, is stored with it in the same audited transaction.
func (s *Store) AddCahierVersion(ctx context.Context, actor Actor, id int64, version int, in CahierVersionInput) (CahierRow, error) {
	data, fileMsg, err := readDocument(in.File)
	if err != nil {
		return CahierRow{}, err
	}
	return cahierEdit(actor).apply(ctx, s, actor, id, version, func(tx *gorm.DB, before CahierRow) (map[string]any, error) {
		v, err := checkCahierVersion(tx, before, in, fileMsg)
		if err != nil {
			return nil, err
		}
		now := s.now().UTC()
		sum := sha256.Sum256(data)
		d := Document{OwnerKind: DocumentCahier, OwnerID: id, Nom: DocumentName(in.FileName), Taille: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), Description: "Version " + v.Numero, CreatedAt: now, UpdatedAt: now, Version: 1}
		if actor.UserID != 0 {
			d.CreatedBy = &actor.UserID
		}
		if err := tx.Create(&d).Error; err != nil {
			return nil, err
		}
		if err := tx.Create(&documentContenu{DocumentID: d.ID, Data: data}).Error; err != nil {
			return nil, err
		}
		v.CahierID, v.DocumentID, v.Par, v.CreatedAt = id, &d.ID, actor.Name, now
		return map[string]any{}, tx.Create(&v).Error
	}, nil)
}

// checkCahierVersion validates the version form against the cahier.
func checkCahierVersion(tx *gorm.DB, c CahierRow, in CahierVersionInput, fileMsg string) (CahierVersion, error) {
	var errs ValidationError
	v := CahierVersion{Numero: strings.TrimSpace(in.Numero), Resume: strings.TrimSpace(strings.ReplaceAll(in.Resume, "\r\n", "\n"))}
	if msg := textProblem("Le numéro de version", v.Numero, MaxCahierNumero, true, false); msg != "" {
		errs.Add(0, "numero", msg)
	}
	for _, x := range c.Versions {
		if x.Numero == v.Numero && v.Numero != "" {
			errs.Add(0, "numero", "La version "+v.Numero+" existe déjà.")
		}
	}
	if len(c.Versions) >= MaxCahierVersions {
		errs.Add(0, "numero", "Un cahier des charges compte au plus "+strconv.Itoa(MaxCahierVersions)+" versions.")
	}
	if msg := textProblem("Le résumé des changements", v.Resume, MaxCahierResume, true, true); msg != "" {
		errs.Add(0, "resume", msg)
	}
	if strings.TrimSpace(in.Date) == "" {
		errs.Add(0, "date", "Indiquez la date de la version (JJ/MM/AAAA).")
	} else if d := optionalDay(&errs, "date", "La date de la version", in.Date); d != nil {
		v.DateVersion = *d
	}
	if in.CharteID > 0 {
		if _, err := getCharte(tx, in.CharteID); err != nil {
			errs.Add(0, "charte", "Version de la charte inconnue : choisissez dans la liste.")
		} else {
			v.CharteVersionID = &in.CharteID
		}
	}
	if fileMsg != "" {
		errs.Add(0, "fichier", fileMsg)
	}
	return v, errs.OrNil()
}

// cahierDocuments is how a cahier owns the documents of its versions: read as the cahier,
// written by whoever writes it.
var cahierDocuments = DocumentOwner{
	Read: func(tx *gorm.DB, scope Scope, id int64) error {
		_, err := getCahier(tx, scope, id)
		return err
	},
	Write: func(tx *gorm.DB, actor Actor, id int64) error {
		c, err := getCahier(tx, actor.Scope, id)
		if err == nil && !CanWriteCahier(actor, c.CahierCharges) {
			err = ErrForbidden
		}
		return err
	},
}

// CahierVersionChoices lists the versions a market of the département may be based on:
// those of the académie's models and of the département's adaptations that the scope
// reads, the latest first.
func (s *Store) CahierVersionChoices(ctx context.Context, scope Scope, dep string) ([]Choice, error) {
	var rows []struct {
		ID          int64
		Titre       string
		Numero      string
		DateVersion time.Time
	}
	q := cahiersIn(s.db.WithContext(ctx), scope).Joins("JOIN cahier_versions v ON v.cahier_id = cc.id").
		Select("v.id, cc.titre, v.numero, v.date_version")
	if dep != "" {
		q = q.Where("(cc.departement_code IS NULL OR cc.departement_code = ?)", dbText(dep))
	}
	if err := q.Order("cc.titre, v.date_version DESC, v.id DESC").Limit(500).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Titre + " — version " + r.Numero + " du " + fr.Day(r.DateVersion)}
	}
	return out, nil
}

// checkMarcheCahier checks the cahier version a market names (0: none): a version of a
// cahier the scope reads, the académie's or the market's département's.
func checkMarcheCahier(tx *gorm.DB, scope Scope, m *Marche, id int64, errs *ValidationError) error {
	if id <= 0 {
		return nil
	}
	var n int64
	err := cahiersIn(tx, scope).Joins("JOIN cahier_versions v ON v.cahier_id = cc.id").Where("v.id = ?", id).
		Where("(cc.departement_code IS NULL OR cc.departement_code = ?)", m.DepartementCode).Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		errs.Add(0, "cahier", "Version du cahier des charges inconnue pour ce département : choisissez dans la liste.")
		return nil
	}
	m.CahierVersionID = &id
	return nil
}

// EachCahier calls fn for every live cahier of the scope matching f, in list order, by
// batches of 500: the exports.
func (s *Store) EachCahier(ctx context.Context, scope Scope, f CahierFilter, fn func(CahierRow) error) error {
	db := s.db.WithContext(ctx)
	return eachInBatches(500, func(limit, offset int) ([]CahierRow, error) {
		var rows []CahierRow
		if err := filterCahiers(cahiersIn(db, scope), f).Select("cc.*").Order("cc.titre, cc.id").Limit(limit).Offset(offset).Scan(&rows).Error; err != nil {
			return nil, err
		}
		return rows, withCahierVersions(db, rows)
	}, fn)
}

func filterCahiers(q *gorm.DB, f CahierFilter) *gorm.DB {
	switch d := dbText(strings.TrimSpace(f.Departement)); d {
	case "":
	case "academie":
		q = q.Where("cc.departement_code IS NULL")
	default:
		q = q.Where("cc.departement_code = ?", d)
	}
	if text := strings.ToLower(strings.TrimSpace(dbText(f.Q))); text != "" {
		q = q.Where(`LOWER(cc.titre) LIKE ? ESCAPE '\'`, likeContains(text))
	}
	return q
}
