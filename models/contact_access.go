package models

import (
	"context"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

// Who may see and write contacts: the scope of their organisation, then the role.

// contactsFrom starts every query on contacts: joined to their organisation, restricted to
// the organisations the actor's scope may see. No query on contacts is written without it
// (or contactsIn, the same within a transaction).
func (s *Store) contactsFrom(ctx context.Context, actor Actor) *gorm.DB {
	return contactsIn(s.db.WithContext(ctx), actor.Scope)
}

// contactsIn is contactsFrom on tx (alias c for the contacts, o for their organisations).
func contactsIn(tx *gorm.DB, scope Scope) *gorm.DB {
	return scope.restrictTo(tx.Table("contacts AS c").Joins("JOIN organisations o ON o.id = c.organisation_id"), EntityOrganisation, "o")
}

// readableContacts returns which of the contacts ids the scope may read on their own page
// (GetContact): the live contacts of live organisations of the scope. The records that
// show a person acting in a public capacity (a body's members, a meeting's invitees, an
// action's owner) give the contact's id, and a link to its page, only for these: see
// publishPersons.
func readableContacts(tx *gorm.DB, scope Scope, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	ids = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(ids))), func(id int64) bool { return id <= 0 })
	for chunk := range chunks(ids, 500) {
		var found []int64
		if err := contactsIn(tx, scope).Where("c.id IN ? AND c.archived_at IS NULL AND o.archived_at IS NULL", chunk).
			Pluck("c.id", &found).Error; err != nil {
			return nil, err
		}
		for _, id := range found {
			out[id] = true
		}
	}
	return out, nil
}

// contactSharedOrg is the condition of an organisation without territory (Rectorat,
// AMIF, vendors...), as in the registry (EntityOrganisation).
func contactSharedOrg(o string) string {
	return "(" + o + ".departement_code IS NULL AND " + o + ".code_insee IS NULL AND " + o + ".epci_siren IS NULL)"
}

// restrictContactWrites keeps the organisations (alias o) whose contacts the actor may
// create, change and archive: whoever writes an organisation writes its contacts
// (organisationsWritable, from the policy table).
func restrictContactWrites(q *gorm.DB, actor Actor, o string) *gorm.DB {
	return organisationsWritable(q, actor, o)
}

// contactOrgWritable reports whether the actor may write the contacts of a live organisation.
func contactOrgWritable(tx *gorm.DB, actor Actor, id int64) (bool, error) {
	var n int64
	q := tx.Table("organisations AS o").Where("o.id = ? AND o.archived_at IS NULL", id)
	err := restrictContactWrites(q, actor, "o").Count(&n).Error
	return n > 0, err
}

// contactOrgVisible reports whether the actor may see a live organisation.
func contactOrgVisible(tx *gorm.DB, actor Actor, id int64) (bool, error) {
	var n int64
	q := tx.Table("organisations AS o").Where("o.id = ? AND o.archived_at IS NULL", id)
	err := actor.Scope.restrictTo(q, EntityOrganisation, "o").Count(&n).Error
	return n > 0, err
}

// ContactWritable reports whether the actor may change this contact (its page shows the
// buttons accordingly); the write functions check it again.
func (s *Store) ContactWritable(ctx context.Context, actor Actor, c ContactRow) (bool, error) {
	if !CanCreate(actor, EntityContact) || c.Anonymised() {
		return false, nil
	}
	return contactOrgWritable(s.db.WithContext(ctx), actor, c.OrganisationID)
}

// ContactOrganisationChoices lists the live organisations whose contacts the actor may
// write (id and name), for the organisation select of the contact form.
func (s *Store) ContactOrganisationChoices(ctx context.Context, actor Actor) ([]Choice, error) {
	if !CanCreate(actor, EntityContact) {
		return nil, nil
	}
	q := s.db.WithContext(ctx).Table("organisations AS o").Where("o.archived_at IS NULL")
	return contactOrgChoices(restrictContactWrites(q, actor, "o"))
}

// ContactFilterOrganisations lists the visible organisations that have live contacts, for
// the organisation filter of the contacts list.
func (s *Store) ContactFilterOrganisations(ctx context.Context, actor Actor) ([]Choice, error) {
	q := s.db.WithContext(ctx).Table("organisations AS o").Where("o.archived_at IS NULL AND EXISTS (SELECT 1 FROM contacts c WHERE c.organisation_id = o.id AND c.archived_at IS NULL)")
	return contactOrgChoices(actor.Scope.restrictTo(q, EntityOrganisation, "o"))
}

func contactOrgChoices(q *gorm.DB) ([]Choice, error) {
	var rows []struct {
		ID  int64
		Nom string
	}
	if err := q.Select("o.id, o.nom").Order("o.nom_recherche, o.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Choice, len(rows))
	for i, r := range rows {
		out[i] = Choice{Value: strconv.FormatInt(r.ID, 10), Label: r.Nom}
	}
	return out, nil
}
