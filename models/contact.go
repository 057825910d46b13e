package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Contact is a person of an organisation: personal data (RGPD). Every read goes through
// the organisation's scope (a contact is visible iff its organisation is), the email, the
// phone and the notes are masked for the roles that may not see personal data, a page view
// is logged, and the values of the personal fields never enter the audit log (see
// contactChanges), so that erasing a person (ErasePerson) leaves nothing of them behind.
type Contact struct {
	ID             int64
	OrganisationID int64
	Nom            string
	Prenom         string
	NomRecherche   string
	Fonction       string
	Email          string
	Telephone      string
	Notes          string
	AnonymisedAt   *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ArchivedAt     *time.Time
	Version        int
}

// TableName is the contacts table.
func (Contact) TableName() string { return "contacts" }

// ContactRow is a contact as lists, pages, exports and the API show it, with its
// organisation. When Masked is set, the caller may not see personal data: Email, Telephone
// and Notes are empty whatever the database holds.
type ContactRow struct {
	ID               int64
	OrganisationID   int64
	OrganisationNom  string
	OrganisationKind string
	DepartementCode  string // the organisation's, "" for a shared organisation or an EPCI
	Nom              string
	Prenom           string
	Fonction         string
	Email            string
	Telephone        string
	Notes            string
	AnonymisedAt     *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ArchivedAt       *time.Time
	Version          int
	Masked           bool `gorm:"-"`
}

// FullName is "Prénom Nom", or the name alone.
func (c ContactRow) FullName() string {
	return strings.TrimSpace(c.Prenom + " " + c.Nom)
}

// Anonymised reports whether the person was erased (on request or after the retention period).
func (c ContactRow) Anonymised() bool { return c.AnonymisedAt != nil }

// Archived reports whether the contact is archived.
func (c ContactRow) Archived() bool { return c.ArchivedAt != nil }

// ContactInput is what a form gives to create or edit a contact.
type ContactInput struct {
	OrganisationID int64
	Nom            string
	Prenom         string
	Fonction       string
	Email          string
	Telephone      string
	Notes          string
	// ConfirmDuplicate creates the contact even when a similar one exists (create only).
	ConfirmDuplicate bool
}

// contactFields are the audited fields of a contact, with their French labels.
var contactFields = []Choice{
	{"organisation", "Organisation"}, {"nom", "Nom"}, {"prenom", "Prénom"}, {"fonction", "Fonction"},
	{"email", "Adresse électronique"}, {"telephone", "Téléphone"}, {"notes", "Notes"},
}

// contactPersonal are the fields of a contact whose values never enter the audit log: the
// log only says that they were filled in, changed or cleared. The audit log is append-only,
// so what it holds cannot be redacted later; holding no name, function, email, phone or
// note of a contact is what lets ErasePerson leave nothing of the person behind. The
// function is included because, with the organisation, it designates one person ("maire
// de Bobigny"). The organisation is not personal data and is logged with its name.
var contactPersonal = map[string]bool{"nom": true, "prenom": true, "fonction": true, "email": true, "telephone": true, "notes": true}

// contactChanges lists the fields that differ between before and after, personal ones as
// "renseigné", "modifié" or "effacé" only.
func contactChanges(before, after map[string]string) []Change {
	out := diff(contactFields, before, after)
	for i, c := range out {
		if !contactPersonal[c.Field] {
			continue
		}
		out[i].Old, out[i].New = "", "modifié"
		switch {
		case before[c.Field] == "":
			out[i].New = "renseigné"
		case after[c.Field] == "":
			out[i].New = "effacé"
		}
	}
	return out
}

func (c Contact) auditValues(organisation string) map[string]string {
	return map[string]string{"organisation": organisation, "nom": c.Nom, "prenom": c.Prenom, "fonction": c.Fonction,
		"email": c.Email, "telephone": c.Telephone, "notes": c.Notes}
}

// contactEntity is the audit log's name for contacts.
const contactEntity = "contact"

// contactVersionActions are the audit actions that change a contact's version: the last one
// explains a conflict (a consultation does not).
var contactVersionActions = []string{"creation", "modification", "archivage", "restauration", "anonymisation"}

