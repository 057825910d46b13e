package app

import "net/http"

// formationRoutes are the routes of the training plans, modules and sessions
// (app/formations*.go). /formations/:id also serves /formations/<id>.ics (showFormation).
func (s *Server) formationRoutes() []route {
	return []route{
		{http.MethodGet, "/formations", signedIn, s.listFormations},
		{http.MethodGet, "/formations.xlsx", signedIn, s.exportFormations},
		{http.MethodGet, "/formations.csv", signedIn, csvTwin(s.exportFormations)},
		{http.MethodGet, "/formations/nouvelle", signedIn, s.newFormation},
		{http.MethodPost, "/formations", signedIn, s.createFormation},
		{http.MethodGet, "/formations/:id", signedIn, s.showFormation},
		{http.MethodGet, "/formations/:id/modifier", signedIn, s.editFormation},
		{http.MethodPost, "/formations/:id", signedIn, s.updateFormation},
		{http.MethodPost, "/formations/:id/annuler", signedIn, s.cancelFormation},
		{http.MethodGet, "/api/v1/formations", api, s.apiFormations},
		{http.MethodGet, "/formations/plans", signedIn, s.listPlansFormation},
		{http.MethodGet, "/formations/plans/nouveau", signedIn, s.newPlanFormation},
		{http.MethodPost, "/formations/plans", signedIn, s.createPlanFormation},
		{http.MethodGet, "/formations/plans/:id/modifier", signedIn, s.editPlanFormation},
		{http.MethodPost, "/formations/plans/:id", signedIn, s.updatePlanFormation},
		{http.MethodGet, "/api/v1/plans-formation", api, s.apiPlansFormation},
		{http.MethodGet, "/formations/modules", signedIn, s.listFormationModules},
		{http.MethodGet, "/formations/modules/nouveau", signedIn, s.newFormationModule},
		{http.MethodPost, "/formations/modules", signedIn, s.createFormationModule},
		{http.MethodGet, "/formations/modules/:id/modifier", signedIn, s.editFormationModule},
		{http.MethodPost, "/formations/modules/:id", signedIn, s.updateFormationModule},
	}
}
