package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// User is an account of the back-office.
type User struct {
	ID                  int64
	Email               string
	Nom                 string
	Role                Role
	DepartementCode     *string
	CodeCirconscription *string
	EPCISiren           *string `gorm:"column:epci_siren"`
	PasswordHash        string
	OIDCSub             *string `gorm:"column:oidc_sub"` // ProConnect identity, once linked (models/user_oidc.go)
	Active              bool
	LastLoginAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
	ArchivedAt          *time.Time
	Version             int
	Communes            []string `gorm:"-"`
}

// TableName is the users table.
func (User) TableName() string { return "users" }

// HasPassword reports whether the account can log in with a password.
func (u User) HasPassword() bool { return u.PasswordHash != "" }

// RoleLabel is the French label of the user's role.
func (u User) RoleLabel() string { return u.Role.Label() }

// ScopeLabel describes the user's territory in French.
func (u User) ScopeLabel() string {
	switch u.Role {
	case RoleIA:
		return "département " + deref(u.DepartementCode)
	case RoleIEN:
		return "circonscription " + deref(u.CodeCirconscription)
	case RoleReferent:
		if u.EPCISiren != nil {
			return "EPCI " + *u.EPCISiren
		}
		return "communes " + strings.Join(u.Communes, ", ")
	}
	return "académie"
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// UserInput is what a form or the command line gives to create or edit an account.
type UserInput struct {
	Email           string
	Nom             string
	Role            Role
	Departement     string   // ia_dasen
	Circonscription string   // ien
	Communes        []string // referent_commune (INSEE codes), or
	EPCI            string   // referent_commune (SIREN)
}

// userFields are the audited fields of an account, with French labels.
var userFields = []Choice{
	{"email", "Adresse électronique"}, {"nom", "Nom"}, {"role", "Rôle"},
	{"departement", "Département"}, {"circonscription", "Circonscription"},
	{"epci", "EPCI"}, {"communes", "Communes"}, {"active", "Actif"},
}

func (u User) auditValues() map[string]string {
	return map[string]string{"email": u.Email, "nom": u.Nom, "role": u.Role.Label(),
		"departement": deref(u.DepartementCode), "circonscription": deref(u.CodeCirconscription),
		"epci": deref(u.EPCISiren), "communes": strings.Join(u.Communes, ", "),
		"active": map[bool]string{true: "oui", false: "non"}[u.Active]}
}

// normalize trims the input and keeps only the scope fields of its role.
func (in UserInput) normalize() UserInput {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Nom = strings.TrimSpace(in.Nom)
	dep, circo, epci, communes := in.Departement, strings.ToUpper(in.Circonscription), in.EPCI, in.Communes
	in.Departement, in.Circonscription, in.EPCI, in.Communes = "", "", "", nil
	switch in.Role {
	case RoleIA:
		in.Departement = strings.TrimSpace(dep)
	case RoleIEN:
		in.Circonscription = strings.TrimSpace(circo)
	case RoleReferent:
		in.EPCI = strings.TrimSpace(epci)
		if in.EPCI == "" {
			for _, c := range communes {
				if c = strings.ToUpper(strings.TrimSpace(c)); c != "" && !slices.Contains(in.Communes, c) {
					in.Communes = append(in.Communes, c)
				}
			}
			slices.Sort(in.Communes)
		}
	}
	return in
}

// validate checks an account against the rules and the reference data; field names are
// those of the forms.
func (s *Store) validateUser(tx *gorm.DB, in UserInput, selfID int64) error {
	var errs ValidationError
	if _, err := mail.ParseAddress(in.Email); err != nil || !strings.Contains(in.Email, "@") || len(in.Email) > 254 || strings.ContainsAny(in.Email, "<> ") {
		errs.Add(0, "email", "Adresse électronique invalide (exemple : prenom.nom@ac-creteil.fr).")
	} else {
		var n int64
		if err := tx.Model(&User{}).Where("email = ? AND archived_at IS NULL AND id <> ?", in.Email, selfID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			errs.Add(0, "email", "Un compte existe déjà avec cette adresse.")
		}
	}
	switch {
	case in.Nom == "":
		errs.Add(0, "nom", "Le nom est obligatoire.")
	case !utf8.ValidString(in.Nom) || strings.ContainsRune(in.Nom, 0):
		errs.Add(0, "nom", "Le nom contient des caractères invalides.")
	case utf8.RuneCountInString(in.Nom) > 100:
		errs.Add(0, "nom", "Le nom ne doit pas dépasser 100 caractères.")
	}
	if !in.Role.Valid() {
		errs.Add(0, "role", "Choisissez un rôle dans la liste.")
	}
	exists := func(table, col, v string) bool {
		var n int64
		tx.Table(table).Where(col+" = ?", dbText(v)).Count(&n)
		return n > 0
	}
	switch in.Role {
	case RoleIA:
		if in.Departement == "" || !exists("departements", "code", in.Departement) {
			errs.Add(0, "departement", "Choisissez le département de l'IA-DASEN.")
		}
	case RoleIEN:
		if in.Circonscription == "" || !exists("circonscriptions", "archived_at IS NULL AND code", in.Circonscription) {
			errs.Add(0, "circonscription", "Choisissez une circonscription connue du référentiel.")
		}
	case RoleReferent:
		switch {
		case in.EPCI != "":
			if !exists("epci", "siren", in.EPCI) {
				errs.Add(0, "epci", "EPCI inconnu.")
			}
		case len(in.Communes) == 0:
			errs.Add(0, "communes", "Indiquez au moins une commune (code INSEE) ou un EPCI.")
		default:
			for _, c := range in.Communes {
				if !ValidINSEE(c) || !exists("communes", "code_insee", c) {
					errs.Add(0, "communes", "Commune inconnue : "+c+".")
				}
			}
		}
	}
	return errs.OrNil()
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateUser creates an account (without password: a one-time link or the command line sets it).
func (s *Store) CreateUser(ctx context.Context, actor Actor, in UserInput) (User, error) {
	in = in.normalize()
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.validateUser(tx, in, 0); err != nil {
			return err
		}
		u = User{Email: in.Email, Nom: in.Nom, Role: in.Role, DepartementCode: nilIfEmpty(in.Departement),
			CodeCirconscription: nilIfEmpty(in.Circonscription), EPCISiren: nilIfEmpty(in.EPCI), Active: true, Version: 1}
		if err := tx.Omit("Communes").Create(&u).Error; err != nil {
			return emailTaken(err)
		}
		if err := setUserCommunes(tx, u.ID, in.Communes); err != nil {
			return err
		}
		u.Communes = in.Communes
		return s.audit(tx, actor, "creation", "utilisateur", strconv.FormatInt(u.ID, 10), diff(userFields, nil, u.auditValues()))
	})
	return u, err
}

