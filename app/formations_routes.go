package app

// formationRoutes are the routes of the training plans, modules and sessions
// (app/formations*.go).
func (s *Server) formationRoutes() []route {
	return []route{}
}
