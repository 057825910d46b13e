package app

// evaluationRoutes are the routes of the evaluations of the sessions and of the training's
// coverage of the écoles opened (app/evaluations*.go, app/formations_couverture*.go).
func (s *Server) evaluationRoutes() []route {
	return []route{}
}