// emailTaken turns the unique index's refusal (two requests racing for one email) into the
// form's message.
func emailTaken(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &ValidationError{Errors: []FieldError{{Field: "email", Msg: "Un compte existe déjà avec cette adresse."}}}
	}
	return err
}

func setUserCommunes(tx *gorm.DB, userID int64, communes []string) error {
	if err := tx.Exec("DELETE FROM user_communes WHERE user_id = ?", userID).Error; err != nil {
		return err
	}
	for _, c := range communes {
		if err := tx.Exec("INSERT INTO user_communes (user_id, code_insee) VALUES (?, ?)", userID, c).Error; err != nil {
			return err
		}
	}
	return nil
}

// ConflictError says that a record changed since the form was loaded: who changed it, when,
// and its current state.
type ConflictError struct {
	By      string
	At      time.Time
	Current any
}

func (e *ConflictError) Error() string { return ErrConflict.Error() }

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// versionActions are the audit actions that change a record's version.
var versionActions = []string{"creation", "modification", "desactivation", "reactivation", "archivage", "restauration"}

// conflict builds the ConflictError of a record from its last audit event.
func (s *Store) conflict(tx *gorm.DB, entity, id string, current any) error {
	var ev AuditEvent
	// Only the actions that change a record's version explain a conflict (not a link sent).
	err := tx.Where("entity = ? AND entity_id = ? AND action IN ?", entity, id, versionActions).
		Order("at DESC, id DESC").Limit(1).Find(&ev).Error
	if err != nil {
		return err
	}
	return &ConflictError{By: ev.Actor, At: ev.At, Current: current}
}

