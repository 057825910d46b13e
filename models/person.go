package models

import (
	"strings"

	"gorm.io/gorm"
)

// Person is a contact acting in a public capacity: a member of a steering body, a
// meeting's invitee, an action's owner. Whoever reads the body, the meeting or the action
// sees their name, function and organisation, whatever their role (the lecteur too: the
// masking of personal data does not hide them). Everything else about the person is
// private and does not come through the join: ContactID is set only when the reader may
// read the contact itself (its page, GetContact; see publishPersons), and the email, the
// phone and the notes are never selected (personColumns).
type Person struct {
	ContactID    int64 // 0 when the reader may not read the contact: no id, no link
	Nom          string
	Prenom       string
	Fonction     string
	Organisation string
}

// personColumns are the columns of a Person, read from a contact (alias c) and its
// organisation (alias o): the public fields only.
const personColumns = "c.id AS contact_id, c.nom, c.prenom, c.fonction, o.nom AS organisation"

// FullName is "Prénom Nom", or the name alone.
func (p Person) FullName() string { return strings.TrimSpace(p.Prenom + " " + p.Nom) }

// Details is the function and the organisation, those known: "Maire, Ville de Bobigny".
func (p Person) Details() string {
	var parts []string
	for _, v := range []string{p.Fonction, p.Organisation} {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ", ")
}

// Label is the name followed by the details: "Claire Martin (Maire, Ville de Bobigny)".
func (p Person) Label() string {
	if d := p.Details(); d != "" {
		return p.FullName() + " (" + d + ")"
	}
	return p.FullName()
}

// publishPersons decides what the scope sees of people read through a join: each keeps
// their contact id only when the scope may read that contact (readableContacts); the
// others keep their name, function and organisation but lose the id. On an error, every
// id is cleared.
func publishPersons(tx *gorm.DB, scope Scope, people []*Person) error {
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		ids = append(ids, p.ContactID)
	}
	readable, err := readableContacts(tx, scope, ids)
	for _, p := range people {
		if err != nil || !readable[p.ContactID] {
			p.ContactID = 0
		}
	}
	return err
}

// peopleOf points at the person of each row, for publishPersons.
func peopleOf[R any](rows []R, person func(*R) *Person) []*Person {
	out := make([]*Person, len(rows))
	for i := range rows {
		out[i] = person(&rows[i])
	}
	return out
}
