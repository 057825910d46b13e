package app

// deploiementImportRoutes are the routes of the rollout's import of deployment status files.
func (s *Server) deploiementImportRoutes() []route {
	return []route{}
}
