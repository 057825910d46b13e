package app

// The creation forms of the waves and the ENT solutions in the authorization matrix: the
// roles that use them (the others get a 403 page that says why).
func init() {
	formUsers["GET /vagues/nouvelle"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
	formUsers["GET /solutions/nouvelle"] = []string{"admin", "pilote"}
}
