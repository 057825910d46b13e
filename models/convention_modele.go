package models

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ConventionModele is a model of convention text kept by the administrator: Markdown with
// placeholders such as {{commune}}, replaced by a convention's data to draft its project
// (exports.ConventionDraft writes the draft from the model and the convention's row).
type ConventionModele struct {
	ID         int64
	Nom        string
	Kind       string
	Texte      string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
	Version    int
}

// TableName is the convention_modeles table.
func (ConventionModele) TableName() string { return "convention_modeles" }

// KindLabel is the French label of the kind of convention the model drafts.
func (m ConventionModele) KindLabel() string { return LabelOf(ConventionKinds, m.Kind) }

// MaxModeleTexte is the limit of a model's text, in characters.
const MaxModeleTexte = 50000

// ModelePlaceholders are the placeholders a model may hold, with what they become.
var ModelePlaceholders = []Choice{
	{"reference", "la référence de la convention"},
	{"titre", "son titre"},
	{"objet", "son objet"},
	{"type", "son type (convention locale…)"},
	{"departement", "le département (code et nom)"},
	{"commune", "les communes couvertes"},
	{"epci", "l'EPCI"},
	{"ia_dasen", "le signataire pour la DSDEN (nom et fonction)"},
	{"parties", "la liste des parties et de leurs signataires"},
	{"liste_ecoles", "la liste des écoles de l'annexe, avec leurs élèves"},
	{"nb_ecoles", "le nombre d'écoles de l'annexe"},
	{"nb_eleves", "le nombre d'élèves de l'annexe"},
	{"charte", "la version de la charte"},
	{"date_effet", "la date d'entrée en vigueur"},
	{"date_expiration", "la date d'expiration (après avenants)"},
	{"preavis", "le préavis, en mois"},
	{"convention_parente", "la convention parente"},
}

// ModelePlaceholderPattern matches a placeholder in a model's text, {{commune}} or
// {{ commune }}; its first group is the placeholder's name. It is shared, read only, by the
// check of a model here and the drafting of a convention from it (exports.ConventionDraft).
var ModelePlaceholderPattern = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// ModeleInput is what the model form gives.
type ModeleInput struct {
	Nom   string
	Kind  string
	Texte string
}

var modeleFields = []Choice{{"nom", "Nom"}, {"type", "Type"}, {"texte", "Texte"}}

func (m ConventionModele) auditValues() map[string]string {
	return map[string]string{"nom": m.Nom, "type": m.KindLabel(), "texte": m.Texte}
}

func checkModele(in ModeleInput) (ConventionModele, error) {
	var errs ValidationError
	m := ConventionModele{Nom: strings.TrimSpace(in.Nom), Kind: strings.TrimSpace(in.Kind),
		Texte: strings.ReplaceAll(in.Texte, "\r\n", "\n")}
	if msg := textProblem("Le nom", m.Nom, MaxConventionTitre, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	if !slices.Contains(ChoiceValues(ConventionKinds), m.Kind) {
		errs.Add(0, "type", "Choisissez le type de convention que ce modèle rédige.")
	}
	if msg := textProblem("Le texte", strings.TrimSpace(m.Texte), MaxModeleTexte, true, true); msg != "" {
		errs.Add(0, "texte", msg)
	}
	var unknown []string
	for _, match := range ModelePlaceholderPattern.FindAllStringSubmatch(m.Texte, -1) {
		if LabelOf(ModelePlaceholders, match[1]) == match[1] && !slices.Contains(unknown, match[0]) {
			unknown = append(unknown, match[0])
		}
	}
	if len(unknown) > 0 {
		errs.Add(0, "texte", "Champs inconnus : "+strings.Join(unknown, ", ")+" (voir la liste des champs disponibles).")
	}
	return m, errs.OrNil()
}

// CanWriteModeles reports whether the actor keeps the models: the administrator.
func CanWriteModeles(actor Actor) bool { return actor.Role == RoleAdmin }

// ListModeles returns the live models, by kind and name.
func (s *Store) ListModeles(ctx context.Context) ([]ConventionModele, error) {
	var out []ConventionModele
	err := s.db.WithContext(ctx).Where("archived_at IS NULL").Order("kind, nom, id").Find(&out).Error
	return out, err
}

// GetModele returns one live model.
func (s *Store) GetModele(ctx context.Context, id int64) (ConventionModele, error) {
	var m ConventionModele
	err := s.db.WithContext(ctx).Where("id = ? AND archived_at IS NULL", id).First(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return m, ErrNotFound
	}
	return m, err
}

// SaveModele creates (id 0) or changes a model still at version; administrator only.
func (s *Store) SaveModele(ctx context.Context, actor Actor, id int64, version int, in ModeleInput) (ConventionModele, error) {
	var out ConventionModele
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if !CanWriteModeles(actor) {
			return ErrForbidden
		}
		m, err := checkModele(in)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if id == 0 {
			m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
			out = m
			return s.audit(tx, actor, "creation", "modele_convention", strconv.FormatInt(m.ID, 10), diff(modeleFields, nil, m.auditValues()))
		}
		var before ConventionModele
		if err := tx.Where("id = ? AND archived_at IS NULL", id).First(&before).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		key := strconv.FormatInt(id, 10)
		if before.Version != version {
			return s.conflict(tx, "modele_convention", key, before)
		}
		res := tx.Model(&ConventionModele{}).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"nom": m.Nom, "kind": m.Kind, "texte": m.Texte, "updated_at": now, "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return s.conflict(tx, "modele_convention", key, before)
		}
		if err := tx.First(&out, id).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "modele_convention", key, diff(modeleFields, before.auditValues(), out.auditValues()))
	})
	return out, err
}

// ArchiveModele archives a model; administrator only.
func (s *Store) ArchiveModele(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if !CanWriteModeles(actor) {
			return ErrForbidden
		}
		return s.setArchived(tx, actor, &ConventionModele{}, "modele_convention", id, true)
	})
}