// contactColumns are the columns of a ContactRow; masked callers get empty personal fields
// from the database itself.
func contactColumns(masked bool) string {
	personal := "c.email, c.telephone, c.notes"
	if masked {
		personal = "'' AS email, '' AS telephone, '' AS notes"
	}
	return `c.id, c.organisation_id, o.nom AS organisation_nom, o.kind AS organisation_kind,
		COALESCE(o.departement_code, '') AS departement_code, c.nom, c.prenom, c.fonction, ` + personal + `,
		c.anonymised_at, c.created_at, c.updated_at, c.archived_at, c.version`
}

// ContactFilter selects contacts. Empty fields select everything.
type ContactFilter struct {
	Q              string // name, function or organisation name (accents and case ignored)
	OrganisationID int64
	Departement    string // département of the organisation (or of an EPCI's member communes)
	Sort           string // one of ContactSorts.Keys(), "-" prefix for descending
	Archived       bool   // the archived contacts instead of the live ones (admin only)
}

// ContactSorts are the sort keys of the contacts list.
var ContactSorts = sortKeys{
	list: "contacts",
	keys: map[string]sortKey{
		"nom":          by(textCol("c.nom_recherche")),
		"fonction":     by(textCol("c.fonction")),
		"organisation": by(textCol("o.nom_recherche"), textCol("c.nom_recherche")),
		"modification": by(timeCol("c.updated_at")),
	},
	fallback: "nom",
	id:       intCol("c.id"),
}

// contactsQuery is the filtered query of a contacts list, within the actor's scope.
func (s *Store) contactsQuery(ctx context.Context, actor Actor, f ContactFilter) (*gorm.DB, error) {
	q := s.contactsFrom(ctx, actor).Where("o.archived_at IS NULL")
	if f.Archived {
		if actor.Role != RoleAdmin {
			return nil, ErrForbidden
		}
		q = q.Where("c.archived_at IS NOT NULL")
	} else {
		q = q.Where("c.archived_at IS NULL")
	}
	if f.OrganisationID != 0 {
		q = q.Where("c.organisation_id = ?", f.OrganisationID)
	}
	if d := dbText(f.Departement); d != "" {
		q = q.Where("(o.departement_code = ? OR (o.epci_siren IS NOT NULL AND EXISTS (SELECT 1 FROM communes fc WHERE "+
			"(fc.epci_siren = o.epci_siren OR fc.ept_siren = o.epci_siren) AND fc.departement_code = ?)))", d, d)
	}
	if text := strings.TrimSpace(dbText(f.Q)); text != "" {
		cond, args := s.contactSearch(SearchKey(text), strings.ToLower(text))
		q = q.Where(cond, args...)
	}
	return q, nil
}

// contactSearch is the condition of a contacts search: the contact's folded name or its
// organisation's contains key, or its function contains lower (the text in lower case). A
// search without letters or digits has an empty key: it matches nothing, rather than all.
//
// The contacts matching by themselves and those matching by their organisation are found
// separately, each through its table's trigram index (see searchWhere), and united: an OR
// across the join would read every contact.
func (s *Store) contactSearch(key, lower string) (string, []any) {
	if key == "" {
		return "1 = 0", nil
	}
	own := []searchTerm{{column: "nom_recherche", expr: "ct.nom_recherche", needle: key},
		{column: "fonction", expr: "LOWER(ct.fonction)", needle: lower}}
	org := nameTerm("og", key)
	exact := []searchTerm{{expr: "c.nom_recherche", needle: key}, {expr: "o.nom_recherche", needle: key},
		{expr: "LOWER(c.fonction)", needle: lower}}
	if !indexable(own) {
		// Too short for a trigram index: read the contacts.
		return s.scanAny(exact)
	}
	if s.dialect == SQLite {
		// The FTS5 tables select candidates, which LIKE checks (see searchWhere).
		cond, args := anyOf(exact, searchTerm.like)
		return `(c.id IN (SELECT rowid FROM contacts_recherche WHERE contacts_recherche MATCH ?
			UNION SELECT ct.id FROM contacts ct WHERE ct.organisation_id IN
				(SELECT rowid FROM organisations_recherche WHERE organisations_recherche MATCH ?)) AND ` + cond + ")",
			append([]any{matchQuery(own), matchQuery(org)}, args...)
	}
	ownCond, args := anyOf(own, searchTerm.indexedLike)
	orgCond, orgArgs := anyOf(org, searchTerm.indexedLike)
	cond := "c.id IN (SELECT ct.id FROM contacts ct WHERE " + ownCond +
		" UNION SELECT ct.id FROM contacts ct JOIN organisations og ON og.id = ct.organisation_id WHERE " + orgCond + ")"
	return cond, append(args, orgArgs...)
}

