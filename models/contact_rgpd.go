package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The RGPD functions of contacts: export everything about a person (right of access),
// erase a person (right to erasure), and the retention period after which contacts are
// anonymised (storage limitation). All are for the admin (or the command line's system
// actor), and see archived contacts too.
//
// Erasure and the audit log. The audit log is append-only (the database refuses UPDATE
// and DELETE), so erasure cannot redact it. It does not need to: the audit events of a
// contact never hold the values of its personal fields (name, first name, function, email,
// phone, notes), only "renseigné", "modifié" or "effacé" (contactChanges), and consultation
// events hold no value at all. Anonymising the contact's row is therefore enough to leave
// nothing of the person in the database's tables; their history (who changed what field
// when) is kept. Later modules that reference a contact (members of a steering body,
// owners of actions, trainees...) must record it in their audit by id, never by name, and
// add their records to personReferences.

// AnonymisedName replaces the name of an erased person.
const AnonymisedName = "Personne anonymisée"

// DefaultContactRetention is how long a contact is kept after its last update before it
// is listed for review and anonymised by "pilotage purge": 3 years.
const DefaultContactRetention = 3 * 365 * 24 * time.Hour

// ParseRetention reads a retention period as an admin types it: "3ans", "3 ans", "36mois",
// "1095j" (a year is 365 days, a month a twelfth of it), or a Go duration such as "26280h".
func ParseRetention(s string) (time.Duration, error) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	units := []struct {
		suffix string
		unit   time.Duration
	}{
		{"ans", 365 * 24 * time.Hour}, {"an", 365 * 24 * time.Hour},
		{"mois", 365 * 24 * time.Hour / 12}, {"jours", 24 * time.Hour}, {"j", 24 * time.Hour},
	}
	var d time.Duration
	parsed := false
	for _, u := range units {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 || v > 100*365 {
				return 0, fmt.Errorf("durée de conservation invalide « %s »", s)
			}
			d, parsed = time.Duration(v)*u.unit, true
			break
		}
	}
	if !parsed {
		var err error
		if d, err = time.ParseDuration(t); err != nil {
			return 0, fmt.Errorf("durée de conservation invalide « %s » (exemples : 3ans, 36mois, 26280h)", s)
		}
	}
	if d < 24*time.Hour {
		return 0, fmt.Errorf("durée de conservation trop courte « %s » : un jour au moins", s)
	}
	return d, nil
}

// PersonExport is everything the product holds about one person, for the right of access.
type PersonExport struct {
	GeneratedAt  time.Time          `json:"genere_le"`
	Purpose      string             `json:"finalite"`
	Contact      personContact      `json:"contact"`
	Organisation personOrganisation `json:"organisation"`
	Events       []personEvent      `json:"journal"`
	References   []PersonReference  `json:"references"`
}

type personContact struct {
	ID           int64      `json:"id"`
	Nom          string     `json:"nom"`
	Prenom       string     `json:"prenom"`
	Fonction     string     `json:"fonction"`
	Email        string     `json:"email"`
	Telephone    string     `json:"telephone"`
	Notes        string     `json:"notes"`
	CreatedAt    time.Time  `json:"cree_le"`
	UpdatedAt    time.Time  `json:"modifie_le"`
	ArchivedAt   *time.Time `json:"archive_le"`
	AnonymisedAt *time.Time `json:"anonymise_le"`
}

type personOrganisation struct {
	ID          int64   `json:"id"`
	Nom         string  `json:"nom"`
	Kind        string  `json:"type"`
	Departement *string `json:"departement" gorm:"column:departement"`
	CodeINSEE   *string `json:"code_insee" gorm:"column:code_insee"`
	EPCISiren   *string `json:"epci_siren" gorm:"column:epci_siren"`
}

type personEvent struct {
	At      time.Time `json:"date"`
	Actor   string    `json:"auteur"`
	Role    string    `json:"role"`
	Action  string    `json:"action"`
	Changes []Change  `json:"modifications"`
}

