package app_test

// The scope matrix: for every scoped entity of the registry (models.ScopedEntities) and
// every role, a record lying in Bobigny (93) and one lying in Melun (77) are listed,
// counted, exported and served by the API exactly to the roles whose scope reaches them;
// outside, the record's page is a 404. An entity added to the registry without a case here
// fails the test.

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ac-creteil/pilotage/app"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds/dbtest"
)

// scopeRecord is a record of the matrix: a marker its pages show, and its page.
type scopeRecord struct {
	marker string
	page   string
}

// scopeCase is how the matrix reaches an entity: its list, exports and API, and the two
// records it creates, one in the 93 (Bobigny) and one in the 77 (Melun).
type scopeCase struct {
	list    string
	exports []string
	api     string
	// pageOK is what the record's page answers when the record is in the scope (200, or
	// 403 for a form the role may not use).
	pageOK []int
	build  func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord
}

// scopeMatrixWorld holds the parents the cases share: an organisation and a contact, a
// steering body and a meeting per département, the conventions above the locales, and a
// version of the charter.
type scopeMatrixWorld struct {
	*world
	orgs, contacts, instances, reunions, depConventions map[string]int64
	charte                                              int64
}

// scopeCommune is the commune where the records of a département lie.
var scopeCommune = map[string]string{"93": "93008", "77": "77288"}

var scopeCases = map[models.Entity]scopeCase{
	models.EntityOrganisation: {list: "/organisations", exports: []string{"/organisations.csv"}, api: "/api/v1/organisations",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			id := m.orgs[dep]
			return scopeRecord{marker: "Mairie Mq" + dep, page: "/organisations/" + idStr(id)}
		}},
	models.EntityContact: {list: "/contacts", exports: []string{"/contacts.csv"}, api: "/api/v1/contacts",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			return scopeRecord{marker: "Contactmq" + dep, page: "/contacts/" + idStr(m.contacts[dep])}
		}},
	models.EntityInstance: {list: "/instances", exports: []string{"/instances.csv"}, api: "/api/v1/instances",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			return scopeRecord{marker: "Instance Mq" + dep, page: "/instances/" + idStr(m.instances[dep])}
		}},
	models.EntityReunion: {list: "/reunions", exports: []string{"/reunions.csv"}, api: "/api/v1/reunions",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			return scopeRecord{marker: "Réunion Mq" + dep, page: "/reunions/" + idStr(m.reunions[dep])}
		}},
	models.EntityDecision: {list: "/decisions", exports: []string{"/decisions.csv"}, api: "/api/v1/decisions",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			d := must(m.s.CreateDecision(t.Context(), m.actors["ia"+dep], models.DecisionInput{ReunionID: m.reunions[dep],
				Texte: "Décision Mq" + dep, Kind: "orientation", Departements: []string{dep}}))
			return scopeRecord{marker: "Décision Mq" + dep, page: "/decisions/" + idStr(d.ID)}
		}},
	models.EntityAction: {list: "/actions", api: "/api/v1/actions",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			a := must(m.s.CreateAction(t.Context(), m.actors["ia"+dep], models.ActionInput{ReunionID: m.reunions[dep], Titre: "Action Mq" + dep}))
			return scopeRecord{marker: "Action Mq" + dep, page: "/actions/" + idStr(a.ID)}
		}},
	models.EntityAdoption: {list: "/adoptions", exports: []string{"/adoptions.csv"}, api: "/api/v1/adoptions",
		pageOK: []int{http.StatusOK, http.StatusForbidden},
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			a := must(m.s.CreateAdoption(t.Context(), m.sys, models.AdoptionInput{CharteVersionID: m.charte,
				Commune: scopeCommune[dep], Ref: "DELIB-MQ" + dep, Date: "2013-03-01"}))
			return scopeRecord{marker: "DELIB-MQ" + dep, page: "/adoptions/" + idStr(a.ID) + "/modifier"}
		}},
	models.EntityConvention: {list: "/conventions", exports: []string{"/conventions.csv"}, api: "/api/v1/conventions",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			c := must(m.s.CreateConvention(t.Context(), m.sys, models.ConventionInput{Kind: models.ConventionLocale,
				Reference: "CRE-" + dep + "-2013-MQ", Titre: "Convention Mq" + dep, ParentID: m.depConventions[dep],
				Departement: dep, Communes: scopeCommune[dep], DateExpiration: "2031-08-31"}))
			return scopeRecord{marker: "Convention Mq" + dep, page: "/conventions/" + idStr(c.ID)}
		}},
	models.EntityFinancement: {list: "/financements", exports: []string{"/financements.csv"}, api: "/api/v1/financements",
		build: func(t *testing.T, m *scopeMatrixWorld, dep string) scopeRecord {
			f := must(m.s.CreateFinancement(t.Context(), m.sys, models.FinancementInput{Titre: "Plan Mq" + dep,
				Portage: "commune", Departement: dep, Commune: scopeCommune[dep], Cle: "eleves"}))
			return scopeRecord{marker: "Plan Mq" + dep, page: "/financements/" + idStr(f.ID)}
		}},
}