// contactMasked reports whether the actor must not see personal data.
func contactMasked(actor Actor) bool { return !actor.Role.SeesPersonalData() }

// ListContacts returns one page of the contacts matching f within the actor's scope, and
// their total; personal fields are masked for the roles that may not see them.
func (s *Store) ListContacts(ctx context.Context, actor Actor, f ContactFilter, p PageRequest) (Page[ContactRow], error) {
	if _, err := s.contactsQuery(ctx, actor, f); err != nil {
		return Page[ContactRow]{}, err
	}
	text, masked := searchText(f.Q), contactMasked(actor)
	lq := listQuery{rows: func() *gorm.DB {
		q, _ := s.contactsQuery(ctx, actor, f)
		return q
	}, order: ContactSorts.order(f.Sort),
		// Found through the trigram indexes: counted and cut in one query.
		search: indexable([]searchTerm{{needle: SearchKey(text)}, {needle: strings.ToLower(text)}})}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]ContactRow, error) {
		var rows []ContactRow
		err := s.contactsFrom(ctx, actor).Where("c.id IN ?", ids).Select(contactColumns(masked)).Scan(&rows).Error
		for i := range rows {
			rows[i].Masked = masked
		}
		return rows, err
	}, func(r ContactRow) int64 { return r.ID })
}

// EachContact calls fn for every contact matching f, in list order, from a cursor (exports).
func (s *Store) EachContact(ctx context.Context, actor Actor, f ContactFilter, fn func(ContactRow) error) error {
	q, err := s.contactsQuery(ctx, actor, f)
	if err != nil {
		return err
	}
	rows, err := q.Select(contactColumns(contactMasked(actor))).Order(ContactSorts.orderBy(f.Sort)).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ContactRow
		if err := s.db.ScanRows(rows, &r); err != nil {
			return err
		}
		r.Masked = contactMasked(actor)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// getContactRow reads one contact within the actor's scope: live ones, and archived ones
// too when withArchived (the admin's pages and the RGPD functions).
func (s *Store) getContactRow(tx *gorm.DB, actor Actor, id int64, withArchived bool) (ContactRow, error) {
	q := contactsIn(tx, actor.Scope).Where("c.id = ?", id)
	if !withArchived {
		q = q.Where("c.archived_at IS NULL AND o.archived_at IS NULL")
	}
	var rows []ContactRow
	if err := q.Select(contactColumns(contactMasked(actor))).Limit(1).Scan(&rows).Error; err != nil {
		return ContactRow{}, err
	}
	if len(rows) == 0 {
		return ContactRow{}, ErrNotFound
	}
	rows[0].Masked = contactMasked(actor)
	return rows[0], nil
}

// GetContact returns one live contact within the actor's scope (masked as in the lists),
// without logging: for the handlers that re-display a form. Pages showing the person use
// ViewContact.
func (s *Store) GetContact(ctx context.Context, actor Actor, id int64) (ContactRow, error) {
	return s.getContactRow(s.db.WithContext(ctx), actor, id, false)
}

// ViewContact returns one contact for its page and records the consultation in the audit
// log (SECURITY.md: consultations of personal records are logged), in one transaction. The
// admin also sees archived contacts, to restore or erase them.
func (s *Store) ViewContact(ctx context.Context, actor Actor, id int64) (ContactRow, error) {
	var c ContactRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if c, err = s.getContactRow(tx, actor, id, actor.Role == RoleAdmin); err != nil {
			return err
		}
		return s.audit(tx, actor, "consultation", contactEntity, strconv.FormatInt(id, 10), nil)
	})
	return c, err
}

