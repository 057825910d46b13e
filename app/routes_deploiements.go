package app

// deploiementRoutes are the routes of the rollout's waves, ENT solutions, deployments, bulk change, status import and progress.
func (s *Server) deploiementRoutes() []route {
	return []route{}
}
