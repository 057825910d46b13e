package app

// jalonRoutes are the routes of the rollout's milestones, baselines of the plan and the timeline.
func (s *Server) jalonRoutes() []route {
	return []route{}
}
