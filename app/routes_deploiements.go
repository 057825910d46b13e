package app

import "net/http"

// deploiementRoutes are the routes of the deployments of the écoles: the list with its bulk
// change, exports and API, the progress, and one école's fiche.
func (s *Server) deploiementRoutes() []route {
	return []route{
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
	}
}
