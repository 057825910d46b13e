package models

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// Statuses of an action.
const (
	ActionAFaire     = "a_faire"
	ActionEnCours    = "en_cours"
	ActionFaite      = "faite"
	ActionAbandonnee = "abandonnee"
)

// ActionStatuses lists the statuses of an action with their French labels.
var ActionStatuses = []Choice{
	{ActionAFaire, "À faire"}, {ActionEnCours, "En cours"}, {ActionFaite, "Faite"}, {ActionAbandonnee, "Abandonnée"},
}

// openStatuses are the statuses of an action still to be done.
var openStatuses = []string{ActionAFaire, ActionEnCours}

// MaxActionTitre is the limit of an action's title, in characters.
const MaxActionTitre = 500

// Action is a task decided in a meeting or following a decision. It hangs on exactly one
// of them (DecisionID when it follows a decision, ReunionID otherwise) and is scoped and
// written through the body of that meeting (canWriteInstance).
type Action struct {
	ID                 int64
	ReunionID          *int64
	DecisionID         *int64
	Titre              string
	ResponsableContact *int64 `gorm:"column:responsable_contact"`
	ResponsableUser    *int64 `gorm:"column:responsable_user"`
	Echeance           *time.Time
	Statut             string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	ArchivedAt         *time.Time
	Version            int
}

// TableName is the actions table.
func (Action) TableName() string { return "actions" }

// ActionRow is an action with its meeting, body and owner, as pages show it. Overdue is
// computed by the Store with its clock. Owner is who pages, exports and the API show as
// the owner; ResponsableContact (the stored owner, for the form) and the Contact* columns
// are not shown as such: the contact id is published through Owner only when the reader
// may read the contact (publishOwners).
type ActionRow struct {
	Action
	SourceReunionID int64 // the meeting, directly or through the decision
	InstanceID      int64
	InstanceNom     string
	DepartementCode *string
	ReunionTitre    string
	ReunionDebut    time.Time
	DecisionTexte   string
	ContactNom      string
	ContactPrenom   string
	ContactFonction string
	ContactOrg      string
	UserNom         string
	Overdue         bool   `gorm:"-"`
	Owner           Person `gorm:"-"`
}

// StatutLabel is the French label of the action's status.
func (a Action) StatutLabel() string { return LabelOf(ActionStatuses, a.Statut) }

// Open reports whether the action is still to be done.
func (a Action) Open() bool { return slices.Contains(openStatuses, a.Statut) }

// overdue reports whether the action is open and due before today (a Paris day).
func (a Action) overdue(today string) bool {
	return a.Open() && a.Echeance != nil && a.Echeance.UTC().Format("2006-01-02") < today
}

// EcheanceLabel is the due date as "15/03/2012", "" without.
func (a Action) EcheanceLabel() string {
	if a.Echeance == nil {
		return ""
	}
	return fr.Day(*a.Echeance)
}

// ReunionLabel is the meeting's title, or the body's name and date.
func (a ActionRow) ReunionLabel() string {
	return ReunionRow{Reunion: Reunion{Titre: a.ReunionTitre, Debut: a.ReunionDebut}, InstanceNom: a.InstanceNom}.Label()
}

// ResponsableLabel is the owner's name, "" without owner.
func (a ActionRow) ResponsableLabel() string {
	switch {
	case a.ResponsableUser != nil:
		return a.UserNom
	case a.ResponsableContact != nil:
		return strings.TrimSpace(a.ContactPrenom + " " + a.ContactNom)
	}
	return ""
}

// Responsable is the owner as the form's select gives it: "u12" (a user) or "c7" (a contact).
func (a Action) Responsable() string {
	switch {
	case a.ResponsableUser != nil:
		return "u" + strconv.FormatInt(*a.ResponsableUser, 10)
	case a.ResponsableContact != nil:
		return "c" + strconv.FormatInt(*a.ResponsableContact, 10)
	}
	return ""
}

func (a ActionRow) instance() Instance {
	return Instance{ID: a.InstanceID, DepartementCode: a.DepartementCode}
}

// ActionInput is what the action form gives. It hangs on DecisionID when given, on
// ReunionID otherwise; Responsable is "u<id>" (a user), "c<id>" (a contact) or ""; Echeance
// is YYYY-MM-DD or DD/MM/YYYY, "" for none.
type ActionInput struct {
	ReunionID   int64
	DecisionID  int64
	Titre       string
	Responsable string
	Echeance    string
	Statut      string
}

