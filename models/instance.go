package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Kinds of steering bodies.
const (
	InstanceCopil       = "copil_academique"
	InstanceCopilotage  = "copilotage_departemental"
	InstanceGTTechnique = "gt_technique"
	InstanceGTFonction  = "gt_fonctionnel"
	InstanceElus        = "groupe_elus"
)

// InstanceKinds lists the kinds of steering bodies with their French labels.
var InstanceKinds = []Choice{
	{InstanceCopil, "Comité de pilotage académique"},
	{InstanceCopilotage, "Co-pilotage départemental"},
	{InstanceGTTechnique, "Groupe de travail technique"},
	{InstanceGTFonction, "Groupe de travail fonctionnel"},
	{InstanceElus, "Groupe des élus locaux"},
}

// MemberRoles lists the roles of a body's members with their French labels.
var MemberRoles = []Choice{
	{"president", "Président"},
	{"co_president", "Co-président"},
	{"membre", "Membre"},
	{"secretariat", "Secrétariat"},
	{"invite_permanent", "Invité permanent"},
}

// Limits of the body's text fields, in characters.
const (
	MaxInstanceNom    = 200
	MaxInstanceMandat = 10000
)

// Instance is a steering body: its scope is the académie (DepartementCode nil) or one
// département, which decides who sees it (its Territory in models/policy.go) and who writes it
// (canWriteInstance). Its meetings are scoped through it.
type Instance struct {
	ID              int64
	Nom             string
	Kind            string
	DepartementCode *string
	Mandat          string
	CalendarToken   string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	ArchivedAt      *time.Time
	Version         int
}

// TableName is the instances table.
func (Instance) TableName() string { return "instances" }

// InstanceRow is a body as pages show it, with the name of its département.
type InstanceRow struct {
	Instance
	DepartementNom string
}

// KindLabel is the French label of the body's kind.
func (i Instance) KindLabel() string { return LabelOf(InstanceKinds, i.Kind) }

// ScopeLabel is "Académie" or "93 — Seine-Saint-Denis".
func (i InstanceRow) ScopeLabel() string {
	if i.DepartementCode == nil {
		return "Académie"
	}
	return *i.DepartementCode + " — " + i.DepartementNom
}

// InstanceInput is what a form gives to create or change a body; Departement "" is the
// académie.
type InstanceInput struct {
	Nom         string
	Kind        string
	Departement string
	Mandat      string
}

var instanceFields = []Choice{{"nom", "Nom"}, {"type", "Type"}, {"departement", "Périmètre"}, {"mandat", "Mandat"}}

func (i InstanceRow) auditValues() map[string]string {
	return map[string]string{"nom": i.Nom, "type": i.KindLabel(), "departement": i.ScopeLabel(), "mandat": i.Mandat}
}

func (in InstanceInput) normalize() InstanceInput {
	return InstanceInput{Nom: strings.TrimSpace(in.Nom), Kind: strings.TrimSpace(in.Kind),
		Departement: strings.TrimSpace(in.Departement), Mandat: strings.TrimSpace(strings.ReplaceAll(in.Mandat, "\r\n", "\n"))}
}

// ValidInstanceKind reports whether kind is one of InstanceKinds.
func ValidInstanceKind(kind string) bool { return slices.Contains(ChoiceValues(InstanceKinds), kind) }

func checkInstance(tx *gorm.DB, in InstanceInput) (Instance, error) {
	var errs ValidationError
	i := Instance{Nom: in.Nom, Kind: in.Kind, Mandat: in.Mandat}
	if msg := textProblem("Le nom", in.Nom, MaxInstanceNom, true, false); msg != "" {
		errs.Add(0, "nom", msg)
	}
	switch {
	case in.Kind == "":
		errs.Add(0, "type", "Choisissez le type d'instance.")
	case !ValidInstanceKind(in.Kind):
		errs.Add(0, "type", "Type d'instance inconnu : choisissez dans la liste.")
	}
	if in.Departement != "" {
		var d Departement
		found, err := lookup(tx.Select("code").Where("code = ?", in.Departement), &d, ValidDepartementCode(in.Departement))
		if err != nil {
			return i, err
		}
		if !found {
			errs.Add(0, "departement", "Département inconnu : choisissez dans la liste.")
		}
		i.DepartementCode = &d.Code
	}
	if msg := textProblem("Le mandat", in.Mandat, MaxInstanceMandat, false, true); msg != "" {
		errs.Add(0, "mandat", msg)
	}
	return i, errs.OrNil()
}

