package app

// The import of status files is for the writers of the deployments: the other signed-in
// roles get a 403 page (TestAuthorizationMatrix).
func init() {
	writers := []string{"admin", "pilote", "ia77", "ia93", "ia94", "ien"}
	for _, r := range []string{"GET " + importPath, "POST " + importPath, "POST " + importPath + "/confirmer", "GET " + importPath + "/modele.xlsx"} {
		formUsers[r] = writers
	}
}