// ContactHistory returns the changes of a contact, newest first, without the consultations
// (the audit journal lists them for the admin). The caller must have read the contact.
func (s *Store) ContactHistory(ctx context.Context, id int64) ([]AuditEvent, error) {
	var out []AuditEvent
	err := s.auditQuery(ctx, AuditFilter{Entity: contactEntity, EntityID: strconv.FormatInt(id, 10)}).
		Where("action <> ?", "consultation").Order("at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// DuplicateMatch is an existing contact resembling a new one, and why.
type DuplicateMatch struct {
	Contact ContactRow
	Reason  string // French: "même adresse électronique", "même nom dans la même organisation"
}

// DuplicateError refuses to create a contact that probably exists already; the form asks
// the user to confirm (ContactInput.ConfirmDuplicate).
type DuplicateError struct {
	Matches []DuplicateMatch
}

func (e *DuplicateError) Error() string { return "contact probablement déjà enregistré" }

// findDuplicates returns the live contacts, visible to the actor, with the same email (case
// ignored) or the same name and first name (accents and case ignored) in the same
// organisation. Contacts outside the actor's scope are not searched: listing them would
// reveal them.
func (s *Store) findDuplicates(tx *gorm.DB, actor Actor, in ContactInput) ([]DuplicateMatch, error) {
	key := contactSearchKey(in.Nom, in.Prenom)
	q := contactsIn(tx, actor.Scope).Where("c.archived_at IS NULL AND c.anonymised_at IS NULL AND o.archived_at IS NULL")
	if in.Email != "" {
		q = q.Where("(c.email = ? OR (c.organisation_id = ? AND c.nom_recherche = ?))", in.Email, in.OrganisationID, key)
	} else {
		q = q.Where("c.organisation_id = ? AND c.nom_recherche = ?", in.OrganisationID, key)
	}
	var rows []ContactRow
	if err := q.Select(contactColumns(contactMasked(actor))).Order("c.nom_recherche, c.id").Limit(20).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]DuplicateMatch, len(rows))
	for i, r := range rows {
		reason := "même nom dans la même organisation"
		if in.Email != "" && r.Email == in.Email {
			reason = "même adresse électronique"
		}
		out[i] = DuplicateMatch{Contact: r, Reason: reason}
	}
	return out, nil
}

// contactSearchKey is the search key of a contact: its name then its first name.
func contactSearchKey(nom, prenom string) string {
	return SearchKey(nom + " " + prenom)
}

// CreateContact creates a contact in an organisation the actor may write for. It is refused
// with a *DuplicateError when a similar contact exists, unless in.ConfirmDuplicate.
func (s *Store) CreateContact(ctx context.Context, actor Actor, in ContactInput) (Contact, error) {
	if !CanCreate(actor, EntityContact) {
		return Contact{}, ErrForbidden
	}
	in = in.normalize()
	var c Contact
	err := s.tx(ctx, func(tx *gorm.DB) error {
		org, err := s.validateContact(tx, actor, in)
		if err != nil {
			return err
		}
		if !in.ConfirmDuplicate {
			dups, err := s.findDuplicates(tx, actor, in)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return &DuplicateError{Matches: dups}
			}
		}
		now := s.now().UTC()
		c = Contact{OrganisationID: in.OrganisationID, Nom: in.Nom, Prenom: in.Prenom, NomRecherche: contactSearchKey(in.Nom, in.Prenom),
			Fonction: in.Fonction, Email: in.Email, Telephone: in.Telephone, Notes: in.Notes,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", contactEntity, strconv.FormatInt(c.ID, 10), contactChanges(nil, c.auditValues(org)))
	})
	return c, err
}

