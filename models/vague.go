package models

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Vague is a wave of the plan: the pilot sites, then one wave per school year. It is the
// académie's (no département) or a département's; its target is the écoles it holds.
type Vague struct {
	ID              int64
	Nom             string
	AnneeScolaire   string
	Pilote          bool
	DepartementCode *string
	OuverturePrevue *time.Time
	CibleEcoles     *int
	Notes           string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the vagues table.
func (Vague) TableName() string { return "vagues" }

// ListVagues returns the live waves the scope reads, in the order of the plan (school year,
// then the pilot wave first, then name).
func (s *Store) ListVagues(ctx context.Context, scope Scope) ([]Vague, error) {
	var out []Vague
	q := scope.restrictTo(s.db.WithContext(ctx).Table("vagues AS v"), EntityVague, "v")
	err := q.Select("v.*").Where("v.archived_at IS NULL").Order("v.annee_scolaire, v.pilote DESC, v.nom, v.id").Find(&out).Error
	return out, err
}

// Limits of a wave's fields.
const (
	MaxVagueNom   = 200
	MaxVagueNotes = 10000
	MaxVagueCible = 100000
)

// VagueInput is what a form gives to create or change a wave: Departement "" is the
// académie; the date is JJ/MM/AAAA; CibleEcoles "" sets no target.
type VagueInput struct {
	Nom             string
	AnneeScolaire   string
	Pilote          bool
	Departement     string
	OuverturePrevue string
	CibleEcoles     string
	Notes           string
}

// vagueFields are the audited fields of a wave.
var vagueFields = []Choice{{"nom", "Nom"}, {"annee_scolaire", "Année scolaire"}, {"pilote", "Sites pilotes"},
	{"departement", "Périmètre"}, {"ouverture_prevue", "Ouverture prévue"}, {"cible", "Cible (écoles)"}, {"notes", "Notes"}}

func (in VagueInput) normalize() VagueInput {
	return VagueInput{Nom: strings.TrimSpace(in.Nom), AnneeScolaire: strings.TrimSpace(in.AnneeScolaire), Pilote: in.Pilote,
		Departement: strings.TrimSpace(in.Departement), OuverturePrevue: strings.TrimSpace(in.OuverturePrevue),
		CibleEcoles: strings.TrimSpace(in.CibleEcoles), Notes: strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))}
}

var anneeScolairePattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{4})$`)

// AnneeScolaireProblem returns the French message of a school year that is not written
// AAAA-AAAA with two consecutive years ("" when it is fine).
func AnneeScolaireProblem(v string) string {
	m := anneeScolairePattern.FindStringSubmatch(v)
	if v == "" {
		return "L'année scolaire est obligatoire."
	}
	if m == nil {
		return "Année scolaire invalide : écrivez-la AAAA-AAAA (exemple : 2013-2014)."
	}
	first, _ := strconv.Atoi(m[1])
	second, _ := strconv.Atoi(m[2])
	switch {
	case second != first+1:
		return "Année scolaire invalide : les deux années doivent se suivre (exemple : 2013-2014)."
	case first < MinDateYear || second > MaxDateYear:
		return "L'année scolaire doit être comprise entre " + strconv.Itoa(MinDateYear) + " et " + strconv.Itoa(MaxDateYear) + "."
	}
	return ""
}

// checkVague validates the input and returns the wave it describes.
func checkVague(tx *gorm.DB, in VagueInput) (Vague, error) {
	var errs ValidationError
	v := Vague{Nom: in.Nom, AnneeScolaire: in.AnneeScolaire, Pilote: in.Pilote, Notes: in.Notes}
	if msg := textProblem("Le nom", in.Nom, MaxVagueNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	if msg := AnneeScolaireProblem(in.AnneeScolaire); msg != "" {
		errs.Add(0, "annee_scolaire", msg)
	}
	if in.OuverturePrevue == "" {
		errs.Add(0, "ouverture_prevue", "La date d'ouverture prévue est obligatoire.")
	} else if day, msg := DayProblem("La date d'ouverture prévue", in.OuverturePrevue); msg != "" {
		errs.Add(0, "ouverture_prevue", msg)
	} else {
		v.OuverturePrevue = &day
	}
	if in.Departement != "" {
		var d Departement
		found, err := lookup(tx.Select("code").Where("code = ?", in.Departement), &d, ValidDepartementCode(in.Departement))
		if err != nil {
			return v, err
		}
		if !found {
			errs.Add(0, "departement", "Département inconnu : choisissez dans la liste.")
		}
		v.DepartementCode = &d.Code
	}
	if in.CibleEcoles != "" {
		n, err := strconv.Atoi(in.CibleEcoles)
		if err != nil || n < 0 || n > MaxVagueCible {
			errs.Add(0, "cible", "La cible est un nombre entier d'écoles, entre 0 et "+strconv.Itoa(MaxVagueCible)+" (exemple : 120).")
		}
		v.CibleEcoles = &n
	}
	if msg := textProblem("Les notes", in.Notes, MaxVagueNotes, false, true); msg != "" {
		errs.Add(0, "notes", msg)
	}
	return v, errs.OrNil()
}

// CanWriteVague reports whether the actor writes the wave (pilotes and administrators
// every wave, an IA-DASEN the waves of their département), from the policy table.
func CanWriteVague(actor Actor, v Vague) bool {
	return writesDepartemental(actor, EntityVague, v.DepartementCode)
}

func mayWriteVague(actor Actor, v Vague) error { return forbiddenUnless(CanWriteVague(actor, v)) }

// CreateVague creates a wave. Field errors come first, then the write rule (ErrForbidden).
func (s *Store) CreateVague(ctx context.Context, actor Actor, in VagueInput) (VagueRow, error) {
	in = in.normalize()
	var row VagueRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		v, err := checkVague(tx, in)
		if err != nil {
			return err
		}
		if err := mayWriteVague(actor, v); err != nil {
			return err
		}
		now := s.now().UTC()
		v.CreatedAt, v.UpdatedAt, v.Version = now, now, 1
		if err := tx.Omit("ID").Create(&v).Error; err != nil {
			return err
		}
		if row, err = getVague(tx, actor.Scope, v.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "vague", strconv.FormatInt(v.ID, 10), diff(vagueFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateVague changes a wave if it is still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor may not write it (or what it would become), *ConflictError
// on a stale version.
func (s *Store) UpdateVague(ctx context.Context, actor Actor, id int64, version int, in VagueInput) (VagueRow, error) {
	in = in.normalize()
	edit := recordEdit[VagueRow]{entity: "vague", model: &Vague{}, fields: vagueFields, get: getVague,
		version: func(v VagueRow) int { return v.Version },
		may:     func(_ *gorm.DB, v VagueRow) error { return mayWriteVague(actor, v.Vague) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before VagueRow) (map[string]any, error) {
		v, err := checkVague(tx, in)
		if err != nil {
			return nil, err
		}
		if err := mayWriteVague(actor, v); err != nil {
			return nil, err
		}
		after := VagueRow{Vague: v, DepartementNom: before.DepartementNom}
		if diff(vagueFields, before.auditValues(), after.auditValues()) == nil {
			return nil, nil
		}
		return map[string]any{"nom": v.Nom, "annee_scolaire": v.AnneeScolaire, "pilote": v.Pilote,
			"departement_code": v.DepartementCode, "ouverture_prevue": v.OuverturePrevue, "cible_ecoles": v.CibleEcoles,
			"notes": v.Notes}, nil
	}, nil)
}

// ArchiveVague archives a wave the actor writes: it leaves the lists and can no longer
// receive écoles (ChangeDeploiements refuses an archived wave); its écoles keep it.
func (s *Store) ArchiveVague(ctx context.Context, actor Actor, id int64) error {
	return s.setVagueArchived(ctx, actor, id, true)
}

// RestoreVague brings an archived wave back.
func (s *Store) RestoreVague(ctx context.Context, actor Actor, id int64) error {
	return s.setVagueArchived(ctx, actor, id, false)
}

func (s *Store) setVagueArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Vague{}, "vague", id, archive, getVague,
		func(v VagueRow) error { return mayWriteVague(actor, v.Vague) })
}
