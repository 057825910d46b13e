package exports

import "github.com/ac-creteil/pilotage/models"

// AuditTable is the shape of the audit log export: one row per changed field, newest first
// as on screen. The date is a real date and time cell in Paris time (the database keeps the
// UTC instant).
var AuditTable = Table{Sheet: "Journal", Title: "Journal des modifications", Columns: []Column{
	{Header: "Date (heure de Paris)", Kind: DateTime, Width: 17},
	{Header: "Auteur", Kind: Text, Width: 30},
	{Header: "Rôle", Kind: Text, Width: 24},
	{Header: "Périmètre", Kind: Text, Width: 20},
	{Header: "Action", Kind: Text, Width: 16},
	{Header: "Fiche", Kind: Text, Width: 22},
	{Header: "Identifiant", Kind: Text, Width: 12},
	{Header: "Champ", Kind: Text, Width: 24},
	{Header: "Avant", Kind: Text, Width: 30},
	{Header: "Après", Kind: Text, Width: 30},
	{Header: "Identifiant de requête", Kind: Text, Width: 34},
}}

// AuditValues are the rows of one event in the audit export: one per changed field, or a
// single row with empty field columns for an event without changes (a consultation), so
// that no event is missing from the file.
func AuditValues(ev models.AuditEvent) [][]any {
	head := []any{ev.At, ev.Actor, models.Role(ev.Role).Label(), ev.Scope,
		ev.ActionLabel(), label(models.AuditEntities, ev.Entity), ev.EntityID}
	changes := ev.ChangeList()
	if len(changes) == 0 {
		changes = []models.Change{{}}
	}
	out := make([][]any, len(changes))
	for i, ch := range changes {
		row := make([]any, 0, len(AuditTable.Columns))
		row = append(row, head...)
		out[i] = append(row, ch.Label, ch.Old, ch.New, ev.RequestID)
	}
	return out
}