// contactOrgLabel is how the audit log names an organisation: "Nom (n° 12)".
func contactOrgLabel(tx *gorm.DB, id int64) (string, error) {
	var names []string
	if err := tx.Table("organisations").Where("id = ?", id).Limit(1).Pluck("nom", &names).Error; err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "n° " + strconv.FormatInt(id, 10), nil
	}
	return names[0] + " (n° " + strconv.FormatInt(id, 10) + ")", nil
}

// contactConflict builds the ConflictError of a contact from its last versioned event.
func contactConflict(tx *gorm.DB, id int64, current ContactRow) error {
	var ev AuditEvent
	err := tx.Where("entity = ? AND entity_id = ? AND action IN ?", contactEntity, strconv.FormatInt(id, 10), contactVersionActions).
		Order("at DESC, id DESC").Limit(1).Find(&ev).Error
	if err != nil {
		return err
	}
	return &ConflictError{By: ev.Actor, At: ev.At, Current: current}
}

// writableContact reads a live contact the actor may change: ErrNotFound outside the scope,
// ErrForbidden when the write rules do not allow it or the person was anonymised.
func (s *Store) writableContact(tx *gorm.DB, actor Actor, id int64) (ContactRow, error) {
	if !CanCreate(actor, EntityContact) {
		// Still ErrNotFound for a contact outside the scope: a refusal must not confirm it exists.
		if _, err := s.getContactRow(tx, actor, id, false); err != nil {
			return ContactRow{}, err
		}
		return ContactRow{}, ErrForbidden
	}
	before, err := s.getContactRow(tx, actor, id, false)
	if err != nil {
		return before, err
	}
	ok, err := contactOrgWritable(tx, actor, before.OrganisationID)
	if err != nil {
		return before, err
	}
	if !ok || before.Anonymised() {
		return before, ErrForbidden
	}
	return before, nil
}

func (r ContactRow) contact() Contact {
	return Contact{ID: r.ID, OrganisationID: r.OrganisationID, Nom: r.Nom, Prenom: r.Prenom, Fonction: r.Fonction,
		Email: r.Email, Telephone: r.Telephone, Notes: r.Notes, AnonymisedAt: r.AnonymisedAt, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, ArchivedAt: r.ArchivedAt, Version: r.Version}
}

// UpdateContact changes a contact if it is still at version; otherwise nothing changes and
// a *ConflictError says who changed it. Every field is written, empty ones included.
func (s *Store) UpdateContact(ctx context.Context, actor Actor, id int64, version int, in ContactInput) (ContactRow, error) {
	in = in.normalize()
	var after ContactRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := s.writableContact(tx, actor, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return contactConflict(tx, id, before)
		}
		org, err := s.validateContact(tx, actor, in)
		if err != nil {
			return err
		}
		res := tx.Table("contacts").Where("id = ? AND version = ? AND archived_at IS NULL AND anonymised_at IS NULL", id, version).
			Updates(map[string]any{"organisation_id": in.OrganisationID, "nom": in.Nom, "prenom": in.Prenom,
				"nom_recherche": contactSearchKey(in.Nom, in.Prenom), "fonction": in.Fonction, "email": in.Email,
				"telephone": in.Telephone, "notes": in.Notes, "updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return contactConflict(tx, id, before)
		}
		if after, err = s.getContactRow(tx, actor, id, false); err != nil {
			return err
		}
		oldOrg, err := contactOrgLabel(tx, before.OrganisationID)
		if err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", contactEntity, strconv.FormatInt(id, 10),
			contactChanges(before.contact().auditValues(oldOrg), after.contact().auditValues(org)))
	})
	return after, err
}

// ArchiveContact archives a contact the actor may write: it vanishes from lists and
// exports; an admin can restore it.
func (s *Store) ArchiveContact(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.writableContact(tx, actor, id); err != nil {
			return err
		}
		return s.setArchived(tx, actor, &Contact{}, contactEntity, id, true)
	})
}

// RestoreContact brings an archived contact back (admin only).
func (s *Store) RestoreContact(ctx context.Context, actor Actor, id int64) error {
	if actor.Role != RoleAdmin {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := s.getContactRow(tx, actor, id, true); err != nil {
			return err
		}
		return s.setArchived(tx, actor, &Contact{}, contactEntity, id, false)
	})
}
