package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// Import of a registration or attendance list (columns nom, fonction, uai, effectif,
// presence): previewed in a transaction rolled back, applied all or nothing.

// The modes of an import.
const (
	ImportInscriptions = "inscriptions"
	ImportPresences    = "presences"
)

// InscriptionLine is one data row of an imported list, as written in the file.
type InscriptionLine struct {
	Line                                   int
	Nom, Fonction, UAI, Effectif, Presence string
}

// InscriptionImport says what an import does (or would do): per line, who and the outcome.
type InscriptionImport struct {
	Inscrits, Attente, Presences int
	Lines                        []InscriptionImportLine
}

// InscriptionImportLine is the outcome of one line.
type InscriptionImportLine struct {
	Line             int
	Label, Outcome   string
	Presence, Status string
}

// errInscriptionPreview rolls a preview back.
var errInscriptionPreview = errors.New("aperçu")

// ImportInscriptionList previews (apply false) or applies an imported list to a session.
// Every fault of every line comes in one *ValidationError (FieldError.Line is the file's
// line, Field the column), and then nothing is written.
func (s *Store) ImportInscriptionList(ctx context.Context, actor Actor, formationID int64, mode string, lines []InscriptionLine, apply bool) (InscriptionImport, error) {
	var out InscriptionImport
	err := s.tx(ctx, func(tx *gorm.DB) error {
		f, err := formationFor(tx, actor, formationID, true)
		if err != nil {
			return err
		}
		if mode == ImportPresences {
			err = s.importPresences(tx, actor, f, lines, &out)
		} else {
			err = s.importRegistrations(tx, actor, f, lines, &out)
		}
		if err == nil && !apply {
			return errInscriptionPreview
		}
		return err
	})
	if errors.Is(err, errInscriptionPreview) {
		err = nil
	}
	return out, err
}

func (s *Store) importRegistrations(tx *gorm.DB, actor Actor, f Formation, lines []InscriptionLine, out *InscriptionImport) error {
	var errs ValidationError
	for _, l := range lines {
		in := InscriptionInput{Kind: InscriptionParticipant, Nom: l.Nom, Fonction: l.Fonction, UAI: l.UAI, Effectif: l.Effectif}
		if strings.TrimSpace(l.Nom) == "" && strings.TrimSpace(l.UAI) != "" {
			in.Kind = InscriptionEcole
		}
		r, err := s.register(tx, actor, f, in.normalize(), l.Line)
		var verr *ValidationError
		if errors.As(err, &verr) {
			errs.Errors = append(errs.Errors, verr.Errors...)
			continue
		}
		if err != nil {
			return err
		}
		label := r.Nom
		if r.Kind == InscriptionEcole {
			label = deref(r.UAI) + " (" + strconv.Itoa(r.Effectif) + ")"
		}
		if r.Statut == InscriptionInscrit {
			out.Inscrits++
		} else {
			out.Attente++
		}
		out.Lines = append(out.Lines, InscriptionImportLine{Line: l.Line, Label: label, Status: LabelOf(InscriptionStatuts, r.Statut)})
	}
	return errs.OrNil()
}

// presenceOf reads a presence as written: a code or its label, accents and case ignored.
func presenceOf(v string) (string, bool) {
	key := SearchKey(v)
	for _, c := range FormationPresences {
		if key == c.Value || key == SearchKey(c.Label) {
			return c.Value, true
		}
	}
	return "", key == ""
}

func (s *Store) importPresences(tx *gorm.DB, actor Actor, f Formation, lines []InscriptionLine, out *InscriptionImport) error {
	var rows []FormationInscription
	if err := tx.Where("formation_id = ? AND statut = ?", f.ID, InscriptionInscrit).Order("id").Find(&rows).Error; err != nil {
		return err
	}
	var errs ValidationError
	marks := map[int64]Attendance{}
	for _, l := range lines {
		p, ok := presenceOf(l.Presence)
		if !ok || p == "" {
			errs.Add(l.Line, "presence", "Présence inconnue : écrivez présent, absent ou excusé.")
			continue
		}
		var match *FormationInscription
		for i, r := range rows {
			if (l.Nom != "" && r.Kind == InscriptionParticipant && SearchKey(r.Nom) == SearchKey(l.Nom)) ||
				(l.Nom == "" && r.Kind == InscriptionEcole && strings.EqualFold(deref(r.UAI), strings.TrimSpace(l.UAI))) {
				match = &rows[i]
				break
			}
		}
		if match == nil {
			errs.Add(l.Line, "nom", "Personne ou école absente de la liste des inscrits de la session.")
			continue
		}
		if _, dup := marks[match.ID]; dup {
			errs.Add(l.Line, "nom", "Cette inscription figure déjà plus haut dans le fichier.")
			continue
		}
		marks[match.ID] = Attendance{Presence: p, Presents: l.Effectif}
		label := match.Nom
		if match.Kind == InscriptionEcole {
			label = deref(match.UAI)
		}
		out.Presences++
		out.Lines = append(out.Lines, InscriptionImportLine{Line: l.Line, Label: label, Presence: LabelOf(FormationPresences, p)})
	}
	if err := errs.OrNil(); err != nil {
		return err
	}
	return s.setAttendance(tx, actor, f.ID, marks, false)
}
