package app

import "net/http"

// marcheRoutes are the routes of the calls for tender (app/marches*.go), their lots' pages,
// the cahiers des charges, and the API of the ENT solutions they award.
func (s *Server) marcheRoutes() []route {
	return []route{
		{http.MethodGet, "/marches", signedIn, s.listMarches},
		{http.MethodGet, "/marches.xlsx", signedIn, s.exportMarches},
		{http.MethodGet, "/marches.csv", signedIn, csvTwin(s.exportMarches)},
		{http.MethodGet, "/marches/nouveau", signedIn, s.newMarche},
		{http.MethodPost, "/marches", signedIn, s.createMarche},
		{http.MethodGet, "/marches/alertes", signedIn, s.marcheAlertes},
		{http.MethodGet, "/marches/carte", signedIn, s.marchesCarte},
		{http.MethodGet, "/marches/:id", signedIn, s.showMarche},
		{http.MethodGet, "/marches/:id/calendrier.ics", signedIn, s.marcheICS},
		{http.MethodGet, "/marches/:id/modifier", signedIn, s.editMarche},
		{http.MethodPost, "/marches/:id", signedIn, s.updateMarche},
		{http.MethodPost, "/marches/:id/statut", signedIn, s.changeMarcheStatut},
		{http.MethodPost, "/marches/:id/lots", signedIn, s.addMarcheLot},
		{http.MethodPost, "/marches/:id/offres", signedIn, s.addMarcheOffre},
		{http.MethodPost, "/marches/:id/attribution", signedIn, s.attribuerMarcheLot},
		{http.MethodPost, "/marches/:id/adhesions", signedIn, s.recordMarcheAdhesion},
		{http.MethodPost, "/marches/:id/documents", signedIn, s.addMarcheDocument},
		{http.MethodGet, "/marches/:id/lots/:lot", signedIn, s.showMarcheLot},
		{http.MethodPost, "/marches/:id/lots/:lot", signedIn, s.updateMarcheLot},
		{http.MethodPost, "/marches/:id/lots/:lot/supprimer", signedIn, s.deleteMarcheLot},
		{http.MethodPost, "/marches/:id/lots/:lot/offres/:offre", signedIn, s.updateMarcheOffre},
		{http.MethodPost, "/marches/:id/lots/:lot/offres/:offre/supprimer", signedIn, s.deleteMarcheOffre},
		{http.MethodPost, "/marches/:id/lots/:lot/attribution", signedIn, s.corrigerMarcheAttribution},
		{http.MethodPost, "/marches/:id/lots/:lot/retrait", signedIn, s.retirerMarcheAttribution},
		{http.MethodGet, "/cahiers-des-charges", signedIn, s.listCahiers},
		{http.MethodGet, "/cahiers-des-charges.xlsx", signedIn, s.exportCahiers},
		{http.MethodGet, "/cahiers-des-charges.csv", signedIn, csvTwin(s.exportCahiers)},
		{http.MethodGet, "/cahiers-des-charges/nouveau", signedIn, s.newCahier},
		{http.MethodPost, "/cahiers-des-charges", signedIn, s.createCahier},
		{http.MethodGet, "/cahiers-des-charges/:id", signedIn, s.showCahier},
		{http.MethodPost, "/cahiers-des-charges/:id/versions", signedIn, s.addCahierVersion},
		{http.MethodGet, "/api/v1/cahiers-des-charges", api, s.apiCahiers},
		{http.MethodGet, "/api/v1/marches", api, s.apiMarches},
		{http.MethodGet, "/api/v1/solutions", api, s.apiSolutions},
	}
}
