package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Statuses of a charter version.
const (
	CharteProjet    = "projet"
	CharteAdoptee   = "adoptee"
	CharteRemplacee = "remplacee"
)

// CharteStatuts lists the statuses of a charter version with their French labels.
var CharteStatuts = []Choice{
	{CharteProjet, "Projet"},
	{CharteAdoptee, "Adoptée par le COPIL"},
	{CharteRemplacee, "Remplacée"},
}

// CharteSectionKeys lists the five sections of the charter, in their order, with their titles.
var CharteSectionKeys = []Choice{
	{"donnees_personnelles", "Données personnelles"},
	{"identification", "Identification des communautés"},
	{"securite", "Sécurité"},
	{"interoperabilite", "Interopérabilité"},
	{"perimetres", "Périmètres Éducation nationale / collectivités"},
}

// Limits of the charter's text fields, in characters.
const (
	MaxCharteNumero  = 30
	MaxCharteSection = 20000
)

// CharteVersion is one version of the "charte des ENT du premier degré de l'Est parisien".
// At most one version is adopted at a time: it is the current version, the one coverage counts.
type CharteVersion struct {
	ID          int64
	Numero      string
	DateVersion time.Time
	Statut      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ArchivedAt  *time.Time
	Version     int
	Sections    []CharteSection `gorm:"-"`
}

// TableName is the charte_versions table.
func (CharteVersion) TableName() string { return "charte_versions" }

// StatutLabel is the French label of the version's status.
func (v CharteVersion) StatutLabel() string { return LabelOf(CharteStatuts, v.Statut) }

// Label is "Version 2 (12/05/2014)".
func (v CharteVersion) Label() string {
	return "Version " + v.Numero + " (" + fr.Day(v.DateVersion) + ")"
}

// Section returns the text of the section key ("" when absent).
func (v CharteVersion) Section(key string) string {
	for _, s := range v.Sections {
		if s.Cle == key {
			return s.Texte
		}
	}
	return ""
}

// CharteSection is one section of a version, in Markdown.
type CharteSection struct {
	ID              int64
	CharteVersionID int64
	Cle             string
	Titre           string
	Texte           string
}

// TableName is the charte_sections table.
func (CharteSection) TableName() string { return "charte_sections" }

// CharteInput is what the form gives to create or change a version. Date is typed
// "JJ/MM/AAAA" (or ISO); Sections is keyed by CharteSectionKeys.
type CharteInput struct {
	Numero   string
	Date     string
	Statut   string
	Sections map[string]string
}

var charteFields = []Choice{{"numero", "Numéro"}, {"date", "Date"}, {"statut", "Statut"}}

func charteAuditValues(v CharteVersion) map[string]string {
	m := map[string]string{"numero": v.Numero, "date": fr.Day(v.DateVersion), "statut": v.StatutLabel()}
	for _, s := range v.Sections {
		m[s.Cle] = s.Texte
	}
	return m
}

func charteAuditLabels() []Choice { return append(slices.Clone(charteFields), CharteSectionKeys...) }

// dateProblem returns the French message of a missing date, of one DayProblem refuses, or
// (when notFuture) of a future one.
func dateProblem(subject, s string, now time.Time, notFuture bool) (time.Time, string) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, subject + " est obligatoire."
	}
	t, msg := DayProblem(subject, s)
	if msg != "" {
		return t, msg
	}
	if notFuture && t.After(dateOnly(now.In(fr.Paris()))) {
		return t, subject + " ne peut pas être dans le futur."
	}
	return t, ""
}

