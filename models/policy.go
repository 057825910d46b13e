package models

import (
	"context"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Entity names a kind of programme record whose rows lie in the territory, in the same
// words as its URL and its table.
type Entity string

// The scoped entities.
const (
	EntityOrganisation  Entity = "organisations"
	EntityContact       Entity = "contacts"
	EntityInstance      Entity = "instances"
	EntityReunion       Entity = "reunions"
	EntityDecision      Entity = "decisions"
	EntityAction        Entity = "actions"
	EntityAdoption      Entity = "adoptions"
	EntityConvention    Entity = "conventions"
	EntityFinancement   Entity = "financements"
	EntityVague         Entity = "vagues"
	EntityDeploiement   Entity = "deploiements"
	EntityJalon         Entity = "jalons"
	EntityReference     Entity = "references"
	EntityCampagne      Entity = "campagnes"
	EntityCandidature   Entity = "candidatures"
	EntityPlanFormation Entity = "plans-formation"
	EntityFormation     Entity = "formations"
	EntityInscription   Entity = "inscriptions"
	EntityMarche        Entity = "marches"
	EntityCahier        Entity = "cahiers-des-charges"
)

// scopedEntity is one line of the registry: the table of an entity and how its rows lie in
// the territory, either on their own columns or through the record they belong to.
type scopedEntity struct {
	Table     string
	Territory Territory
	// Parent, when set, is the entity the record belongs to (a meeting's body): the
	// record lies where its parent lies, and whoever writes the parent writes it. Key is
	// the expression (on the alias {a}) of the parent's id.
	Parent Entity
	Key    string
}

// entities is the registry of scoped entities. Each says once how its rows attach to the
// territory; Scope.within applies it to any query, and the scope matrix test
// (app/scope_matrix_test.go) checks every entity listed here for every role.
var entities = map[Entity]scopedEntity{
	// An organisation lies in its département, its commune or wherever its EPCI has a
	// member commune; the Rectorat, the AMIF and the vendors have no territory.
	EntityOrganisation: {Table: "organisations", Territory: Territory{Departement: "departement_code", Commune: "code_insee",
		EPCI: "epci_siren", Shared: "({a}.departement_code IS NULL AND {a}.code_insee IS NULL AND {a}.epci_siren IS NULL)"}},
	EntityContact: {Table: "contacts", Parent: EntityOrganisation, Key: "{a}.organisation_id"},
	// A steering body is the académie's (no département: everyone reads it) or a
	// département's, which narrower scopes of the département read too.
	EntityInstance: {Table: "instances", Territory: Territory{Departement: "departement_code",
		Shared: "{a}.departement_code IS NULL", Below: "TRUE"}},
	EntityReunion:  {Table: "reunions", Parent: EntityInstance, Key: "{a}.instance_id"},
	EntityDecision: {Table: "decisions", Parent: EntityReunion, Key: "{a}.reunion_id"},
	// An action comes from a meeting, or from a decision of a meeting.
	EntityAction: {Table: "actions", Parent: EntityReunion,
		Key: "COALESCE((SELECT kd.reunion_id FROM decisions kd WHERE kd.id = {a}.decision_id), {a}.reunion_id)"},
	// An adoption is a commune's, or an EPCI's (wherever it has a member commune).
	EntityAdoption: {Table: "adoptions", Territory: Territory{Commune: "code_insee", EPCI: "epci_siren"}},
	// The convention cadre has no département; a départementale is read by the narrower
	// scopes of its département; a locale lies in its communes.
	EntityConvention: {Table: "conventions", Territory: Territory{Departement: "departement_code",
		Link: "convention_communes.convention_id", Shared: "{a}.departement_code IS NULL", Below: "{a}.kind = 'departementale'"}},
	// A financing plan lies in its département and its communes.
	EntityFinancement: {Table: "financements", Territory: Territory{Departement: "departement_code",
		Link: "financement_communes.financement_id"}},
	// A wave, a baseline of the plan and a campaign of candidatures are the académie's (no
	// département) or a département's, which narrower scopes of the département read too.
	EntityVague: {Table: "vagues", Territory: Territory{Departement: "departement_code",
		Shared: "{a}.departement_code IS NULL", Below: "TRUE"}},
	EntityReference: {Table: "plan_references", Territory: Territory{Departement: "departement_code",
		Shared: "{a}.departement_code IS NULL", Below: "TRUE"}},
	EntityCampagne: {Table: "campagnes", Territory: Territory{Departement: "departement_code",
		Shared: "{a}.departement_code IS NULL", Below: "TRUE"}},
	// A deployment lies where its école lies (it repeats the école's territory columns).
	EntityDeploiement: {Table: "deploiements", Territory: deploiementsTerritory},
	// A milestone is the académie's, a département's (read by its narrower scopes) or a
	// commune's.
	EntityJalon: {Table: "jalons", Territory: Territory{Departement: "departement_code", Commune: "code_insee",
		Shared: "{a}.departement_code IS NULL", Below: "{a}.code_insee IS NULL"}},
	// A candidature lies in its département and its communes.
	EntityCandidature: {Table: "candidatures", Territory: Territory{Departement: "departement_code",
		Link: "candidature_communes.candidature_id"}},
	// A training plan is a département's, read by its narrower scopes. A session lies in
	// its circonscription, or is the département's (no circonscription), which the
	// circonscriptions of the département read; the référents (communes scopes) read the
	// sessions of their département open to municipal agents and elected members, to
	// register them; a registration lies where its session lies.
	EntityPlanFormation: {Table: "plans_formation", Territory: Territory{Departement: "departement_code", Below: "TRUE"}},
	EntityFormation: {Table: "formations", Territory: Territory{Departement: "departement_code",
		Circonscription: "code_circonscription", Below: "{a}.code_circonscription IS NULL",
		BelowCommunes: "{a}.public IN ('agents_municipaux', 'elus')"}},
	EntityInscription: {Table: "formation_inscriptions", Parent: EntityFormation, Key: "{a}.formation_id"},
	// A market (call for tender) lies in its département and its communes.
	EntityMarche: {Table: "marches", Territory: Territory{Departement: "departement_code",
		Link: "marche_communes.marche_id"}},
	// A cahier des charges is the académie's model (no département) or a département's
	// adaptation, which narrower scopes of the département read too.
	EntityCahier: {Table: "cahiers_charges", Territory: Territory{Departement: "departement_code",
		Shared: "{a}.departement_code IS NULL", Below: "TRUE"}},
	// ENT usage figures lie where their école lies (they repeat its territory columns).
	EntityUsage: {Table: "usages", Territory: usagesTerritory},
}

// ScopedEntities lists the scoped entities, sorted.
func ScopedEntities() []Entity {
	out := make([]Entity, 0, len(entities))
	for e := range entities {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// reads reports whether the scope reads the record id of e (live or archived): the record
// joined up to its root, whose territory the scope must reach.
func reads(tx *gorm.DB, scope Scope, e Entity, id int64) (bool, error) {
	alias := "r0"
	q := tx.Table(entities[e].Table+" AS "+alias).Where(alias+".id = ?", id)
	for cur := e; entities[cur].Parent != ""; cur = entities[cur].Parent {
		next := alias + "p"
		parent := entities[entities[cur].Parent]
		q = q.Joins("JOIN " + parent.Table + " " + next + " ON " + next + ".id = " + strings.ReplaceAll(entities[cur].Key, "{a}", alias))
		alias = next
	}
	var n int64
	err := scope.restrictTo(q, root(e), alias).Count(&n).Error
	return n > 0, err
}

// territoryOf is the Territory of an entity that has one of its own.
func territoryOf(e Entity) Territory { return entities[e].Territory }

// restrictTo keeps the rows (alias a) of an entity with a territory of its own that the
// scope reads.
func (s Scope) restrictTo(q *gorm.DB, e Entity, a string) *gorm.DB {
	return s.within(q, a, territoryOf(e), reachRead)
}

// Access is what a role may do with the records of an entity that it reads.
type Access int

// The accesses, from the least.
const (
	Reads        Access = iota // reads the records of its scope
	WritesShared               // also writes those without territory (the académie's)
	WritesOwn                  // also writes those of its own territory (not the shared ones)
	WritesAll                  // also writes every record it reads
)

// policy says, per entity (with a parent: the parent's) and role, who writes; a role not
// listed reads. It is the one table of write rules: the Store checks it on every write and
// the pages ask it (CanCreate, Store.CanWrite) whether to offer a form. Some entities refine
// it in their own file (the kinds of organisations a role writes, a référent's EPCI, the
// actual amounts of a plan).
var policy = map[Entity]map[Role]Access{
	EntityOrganisation: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleAMIF: WritesAll, RoleIA: WritesOwn, RoleReferent: WritesOwn},
	EntityInstance:     {RoleAdmin: WritesShared, RolePilote: WritesShared, RoleAMIF: WritesShared, RoleIA: WritesOwn},
	EntityAdoption:     {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleAMIF: WritesAll, RoleIA: WritesOwn, RoleReferent: WritesOwn},
	EntityConvention:   {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityFinancement:  {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityVague:        {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityReference:    {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityCampagne:     {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	// The IEN writes the phase and dates of the écoles of their circonscription, not their
	// wave nor solution (DeploiementEdit.check).
	EntityDeploiement: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn, RoleIEN: WritesOwn},
	EntityJalon:       {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	// A référent proposes a candidature for their commune; scoring and deciding are the
	// IA-DASEN's and the pilote's (models/candidature.go).
	EntityCandidature: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn, RoleReferent: WritesOwn},
	// IEN schedule the sessions of their circonscription and take their registrations and
	// attendance; a référent registers the municipal agents and elected members of their
	// commune to the sessions open to them (models/formation_inscription.go).
	EntityPlanFormation: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityFormation:     {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn, RoleIEN: WritesOwn},
	// A référent records only their commune's adhesion to a market (models/marche_adhesion.go).
	EntityMarche: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	EntityCahier: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
	// The usage figures are written only by the import of the platform's file: the admin
	// and the pilote everywhere, an IA-DASEN for their département (models/usage_import.go).
	EntityUsage: {RoleAdmin: WritesAll, RolePilote: WritesAll, RoleIA: WritesOwn},
}

// root is the entity whose territory and write rule an entity follows: itself, or its
// parent's root.
func root(e Entity) Entity {
	for entities[e].Parent != "" {
		e = entities[e].Parent
	}
	return e
}

// accessOf is what the actor may do with the records of e.
func accessOf(actor Actor, e Entity) Access {
	if !actor.Scope.valid() {
		return Reads
	}
	return policy[root(e)][actor.Role]
}

// CanCreate reports whether the actor's role writes some records of e: the pages offer the
// "new" form only then; the Store checks each record on write.
func CanCreate(actor Actor, e Entity) bool { return accessOf(actor, e) > Reads }

// writableIn keeps the rows (alias a, of root(e)'s table) that the actor writes.
func writableIn(q *gorm.DB, actor Actor, e Entity, a string) *gorm.DB {
	t := territoryOf(root(e))
	switch accessOf(actor, e) {
	case WritesAll:
		return actor.Scope.within(q, a, t, reachRead)
	case WritesOwn:
		return actor.Scope.within(q, a, t, reachOwn)
	case WritesShared:
		return actor.Scope.within(q, a, t, reachShared)
	}
	return q.Where("1 = 0")
}

// writes reports whether the actor writes the live or archived record id of the root
// entity e (for a child, pass the parent's id and its root entity).
func writes(tx *gorm.DB, actor Actor, e Entity, id int64) (bool, error) {
	e = root(e)
	var n int64
	err := writableIn(tx.Table(entities[e].Table+" AS w"), actor, e, "w").Where("w.id = ?", id).Count(&n).Error
	return n > 0, err
}

// mayWrite is writes as an error: ErrForbidden when the actor does not write the record.
func mayWrite(tx *gorm.DB, actor Actor, e Entity, id int64) error {
	ok, err := writes(tx, actor, e, id)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	return nil
}

// CanWrite reports whether the actor writes the record id of e (for a child entity, the
// id of its root record: a meeting's body). The pages ask it whether to offer their forms.
func (s *Store) CanWrite(ctx context.Context, actor Actor, e Entity, id int64) (bool, error) {
	return writes(s.db.WithContext(ctx), actor, e, id)
}

// writesPlace reports whether the actor writes a record of e that would have the values of
// place (by column name: its territory columns, and those refine reads), a record being
// created or a record as a change would make it. The same SQL condition as for stored
// records (writableIn, then refine when not nil) is evaluated on a one-row table of these
// values, so there is one rule for both. A record linked to communes (Territory.Link) is
// judged on its other columns: the id 0 links none.
func writesPlace(tx *gorm.DB, actor Actor, e Entity, place map[string]*string, refine func(q *gorm.DB, a string) *gorm.DB) (bool, error) {
	names := slices.Sorted(maps.Keys(place))
	cols := []string{"0 AS id"}
	args := make([]any, 0, len(names))
	for _, c := range names {
		cols = append(cols, "CAST(? AS VARCHAR(40)) AS "+c)
		args = append(args, place[c])
	}
	q := writableIn(tx.Table("(SELECT "+strings.Join(cols, ", ")+") AS w", args...), actor, e, "w")
	if refine != nil {
		q = refine(q, "w")
	}
	var n int64
	err := q.Count(&n).Error
	return n > 0, err
}

// writesDepartemental reports whether the actor writes a record of e placed by its
// département column alone (dep nil: a record of the whole académie). It is the policy of
// the bodies and what belongs to them, of conventions and plans, evaluated without the
// database for the pages' buttons; the Store checks the same rule in SQL on every write.
func writesDepartemental(actor Actor, e Entity, dep *string) bool {
	switch accessOf(actor, e) {
	case WritesAll:
		return dep == nil || actor.Scope.CoversAcademie() || actor.Scope.CoversDepartement(*dep)
	case WritesOwn:
		return dep != nil && actor.Scope.CoversDepartement(*dep)
	case WritesShared:
		return dep == nil
	}
	return false
}

// CanWriteAcademieRecords reports whether the actor writes the records of e that belong to
// the whole académie (no département): the forms offer "Académie" only then.
func CanWriteAcademieRecords(actor Actor, e Entity) bool { return writesDepartemental(actor, e, nil) }

// Administers reports whether the actor administers the product (accounts, archives,
// reviews, model texts): the administrator.
func Administers(actor Actor) bool { return actor.Role.Administers() && actor.Scope.valid() }
