package models

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/views/fr"
	"gorm.io/gorm"
)

// AuditEvent is one committed change: who, when, what, and the fields it changed.
// Events are append-only (the database refuses updates and deletions).
type AuditEvent struct {
	ID        int64
	At        time.Time
	ActorID   *int64
	Actor     string
	Role      string
	Scope     string
	Action    string
	Entity    string
	EntityID  string
	Changes   string // JSON list of Change
	RequestID string
}

// TableName is the audit_events table.
func (AuditEvent) TableName() string { return "audit_events" }

// Change is one field changed by an event, with French label and old and new values as shown.
type Change struct {
	Field string `json:"champ"`
	Label string `json:"libelle"`
	Old   string `json:"avant"`
	New   string `json:"apres"`
}

// ChangeList decodes the changes of an event.
func (e AuditEvent) ChangeList() []Change {
	var out []Change
	_ = json.Unmarshal([]byte(e.Changes), &out)
	return out
}

// Actions of the audit log, with their French labels.
var AuditActions = []Choice{
	{"creation", "Création"},
	{"modification", "Modification"},
	{"desactivation", "Désactivation"},
	{"reactivation", "Réactivation"},
	{"archivage", "Archivage"},
	{"restauration", "Restauration"},
	{"mot_de_passe", "Mot de passe"},
	{"lien", "Lien à usage unique"},
	{"jeton", "Jeton d'API"},
	{"agenda", "Lien d'agenda"},
	{"revocation", "Révocation"},
	{"import", "Import"},
	{"annulation", "Annulation d'import"},
	{"consultation", "Consultation"},
	{"anonymisation", "Anonymisation"},
	{"transition", "Changement de statut"},
	{AuditEchueAuto, "Échue automatiquement"},
}

// ActionLabel is the French label of the event's action.
func (e AuditEvent) ActionLabel() string { return LabelOf(AuditActions, e.Action) }

// personal marks the fields whose values never enter the audit log (only "modifié").
var personal = map[string]bool{"email": true, "telephone": true, "password_hash": true}

// diff lists the fields whose values differ between before and after, in the order of labels.
func diff(labels []Choice, before, after map[string]string) []Change {
	var out []Change
	for _, l := range labels {
		old, now := before[l.Value], after[l.Value]
		if old == now {
			continue
		}
		c := Change{Field: l.Value, Label: l.Label, Old: old, New: now}
		if personal[l.Value] {
			c.Old, c.New = "", "modifié"
		}
		out = append(out, c)
	}
	return out
}

