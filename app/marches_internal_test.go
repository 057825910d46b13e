package app

// The creation form of the markets in the authorization matrix (authz_test.go): the roles
// that use it; the others get a 403 page that says why.
func init() {
	formUsers["GET /marches/nouveau"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
	formUsers["GET /cahiers-des-charges/nouveau"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
}
