package app

// The milestones' creation form is offered to the roles that write milestones
// (models.EntityJalon); the others get a 403.
func init() {
	formUsers["GET /jalons/nouveau"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
}
