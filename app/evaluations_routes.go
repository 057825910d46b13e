package app

import "net/http"

// evaluationRoutes are the routes of the evaluations of the sessions and of the training's
// coverage of the écoles opened (app/evaluations*.go, app/formations_couverture*.go).
// Every signed-in role reads the aggregates; the Store decides who writes an answer.
func (s *Server) evaluationRoutes() []route {
	return []route{
		{http.MethodGet, "/formations/evaluations", signedIn, s.showEvaluationSummary},
		{http.MethodGet, "/formations/evaluations.xlsx", signedIn, s.exportEvaluationSummary},
		{http.MethodGet, "/formations/evaluations.csv", signedIn, csvTwin(s.exportEvaluationSummary)},
		{http.MethodGet, "/formations/couverture", signedIn, s.showFormationCoverage},
		{http.MethodGet, "/formations/couverture.xlsx", signedIn, s.exportFormationCoverage},
		{http.MethodGet, "/formations/couverture.csv", signedIn, csvTwin(s.exportFormationCoverage)},
		{http.MethodGet, "/formations/couverture/ecoles.xlsx", signedIn, s.exportCoverageEcoles},
		{http.MethodGet, "/formations/couverture/ecoles.csv", signedIn, csvTwin(s.exportCoverageEcoles)},
		{http.MethodGet, "/formations/:id/evaluations", signedIn, s.showEvaluations},
		{http.MethodPost, "/formations/:id/evaluations", signedIn, s.createEvaluation},
	}
}
