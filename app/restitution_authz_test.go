package app

// The open-data bundle in the authorization matrix (authz_test.go): it covers the whole
// académie, so only the roles of the académie's scope download it; the others get a 403.
func init() {
	formUsers["GET /restitution.zip"] = []string{"admin", "pilote", "amif", "lecteur"}
}