var actionFields = []Choice{{"origine", "Origine"}, {"titre", "Titre"}, {"responsable", "Responsable"},
	{"echeance", "Échéance"}, {"statut", "Statut"}}

func (a ActionRow) auditValues() map[string]string {
	origine := "réunion " + a.ReunionLabel()
	if a.DecisionID != nil {
		origine = "décision n° " + strconv.FormatInt(*a.DecisionID, 10)
	}
	return map[string]string{"origine": origine, "titre": a.Titre, "responsable": a.ResponsableLabel(),
		"echeance": a.EcheanceLabel(), "statut": a.StatutLabel()}
}

// ValidActionStatut reports whether statut is one of ActionStatuses.
func ValidActionStatut(statut string) bool {
	return slices.Contains(ChoiceValues(ActionStatuses), statut)
}

// checkAction validates the input and returns the action it describes, with the meeting
// it hangs on (directly or through its decision) once the actor may write its body.
func (s *Store) checkAction(tx *gorm.DB, actor Actor, in ActionInput) (Action, error) {
	var errs ValidationError
	a := Action{Titre: strings.TrimSpace(in.Titre), Statut: strings.TrimSpace(in.Statut)}
	if a.Statut == "" {
		a.Statut = ActionAFaire
	}
	if msg := textProblem("Le titre", a.Titre, MaxActionTitre, true, false); msg != "" {
		errs.Add(0, "titre", msg)
	}
	if !ValidActionStatut(a.Statut) {
		errs.Add(0, "statut", "Statut inconnu : choisissez dans la liste.")
	}
	if v := strings.TrimSpace(in.Echeance); v != "" {
		if day, msg := DayProblem("La date d'échéance", v); msg != "" {
			errs.Add(0, "echeance", msg)
		} else {
			a.Echeance = &day
		}
	}
	owner := strings.TrimSpace(in.Responsable)
	if owner != "" {
		id, err := strconv.ParseInt(owner[1:], 10, 64)
		found := err == nil && id > 0
		switch {
		case !found:
		case owner[0] == 'u':
			var n int64
			if err := tx.Table("users").Where("id = ? AND archived_at IS NULL AND active", id).Count(&n).Error; err != nil {
				return a, err
			}
			found, a.ResponsableUser = n > 0, &id
		case owner[0] == 'c':
			_, err := s.getContactRow(tx, actor, id, false)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return a, err
			}
			found, a.ResponsableContact = err == nil, &id
		default:
			found = false
		}
		if !found {
			errs.Add(0, "responsable", "Responsable inconnu : choisissez dans la liste.")
		}
	}
	if err := errs.OrNil(); err != nil {
		if in.DecisionID <= 0 && in.ReunionID <= 0 {
			errs.Add(0, "origine", "Choisissez la réunion ou la décision dont l'action découle.")
		}
		return a, errs.OrNil()
	}
	switch {
	case in.DecisionID > 0:
		d, err := getDecision(tx, actor.Scope, in.DecisionID, false)
		if errors.Is(err, ErrNotFound) {
			return a, &ValidationError{Errors: []FieldError{{Field: "origine", Msg: "Décision inconnue : choisissez dans la liste."}}}
		}
		if err != nil {
			return a, err
		}
		if !CanWriteDecision(actor, d) {
			return a, ErrForbidden
		}
		a.DecisionID = &d.ID
	case in.ReunionID > 0:
		r, err := writableMeeting(tx, actor, in.ReunionID)
		if err != nil {
			var verr *ValidationError
			if errors.As(err, &verr) {
				verr.Errors[0].Field = "origine"
			}
			return a, err
		}
		a.ReunionID = &r.ID
	default:
		return a, &ValidationError{Errors: []FieldError{{Field: "origine", Msg: "Choisissez la réunion ou la décision dont l'action découle."}}}
	}
	return a, nil
}

// CanWriteAction reports whether the actor may change the action: whoever writes the body
// of its meeting.
func CanWriteAction(actor Actor, a ActionRow) bool { return canWriteInstance(actor, a.instance()) }

// CanChangeActionStatut reports whether the actor may change the action's status (and only
// its status): whoever writes the body, and the account responsible for the action, even
// when its role writes no body (an owner closes their own action).
func CanChangeActionStatut(actor Actor, a ActionRow) bool {
	return CanWriteAction(actor, a) || (actor.UserID > 0 && a.ResponsableUser != nil && *a.ResponsableUser == actor.UserID)
}

