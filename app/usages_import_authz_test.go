package app

// The import of statistics files, its history and the undoing of an import are for those
// who import them (models.CanImportUsages): the other signed-in roles get a 403 page
// (TestAuthorizationMatrix).
func init() {
	importers := []string{"admin", "pilote", "ia77", "ia93", "ia94"}
	for _, r := range []string{"GET " + usagesImportPath, "POST " + usagesImportPath, "POST " + usagesImportPath + "/confirmer",
		"GET /usages/imports", "GET /usages/imports/:id/annuler", "POST /usages/imports/:id/annuler"} {
		formUsers[r] = importers
	}
}
