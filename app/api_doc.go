package app

import (
	"net/http"
	"reflect"
)

// The description of the JSON API (issue 17, « The API, described »): one line per /api/v1
// route, naming the Go types the handler binds (its query) and answers (its items). The
// OpenAPI document (openapi.go) is built from these types by reflection, so that a field or a
// filter added to a handler appears in the description; TestOpenAPI checks the table against
// the router and the documented fields against real answers.

// apiDoc describes one route of the API.
type apiDoc struct {
	path, summary, description string
	item                       any // a value of the items' type
	query                      any // a value of the query's type (query:"…" tags), nil: none
	params                     []apiParam
	envelope                   any // the answer's type when it is not the list envelope
}

// apiParam is a query parameter the handler reads by hand (not through a query struct).
type apiParam struct{ name, description string }

// apiDocRoutes are the description and its page.
func (s *Server) apiDocRoutes() []route {
	return []route{
		// The description is not data: anyone reads it, without a token.
		{http.MethodGet, "/api/v1/openapi.json", public, s.openAPI},
		{http.MethodGet, "/api", signedIn, s.showAPIDoc},
	}
}

// apiDocs is the table of the API's routes, in the order of the description.
func apiDocs() []apiDoc {
	paging := Paging{}
	return []apiDoc{
		{path: "/api/v1/departements", summary: "Départements", item: departementJSON{}, query: paging},
		{path: "/api/v1/communes", summary: "Communes", item: communeJSON{}, query: communeQuery{}},
		{path: "/api/v1/ecoles", summary: "Écoles", item: ecoleJSON{}, query: ecoleQuery{}},
		{path: "/api/v1/epci", summary: "EPCI et EPT", item: epciJSON{}, query: epciQuery{}},
		{path: "/api/v1/organisations", summary: "Organisations", item: organisationJSON{}, query: organisationQuery{}},
		{path: "/api/v1/contacts", summary: "Contacts des organisations",
			description: "Le rôle « lecteur » ne reçoit ni adresse électronique, ni téléphone, ni notes (champs vides).",
			item:        contactJSON{}, query: contactQuery{}},
		{path: "/api/v1/instances", summary: "Instances de pilotage et leurs membres", item: instanceJSON{}, query: instanceQuery{}},
		{path: "/api/v1/reunions", summary: "Réunions, ordre du jour et invités", item: reunionJSON{}, query: reunionQuery{}},
		{path: "/api/v1/decisions", summary: "Décisions", item: decisionJSON{}, query: decisionQuery{}},
		{path: "/api/v1/actions", summary: "Actions", item: actionJSON{}, query: actionQuery{}},
		{path: "/api/v1/chartes", summary: "Versions de la charte", description: "Toutes les versions, sur une seule page.", item: charteJSON{}},
		{path: "/api/v1/adoptions", summary: "Adoptions de la charte", item: adoptionJSON{}, query: adoptionQuery{}},
		{path: "/api/v1/conventions", summary: "Conventions, parties, communes, avenants et annexe", item: conventionJSON{}, query: conventionQuery{}},
		{path: "/api/v1/financements", summary: "Plans de financement et leurs lignes", item: financementJSON{}, query: financementQuery{}},
		{path: "/api/v1/vagues", summary: "Vagues du plan", item: vagueJSON{}, query: vagueQuery{}},
		{path: "/api/v1/deploiements", summary: "Déploiement par école", item: deploiementJSON{}, query: deploiementQuery{}},
		{path: "/api/v1/jalons", summary: "Jalons du plan", item: jalonJSON{}, query: jalonQuery{}},
		{path: "/api/v1/references", summary: "Références gelées du plan", item: referenceJSON{}, query: paging},
		{path: "/api/v1/campagnes", summary: "Campagnes de candidature et leurs critères", item: campagneJSON{}, query: paging},
		{path: "/api/v1/candidatures", summary: "Candidatures", item: candidatureJSON{}, query: candidatureQuery{}},
		{path: "/api/v1/formations", summary: "Sessions de formation", item: formationJSON{}, query: formationQuery{}},
		{path: "/api/v1/plans-formation", summary: "Plans de formation", description: "Tous les plans, sur une seule page.",
			item: planJSON{}, params: []apiParam{{"annee", "Année scolaire, par exemple 2026-2027"}}},
		{path: "/api/v1/inscriptions", summary: "Inscriptions aux sessions",
			description: "Sans le paramètre formation, les inscriptions de toutes les sessions, sans les champs personnels ; " +
				"avec formation=ID, la liste de la session sur une seule page, avec les noms pour les rôles qui les voient (consultation journalisée).",
			item: inscriptionJSON{}, query: inscriptionQuery{}},
		{path: "/api/v1/marches", summary: "Marchés (appels d'offres)", item: marcheJSON{}, query: marcheQuery{}},
		{path: "/api/v1/cahiers-des-charges", summary: "Cahiers des charges des marchés", item: cahierJSON{}, query: cahierQuery{}},
		{path: "/api/v1/solutions", summary: "Solutions ENT", item: solutionJSON{}, query: solutionQuery{}},
		{path: "/api/v1/usages", summary: "Usages de l'ENT par territoire",
			description: "Les chiffres mensuels conservés, au niveau demandé (académie, département, circonscription, EPCI, commune ou école), " +
				"pour un mois (le dernier connu par défaut) ; non paginé.",
			item: usageJSON{}, query: usageQuery{}, envelope: usageListJSON{}},
	}
}

// apiItemType is the type of the items of a route's answer.
func (d apiDoc) itemType() reflect.Type { return reflect.TypeOf(d.item) }