// CreateAction records an action of a meeting or a decision whose body the actor writes.
func (s *Store) CreateAction(ctx context.Context, actor Actor, in ActionInput) (ActionRow, error) {
	var row ActionRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, err := s.checkAction(tx, actor, in)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		if row, err = s.getAction(tx, actor.Scope, a.ID, false); err != nil {
			return err
		}
		return s.audit(tx, actor, "creation", "action", strconv.FormatInt(a.ID, 10), diff(actionFields, nil, row.auditValues()))
	})
	return row, err
}

// UpdateAction changes an action if it is still at version: ErrNotFound outside the scope,
// ErrForbidden when the actor may not write it, a *ConflictError on a stale version. An
// empty due date or owner clears it.
func (s *Store) UpdateAction(ctx context.Context, actor Actor, id int64, version int, in ActionInput) (ActionRow, error) {
	return s.changeAction(ctx, actor, id, version, CanWriteAction, func(tx *gorm.DB, _ ActionRow) (map[string]any, error) {
		a, err := s.checkAction(tx, actor, in)
		if err != nil {
			return nil, err
		}
		return map[string]any{"reunion_id": a.ReunionID, "decision_id": a.DecisionID, "titre": a.Titre,
			"responsable_contact": a.ResponsableContact, "responsable_user": a.ResponsableUser,
			"echeance": a.Echeance, "statut": a.Statut}, nil
	})
}

// SetActionStatut changes only the status of an action still at version; its owner may do
// it without writing the body (CanChangeActionStatut).
func (s *Store) SetActionStatut(ctx context.Context, actor Actor, id int64, version int, statut string) (ActionRow, error) {
	return s.changeAction(ctx, actor, id, version, CanChangeActionStatut, func(*gorm.DB, ActionRow) (map[string]any, error) {
		if !ValidActionStatut(statut) {
			return nil, &ValidationError{Errors: []FieldError{{Field: "statut", Msg: "Statut inconnu : choisissez dans la liste."}}}
		}
		return map[string]any{"statut": statut}, nil
	})
}

// changeAction is the one write path of an existing action: scope, write rule (may),
// version, the new values, the conditional update and the audit, in one transaction.
func (s *Store) changeAction(ctx context.Context, actor Actor, id int64, version int, may func(Actor, ActionRow) bool,
	values func(tx *gorm.DB, before ActionRow) (map[string]any, error)) (ActionRow, error) {
	edit := recordEdit[ActionRow]{entity: "action", model: &Action{}, fields: actionFields, get: s.getAction,
		version: func(a ActionRow) int { return a.Version },
		may:     func(_ *gorm.DB, a ActionRow) error { return forbiddenUnless(may(actor, a)) }}
	return edit.apply(ctx, s, actor, id, version, values, nil)
}

// ArchiveAction archives an action (whoever writes its body); RestoreAction brings it back.
func (s *Store) ArchiveAction(ctx context.Context, actor Actor, id int64) error {
	return s.setActionArchived(ctx, actor, id, true)
}

// RestoreAction brings an archived action back.
func (s *Store) RestoreAction(ctx context.Context, actor Actor, id int64) error {
	return s.setActionArchived(ctx, actor, id, false)
}

func (s *Store) setActionArchived(ctx context.Context, actor Actor, id int64, archive bool) error {
	return setRecordArchived(ctx, s, actor, &Action{}, "action", id, archive, s.getAction,
		func(a ActionRow) error { return forbiddenUnless(CanWriteAction(actor, a)) })
}

// ActionFilter selects actions; empty fields select everything. Statut "ouverte" selects
// the actions still to be done.
type ActionFilter struct {
	InstanceID int64
	DecisionID int64
	ReunionID  int64 // the meeting's own actions and those of its decisions
	Statut     string
	Overdue    bool
	UserID     int64 // the owner (Mes actions)
}

// actionsIn starts every query of actions: those whose meeting (directly or through the
// decision) has a body in the scope.
func actionsIn(tx *gorm.DB, scope Scope, archived bool) *gorm.DB {
	q := scope.restrictTo(tx.Table("actions AS a").
		Joins("LEFT JOIN decisions d ON d.id = a.decision_id").
		Joins("JOIN reunions r ON r.id = COALESCE(d.reunion_id, a.reunion_id)").
		Joins("JOIN instances i ON i.id = r.instance_id"), EntityInstance, "i").
		Where("(a.decision_id IS NULL OR d.archived_at IS NULL) AND r.archived_at IS NULL AND i.archived_at IS NULL")
	if archived {
		return q.Where("a.archived_at IS NOT NULL")
	}
	return q.Where("a.archived_at IS NULL")
}