// PersonReference is one record of another module that references the person.
type PersonReference struct {
	Entity   string `json:"type"`
	EntityID string `json:"id"`
	Label    string `json:"libelle"`
}

// personReferences is the hook of the modules that reference contacts: each adds here the
// query returning its records about the person (membership of a steering body, owner of
// an action, trainee...), so that the export stays complete. None does yet.
func personReferences(_ *gorm.DB, _ int64) ([]PersonReference, error) {
	return []PersonReference{}, nil
}

// ExportPerson returns everything about a contact (admin only): the contact, its
// organisation, every audit event about it, and the records referencing it. Nothing about
// another contact is included. The export itself is logged as a consultation.
func (s *Store) ExportPerson(ctx context.Context, actor Actor, contactID int64) (PersonExport, error) {
	var out PersonExport
	if actor.Role != RoleAdmin {
		return out, ErrForbidden
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c Contact
		if err := tx.Where("id = ?", contactID).Take(&c).Error; err != nil {
			return notFound(err)
		}
		var org personOrganisation
		if err := tx.Table("organisations").Select("id, nom, kind, departement_code AS departement, code_insee, epci_siren").
			Where("id = ?", c.OrganisationID).Take(&org).Error; err != nil {
			return err
		}
		var evs []AuditEvent
		if err := tx.Where("entity = ? AND entity_id = ?", contactEntity, strconv.FormatInt(contactID, 10)).
			Order("at, id").Find(&evs).Error; err != nil {
			return err
		}
		refs, err := personReferences(tx, contactID)
		if err != nil {
			return err
		}
		out = PersonExport{GeneratedAt: s.now().UTC(), Purpose: ContactPurpose, Organisation: org, References: refs,
			Contact: personContact{ID: c.ID, Nom: c.Nom, Prenom: c.Prenom, Fonction: c.Fonction, Email: c.Email,
				Telephone: c.Telephone, Notes: c.Notes, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
				ArchivedAt: c.ArchivedAt, AnonymisedAt: c.AnonymisedAt},
			Events: make([]personEvent, len(evs))}
		for i, ev := range evs {
			changes := ev.ChangeList()
			if changes == nil {
				changes = []Change{}
			}
			out.Events[i] = personEvent{At: ev.At, Actor: ev.Actor, Role: ev.Role, Action: ev.Action, Changes: changes}
		}
		return s.audit(tx, actor, "consultation", contactEntity, strconv.FormatInt(contactID, 10),
			[]Change{{Field: "rgpd", Label: "Export RGPD", New: "export de toutes les données"}})
	})
	return out, err
}

// Reasons of an anonymisation, recorded in the audit log.
const (
	ErasureRequested = "demande de la personne (droit à l'effacement)"
	ErasureRetention = "durée de conservation dépassée"
)

// ErasePerson anonymises a contact on the person's request (admin only): name replaced,
// first name, function, email, phone and notes emptied; the row and its id stay, so that
// the records referencing it stay consistent. Erasing an anonymised contact changes nothing.
func (s *Store) ErasePerson(ctx context.Context, actor Actor, contactID int64) error {
	if actor.Role != RoleAdmin {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		_, err := s.anonymiseContact(tx, actor, contactID, ErasureRequested, time.Time{})
		return err
	})
}

// errContactNotStale says that a contact changed since it was listed as stale.
var errContactNotStale = errors.New("contact modifié depuis la revue")