// scopeReaches says which roles' scopes reach the record of each département.
var scopeReaches = map[string][]string{
	"93": {"admin", "pilote", "ia93", "amif", "referent93", "lecteur"},
	"77": {"admin", "pilote", "ia77", "amif", "lecteur"},
}

func newScopeMatrixWorld(t *testing.T, s *models.Store) *scopeMatrixWorld {
	t.Helper()
	ctx := t.Context()
	m := &scopeMatrixWorld{world: newWorld(t, s, app.Config{}), orgs: map[string]int64{}, contacts: map[string]int64{},
		instances: map[string]int64{}, reunions: map[string]int64{}, depConventions: map[string]int64{}}
	m.charte = must(s.CreateCharte(ctx, m.sys, models.CharteInput{Numero: "1", Date: "2012-06-01", Statut: "adoptee",
		Sections: map[string]string{"objet": "Objet de la charte."}})).ID
	cadre := must(s.CreateConvention(ctx, m.sys, models.ConventionInput{Kind: models.ConventionCadre,
		Reference: "CRE-AC-2011-001", Titre: "Cadre", DateExpiration: "2031-08-31"}))
	for _, dep := range []string{"93", "77"} {
		m.orgs[dep] = must(s.CreateOrganisation(ctx, m.sys, models.OrganisationInput{Kind: models.OrgCommune,
			Nom: "Mairie Mq" + dep, Commune: scopeCommune[dep]})).ID
		m.contacts[dep] = must(s.CreateContact(ctx, m.sys, models.ContactInput{OrganisationID: m.orgs[dep],
			Nom: "Contactmq" + dep, Prenom: "Claire"})).ID
		ia := m.actors["ia"+dep] // the académie's roles write the académie's bodies only
		m.instances[dep] = must(s.CreateInstance(ctx, ia, models.InstanceInput{Nom: "Instance Mq" + dep,
			Kind: models.InstanceCopilotage, Departement: dep})).ID
		m.reunions[dep] = must(s.CreateReunion(ctx, ia, models.ReunionInput{InstanceID: m.instances[dep],
			Titre: "Réunion Mq" + dep, Date: "2013-02-12", HeureDebut: "10:00", HeureFin: "12:00", Lieu: "Salle"})).ID
		m.depConventions[dep] = must(s.CreateConvention(ctx, m.sys, models.ConventionInput{Kind: models.ConventionDepartementale,
			Reference: "CRE-" + dep + "-2012-001", Titre: "Départementale " + dep, ParentID: cadre.ID, Departement: dep,
			DateExpiration: "2031-08-31"})).ID
	}
	return m
}

// TestScopeMatrix: every scoped entity × every role, on both engines.
func TestScopeMatrix(t *testing.T) {
	for _, e := range models.ScopedEntities() {
		if _, ok := scopeCases[e]; !ok {
			t.Errorf("l'entité %q du registre n'a pas de cas dans la matrice des périmètres (app/scope_matrix_test.go)", e)
		}
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		m := newScopeMatrixWorld(t, s)
		for _, e := range models.ScopedEntities() {
			c, ok := scopeCases[e]
			if !ok {
				continue
			}
			records := map[string]scopeRecord{}
			for _, dep := range []string{"93", "77"} {
				records[dep] = c.build(t, m, dep)
			}
			for _, r := range worldRoles {
				checkScopeCell(t, m, string(e), c, r.name, records)
			}
		}
	})
}