// audit records one event in the transaction of the change it describes.
func (s *Store) audit(tx *gorm.DB, actor Actor, action, entity, entityID string, changes []Change) error {
	if changes == nil {
		changes = []Change{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	ev := AuditEvent{At: s.now().UTC(), Actor: actor.Name, Role: string(actor.Role), Scope: actor.Scope.String(),
		Action: action, Entity: entity, EntityID: entityID, Changes: string(b), RequestID: actor.RequestID}
	if actor.UserID != 0 {
		ev.ActorID = &actor.UserID
	}
	return tx.Create(&ev).Error
}

// AuditFilter selects events of the audit log.
type AuditFilter struct {
	ActorID  int64
	Entity   string
	EntityID string
	Action   string
	From, To time.Time // days, To included; zero for no bound
}

func (s *Store) auditQuery(ctx context.Context, f AuditFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&AuditEvent{})
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	// Days are those of the pages: Paris days, from midnight to midnight.
	if !f.From.IsZero() {
		q = q.Where("at >= ?", parisMidnight(f.From).UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", parisMidnight(f.To).AddDate(0, 0, 1).UTC())
	}
	return q
}

// auditOrder is the order of the audit log: newest first.
var auditOrder = fixedOrder("journal", true, timeCol("at"), intCol("id"))

// ListAudit returns one page of the audit log, newest first. Only the admin reads it.
func (s *Store) ListAudit(ctx context.Context, actor Actor, f AuditFilter, p PageRequest) (Page[AuditEvent], error) {
	if actor.Role != RoleAdmin {
		return Page[AuditEvent]{}, ErrForbidden
	}
	lq := listQuery{rows: func() *gorm.DB { return s.auditQuery(ctx, f) }, order: auditOrder}
	return readPage(ctx, s, lq, p, func(ids []int64) ([]AuditEvent, error) {
		var rows []AuditEvent
		err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error
		return rows, err
	}, func(ev AuditEvent) int64 { return ev.ID })
}

// EachAudit calls fn for every event matching f, newest first (admin only).
func (s *Store) EachAudit(ctx context.Context, actor Actor, f AuditFilter, fn func(AuditEvent) error) error {
	if actor.Role != RoleAdmin {
		return ErrForbidden
	}
	rows, err := s.auditQuery(ctx, f).Order("at DESC, id DESC").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ev AuditEvent
		if err := s.db.ScanRows(rows, &ev); err != nil {
			return err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}

// History returns the events of one record, newest first. The caller must have been
// allowed to read the record itself.
func (s *Store) History(ctx context.Context, actor Actor, entity, entityID string) ([]AuditEvent, error) {
	if err := s.mayReadHistory(ctx, actor, entity, entityID); err != nil {
		return nil, err
	}
	var out []AuditEvent
	err := s.auditQuery(ctx, AuditFilter{Entity: entity, EntityID: entityID}).Order("at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// historyEntities are the scoped entities of the audit log's entity names.
var historyEntities = map[string]Entity{
	"organisation": EntityOrganisation, "contact": EntityContact, "instance": EntityInstance,
	"reunion": EntityReunion, "decision": EntityDecision, "action": EntityAction,
	"adoption": EntityAdoption, "convention": EntityConvention, "financement": EntityFinancement,
	"vague": EntityVague, "jalon": EntityJalon, "reference": EntityReference,
	"campagne": EntityCampagne, "candidature": EntityCandidature,
	"formation": EntityFormation, "plan_formation": EntityPlanFormation, "inscription": EntityInscription,
	"marche": EntityMarche, "cahier": EntityCahier,
}

// mayReadHistory checks that the actor reads the record whose history is asked: a scoped
// record in their scope (ErrNotFound otherwise, as for the record itself), the accounts,
// tokens and model texts for the administrator only (ErrForbidden), the reference data and
// the charter for every valid scope.
func (s *Store) mayReadHistory(ctx context.Context, actor Actor, entity, entityID string) error {
	if err := actor.Scope.readReference(); err != nil {
		return err
	}
	if e, ok := historyEntities[entity]; ok {
		id, err := strconv.ParseInt(entityID, 10, 64)
		if err != nil {
			return ErrNotFound
		}
		ok, err := reads(s.db.WithContext(ctx), actor.Scope, e, id)
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	}
	if entity == "deploiement" { // keyed by the école's UAI: its école must lie in the scope
		var n int64
		q := actor.Scope.within(s.db.WithContext(ctx).Table("ecoles AS e"), "e", ecolesTerritory, reachRead)
		if err := q.Where("e.uai = ?", entityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		return nil
	}
	switch entity {
	case "utilisateur", "jeton", "modele_convention", mailEntity:
		if !Administers(actor) {
			return ErrForbidden
		}
	}
	return nil
}

// AuditEntities lists the kinds of records the audit log knows, with French labels.
var AuditEntities = []Choice{
	{"utilisateur", "Utilisateur"},
	{"jeton", "Jeton d'API"},
	{"communes", "Communes (référentiel)"},
	{"ecoles", "Écoles (référentiel)"},
	{"epci", "EPCI (référentiel)"},
	{"referentiel", "Référentiel"},
	{"organisation", "Organisation"},
	{"contact", "Contact"},
	{"charte", "Charte"},
	{"adoption", "Adoption"},
	{"instance", "Instance"},
	{"reunion", "Réunion"},
	{"decision", "Décision"},
	{"action", "Action"},
	{"convention", "Convention"},
	{"modele_convention", "Modèle de convention"},
	{"financement", "Plan de financement"},
	{"circonscription", "Circonscription"},
	{"ecole", "École"},
	{"solution", "Solution ENT"},
	{"vague", "Vague"},
	{"deploiement", "Déploiement d'une école"},
	{"jalon", "Jalon"},
	{"reference", "Référence du plan"},
	{"campagne", "Campagne de candidatures"},
	{"candidature", "Candidature"},
	{"plan_formation", "Plan de formation"},
	{"formation_module", "Module de formation"},
	{"formation", "Session de formation"},
	{"inscription", "Inscription à une formation"},
	{"evaluation", "Évaluation d'une formation"},
	{"marche", "Marché (appel d'offres)"},
	{mailEntity, "Messagerie (serveur SMTP)"},
	{oidcEntity, "Connexion ProConnect (réglages)"},
}

// parisMidnight is the start of t's calendar day in Paris.
func parisMidnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, fr.Paris())
}
