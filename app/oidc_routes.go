package app

import "net/http"

// oidcRoutes are the routes of the sign-in with ProConnect (app/oidc_login.go) and of its
// administration (app/admin_oidc.go). The sign-in routes answer 404 when ProConnect is not
// configured; the start is a link (GET): a form redirected to the provider would be
// blocked by the CSP's form-action.
func (s *Server) oidcRoutes() []route {
	return []route{
		{http.MethodGet, "/connexion/proconnect", public, s.startOIDC},
		{http.MethodGet, "/connexion/proconnect/retour", public, s.oidcCallback},
		{http.MethodGet, "/admin/proconnect", admin, s.showOIDCSettings},
		{http.MethodPost, "/admin/proconnect", admin, s.saveOIDCSettings},
		{http.MethodPost, "/admin/utilisateurs/:id/proconnect/delier", admin, s.unlinkOIDC},
	}
}