const actionColumns = `a.id, a.reunion_id, a.decision_id, a.titre, a.responsable_contact, a.responsable_user, a.echeance,
	a.statut, a.created_at, a.updated_at, a.archived_at, a.version, r.id AS source_reunion_id,
	i.id AS instance_id, i.nom AS instance_nom, i.departement_code, r.titre AS reunion_titre, r.debut AS reunion_debut,
	COALESCE(d.texte, '') AS decision_texte, COALESCE(c.nom, '') AS contact_nom, COALESCE(c.prenom, '') AS contact_prenom,
	COALESCE(c.fonction, '') AS contact_fonction, COALESCE(co.nom, '') AS contact_org, COALESCE(u.nom, '') AS user_nom`

// withOwners selects the action's columns with its owner's public fields (never a
// contact's email or phone); the rows read must then go through publishOwners.
func withOwners(q *gorm.DB) *gorm.DB {
	return q.Select(actionColumns).Joins("LEFT JOIN contacts c ON c.id = a.responsable_contact").
		Joins("LEFT JOIN organisations co ON co.id = c.organisation_id").
		Joins("LEFT JOIN users u ON u.id = a.responsable_user")
}

// publishOwners fills the Owner of the rows: an account (its name), or a contact acting in
// a public capacity (name, function, organisation) whose id is kept only when the scope
// may read the contact (publishPersons).
func publishOwners(tx *gorm.DB, scope Scope, rows []ActionRow) error {
	var people []*Person
	for i := range rows {
		a := &rows[i]
		switch {
		case a.ResponsableUser != nil:
			a.Owner = Person{Nom: a.UserNom}
		case a.ResponsableContact != nil:
			a.Owner = Person{ContactID: *a.ResponsableContact, Nom: a.ContactNom, Prenom: a.ContactPrenom,
				Fonction: a.ContactFonction, Organisation: a.ContactOrg}
			people = append(people, &a.Owner)
		default:
			a.Owner = Person{}
		}
	}
	return publishPersons(tx, scope, people)
}

// today is the current day in Paris, as YYYY-MM-DD: an action due before it is overdue.
func (s *Store) today() string { return s.now().In(fr.Paris()).Format("2006-01-02") }

func filterActions(q *gorm.DB, f ActionFilter, today string) *gorm.DB {
	if f.InstanceID > 0 {
		q = q.Where("i.id = ?", f.InstanceID)
	}
	if f.DecisionID > 0 {
		q = q.Where("a.decision_id = ?", f.DecisionID)
	}
	if f.ReunionID > 0 {
		q = q.Where("r.id = ?", f.ReunionID)
	}
	switch st := dbText(f.Statut); st {
	case "":
	case "ouverte":
		q = q.Where("a.statut IN ?", openStatuses)
	default:
		q = q.Where("a.statut = ?", st)
	}
	if f.Overdue {
		q = q.Where("a.statut IN ? AND a.echeance IS NOT NULL AND a.echeance < ?", openStatuses, today)
	}
	if f.UserID > 0 {
		q = q.Where("a.responsable_user = ?", f.UserID)
	}
	return q
}

// actionsOrder is the order of the actions lists: the overdue actions first, then the open
// ones by due date (those without one last), then the rest.
func actionsOrder(today string) keyOrder {
	rank := sortCol{expr: `CASE WHEN a.statut IN ? AND a.echeance IS NOT NULL AND a.echeance < ? THEN 0
		WHEN a.statut IN ? THEN 1 ELSE 2 END`, kind: keyInt, args: []any{openStatuses, today, openStatuses}}
	return fixedOrder("actions", false, rank, timeCol("COALESCE(a.echeance, '9999-12-31')"), intCol("a.id"))
}

// ListActions returns one page of the live actions of the scope matching f, overdue first.
func (s *Store) ListActions(ctx context.Context, scope Scope, f ActionFilter, p PageRequest) (Page[ActionRow], error) {
	db, today := s.db.WithContext(ctx), s.today()
	lq := listQuery{rows: func() *gorm.DB { return filterActions(actionsIn(db, scope, false), f, today) }, order: actionsOrder(today)}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]ActionRow, error) {
		var rows []ActionRow
		if err := withOwners(actionsIn(db, scope, false)).Where("a.id IN ?", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].Overdue = rows[i].overdue(today)
		}
		return rows, publishOwners(db, scope, rows)
	}, func(r ActionRow) int64 { return r.ID })
}