// checkCharte validates the input and returns the version it describes.
func checkCharte(in CharteInput) (CharteVersion, error) {
	var errs ValidationError
	v := CharteVersion{Numero: strings.TrimSpace(in.Numero), Statut: strings.TrimSpace(in.Statut)}
	if msg := textProblem("Le numéro", v.Numero, MaxCharteNumero, true, false); msg != "" {
		errs.Add(0, "numero", msg)
	}
	d, msg := dateProblem("La date", in.Date, time.Now(), false)
	if msg != "" {
		errs.Add(0, "date", msg)
	}
	v.DateVersion = d
	if !slices.Contains(ChoiceValues(CharteStatuts), v.Statut) {
		errs.Add(0, "statut", "Choisissez le statut de la version.")
	}
	for _, k := range CharteSectionKeys {
		text := strings.ReplaceAll(in.Sections[k.Value], "\r\n", "\n")
		if msg := textProblem("La section « "+k.Label+" »", text, MaxCharteSection, false, true); msg != "" {
			errs.Add(0, k.Value, msg)
		}
		v.Sections = append(v.Sections, CharteSection{Cle: k.Value, Titre: k.Label, Texte: text})
	}
	return v, errs.OrNil()
}

// CanWriteCharte is the one write rule of the charter: the administrator and the pilotes
// académiques write versions; every other role reads them.
func CanWriteCharte(actor Actor) bool {
	return (actor.Role == RoleAdmin || actor.Role == RolePilote) && actor.Scope.valid()
}

// charteNumeroFree refuses a second live version with the same number.
func charteNumeroFree(tx *gorm.DB, numero string, selfID int64) error {
	var n int64
	if err := tx.Model(&CharteVersion{}).Where("numero = ? AND archived_at IS NULL AND id <> ?", numero, selfID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return charteNumeroTaken()
	}
	return nil
}

func charteNumeroTaken() error {
	return &ValidationError{Errors: []FieldError{{Field: "numero", Msg: "Une version porte déjà ce numéro : choisissez-en un autre."}}}
}

// replacePreviousAdoption marks "remplacée" the adopted version other than selfID, with one
// audit event, when selfID becomes the adopted version.
func (s *Store) replacePreviousAdoption(tx *gorm.DB, actor Actor, selfID int64) error {
	var olds []CharteVersion
	if err := tx.Where("statut = ? AND archived_at IS NULL AND id <> ?", CharteAdoptee, selfID).Find(&olds).Error; err != nil {
		return err
	}
	for _, o := range olds {
		if err := tx.Model(&CharteVersion{}).Where("id = ?", o.ID).Updates(map[string]any{"statut": CharteRemplacee,
			"updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		if err := s.audit(tx, actor, "modification", "charte", strconv.FormatInt(o.ID, 10),
			[]Change{{Field: "statut", Label: "Statut", Old: LabelOf(CharteStatuts, CharteAdoptee), New: LabelOf(CharteStatuts, CharteRemplacee)}}); err != nil {
			return err
		}
	}
	return nil
}

// CreateCharte creates a version with its five sections. Making it "adoptée" marks the
// previously adopted version "remplacée" in the same transaction.
func (s *Store) CreateCharte(ctx context.Context, actor Actor, in CharteInput) (CharteVersion, error) {
	var out CharteVersion
	err := s.tx(ctx, func(tx *gorm.DB) error {
		v, err := checkCharte(in)
		if err != nil {
			return err
		}
		if !CanWriteCharte(actor) {
			return ErrForbidden
		}
		if err := charteNumeroFree(tx, v.Numero, 0); err != nil {
			return err
		}
		now := s.now().UTC()
		v.CreatedAt, v.UpdatedAt, v.Version = now, now, 1
		sections := v.Sections
		if err := tx.Omit("Sections").Create(&v).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return charteNumeroTaken()
			}
			return err
		}
		for i := range sections {
			sections[i].CharteVersionID = v.ID
		}
		if err := tx.Create(&sections).Error; err != nil {
			return err
		}
		if err := refreshCoverage(tx, coverageScope{version: v.ID}); err != nil {
			return err
		}
		if v.Statut == CharteAdoptee {
			if err := s.replacePreviousAdoption(tx, actor, v.ID); err != nil {
				return err
			}
		}
		if out, err = getCharte(tx, v.ID); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "charte", strconv.FormatInt(v.ID, 10), diff(charteAuditLabels(), nil, charteAuditValues(out)))
	})
	return out, err
}

