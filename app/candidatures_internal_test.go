package app

// The creation forms of the campaigns and candidatures in the authorization matrix
// (authz_test.go): the roles that use them; the others get a 403 page that says why.
func init() {
	formUsers["GET /campagnes/nouvelle"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
	formUsers["GET /candidatures/nouvelle"] = []string{"admin", "pilote", "ia77", "ia93", "ia94", "referent"}
}
