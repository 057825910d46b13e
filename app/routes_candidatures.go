package app

import "net/http"

// candidatureRoutes are the routes of the rollout's campaigns and candidatures. Every
// signed-in role reads within its scope; the data layer decides who writes (403) and
// answers 404 outside the scope. A candidature's file is attached with the documents
// mechanism (app/documents.go).
func (s *Server) candidatureRoutes() []route {
	return []route{
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
	}
}
