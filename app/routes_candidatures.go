package app

// candidatureRoutes are the routes of the rollout's campaigns and candidatures.
func (s *Server) candidatureRoutes() []route {
	return []route{}
}
