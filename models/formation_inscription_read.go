package models

import (
	"context"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// InscriptionRow is a registration as the pages, exports and API show it: the names of its
// école and commune, its rank on the waiting list, and Masked when the personal fields were
// withheld from the reader (empty from the database itself).
type InscriptionRow struct {
	FormationInscription
	EcoleNom   string
	CommuneNom string
	Rang       int  `gorm:"-"` // rank on the waiting list, from 1; 0 otherwise
	Masked     bool `gorm:"-"`
}

// KindLabel, StatutLabel and PresenceLabel are the French labels of the registration.
func (r InscriptionRow) KindLabel() string { return LabelOf(InscriptionKinds, r.Kind) }

// StatutLabel is the French label of the registration's status.
func (r InscriptionRow) StatutLabel() string { return LabelOf(InscriptionStatuts, r.Statut) }

// PresenceLabel is the French label of the attendance mark, "" before it is taken.
func (r InscriptionRow) PresenceLabel() string { return LabelOf(FormationPresences, r.Presence) }

// IsEcole reports whether the registration is an école's headcount.
func (r InscriptionRow) IsEcole() bool { return r.Kind == InscriptionEcole }

// Erased reports whether the participant was erased (RGPD).
func (r InscriptionRow) Erased() bool { return r.ErasedAt != nil }

// Label is what a list shows in its first column: the participant's name (or "Participant"
// masked, "Personne effacée" erased), the école's name for an école.
func (r InscriptionRow) Label() string {
	switch {
	case r.Kind == InscriptionEcole:
		return r.EcoleNom
	case r.Erased():
		return "Personne effacée"
	case r.Masked:
		return "Participant"
	}
	return r.Nom
}

// PresentsValue is the headcount present of an école as a form shows it ("" not taken).
func (r InscriptionRow) PresentsValue() string {
	if r.Presents == nil {
		return ""
	}
	return strconv.Itoa(*r.Presents)
}

// InscriptionsMasked reports whether the actor must not see the participants' names,
// functions and emails: the lecteur and the AMIF read aggregates only.
func InscriptionsMasked(actor Actor) bool {
	return !actor.Role.SeesPersonalData() || actor.Role == RoleAMIF
}

// inscriptionColumns are the columns of an InscriptionRow. For a masked reader the personal
// fields are empty; a référent reads those of the participants of their communes only.
func inscriptionColumns(actor Actor) (string, []any) {
	const rest = `i.id, i.formation_id, i.kind, i.uai, i.code_insee, i.effectif, i.statut, i.presence, i.presents,
		i.created_by, i.created_at, i.updated_at, i.erased_at, i.version, COALESCE(ie.nom, '') AS ecole_nom,
		COALESCE(ic.nom, '') AS commune_nom`
	switch {
	case InscriptionsMasked(actor):
		return "'' AS nom, '' AS fonction, '' AS email, " + rest, nil
	case actor.Role == RoleReferent:
		c := "CASE WHEN i.code_insee IN ? THEN i.{f} ELSE '' END AS {f}"
		cols := ""
		var args []any
		for _, f := range []string{"nom", "fonction", "email"} {
			cols += strings.ReplaceAll(c, "{f}", f) + ", "
			args = append(args, actor.Scope.Communes)
		}
		return cols + rest, args
	}
	return "i.nom, i.fonction, i.email, " + rest, nil
}

// ListInscriptions returns the registrations of a session the actor reads: the registered
// in their order, then the waiting list with its ranks, then the cancelled ones. The
// consultation is logged when the actor sees names.
func (s *Store) ListInscriptions(ctx context.Context, actor Actor, formationID int64) ([]InscriptionRow, error) {
	var rows []InscriptionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := formationFor(tx, actor, formationID, false); err != nil {
			return err
		}
		var err error
		if rows, err = readInscriptions(tx, actor, "i.formation_id = ?", formationID); err != nil {
			return err
		}
		if InscriptionsMasked(actor) || len(rows) == 0 {
			return nil
		}
		return s.audit(tx, actor, "consultation", inscriptionsEntity, strconv.FormatInt(formationID, 10), nil)
	})
	return rows, err
}

// readInscriptions reads the registrations matching cond, in list order, with the ranks
// of the waiting list.
func readInscriptions(tx *gorm.DB, actor Actor, cond string, args ...any) ([]InscriptionRow, error) {
	cols, colArgs := inscriptionColumns(actor)
	var rows []InscriptionRow
	err := tx.Table("formation_inscriptions AS i").Select(cols, colArgs...).
		Joins("LEFT JOIN ecoles ie ON ie.uai = i.uai").Joins("LEFT JOIN communes ic ON ic.code_insee = i.code_insee").
		Where(cond, args...).
		Order("CASE i.statut WHEN 'inscrit' THEN 0 WHEN 'attente' THEN 1 ELSE 2 END, i.id").Scan(&rows).Error
	rank := 0
	for i := range rows {
		rows[i].Masked = InscriptionsMasked(actor) || (actor.Role == RoleReferent && rows[i].Nom == "")
		if rows[i].Statut == InscriptionAttente {
			rank++
			rows[i].Rang = rank
		}
	}
	return rows, err
}

// GetInscription reads one registration of a session the actor reads (masked as in the
// lists), and logs the consultation when it shows a name: the attestation's page.
func (s *Store) GetInscription(ctx context.Context, actor Actor, formationID, id int64) (InscriptionRow, error) {
	var row InscriptionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := formationFor(tx, actor, formationID, false); err != nil {
			return err
		}
		rows, err := readInscriptions(tx, actor, "i.formation_id = ? AND i.id = ?", formationID, id)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrNotFound
		}
		row = rows[0]
		if row.Masked || row.Kind != InscriptionParticipant {
			return nil
		}
		return s.audit(tx, actor, "consultation", inscriptionEntity, strconv.FormatInt(id, 10), nil)
	})
	return row, err
}