// checkScopeCell checks one entity for one role: list, total, exports, API, record pages.
func checkScopeCell(t *testing.T, m *scopeMatrixWorld, entity string, c scopeCase, role string, records map[string]scopeRecord) {
	t.Helper()
	cl := m.clients[role]
	list := cl.get(c.list)
	api := cl.get(c.api)
	var payload struct {
		Total int64             `json:"total"`
		Items []json.RawMessage `json:"items"`
	}
	if list.Code != http.StatusOK || api.Code != http.StatusOK || json.Unmarshal(api.Body.Bytes(), &payload) != nil {
		t.Errorf("%s, %s : liste %d, API %d", entity, role, list.Code, api.Code)
		return
	}
	// Counted: the list's total is the API's, and the API lists that many.
	// The total the list shows: the first number in bold of its status line ("12 résultats",
	// "2 instances"); none when the list is empty.
	total := int64(0)
	if n := strings.TrimSpace(doc(t, list).Find(`[role="status"] strong`).First().Text()); n != "" {
		total, _ = strconv.ParseInt(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, n), 10, 64)
	}
	if total != payload.Total || int64(len(payload.Items)) != payload.Total {
		t.Errorf("%s, %s : %d à la liste, %d à l'API (%d éléments)", entity, role, total, payload.Total, len(payload.Items))
	}
	exported := make([]string, len(c.exports))
	for i, u := range c.exports {
		rec := cl.get(u)
		if rec.Code != http.StatusOK {
			t.Errorf("%s, %s : %s répond %d", entity, role, u, rec.Code)
		}
		exported[i] = rec.Body.String()
	}
	for dep, r := range records {
		want := slices.Contains(scopeReaches[dep], role)
		where := map[string]string{"la liste": list.Body.String(), "l'API": api.Body.String()}
		for i, u := range c.exports {
			where[u] = exported[i]
		}
		for what, body := range where {
			if got := strings.Contains(body, r.marker) || strings.Contains(body, jsonEscaped(r.marker)); got != want {
				t.Errorf("%s, %s : %q %s dans %s, attendu %v", entity, role, r.marker, presence(got), what, want)
			}
		}
		page := cl.get(r.page)
		switch {
		case want && !slices.Contains(append([]int{http.StatusOK}, c.pageOK...), page.Code):
			t.Errorf("%s, %s : %s (%s) répond %d", entity, role, r.page, dep, page.Code)
		case !want && page.Code != http.StatusNotFound:
			t.Errorf("%s, %s : %s (%s, hors périmètre) répond %d, attendu 404", entity, role, r.page, dep, page.Code)
		}
	}
}

func presence(got bool) string {
	if got {
		return "présent"
	}
	return "absent"
}

// jsonEscaped is s as encoding/json writes it (accents as they are, < > & escaped).
func jsonEscaped(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// TestHistoryChecksScope: the history of a record is read through the data layer's scope
// check, whatever the caller: the record of another département is not found, the accounts'
// history is the administrator's.
func TestHistoryChecksScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		m := newScopeMatrixWorld(t, s)
		ctx := t.Context()
		for entity, id := range map[string]int64{"organisation": m.orgs["77"], "contact": m.contacts["77"],
			"instance": m.instances["77"], "reunion": m.reunions["77"]} {
			if _, err := s.History(ctx, m.actors["ia93"], entity, idStr(id)); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("historique %s du 77 pour l'IA 93 : %v, attendu introuvable", entity, err)
			}
			if _, err := s.History(ctx, m.actors["ia77"], entity, idStr(id)); err != nil {
				t.Errorf("historique %s du 77 pour l'IA 77 : %v", entity, err)
			}
		}
		if _, err := s.History(ctx, m.actors["pilote"], "utilisateur", idStr(m.actors["admin"].UserID)); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("historique d'un compte pour un pilote : %v", err)
		}
	})
}
