package app

import "net/http"

// usageRoutes are the routes of the ENT usage figures (app/usages*.go): every signed-in
// role reads those of its scope.
func (s *Server) usageRoutes() []route {
	return []route{
		{http.MethodGet, "/usages", signedIn, s.listUsages},
		{http.MethodGet, "/usages.xlsx", signedIn, s.exportUsages},
		{http.MethodGet, "/usages.csv", signedIn, csvTwin(s.exportUsages)},
		{http.MethodGet, "/usages/a-surveiller.xlsx", signedIn, s.exportUsageWatch},
		{http.MethodGet, "/usages/a-surveiller.csv", signedIn, csvTwin(s.exportUsageWatch)},
		{http.MethodGet, "/api/v1/usages", api, s.apiUsages},
	}
}