// canWriteInstance is the write rule of steering bodies and of everything that belongs to
// them (members, meetings, decisions, actions), from the policy table (models/policy.go):
// admin, pilotes académiques and AMIF write the académie's bodies; an IA-DASEN writes the
// bodies of their département; nobody else writes.
func canWriteInstance(actor Actor, i Instance) bool {
	return writesDepartemental(actor, EntityInstance, i.DepartementCode)
}

// CanWriteInstance reports whether the actor may change the body, its members and meetings.
func CanWriteInstance(actor Actor, i Instance) bool { return canWriteInstance(actor, i) }

// CanCreateInstances reports whether the actor's role writes some bodies.
func CanCreateInstances(actor Actor) bool { return CanCreate(actor, EntityInstance) }

func mayWriteInstance(actor Actor, i Instance) error {
	if !canWriteInstance(actor, i) {
		return ErrForbidden
	}
	return nil
}

// newCalendarToken is the secret of a body's calendar feed URL.
func newCalendarToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateInstance creates a body, with a new calendar token. Field errors come first, then
// the write rule (ErrForbidden).
func (s *Store) CreateInstance(ctx context.Context, actor Actor, in InstanceInput) (InstanceRow, error) {
	in = in.normalize()
	var row InstanceRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		i, err := checkInstance(tx, in)
		if err != nil {
			return err
		}
		if err := mayWriteInstance(actor, i); err != nil {
			return err
		}
		now := s.now().UTC()
		i.CreatedAt, i.UpdatedAt, i.Version, i.CalendarToken = now, now, 1, newCalendarToken()
		if err := tx.Create(&i).Error; err != nil {
			return err
		}
		if row, err = getInstance(tx, actor.Scope, i.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "instance", strconv.FormatInt(i.ID, 10), diff(instanceFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateInstance changes a body if it is still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor may not write it (or what it would become), *ConflictError
// on a stale version.
func (s *Store) UpdateInstance(ctx context.Context, actor Actor, id int64, version int, in InstanceInput) (InstanceRow, error) {
	in = in.normalize()
	edit := recordEdit[InstanceRow]{entity: "instance", model: &Instance{}, fields: instanceFields, get: getInstance,
		version: func(i InstanceRow) int { return i.Version },
		may:     func(_ *gorm.DB, i InstanceRow) error { return mayWriteInstance(actor, i.Instance) }}
	return edit.apply(ctx, s, actor, id, version, func(tx *gorm.DB, before InstanceRow) (map[string]any, error) {
		i, err := checkInstance(tx, in)
		if err != nil {
			return nil, err
		}
		if err := mayWriteInstance(actor, i); err != nil {
			return nil, err
		}
		if i.Nom == before.Nom && i.Kind == before.Kind && deref(i.DepartementCode) == deref(before.DepartementCode) && i.Mandat == before.Mandat {
			return nil, nil
		}
		return map[string]any{"nom": i.Nom, "kind": i.Kind, "departement_code": i.DepartementCode, "mandat": i.Mandat}, nil
	}, nil)
}

// ArchiveInstance archives a body the actor may write; RestoreInstance brings it back.
func (s *Store) ArchiveInstance(ctx context.Context, actor Actor, id int64) error {
	return s.setInstanceArchived(ctx, actor, id, true)
}

// RestoreInstance brings an archived body back.
func (s *Store) RestoreInstance(ctx context.Context, actor Actor, id int64) error {
	return s.setInstanceArchived(ctx, actor, id, false)
}

func (s *Store) setInstanceArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Instance{}, "instance", id, archive, getInstance,
		func(i InstanceRow) error { return mayWriteInstance(actor, i.Instance) })
}

// RenewCalendarToken gives the body a new calendar token: the old feed URL stops working.
func (s *Store) RenewCalendarToken(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getInstance(tx, actor.Scope, id, false)
		if err != nil {
			return err
		}
		if err := mayWriteInstance(actor, before.Instance); err != nil {
			return err
		}
		if err := tx.Model(&Instance{}).Where("id = ?", id).Update("calendar_token", newCalendarToken()).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "instance", strconv.FormatInt(id, 10),
			[]Change{{Field: "calendrier", Label: "Lien du calendrier", Old: "ancien lien", New: "nouveau lien"}})
	})
}

// InstanceByCalendarToken returns the live body id whose calendar token is token;
// ErrNotFound for a wrong or empty token. The token is the only credential of the feed.
func (s *Store) InstanceByCalendarToken(ctx context.Context, id int64, token string) (InstanceRow, error) {
	var rows []InstanceRow
	err := withDepartementName(s.db.WithContext(ctx).Table("instances AS i").Where("i.archived_at IS NULL AND i.id = ?", id)).
		Limit(1).Scan(&rows).Error
	if err != nil {
		return InstanceRow{}, err
	}
	if len(rows) == 0 || token == "" || rows[0].CalendarToken == "" ||
		subtle.ConstantTimeCompare([]byte(rows[0].CalendarToken), []byte(token)) != 1 {
		return InstanceRow{}, ErrNotFound
	}
	return rows[0], nil
}

