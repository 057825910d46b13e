package app

// vagueRoutes are the routes of the rollout's waves and ENT solutions.
func (s *Server) vagueRoutes() []route {
	return []route{}
}