// UpdateUser changes an account if it is still at version; otherwise nothing changes and a
// *ConflictError says who changed it.
func (s *Store) UpdateUser(ctx context.Context, actor Actor, id int64, version int, in UserInput) (User, error) {
	in = in.normalize()
	var u User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return s.conflict(tx, "utilisateur", strconv.FormatInt(id, 10), before)
		}
		if err := s.validateUser(tx, in, id); err != nil {
			return err
		}
		if in.Role != RoleAdmin {
			if err := s.lockAdmins(tx); err != nil {
				return err
			}
			if err := keepOneAdmin(tx, before, "role"); err != nil {
				return err
			}
		}
		res := tx.Model(&User{}).Where("id = ? AND version = ? AND archived_at IS NULL", id, version).Updates(map[string]any{
			"email": in.Email, "nom": in.Nom, "role": in.Role, "departement_code": nilIfEmpty(in.Departement),
			"code_circonscription": nilIfEmpty(in.Circonscription), "epci_siren": nilIfEmpty(in.EPCI),
			"updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return emailTaken(res.Error)
		}
		if res.RowsAffected == 0 {
			return s.conflict(tx, "utilisateur", strconv.FormatInt(id, 10), before)
		}
		if err := setUserCommunes(tx, id, in.Communes); err != nil {
			return err
		}
		if u, err = getUser(tx, id); err != nil {
			return err
		}
		if before.Role != u.Role || before.scopeKey() != u.scopeKey() {
			if err := tx.Exec("DELETE FROM sessions WHERE user_id = ?", id).Error; err != nil {
				return err
			}
		}
		return s.audit(tx, actor, "modification", "utilisateur", strconv.FormatInt(id, 10), diff(userFields, before.auditValues(), u.auditValues()))
	})
	return u, err
}

func (u User) scopeKey() string {
	return deref(u.DepartementCode) + "/" + deref(u.CodeCirconscription) + "/" + deref(u.EPCISiren) + "/" + strings.Join(u.Communes, ",")
}

// getUser reads one live (not archived) account with its communes.
func getUser(tx *gorm.DB, id int64) (User, error) {
	var u User
	if err := tx.Where("id = ? AND archived_at IS NULL", id).Take(&u).Error; err != nil {
		return u, notFound(err)
	}
	if err := tx.Table("user_communes").Where("user_id = ?", id).Order("code_insee").Pluck("code_insee", &u.Communes).Error; err != nil {
		return u, err
	}
	return u, nil
}

// GetUser returns one live account.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	return getUser(s.db.WithContext(ctx), id)
}

// FindUserByEmail returns the live account with this email.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ? AND archived_at IS NULL", dbText(strings.ToLower(strings.TrimSpace(email)))).Take(&u).Error
	if err != nil {
		return u, notFound(err)
	}
	return getUser(s.db.WithContext(ctx), u.ID)
}

// SetUserActive disables or re-enables an account; disabling ends its sessions at once.
func (s *Store) SetUserActive(ctx context.Context, actor Actor, id int64, active bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		before, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if before.Active == active {
			return nil
		}
		if !active && actor.UserID == id {
			return &ValidationError{Errors: []FieldError{{Field: "active", Msg: "Vous ne pouvez pas désactiver votre propre compte."}}}
		}
		if !active {
			if err := s.lockAdmins(tx); err != nil {
				return err
			}
			if err := keepOneAdmin(tx, before, "active"); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"active": active,
			"updated_at": s.now().UTC(), "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		if !active {
			if err := tx.Exec("DELETE FROM sessions WHERE user_id = ?", id).Error; err != nil {
				return err
			}
		}
		after := before
		after.Active = active
		action := map[bool]string{true: "reactivation", false: "desactivation"}[active]
		return s.audit(tx, actor, action, "utilisateur", strconv.FormatInt(id, 10), diff(userFields, before.auditValues(), after.auditValues()))
	})
}

// UserFilter selects accounts in the admin's list.
type UserFilter struct {
	Q        string
	Role     Role
	Archived bool
}

