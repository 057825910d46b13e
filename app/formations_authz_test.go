package app

// The training's creation forms are offered to the roles that write them: sessions to the
// IEN too (models.EntityFormation), plans to the IA-DASEN (models.EntityPlanFormation), the
// modules' catalogue to the administrator and the pilotes (models.CanEditFormationModules).
func init() {
	formUsers["GET /formations/nouvelle"] = []string{"admin", "pilote", "ia77", "ia93", "ia94", "ien"}
	formUsers["GET /formations/plans/nouveau"] = []string{"admin", "pilote", "ia77", "ia93", "ia94"}
	formUsers["GET /formations/modules/nouveau"] = []string{"admin", "pilote"}
}
