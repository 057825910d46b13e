package app

import "net/http"

// usageImportRoutes are the routes of the import of the ENT's statistics files
// (app/usages_import*.go): the form, the preview of an uploaded file, its confirmation, the
// history of the imports and the undoing of one. The data layer decides who imports
// (models.CanImportUsages) and which rows.
func (s *Server) usageImportRoutes() []route {
	return []route{
		{http.MethodGet, usagesImportPath, signedIn, s.showUsageImport},
		{http.MethodPost, usagesImportPath, signedIn, s.previewUsageImport},
		{http.MethodPost, usagesImportPath + "/confirmer", signedIn, s.confirmUsageImport},
		{http.MethodGet, "/usages/imports", signedIn, s.listUsageImports},
		{http.MethodGet, "/usages/imports/:id/annuler", signedIn, s.confirmUsageUndo},
		{http.MethodPost, "/usages/imports/:id/annuler", signedIn, s.undoUsageImport},
	}
}
