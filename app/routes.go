package app

import (
	"net/http"
	"regexp"
	"slices"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// access says who may call a route.
type access int

const (
	probe    access = iota // anyone, without session or database work (health probes)
	public                 // anyone, signed in or not
	signedIn               // every signed-in role
	admin                  // administrators only
	api                    // every signed-in role, by session or API token; 401 otherwise
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  access
	handler echo.HandlerFunc
}

// table is the one route table of the product: every route and who may call it. The
// authorization test walks the router and fails on any route missing here. The training's
// routes are listed in their own files (app/formations_routes.go and the two next to it).
func (s *Server) table() []route {
	return slices.Concat(s.coreRoutes(), s.formationRoutes(), s.inscriptionRoutes(), s.evaluationRoutes(),
		s.usageRoutes(), s.usageImportRoutes(), s.marcheRoutes(), s.oidcRoutes(),
		s.restitutionRoutes(), s.apiDocRoutes())
}

// coreRoutes are the routes of the territory, the governance, the conventions and the rollout.
func (s *Server) coreRoutes() []route {
	return []route{
		{http.MethodGet, "/healthz", probe, s.healthz},
		{http.MethodGet, "/readyz", probe, s.readyz},
		{http.MethodGet, "/connexion", public, s.showLogin},
		{http.MethodPost, "/connexion", public, s.login},
		{http.MethodPost, "/deconnexion", public, s.logout},
		{http.MethodGet, "/installation/:token", public, s.showInstall},
		{http.MethodPost, "/installation/:token", public, s.install},
		{http.MethodGet, "/mot-de-passe/:token", public, s.showPasswordLink},
		{http.MethodPost, "/mot-de-passe/:token", public, s.usePasswordLink},
		// The pages a State service must publish (legal): readable without signing in.
		{http.MethodGet, "/accessibilite", public, s.showAccessibility},
		{http.MethodGet, "/mentions-legales", public, s.showLegalNotice},
		{http.MethodGet, "/donnees-personnelles", public, s.showPersonalData},

		// Reference data (territory): every signed-in user.
		{http.MethodGet, "/", signedIn, s.home},
		{http.MethodGet, "/sources", signedIn, s.sources},
		{http.MethodGet, "/departements", signedIn, s.listDepartements},
		{http.MethodGet, "/departements.xlsx", signedIn, s.exportDepartements},
		{http.MethodGet, "/departements.csv", signedIn, csvTwin(s.exportDepartements)},
		{http.MethodGet, "/departements/:code", signedIn, s.showDepartement},
		{http.MethodGet, "/communes", signedIn, s.listCommunes},
		{http.MethodGet, "/communes.xlsx", signedIn, s.exportCommunes},
		{http.MethodGet, "/communes.csv", signedIn, csvTwin(s.exportCommunes)},
		{http.MethodGet, "/communes/:code", signedIn, s.showCommune},
		{http.MethodGet, "/tableau-de-bord", signedIn, s.showDashboard},
		{http.MethodGet, "/tableau-de-bord/:dep", signedIn, s.showDepartementDashboard},
		{http.MethodGet, "/tableau-de-bord.xlsx", signedIn, s.exportDashboard},
		{http.MethodGet, "/tableau-de-bord/:dep/classeur.xlsx", signedIn, s.exportDashboard},
		{http.MethodGet, "/communes/:code/fiche", signedIn, s.showFicheCommune},
		{http.MethodGet, "/communes/:code/fiche.xlsx", signedIn, s.exportFicheCommune},
		{http.MethodGet, "/communes/fiches", signedIn, s.showFichesForm},
		{http.MethodGet, "/communes/fiches.xlsx", signedIn, s.exportFiches},
		{http.MethodGet, "/communes/fiches.zip", signedIn, s.exportFichesZIP},
		{http.MethodGet, "/ecoles", signedIn, s.listEcoles},
		{http.MethodGet, "/ecoles.xlsx", signedIn, s.exportEcoles},
		{http.MethodGet, "/ecoles.csv", signedIn, csvTwin(s.exportEcoles)},
		{http.MethodGet, "/ecoles/:uai", signedIn, s.showEcole},
		{http.MethodGet, "/epci", signedIn, s.listEPCI},
		{http.MethodGet, "/epci.xlsx", signedIn, s.exportEPCI},
		{http.MethodGet, "/epci.csv", signedIn, csvTwin(s.exportEPCI)},
		{http.MethodGet, "/epci/:siren", signedIn, s.showEPCI},
		// Suggestions of the fields that choose a place by name (app/places.go): the places
		// of the caller's scope, as an HTML fragment.
		{http.MethodGet, "/suggestions/communes", signedIn, s.suggestions(placeCommunes)},
		{http.MethodGet, "/suggestions/epci", signedIn, s.suggestions(placeEPCI)},
		{http.MethodGet, "/suggestions/ecoles", signedIn, s.suggestions(placeEcoles)},

		// Programme: organisations (organisations).
		// Every signed-in role reads within its scope; the data layer decides who writes
		// (403) and answers 404 outside the scope. Archives: administrator and pilotes.
		{http.MethodGet, "/organisations", signedIn, s.listOrganisations},
		{http.MethodGet, "/organisations.xlsx", signedIn, s.exportOrganisations},
		{http.MethodGet, "/organisations.csv", signedIn, csvTwin(s.exportOrganisations)},
		{http.MethodGet, "/organisations/nouveau", signedIn, s.newOrganisation},
		{http.MethodPost, "/organisations", signedIn, s.createOrganisation},
		{http.MethodGet, "/organisations/archives", signedIn, s.listArchivedOrganisations},
		{http.MethodGet, "/organisations/:id", signedIn, s.showOrganisation},
		{http.MethodGet, "/organisations/:id/modifier", signedIn, s.editOrganisation},
		{http.MethodPost, "/organisations/:id", signedIn, s.updateOrganisation},
		{http.MethodPost, "/organisations/:id/archiver", signedIn, s.archiveOrganisation},
		{http.MethodPost, "/organisations/:id/restaurer", signedIn, s.restoreOrganisation},
		{http.MethodGet, "/api/v1/organisations", api, s.apiOrganisations},

		// Programme: contacts (contacts).
		{http.MethodGet, "/contacts", signedIn, s.listContacts},
		{http.MethodGet, "/contacts.xlsx", signedIn, s.exportContacts},
		{http.MethodGet, "/contacts.csv", signedIn, csvTwin(s.exportContacts)},
		{http.MethodGet, "/contacts/nouveau", signedIn, s.newContact},
		{http.MethodPost, "/contacts", signedIn, s.createContact},
		{http.MethodGet, "/contacts/a-revoir", admin, s.listStaleContacts},
		{http.MethodGet, "/contacts/:id", signedIn, s.showContact},
		{http.MethodGet, "/contacts/:id/modifier", signedIn, s.editContact},
		{http.MethodPost, "/contacts/:id", signedIn, s.updateContact},
		{http.MethodPost, "/contacts/:id/archiver", signedIn, s.archiveContact},
		{http.MethodPost, "/contacts/:id/restaurer", admin, s.restoreContact},
		{http.MethodGet, "/contacts/:id/rgpd.json", admin, s.exportPerson},
		{http.MethodPost, "/contacts/:id/effacer", admin, s.erasePerson},
		{http.MethodGet, "/api/v1/contacts", api, s.apiContacts},

		// Governance: steering bodies and meetings (instances).
		// Every signed-in role reads within its scope (académie bodies, and those of its
		// départements); the data layer decides who writes. The calendar feed is public:
		// its secret token is the credential (404 when wrong). A meeting's iCalendar file is
		// /reunions/<id>.ics (downloadURLs).
		{http.MethodGet, "/instances", signedIn, s.listInstances},
		{http.MethodGet, "/instances/nouveau", signedIn, s.newInstance},
		{http.MethodPost, "/instances", signedIn, s.createInstance},
		{http.MethodGet, "/instances/:id", signedIn, s.showInstance},
		{http.MethodGet, "/instances/:id/modifier", signedIn, s.editInstance},
		{http.MethodPost, "/instances/:id", signedIn, s.updateInstance},
		{http.MethodPost, "/instances/:id/archiver", signedIn, s.archiveInstance},
		{http.MethodPost, "/instances/:id/restaurer", signedIn, s.restoreInstance},
		{http.MethodPost, "/instances/:id/membres", signedIn, s.addMember},
		{http.MethodPost, "/instances/:id/membres/:mid/retirer", signedIn, s.removeMember},
		{http.MethodPost, "/instances/:id/calendrier/renouveler", signedIn, s.renewInstanceCalendar},
		{http.MethodGet, "/instances/:id/calendrier.ics", public, s.instanceCalendar},
		{http.MethodGet, "/reunions", signedIn, s.listReunions},
		{http.MethodGet, "/reunions/nouveau", signedIn, s.newReunion},
		{http.MethodPost, "/reunions", signedIn, s.createReunion},
		{http.MethodGet, "/reunions/:id", signedIn, s.showReunion},
		{http.MethodGet, "/reunions/:id/agenda.ics", signedIn, s.reunionICS},
		{http.MethodGet, "/reunions/:id/modifier", signedIn, s.editReunion},
		{http.MethodPost, "/reunions/:id", signedIn, s.updateReunion},
		{http.MethodPost, "/reunions/:id/archiver", signedIn, s.archiveReunion},
		{http.MethodPost, "/reunions/:id/restaurer", signedIn, s.restoreReunion},
		{http.MethodPost, "/reunions/:id/points", signedIn, s.addReunionPoint},
		{http.MethodPost, "/reunions/:id/points/:pid/:action", signedIn, s.changeReunionPoint},
		{http.MethodPost, "/reunions/:id/invites/:cid", signedIn, s.setReunionPresence},
		{http.MethodGet, "/instances.xlsx", signedIn, s.exportInstances},
		{http.MethodGet, "/instances.csv", signedIn, csvTwin(s.exportInstances)},
		{http.MethodGet, "/instances/archives", signedIn, s.listArchivedInstances},
		{http.MethodGet, "/api/v1/instances", api, s.apiInstances},
		{http.MethodGet, "/reunions.xlsx", signedIn, s.exportReunions},
		{http.MethodGet, "/reunions.csv", signedIn, csvTwin(s.exportReunions)},
		{http.MethodGet, "/reunions/archives", signedIn, s.listArchivedReunions},
		{http.MethodGet, "/api/v1/reunions", api, s.apiReunions},

		// Governance: decisions and actions (decisions).
		// Every signed-in role reads within its scope (through the meeting's body); the data
		// layer decides who writes (whoever writes the body). /instances/:id/preparer is the
		// body's "Préparer la prochaine réunion" page.
		{http.MethodGet, "/decisions", signedIn, s.listDecisions},
		{http.MethodGet, "/decisions.xlsx", signedIn, s.exportDecisions},
		{http.MethodGet, "/decisions.csv", signedIn, csvTwin(s.exportDecisions)},
		{http.MethodGet, "/decisions/nouveau", signedIn, s.newDecision},
		{http.MethodPost, "/decisions", signedIn, s.createDecision},
		{http.MethodGet, "/decisions/:id", signedIn, s.showDecision},
		{http.MethodGet, "/decisions/:id/modifier", signedIn, s.editDecision},
		{http.MethodPost, "/decisions/:id", signedIn, s.updateDecision},
		{http.MethodPost, "/decisions/:id/archiver", signedIn, s.archiveDecision},
		{http.MethodPost, "/decisions/:id/restaurer", signedIn, s.restoreDecision},
		{http.MethodGet, "/actions", signedIn, s.listActions},
		{http.MethodGet, "/actions.xlsx", signedIn, s.exportActions},
		{http.MethodGet, "/actions.csv", signedIn, csvTwin(s.exportActions)},
		{http.MethodGet, "/actions/nouveau", signedIn, s.newAction},
		{http.MethodPost, "/actions", signedIn, s.createAction},
		{http.MethodGet, "/actions/:id", signedIn, s.showAction},
		{http.MethodGet, "/actions/:id/modifier", signedIn, s.editAction},
		{http.MethodPost, "/actions/:id", signedIn, s.updateAction},
		{http.MethodPost, "/actions/:id/statut", signedIn, s.setActionStatut},
		{http.MethodPost, "/actions/:id/archiver", signedIn, s.archiveAction},
		// Archived actions: whoever writes the body restores them. An action's owner may
		// also change its status (/actions/:id/statut) without writing the body.
		{http.MethodPost, "/actions/:id/restaurer", signedIn, s.restoreAction},
		{http.MethodGet, "/actions/archives", signedIn, s.listArchivedActions},
		{http.MethodGet, "/mes-actions", signedIn, s.myActions},
		{http.MethodGet, "/mes-actions.xlsx", signedIn, s.exportMyActions},
		{http.MethodGet, "/mes-actions.csv", signedIn, csvTwin(s.exportMyActions)},
		{http.MethodGet, "/instances/:id/preparer", signedIn, s.prepareMeeting},
		{http.MethodGet, "/instances/:id/preparer.xlsx", signedIn, s.exportPreparation},
		{http.MethodGet, "/api/v1/decisions", api, s.apiDecisions},
		{http.MethodGet, "/api/v1/actions", api, s.apiActions},

		// Governance: charter and adoptions (charte).
		{http.MethodGet, "/chartes", signedIn, s.listChartes},
		{http.MethodGet, "/chartes/nouveau", signedIn, s.newCharte},
		{http.MethodPost, "/chartes", signedIn, s.createCharte},
		{http.MethodGet, "/chartes/diff", signedIn, s.diffChartes},
		{http.MethodGet, "/chartes/couverture", signedIn, s.showCoverage},
		{http.MethodGet, "/chartes/couverture.xlsx", signedIn, s.exportCoverage},
		{http.MethodGet, "/chartes/couverture.csv", signedIn, csvTwin(s.exportCoverage)},
		{http.MethodGet, "/chartes/:id", signedIn, s.showCharte},
		{http.MethodGet, "/chartes/:id/modifier", signedIn, s.editCharte},
		{http.MethodPost, "/chartes/:id", signedIn, s.updateCharte},
		{http.MethodGet, "/adoptions", signedIn, s.listAdoptions},
		{http.MethodGet, "/adoptions.xlsx", signedIn, s.exportAdoptions},
		{http.MethodGet, "/adoptions.csv", signedIn, csvTwin(s.exportAdoptions)},
		{http.MethodGet, "/adoptions/nouveau", signedIn, s.newAdoption},
		{http.MethodPost, "/adoptions", signedIn, s.createAdoption},
		{http.MethodGet, "/adoptions/:id/modifier", signedIn, s.editAdoption},
		{http.MethodPost, "/adoptions/:id", signedIn, s.updateAdoption},
		{http.MethodPost, "/adoptions/:id/archiver", signedIn, s.archiveAdoption},
		{http.MethodGet, "/api/v1/chartes", api, s.apiChartes},
		{http.MethodGet, "/api/v1/adoptions", api, s.apiAdoptions},

		// Documents (documents): PDF attachments of meetings, adoptions and conventions. Whoever reads the
		// meeting or the adoption reads and downloads its documents (404 otherwise); whoever
		// writes it adds and removes them (403). Uploads (routes ending in /documents) accept
		// bodies up to 11 Mo instead of 1 Mo, from signed-in callers only, a few at a time
		// (readBody, app/bodies.go); beyond, 413.
		{http.MethodPost, "/reunions/:id/documents", signedIn, s.addReunionDocument},
		{http.MethodPost, "/adoptions/:id/documents", signedIn, s.addAdoptionDocument},
		{http.MethodPost, "/conventions/:id/documents", signedIn, s.addConventionDocument},
		{http.MethodGet, "/avenants/:id", signedIn, s.showAvenant},
		{http.MethodGet, "/documents/:id", signedIn, s.downloadDocument},
		{http.MethodPost, "/documents/:id/supprimer", signedIn, s.archiveDocument},

		// Conventions (conventions): the registry, its exports and API, the tree view, the
		// archives, the form, one convention's page and its forms (workflow, parties and
		// signatures, annex, avenants). Every signed-in role reads within its scope; the data
		// layer decides who writes (403) and answers 404 outside the scope. The specific
		// paths come before /conventions/:id.
		{http.MethodGet, "/conventions", signedIn, s.listConventions},
		{http.MethodGet, "/conventions.xlsx", signedIn, s.exportConventions},
		{http.MethodGet, "/conventions.csv", signedIn, csvTwin(s.exportConventions)},
		{http.MethodGet, "/conventions/arbre", signedIn, s.conventionTree},
		{http.MethodGet, "/conventions/archives", signedIn, s.listArchivedConventions},
		{http.MethodGet, "/conventions/nouveau", signedIn, s.newConvention},
		{http.MethodPost, "/conventions", signedIn, s.createConvention},
		{http.MethodGet, "/conventions/:id", signedIn, s.showConvention},
		{http.MethodGet, "/conventions/:id/modifier", signedIn, s.editConvention},
		{http.MethodPost, "/conventions/:id", signedIn, s.updateConvention},
		{http.MethodPost, "/conventions/:id/statut", signedIn, s.transitionConvention},
		{http.MethodGet, "/conventions/:id/statut/:vers", signedIn, s.confirmTransition},
		{http.MethodPost, "/conventions/:id/signatures", signedIn, s.saveConventionSignatures},
		{http.MethodPost, "/conventions/:id/parties", signedIn, s.addConventionParty},
		{http.MethodPost, "/conventions/:id/parties/:pid", signedIn, s.updateConventionParty},
		{http.MethodPost, "/conventions/:id/parties/:pid/retirer", signedIn, s.removeConventionParty},
		{http.MethodGet, "/conventions/:id/annexe", signedIn, s.showConventionAnnex},
		{http.MethodPost, "/conventions/:id/annexe", signedIn, s.saveConventionAnnex},
		{http.MethodPost, "/conventions/:id/avenants", signedIn, s.addAvenant},
		{http.MethodPost, "/conventions/:id/archiver", signedIn, s.archiveConvention},
		{http.MethodPost, "/conventions/:id/restaurer", signedIn, s.restoreConvention},
		{http.MethodGet, "/api/v1/conventions", api, s.apiConventions},

		// Conventions: alerts (conventions_alertes.go), model texts and drafts (modeles.go).
		// Every signed-in role sees the alerts of its scope; "Générer le projet" reads the
		// convention in the scope (404 otherwise) and offers every model; only the
		// administrator lists and keeps the models (403 for the others).
		{http.MethodGet, "/conventions/alertes", signedIn, s.showConventionAlertes},
		{http.MethodGet, "/conventions/:id/projet", signedIn, s.showProjet},
		{http.MethodGet, "/admin/modeles", admin, s.listModeles},
		{http.MethodGet, "/admin/modeles/nouveau", admin, s.newModele},
		{http.MethodPost, "/admin/modeles", admin, s.saveModele},
		{http.MethodGet, "/admin/modeles/:id/modifier", admin, s.editModele},
		{http.MethodPost, "/admin/modeles/:id", admin, s.saveModele},
		{http.MethodPost, "/admin/modeles/:id/archiver", admin, s.archiveModele},

		// Financing (financements): financing plans, their communes and lines (issue 5).
		// Every signed-in role reads within its scope (the plan's département and communes);
		// the data layer decides who writes (403) and answers 404 outside the scope: pilotes
		// everything, IA-DASEN their département's plans, a référent communal only the actual
		// amounts (/realises). The plan's workbook is /financements/<id>.xlsx (downloadURLs).
		{http.MethodGet, "/financements", signedIn, s.listFinancements},
		{http.MethodGet, "/financements.xlsx", signedIn, s.exportFinancements},
		{http.MethodGet, "/financements.csv", signedIn, csvTwin(s.exportFinancements)},
		{http.MethodGet, "/financements/nouveau", signedIn, s.newFinancement},
		{http.MethodGet, "/financements/archives", signedIn, s.listArchivedFinancements},
		{http.MethodPost, "/financements", signedIn, s.createFinancement},
		{http.MethodGet, "/financements/:id", signedIn, s.showFinancement},
		{http.MethodGet, "/financements/:id/classeur.xlsx", signedIn, s.financementWorkbook},
		{http.MethodGet, "/financements/:id/modifier", signedIn, s.editFinancement},
		{http.MethodPost, "/financements/:id", signedIn, s.updateFinancement},
		{http.MethodPost, "/financements/:id/archiver", signedIn, s.archiveFinancement},
		{http.MethodPost, "/financements/:id/restaurer", signedIn, s.restoreFinancement},
		{http.MethodPost, "/financements/:id/lignes", signedIn, s.addLigne},
		{http.MethodGet, "/financements/:id/lignes/:lid/modifier", signedIn, s.editLigne},
		{http.MethodPost, "/financements/:id/lignes/:lid", signedIn, s.updateLigne},
		{http.MethodPost, "/financements/:id/lignes/:lid/supprimer", signedIn, s.deleteLigne},
		{http.MethodGet, "/financements/:id/realises", signedIn, s.editRealises},
		{http.MethodPost, "/financements/:id/realises", signedIn, s.updateRealises},
		{http.MethodGet, "/api/v1/financements", api, s.apiFinancements},

		// One's own account.
		{http.MethodGet, "/mon-compte", signedIn, s.showAccount},
		{http.MethodPost, "/mon-compte/mot-de-passe", signedIn, s.changePassword},
		{http.MethodPost, "/mon-compte/jetons", signedIn, s.createToken},
		{http.MethodPost, "/mon-compte/jetons/:id/revoquer", signedIn, s.revokeToken},
		// "Mon agenda": the personal calendar feed, /agenda/<token>.ics (downloadURLs); it is
		// public, its secret token is the credential (404 when wrong, renewed, revoked,
		// or the account disabled or archived).
		{http.MethodPost, "/mon-compte/agenda", signedIn, s.createUserCalendar},
		{http.MethodPost, "/mon-compte/agenda/renouveler", signedIn, s.createUserCalendar},
		{http.MethodPost, "/mon-compte/agenda/revoquer", signedIn, s.revokeUserCalendar},
		{http.MethodGet, "/agenda/:token/flux.ics", public, s.userCalendar},

		// Administration: accounts, login history, archives (admin-accounts).
		{http.MethodGet, "/admin/utilisateurs", admin, s.listUsers},
		{http.MethodGet, "/admin/utilisateurs/nouveau", admin, s.newUser},
		{http.MethodGet, "/admin/utilisateurs/perimetre", admin, s.userScopeFields},
		{http.MethodPost, "/admin/utilisateurs", admin, s.createUser},
		{http.MethodGet, "/admin/utilisateurs/:id", admin, s.showUser},
		{http.MethodGet, "/admin/utilisateurs/:id/modifier", admin, s.editUser},
		{http.MethodPost, "/admin/utilisateurs/:id", admin, s.updateUser},
		{http.MethodPost, "/admin/utilisateurs/:id/desactiver", admin, s.disableUser},
		{http.MethodPost, "/admin/utilisateurs/:id/reactiver", admin, s.enableUser},
		{http.MethodPost, "/admin/utilisateurs/:id/lien", admin, s.createUserLink},
		{http.MethodPost, "/admin/utilisateurs/:id/archiver", admin, s.archiveUser},
		{http.MethodGet, "/admin/connexions", admin, s.listLogins},

		// Administration: circonscriptions and their écoles (admin_circonscriptions.go).
		{http.MethodGet, "/admin/circonscriptions", admin, s.listCirconscriptions},
		{http.MethodGet, "/admin/circonscriptions/nouveau", admin, s.newCirconscription},
		{http.MethodPost, "/admin/circonscriptions", admin, s.createCirconscription},
		{http.MethodGet, "/admin/circonscriptions/:code", admin, s.showCirconscription},
		{http.MethodPost, "/admin/circonscriptions/:code", admin, s.renameCirconscription},
		{http.MethodPost, "/admin/circonscriptions/:code/ecoles", admin, s.assignCirconscriptionEcoles},
		{http.MethodPost, "/admin/circonscriptions/:code/ecoles/retirer", admin, s.removeCirconscriptionEcoles},
		{http.MethodPost, "/admin/circonscriptions/:code/archiver", admin, s.archiveCirconscription},
		{http.MethodPost, "/admin/circonscriptions/:code/restaurer", admin, s.restoreCirconscription},

		{http.MethodGet, "/admin/archives", admin, s.listArchives},
		{http.MethodPost, "/admin/archives/utilisateurs/:id/restaurer", admin, s.restoreUser},

		// Administration: the SMTP server that sends the one-time links by mail (app/admin_mail.go).
		{http.MethodGet, "/admin/messagerie", admin, s.showMailSettings},
		{http.MethodPost, "/admin/messagerie", admin, s.saveMailSettings},
		{http.MethodPost, "/admin/messagerie/essai", admin, s.sendTestMail},
		{http.MethodPost, "/admin/messagerie/desactiver", admin, s.disableMail},

		// Administration: audit log (admin-audit).
		{http.MethodGet, "/admin/journal", admin, s.listJournal},
		{http.MethodGet, "/admin/journal.xlsx", admin, s.exportJournal},
		{http.MethodGet, "/admin/journal.csv", admin, csvTwin(s.exportJournal)},

		// The rollout: waves and ENT solutions (app/vagues.go, app/solutions.go). Every signed-in
		// role reads within its scope; the data layer decides who writes (403).
		{http.MethodGet, "/vagues", signedIn, s.listVagues},
		{http.MethodGet, "/vagues.xlsx", signedIn, s.exportVagues},
		{http.MethodGet, "/vagues.csv", signedIn, csvTwin(s.exportVagues)},
		{http.MethodGet, "/vagues/nouvelle", signedIn, s.newVague},
		{http.MethodPost, "/vagues", signedIn, s.createVague},
		{http.MethodGet, "/vagues/:id", signedIn, s.showVague},
		{http.MethodGet, "/vagues/:id/modifier", signedIn, s.editVague},
		{http.MethodPost, "/vagues/:id", signedIn, s.updateVague},
		{http.MethodPost, "/vagues/:id/archiver", signedIn, s.archiveVague},
		{http.MethodPost, "/vagues/:id/restaurer", signedIn, s.restoreVague},
		{http.MethodGet, "/api/v1/vagues", api, s.apiVagues},

		{http.MethodGet, "/solutions", signedIn, s.listSolutions},
		{http.MethodGet, "/solutions.xlsx", signedIn, s.exportSolutions},
		{http.MethodGet, "/solutions.csv", signedIn, csvTwin(s.exportSolutions)},
		{http.MethodGet, "/solutions/nouvelle", signedIn, s.newSolution},
		{http.MethodPost, "/solutions", signedIn, s.createSolution},
		{http.MethodGet, "/solutions/:id", signedIn, s.showSolution},
		{http.MethodGet, "/solutions/:id/modifier", signedIn, s.editSolution},
		{http.MethodPost, "/solutions/:id", signedIn, s.updateSolution},
		{http.MethodPost, "/solutions/:id/archiver", signedIn, s.archiveSolution},
		{http.MethodPost, "/solutions/:id/restaurer", signedIn, s.restoreSolution},

		// The rollout: every école's deployment, its bulk change, progress and fiche
		// (app/deploiements*.go).
		{http.MethodGet, "/deploiements", signedIn, s.listDeploiements},
		{http.MethodGet, "/deploiements.xlsx", signedIn, s.exportDeploiements},
		{http.MethodGet, "/deploiements.csv", signedIn, csvTwin(s.exportDeploiements)},
		{http.MethodPost, "/deploiements/modifier", signedIn, s.updateDeploiements},
		{http.MethodGet, "/deploiements/avancement", signedIn, s.showProgress},
		{http.MethodGet, "/deploiements/avancement.xlsx", signedIn, s.exportProgress},
		{http.MethodGet, "/deploiements/avancement.csv", signedIn, csvTwin(s.exportProgress)},
		{http.MethodGet, "/deploiements/:uai", signedIn, s.showDeploiement},
		{http.MethodPost, "/deploiements/:uai", signedIn, s.updateDeploiement},
		{http.MethodGet, "/api/v1/deploiements", api, s.apiDeploiements},

		// The rollout: import of deployment status files, uploads of up to 50 Mo (app/bodies.go);
		// those who write no deployment are refused (403).
		{http.MethodGet, importPath, signedIn, s.showDeploiementImport},
		{http.MethodPost, importPath, signedIn, s.previewDeploiementImport},
		{http.MethodPost, importPath + "/confirmer", signedIn, s.confirmDeploiementImport},
		{http.MethodGet, importPath + "/modele.xlsx", signedIn, s.deploiementImportTemplate},

		// The rollout: milestones, baselines of the plan and the timeline (app/jalons*.go,
		// app/references.go, app/chronologie*.go).
		{http.MethodGet, "/jalons", signedIn, s.listJalons},
		{http.MethodGet, "/jalons.xlsx", signedIn, s.exportJalons},
		{http.MethodGet, "/jalons.csv", signedIn, csvTwin(s.exportJalons)},
		{http.MethodGet, "/jalons/nouveau", signedIn, s.newJalon},
		{http.MethodPost, "/jalons", signedIn, s.createJalon},
		{http.MethodGet, "/jalons/:id", signedIn, s.showJalon},
		{http.MethodGet, "/jalons/:id/modifier", signedIn, s.editJalon},
		{http.MethodPost, "/jalons/:id", signedIn, s.updateJalon},
		{http.MethodPost, "/jalons/:id/archiver", signedIn, s.archiveJalon},
		{http.MethodPost, "/jalons/:id/restaurer", signedIn, s.restoreJalon},
		{http.MethodGet, "/api/v1/jalons", api, s.apiJalons},

		// Baselines of the plan: freezing is the pilotes' (académie) and the IA-DASEN's
		// (their département); comparisons read the écoles of the caller's scope.
		{http.MethodGet, "/references", signedIn, s.listReferences},
		{http.MethodPost, "/references", signedIn, s.freezeReference},
		{http.MethodGet, "/references/:id", signedIn, s.showReference},
		{http.MethodGet, "/api/v1/references", api, s.apiReferences},

		// The timeline of waves and milestones, and the cumulative openings (SVG and tables).
		{http.MethodGet, "/chronologie", signedIn, s.showChronologie},
		{http.MethodGet, "/chronologie/ouvertures", signedIn, s.showOuvertures},

		// The rollout: campaigns of candidatures and candidatures (app/campagnes*.go,
		// app/candidatures*.go).
		{http.MethodGet, "/campagnes", signedIn, s.listCampagnes},
		{http.MethodGet, "/campagnes/nouvelle", signedIn, s.newCampagne},
		{http.MethodPost, "/campagnes", signedIn, s.createCampagne},
		{http.MethodGet, "/campagnes/:id", signedIn, s.showCampagne},
		{http.MethodGet, "/campagnes/:id/modifier", signedIn, s.editCampagne},
		{http.MethodPost, "/campagnes/:id", signedIn, s.updateCampagne},
		{http.MethodGet, "/api/v1/campagnes", api, s.apiCampagnes},

		{http.MethodGet, "/candidatures", signedIn, s.listCandidatures},
		{http.MethodGet, "/candidatures.xlsx", signedIn, s.exportCandidatures},
		{http.MethodGet, "/candidatures.csv", signedIn, csvTwin(s.exportCandidatures)},
		{http.MethodGet, "/candidatures/nouvelle", signedIn, s.newCandidature},
		{http.MethodPost, "/candidatures", signedIn, s.createCandidature},
		{http.MethodGet, "/candidatures/:id", signedIn, s.showCandidature},
		{http.MethodGet, "/candidatures/:id/modifier", signedIn, s.editCandidature},
		{http.MethodPost, "/candidatures/:id", signedIn, s.updateCandidature},
		{http.MethodGet, "/candidatures/:id/notes", signedIn, s.editCandidatureNotes},
		{http.MethodPost, "/candidatures/:id/notes", signedIn, s.scoreCandidature},
		{http.MethodGet, "/candidatures/:id/decision", signedIn, s.editCandidatureDecision},
		{http.MethodPost, "/candidatures/:id/decision", signedIn, s.decideCandidature},
		{http.MethodPost, "/candidatures/:id/documents", signedIn, s.addCandidatureDocument},
		{http.MethodGet, "/api/v1/candidatures", api, s.apiCandidatures},

		// Read-only JSON API.
		{http.MethodGet, "/api/v1/departements", api, s.apiDepartements},
		{http.MethodGet, "/api/v1/communes", api, s.apiCommunes},
		{http.MethodGet, "/api/v1/ecoles", api, s.apiEcoles},
		{http.MethodGet, "/api/v1/epci", api, s.apiEPCI},
	}
}

// downloadURLs maps the addresses of downloads named after an id or a token
// (/reunions/12.ics, /financements/12.xlsx, /agenda/<jeton>.ics), which echo's router cannot
// tell from /reunions/:id, to routes of their own in the table, before routing.
func downloadURLs() map[*regexp.Regexp]string {
	return map[*regexp.Regexp]string{
		regexp.MustCompile(`^/reunions/([0-9]+)\.ics(\?.*)?$`):                   "/reunions/$1/agenda.ics$2",
		regexp.MustCompile(`^/financements/([0-9]+)\.xlsx(\?.*)?$`):              "/financements/$1/classeur.xlsx$2",
		regexp.MustCompile(`^/tableau-de-bord/([0-9]{2,3}|2[AB])\.xlsx(\?.*)?$`): "/tableau-de-bord/$1/classeur.xlsx$2",
		regexp.MustCompile(`^/agenda/([A-Za-z0-9_-]+)\.ics(\?.*)?$`):             "/agenda/$1/flux.ics$2",
	}
}

// routes registers the route table. Middleware is attached when a group is created, never
// later: echo captures a group's middleware when a route is added.
func (s *Server) routes() {
	e := s.echo
	e.Pre(middleware.RewriteWithConfig(middleware.RewriteConfig{RegexRules: downloadURLs()}))
	e.Use(
		middleware.RequestID(),
		middleware.Recover(),
		s.requestLogger(),
		s.securityHeaders(),
	)
	assets := e.Group("/static", staticCache)
	assets.StaticFS("/", views.Static())

	groups := map[access]*echo.Group{
		probe:    e.Group("", noStore),
		public:   e.Group("", noStore, s.identify, s.readBody, s.csrf(true)),
		signedIn: e.Group("", noStore, s.identify, s.readBody, s.csrf(false), s.requireUser),
		admin:    e.Group("", noStore, s.identify, s.readBody, s.csrf(false), s.requireRoles(models.RoleAdmin)),
		api:      e.Group("", noStore, s.identify, s.readBody, s.csrf(false), s.requireUser),
	}
	for _, r := range s.table() {
		mw := []echo.MiddlewareFunc{}
		if r.method == http.MethodPost && r.path == "/connexion" {
			mw = append(mw, s.loginLimiter())
		}
		groups[r.access].Add(r.method, r.path, r.handler, mw...)
	}
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
}
