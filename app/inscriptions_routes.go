package app

// inscriptionRoutes are the routes of the registrations, the attendance, the sign-in sheet
// and the attestations of a session (app/inscriptions*.go).
func (s *Server) inscriptionRoutes() []route {
	return []route{}
}
