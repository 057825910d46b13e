package exports

import (
	"sync"
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// AuditTable is the shape of the audit log export: one row per changed field.
//
// The date is text "02/01/2006 15:04" in Paris time, not an Excel date: the Date kind keeps
// only the calendar day, and an audit event needs its time of day. Rows come newest first,
// as on screen, so the text needs no sorting; the database keeps the UTC instant.
var AuditTable = Table{Sheet: "Journal", Title: "Journal des modifications", Columns: []Column{
	{Header: "Date (heure de Paris)", Kind: Text, Width: 17},
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

// auditDateLayout is the format of the audit export's dates.
const auditDateLayout = "02/01/2006 15:04"

// AuditValues are the rows of one event in the audit export: one per changed field, or a
// single row with empty field columns for an event without changes (a consultation), so
// that no event is missing from the file.
func AuditValues(ev models.AuditEvent) [][]any {
	head := []any{ev.At.In(paris()).Format(auditDateLayout), ev.Actor, models.Role(ev.Role).Label(), ev.Scope,
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

// paris is the time zone of the dates written in exports, loaded on first use (a fixed
// UTC+1 when the system has no time zone database).
var paris = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
})