// anonymiseContact erases a contact in tx and records the "anonymisation" event. With a non-zero
// staleBefore, only a contact not updated since then is erased (errContactNotStale otherwise).
// It reports false for a contact already anonymised.
func (s *Store) anonymiseContact(tx *gorm.DB, actor Actor, id int64, reason string, staleBefore time.Time) (bool, error) {
	var c Contact
	if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
		return false, notFound(err)
	}
	if c.AnonymisedAt != nil {
		return false, nil
	}
	if !staleBefore.IsZero() && !c.UpdatedAt.Before(staleBefore) {
		return false, errContactNotStale
	}
	now := s.now().UTC()
	q := tx.Table("contacts").Where("id = ? AND version = ? AND anonymised_at IS NULL", id, c.Version)
	res := q.Updates(map[string]any{"nom": AnonymisedName, "prenom": "", "nom_recherche": SearchKey(AnonymisedName),
		"fonction": "", "email": "", "telephone": "", "notes": "", "anonymised_at": now, "updated_at": now,
		"version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected == 0 {
		return false, ErrConflict
	}
	changes := []Change{{Field: "nom", Label: "Nom", New: "remplacé par « " + AnonymisedName + " »"}}
	for _, f := range []struct{ field, value string }{{"prenom", c.Prenom}, {"fonction", c.Fonction},
		{"email", c.Email}, {"telephone", c.Telephone}, {"notes", c.Notes}} {
		if f.value != "" {
			changes = append(changes, Change{Field: f.field, Label: LabelOf(contactFields, f.field), New: "effacé"})
		}
	}
	changes = append(changes, Change{Field: "motif", Label: "Motif", New: reason})
	return true, s.audit(tx, actor, "anonymisation", contactEntity, strconv.FormatInt(id, 10), changes)
}

// staleContacts is the query of the contacts, live or archived, not anonymised, whose last
// update is before cutoff.
func (s *Store) staleContacts(ctx context.Context, actor Actor, cutoff time.Time) *gorm.DB {
	return s.contactsFrom(ctx, actor).Where("c.anonymised_at IS NULL AND c.updated_at < ?", cutoff)
}

// ListStaleContacts returns one page of the contacts not updated for olderThan (admin
// only), oldest first: they are due for review, then anonymisation by "pilotage purge".
func (s *Store) ListStaleContacts(ctx context.Context, actor Actor, olderThan time.Duration, p PageRequest) (Page[ContactRow], error) {
	p = p.normalized()
	page := Page[ContactRow]{Number: p.Number, Size: p.Size}
	if actor.Role != RoleAdmin {
		return page, ErrForbidden
	}
	cutoff := s.now().UTC().Add(-olderThan)
	if err := s.staleContacts(ctx, actor, cutoff).Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := s.staleContacts(ctx, actor, cutoff).Select(contactColumns(false)).Order("c.updated_at, c.id").
		Limit(p.Size).Offset(p.offset()).Scan(&page.Items).Error
	return page, err
}

// PurgeReport says what a purge did, or would do in a dry run.
type PurgeReport struct {
	Cutoff      time.Time // contacts last updated before it were due
	Due         []ContactRow
	Anonymised  int
	SkippedSeen int // changed between the listing and their anonymisation: kept
}

// PurgeStaleContacts anonymises the contacts not updated for olderThan (admin or system
// actor), each in its own transaction with its "anonymisation" event, so that one failure
// keeps the others done. A contact updated in the meantime is kept. With dryRun, nothing
// changes and the report lists the contacts that would be anonymised.
func (s *Store) PurgeStaleContacts(ctx context.Context, actor Actor, olderThan time.Duration, dryRun bool) (PurgeReport, error) {
	rep := PurgeReport{Cutoff: s.now().UTC().Add(-olderThan)}
	if actor.Role != RoleAdmin {
		return rep, ErrForbidden
	}
	if err := s.staleContacts(ctx, actor, rep.Cutoff).Select(contactColumns(false)).Order("c.updated_at, c.id").
		Scan(&rep.Due).Error; err != nil {
		return rep, err
	}
	if dryRun {
		return rep, nil
	}
	for _, c := range rep.Due {
		done := false
		err := s.tx(ctx, func(tx *gorm.DB) error {
			var err error
			done, err = s.anonymiseContact(tx, actor, c.ID, ErasureRetention, rep.Cutoff)
			return err
		})
		switch {
		case errors.Is(err, errContactNotStale), errors.Is(err, ErrConflict):
			rep.SkippedSeen++
		case err != nil:
			return rep, fmt.Errorf("anonymisation du contact n° %d : %w", c.ID, err)
		case done:
			rep.Anonymised++
		}
	}
	return rep, nil
}
