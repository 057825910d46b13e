package app

import "net/http"

// jalonRoutes are the routes of the rollout's milestones, baselines of the plan and the
// timeline. Every signed-in role reads within its scope; the data layer decides who writes
// (403) and answers 404 outside the scope.
func (s *Server) jalonRoutes() []route {
	return []route{
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
	}
}