// InstanceFilter selects bodies; empty fields select everything. Departement "academie"
// selects the académie's bodies.
type InstanceFilter struct {
	Kind        string
	Departement string
}

func instancesIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("instances AS i"), EntityInstance, "i")
	if archived {
		return q.Where("i.archived_at IS NOT NULL")
	}
	return q.Where("i.archived_at IS NULL")
}

func withDepartementName(q *gorm.DB) *gorm.DB {
	return q.Select("i.*, COALESCE(d.nom, '') AS departement_nom").Joins("LEFT JOIN departements d ON d.code = i.departement_code")
}

func filterInstances(q *gorm.DB, f InstanceFilter) *gorm.DB {
	if k := dbText(f.Kind); k != "" {
		q = q.Where("i.kind = ?", k)
	}
	switch d := dbText(f.Departement); d {
	case "":
	case "academie":
		q = q.Where("i.departement_code IS NULL")
	default:
		q = q.Where("i.departement_code = ?", d)
	}
	return q
}

// instancesOrder is the order of the bodies list: the académie's first, then by
// département and name.
var instancesOrder = fixedOrder("instances", false, textCol("COALESCE(i.departement_code, '')"), textCol("i.nom"), intCol("i.id"))

// ListInstances returns one page of the live bodies of the scope matching f.
func (s *Store) ListInstances(ctx context.Context, scope Scope, f InstanceFilter, p PageRequest) (Page[InstanceRow], error) {
	db := s.db.WithContext(ctx)
	lq := listQuery{rows: func() *gorm.DB { return filterInstances(instancesIn(db, scope, false), f) }, order: instancesOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]InstanceRow, error) {
		var rows []InstanceRow
		err := withDepartementName(instancesIn(db, scope, false)).Where("i.id IN ?", ids).Scan(&rows).Error
		return rows, err
	}, func(r InstanceRow) int64 { return r.ID })
}

// InstanceChoices lists the live bodies the actor may write, for the meeting form.
func (s *Store) InstanceChoices(ctx context.Context, actor Actor) ([]Choice, error) {
	var rows []Instance
	if err := instancesIn(s.db.WithContext(ctx), actor.Scope, false).Select("i.*").Order("i.nom, i.id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := []Choice{}
	for _, i := range rows {
		if canWriteInstance(actor, i) {
			out = append(out, Choice{Value: strconv.FormatInt(i.ID, 10), Label: i.Nom})
		}
	}
	return out, nil
}

func getInstance(tx *gorm.DB, scope Scope, id int64, archived bool) (InstanceRow, error) {
	var rows []InstanceRow
	if err := withDepartementName(instancesIn(tx, scope, archived)).Where("i.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return InstanceRow{}, err
	}
	if len(rows) == 0 {
		return InstanceRow{}, ErrNotFound
	}
	return rows[0], nil
}

// GetInstance returns one live body of the scope; ErrNotFound otherwise.
func (s *Store) GetInstance(ctx context.Context, scope Scope, id int64) (InstanceRow, error) {
	return getInstance(s.db.WithContext(ctx), scope, id, false)
}

// InstanceMembre is a contact's membership of a body.
type InstanceMembre struct {
	ID         int64
	InstanceID int64
	ContactID  int64
	Role       string
	Debut      *time.Time
	Fin        *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
	Version    int
}

// TableName is the instance_membres table.
func (InstanceMembre) TableName() string { return "instance_membres" }

// MemberRow is a member as the body's page and the API show it: a person acting in a
// public capacity (name, function, organisation; the contact id only when the reader may
// read the contact), their role and mandate.
type MemberRow struct {
	ID         int64
	InstanceID int64
	Role       string
	Debut      *time.Time
	Fin        *time.Time
	Person
}

// RoleLabel is the French label of the member's role.
func (m MemberRow) RoleLabel() string { return LabelOf(MemberRoles, m.Role) }

// MemberInput is the form adding a member; dates are YYYY-MM-DD or DD/MM/YYYY, optional.
type MemberInput struct {
	ContactID int64
	Role      string
	Debut     string
	Fin       string
}

// AddMember adds a contact the actor sees to a body the actor writes.
func (s *Store) AddMember(ctx context.Context, actor Actor, instanceID int64, in MemberInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		inst, err := getInstance(tx, actor.Scope, instanceID, false)
		if err != nil {
			return err
		}
		var errs ValidationError
		m := InstanceMembre{InstanceID: instanceID, ContactID: in.ContactID, Role: strings.TrimSpace(in.Role)}
		if !slices.Contains(ChoiceValues(MemberRoles), m.Role) {
			errs.Add(0, "role", "Choisissez le rôle du membre.")
		}
		if in.ContactID <= 0 {
			errs.Add(0, "contact", "Choisissez un contact.")
		} else if _, err := s.getContactRow(tx, actor, in.ContactID, false); err != nil {
			errs.Add(0, "contact", "Contact introuvable : choisissez dans la liste.")
		}
		for _, d := range []struct {
			field, subject, v string
			dst               **time.Time
		}{{"debut", "La date de début", in.Debut, &m.Debut}, {"fin", "La date de fin", in.Fin, &m.Fin}} {
			if strings.TrimSpace(d.v) == "" {
				continue
			}
			t, msg := DayProblem(d.subject, d.v)
			if msg != "" {
				errs.Add(0, d.field, msg)
				continue
			}
			*d.dst = &t
		}
		if m.Debut != nil && m.Fin != nil && m.Fin.Before(*m.Debut) {
			errs.Add(0, "fin", "La fin du mandat doit suivre son début.")
		}
		if err := errs.OrNil(); err != nil {
			return err
		}
		if err := mayWriteInstance(actor, inst.Instance); err != nil {
			return err
		}
		now := s.now().UTC()
		m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "modification", "instance", strconv.FormatInt(instanceID, 10),
			[]Change{{Field: "membres", Label: "Membres", New: "membre n° " + strconv.FormatInt(m.ID, 10) + " ajouté (" + LabelOf(MemberRoles, m.Role) + ")"}})
	})
}

