package app

import "net/http"

// inscriptionRoutes are the routes of the registrations, the attendance, the sign-in sheet
// and the attestations of a session (app/inscriptions*.go). Who may write is the data
// layer's (models/formation_inscription*.go): every signed-in role reaches them.
func (s *Server) inscriptionRoutes() []route {
	return []route{
		{http.MethodGet, "/formations/inscriptions", signedIn, s.listAllInscriptions},
		{http.MethodGet, "/formations/inscriptions.xlsx", signedIn, s.exportAllInscriptions},
		{http.MethodGet, "/formations/inscriptions.csv", signedIn, csvTwin(s.exportAllInscriptions)},
		{http.MethodGet, "/formations/:id/inscriptions", signedIn, s.listFormationInscriptions},
		{http.MethodPost, "/formations/:id/inscriptions", signedIn, s.createFormationInscription},
		{http.MethodGet, "/formations/:id/inscriptions.xlsx", signedIn, s.exportFormationInscriptions},
		{http.MethodGet, "/formations/:id/inscriptions.csv", signedIn, csvTwin(s.exportFormationInscriptions)},
		{http.MethodGet, "/formations/:id/inscriptions/import", signedIn, s.showInscriptionImport},
		{http.MethodPost, "/formations/:id/inscriptions/import", signedIn, s.previewInscriptionImport},
		{http.MethodPost, "/formations/:id/inscriptions/import/confirmer", signedIn, s.confirmInscriptionImport},
		{http.MethodPost, "/formations/:id/inscriptions/:iid/annuler", signedIn, s.cancelFormationInscription},
		{http.MethodPost, "/formations/:id/inscriptions/:iid/effacer", signedIn, s.eraseFormationInscription},
		{http.MethodGet, "/formations/:id/inscriptions/:iid/attestation", signedIn, s.showAttestation},
		{http.MethodGet, "/formations/:id/presences", signedIn, s.showPresences},
		{http.MethodPost, "/formations/:id/presences", signedIn, s.savePresences},
		{http.MethodGet, "/formations/:id/emargement", signedIn, s.showEmargement},
		{http.MethodGet, "/api/v1/inscriptions", api, s.apiInscriptions},
	}
}