// UpdateCharte changes a version if it is still at version; a stale version is a
// *ConflictError and nothing changes.
func (s *Store) UpdateCharte(ctx context.Context, actor Actor, id int64, version int, in CharteInput) (CharteVersion, error) {
	var out CharteVersion
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getCharte(tx, id)
		if err != nil {
			return err
		}
		if !CanWriteCharte(actor) {
			return ErrForbidden
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "charte", key, before)
		}
		v, err := checkCharte(in)
		if err != nil {
			return err
		}
		if err := charteNumeroFree(tx, v.Numero, id); err != nil {
			return err
		}
		changes := diff(charteAuditLabels(), charteAuditValues(before), charteAuditValues(v))
		if len(changes) == 0 {
			out = before
			return nil
		}
		if err := s.updateVersioned(tx, &CharteVersion{}, "charte", id, version, map[string]any{
			"numero": v.Numero, "date_version": v.DateVersion, "statut": v.Statut,
		}, func() (any, error) { return getCharte(tx, id) }); err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return charteNumeroTaken()
			}
			return err
		}
		for _, sec := range v.Sections {
			if err := tx.Model(&CharteSection{}).Where("charte_version_id = ? AND cle = ?", id, sec.Cle).
				Updates(map[string]any{"texte": sec.Texte, "titre": sec.Titre}).Error; err != nil {
				return err
			}
		}
		if v.Statut == CharteAdoptee && before.Statut != CharteAdoptee {
			if err := s.replacePreviousAdoption(tx, actor, id); err != nil {
				return err
			}
		}
		if out, err = getCharte(tx, id); err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "charte", key, changes)
	})
	return out, err
}

// getCharte reads one live version with its sections; ErrNotFound otherwise.
func getCharte(tx *gorm.DB, id int64) (CharteVersion, error) {
	var v CharteVersion
	err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, err
	}
	err = tx.Where("charte_version_id = ?", id).Order(sectionOrder()).Find(&v.Sections).Error
	return v, err
}

// sectionOrder sorts sections in the order of CharteSectionKeys.
func sectionOrder() string {
	var b strings.Builder
	b.WriteString("CASE cle")
	for i, k := range CharteSectionKeys {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k.Value, i)
	}
	b.WriteString(" END")
	return b.String()
}

// GetCharte returns one live version with its sections; every valid scope reads the charter.
func (s *Store) GetCharte(ctx context.Context, scope Scope, id int64) (CharteVersion, error) {
	if err := scope.readReference(); err != nil {
		return CharteVersion{}, ErrNotFound
	}
	return getCharte(s.db.WithContext(ctx), id)
}

// ListChartes returns the live versions, the latest first, with their sections when
// withSections (two queries, never one per version).
func (s *Store) ListChartes(ctx context.Context, scope Scope, withSections bool) ([]CharteVersion, error) {
	if err := scope.readReference(); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	var out []CharteVersion
	if err := db.Where("archived_at IS NULL").Order("date_version DESC, id DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	if !withSections || len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, v := range out {
		ids[i] = v.ID
	}
	var secs []CharteSection
	if err := db.Where("charte_version_id IN ?", ids).Order("charte_version_id, " + sectionOrder()).Find(&secs).Error; err != nil {
		return nil, err
	}
	for i := range out {
		for _, sec := range secs {
			if sec.CharteVersionID == out[i].ID {
				out[i].Sections = append(out[i].Sections, sec)
			}
		}
	}
	return out, nil
}

// CurrentCharte returns the adopted version; ErrNotFound when none is adopted.
func (s *Store) CurrentCharte(ctx context.Context) (CharteVersion, error) {
	var v CharteVersion
	err := s.db.WithContext(ctx).Where("statut = ? AND archived_at IS NULL", CharteAdoptee).Order("date_version DESC, id DESC").Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return v, ErrNotFound
	}
	return v, err
}

// CharteChoices lists the live versions for the selects of forms and filters.
func (s *Store) CharteChoices(ctx context.Context) ([]Choice, error) {
	var vs []CharteVersion
	if err := s.db.WithContext(ctx).Where("archived_at IS NULL").Order("date_version DESC, id DESC").Find(&vs).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(vs))
	for i, v := range vs {
		out[i] = Choice{strconv.FormatInt(v.ID, 10), v.Label() + " — " + v.StatutLabel()}
	}
	return out, nil
}
