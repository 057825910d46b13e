package app

import "net/http"

// vagueRoutes are the routes of the rollout's waves and ENT solutions. Every signed-in
// role reads within its scope (the académie's waves and those of its départements; every
// solution); the data layer decides who writes (403) and answers 404 outside the scope.
// The list's "archives=oui" filter lists the archived records, which their writers restore.
func (s *Server) vagueRoutes() []route {
	return []route{
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
	}
}