// ListUsers returns accounts (admin only), by name.
func (s *Store) ListUsers(ctx context.Context, actor Actor, f UserFilter, p PageRequest) (Page[User], error) {
	p = p.normalized()
	page := Page[User]{Number: p.Number, Size: p.Size}
	if actor.Role != RoleAdmin {
		return page, ErrForbidden
	}
	q := s.db.WithContext(ctx).Model(&User{})
	if f.Archived {
		q = q.Where("archived_at IS NOT NULL")
	} else {
		q = q.Where("archived_at IS NULL")
	}
	if f.Role != "" {
		q = q.Where("role = ?", dbText(string(f.Role)))
	}
	if t := strings.ToLower(strings.TrimSpace(f.Q)); t != "" {
		q = q.Where("(LOWER(nom) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", likeContains(dbText(t)), likeContains(dbText(t)))
	}
	if err := q.Count(&page.Total).Error; err != nil {
		return page, err
	}
	if err := q.Order("nom, id").Limit(p.Size).Offset(p.offset()).Find(&page.Items).Error; err != nil {
		return page, err
	}
	return page, loadCommunes(s.db.WithContext(ctx), page.Items)
}

// loadCommunes fills the communes of référents, in one query for the whole page.
func loadCommunes(tx *gorm.DB, users []User) error {
	ids := make([]int64, len(users))
	at := make(map[int64]int, len(users))
	for i, u := range users {
		ids[i], at[u.ID] = u.ID, i
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		UserID    int64
		CodeINSEE string `gorm:"column:code_insee"`
	}
	if err := tx.Table("user_communes").Where("user_id IN ?", ids).Order("code_insee").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		users[at[r.UserID]].Communes = append(users[at[r.UserID]].Communes, r.CodeINSEE)
	}
	return nil
}

// CountAdmins counts the live, active administrators.
func (s *Store) CountAdmins(ctx context.Context) (int64, error) {
	return countAdmins(s.db.WithContext(ctx))
}

func countAdmins(tx *gorm.DB) (int64, error) {
	var n int64
	err := tx.Model(&User{}).Where("role = ? AND active AND archived_at IS NULL", RoleAdmin).Count(&n).Error
	return n, err
}

// keepOneAdmin refuses to remove the last active administrator (field names the form's).
func keepOneAdmin(tx *gorm.DB, before User, field string) error {
	if before.Role != RoleAdmin || !before.Active {
		return nil
	}
	n, err := countAdmins(tx)
	if err != nil {
		return err
	}
	if n <= 1 {
		return &ValidationError{Errors: []FieldError{{Field: field, Msg: "Il doit rester au moins un administrateur actif."}}}
	}
	return nil
}

// UserScope builds the scope of an account from its role: the académie, a département, a
// circonscription, or communes (those of its EPCI when it has one). A misconfigured account
// gets the zero scope, which sees nothing.
func (s *Store) UserScope(ctx context.Context, u User) (Scope, error) {
	switch u.Role {
	case RoleAdmin, RolePilote, RoleAMIF, RoleLecteur:
		return AcademieScope(), nil
	case RoleIA:
		if u.DepartementCode != nil {
			return Scope{Kind: ScopeDepartement, Departements: []string{*u.DepartementCode}}, nil
		}
	case RoleIEN:
		if u.CodeCirconscription != nil {
			return Scope{Kind: ScopeCirconscription, Circonscriptions: []string{*u.CodeCirconscription}}, nil
		}
	case RoleReferent:
		communes := u.Communes
		if u.EPCISiren != nil {
			if err := s.db.WithContext(ctx).Table("communes").Where("epci_siren = ? OR ept_siren = ?", *u.EPCISiren, *u.EPCISiren).
				Order("code_insee").Pluck("code_insee", &communes).Error; err != nil {
				return Scope{}, err
			}
		}
		if len(communes) > 0 {
			return Scope{Kind: ScopeCommunes, Communes: communes}, nil
		}
	}
	return Scope{}, nil
}

// ActorFor is the actor of a signed-in user's requests.
func ActorFor(u User, scope Scope, requestID string) Actor {
	return Actor{UserID: u.ID, Name: fmt.Sprintf("%s (n° %d)", u.Nom, u.ID), Role: u.Role, Scope: scope, RequestID: requestID}
}
