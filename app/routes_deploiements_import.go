package app

import "net/http"

// deploiementImportRoutes are the routes of the rollout's import of deployment status files.
// Every signed-in user may call them; those who write no deployment are refused (403), and
// the data layer decides which écoles and columns each may change. The POST routes are
// uploads of up to 50 Mo (app/bodies.go, importBodyLimit).
func (s *Server) deploiementImportRoutes() []route {
	return []route{
		{http.MethodGet, importPath, signedIn, s.showDeploiementImport},
		{http.MethodPost, importPath, signedIn, s.previewDeploiementImport},
		{http.MethodPost, importPath + "/confirmer", signedIn, s.confirmDeploiementImport},
		{http.MethodGet, importPath + "/modele.xlsx", signedIn, s.deploiementImportTemplate},
	}
}