// MyActions returns the live actions of the scope whose owner is the actor's account,
// overdue first.
func (s *Store) MyActions(ctx context.Context, actor Actor, p PageRequest) (Page[ActionRow], error) {
	if actor.UserID <= 0 {
		return Page[ActionRow]{}, nil
	}
	return s.ListActions(ctx, actor.Scope, ActionFilter{UserID: actor.UserID}, p)
}

func (s *Store) getAction(tx *gorm.DB, scope Scope, id int64, archived bool) (ActionRow, error) {
	var rows []ActionRow
	if err := withOwners(actionsIn(tx, scope, archived)).Where("a.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return ActionRow{}, err
	}
	if len(rows) == 0 {
		return ActionRow{}, ErrNotFound
	}
	rows[0].Overdue = rows[0].overdue(s.today())
	return rows[0], publishOwners(tx, scope, rows)
}

// GetAction returns one live action of the scope; ErrNotFound otherwise.
func (s *Store) GetAction(ctx context.Context, scope Scope, id int64) (ActionRow, error) {
	return s.getAction(s.db.WithContext(ctx), scope, id, false)
}

// OwnerChoices lists who may own an action, for the form's select: the active accounts
// ("u<id>") and the contacts the actor sees ("c<id>"), by name, MaxChoices of each at most.
func (s *Store) OwnerChoices(ctx context.Context, actor Actor) ([]Choice, error) {
	db := s.db.WithContext(ctx)
	var users []User
	if err := db.Where("archived_at IS NULL AND active").Order("nom, id").Limit(MaxChoices).Find(&users).Error; err != nil {
		return nil, err
	}
	out := []Choice{}
	for _, u := range users {
		out = append(out, Choice{Value: "u" + strconv.FormatInt(u.ID, 10), Label: u.Nom + " (compte)"})
	}
	contacts, err := s.ListContacts(ctx, actor, ContactFilter{}, PageRequest{Size: MaxChoices})
	if err != nil {
		return nil, err
	}
	for _, c := range contacts.Items {
		out = append(out, Choice{Value: "c" + strconv.FormatInt(c.ID, 10), Label: c.FullName() + " (contact, " + c.OrganisationNom + ")"})
	}
	return out, nil
}

// Preparation is what the "Préparer la prochaine réunion" page of a body shows.
type Preparation struct {
	Instance  InstanceRow
	LastHeld  *ReunionRow   // the last meeting held, nil when none
	Decisions []DecisionRow // the decisions of LastHeld
	Actions   []ActionRow   // the open actions of the body, overdue first
	Next      *ReunionRow   // the next planned meeting, nil when none
}

// PrepareMeeting gathers, for a body of the scope, the last held meeting's decisions, its
// open and overdue actions and the next planned meeting.
func (s *Store) PrepareMeeting(ctx context.Context, scope Scope, instanceID int64) (Preparation, error) {
	db := s.db.WithContext(ctx)
	var p Preparation
	var err error
	if p.Instance, err = getInstance(db, scope, instanceID, false); err != nil {
		return p, err
	}
	var held, next []ReunionRow
	if err := reunionsIn(db, scope, false).Select(reunionColumns).Where("r.instance_id = ? AND r.statut = ?", instanceID, ReunionTenue).
		Order("r.debut DESC, r.id DESC").Limit(1).Scan(&held).Error; err != nil {
		return p, err
	}
	if err := reunionsIn(db, scope, false).Select(reunionColumns).
		Where("r.instance_id = ? AND r.statut = ? AND r.debut >= ?", instanceID, ReunionPlanifiee, s.now().UTC()).
		Order("r.debut ASC, r.id ASC").Limit(1).Scan(&next).Error; err != nil {
		return p, err
	}
	if len(held) > 0 {
		p.LastHeld = &held[0]
		if err := decisionsIn(db, scope, false).Select(decisionColumns).Where("d.reunion_id = ?", held[0].ID).
			Order("d.id ASC").Scan(&p.Decisions).Error; err != nil {
			return p, err
		}
		if err := withTerritoires(db, p.Decisions); err != nil {
			return p, err
		}
	}
	if len(next) > 0 {
		p.Next = &next[0]
	}
	page, err := s.ListActions(ctx, scope, ActionFilter{InstanceID: instanceID, Statut: "ouverte"}, PageRequest{Size: 500})
	p.Actions = page.Items
	return p, err
}