// RemoveMember ends a membership (archived, kept for the history).
func (s *Store) RemoveMember(ctx context.Context, actor Actor, instanceID, memberID int64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		inst, err := getInstance(tx, actor.Scope, instanceID, false)
		if err != nil {
			return err
		}
		if err := mayWriteInstance(actor, inst.Instance); err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Model(&InstanceMembre{}).Where("id = ? AND instance_id = ? AND archived_at IS NULL", memberID, instanceID).
			Updates(map[string]any{"archived_at": now, "updated_at": now, "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return s.audit(tx, actor, "modification", "instance", strconv.FormatInt(instanceID, 10),
			[]Change{{Field: "membres", Label: "Membres", Old: "membre n° " + strconv.FormatInt(memberID, 10), New: "retiré"}})
	})
}

// ListMembers returns the live members of a body of the scope: names, functions and
// organisations for every role (members act in a public capacity), the contact id only
// for the contacts the actor may read.
func (s *Store) ListMembers(ctx context.Context, actor Actor, instanceID int64) ([]MemberRow, error) {
	db := s.db.WithContext(ctx)
	if _, err := getInstance(db, actor.Scope, instanceID, false); err != nil {
		return nil, err
	}
	members, err := membersOf(db, actor.Scope, []int64{instanceID})
	return members[instanceID], err
}

// InstanceMembers returns the live members of the bodies, by body id, as ListMembers
// gives them (the API of a page of bodies). The ids come from a scoped list: the bodies'
// scope is not checked again, the contacts' is.
func (s *Store) InstanceMembers(ctx context.Context, scope Scope, ids []int64) (map[int64][]MemberRow, error) {
	return membersOf(s.db.WithContext(ctx), scope, ids)
}

func membersOf(tx *gorm.DB, scope Scope, ids []int64) (map[int64][]MemberRow, error) {
	out := map[int64][]MemberRow{}
	for chunk := range chunks(ids, 500) {
		var rows []MemberRow
		if err := tx.Table("instance_membres AS m").Select("m.id, m.instance_id, m.role, m.debut, m.fin, "+personColumns).
			Joins("JOIN contacts c ON c.id = m.contact_id").Joins("JOIN organisations o ON o.id = c.organisation_id").
			Where("m.instance_id IN ? AND m.archived_at IS NULL", chunk).Order("m.instance_id, c.nom_recherche, m.id").
			Scan(&rows).Error; err != nil {
			return nil, err
		}
		if err := publishPersons(tx, scope, peopleOf(rows, func(r *MemberRow) *Person { return &r.Person })); err != nil {
			return nil, err
		}
		for _, m := range rows {
			out[m.InstanceID] = append(out[m.InstanceID], m)
		}
	}
	return out, nil
}
