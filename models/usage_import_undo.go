package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/ac-creteil/pilotage/views/fr"
)

// usageImportsVisible keeps the imports (alias i) the actor sees in the history: every one
// for the admin and the pilote, those of their département for an IA-DASEN.
func usageImportsVisible(q *gorm.DB, actor Actor) *gorm.DB {
	if accessOf(actor, EntityUsage) == WritesAll && actor.Scope.CoversAcademie() {
		return q
	}
	deps := actor.Scope.Departements
	if actor.Scope.Kind != ScopeDepartement || len(deps) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("i.departement_code IN ?", deps)
}

// ListUsageImports is the history of the imports of statistics files the actor sees, the
// latest first (at most limit). ErrForbidden when the actor imports no statistics.
func (s *Store) ListUsageImports(ctx context.Context, actor Actor, limit int) ([]UsageImport, error) {
	if !CanImportUsages(actor) {
		return nil, ErrForbidden
	}
	var out []UsageImport
	q := usageImportsVisible(s.db.WithContext(ctx).Table("usage_imports AS i"), actor)
	err := q.Order("i.imported_at DESC, i.id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// UndoUsageImport undoes an import: its rows are removed, the rows it replaced restored as
// they were, the monthly figures recomputed, the import marked undone and the undoing
// audited, in one transaction. It is refused (*ValidationError) when the import is already
// undone, or when a later import, not undone, replaced some of its rows (undo that one
// first). ErrNotFound when the actor does not see the import.
func (s *Store) UndoUsageImport(ctx context.Context, actor Actor, id int64) error {
	if !CanImportUsages(actor) {
		return ErrForbidden
	}
	return s.usageTx(ctx, func(tx *gorm.DB) error {
		var imp UsageImport
		err := usageImportsVisible(tx.Table("usage_imports AS i"), actor).Where("i.id = ?", id).Take(&imp).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := refuseUndo(tx, imp); err != nil {
			return err
		}
		spans, err := s.importSpans(tx, id)
		if err != nil {
			return err
		}
		if err := restoreReplaced(tx, id); err != nil {
			return err
		}
		now := s.now().UTC()
		if err := tx.Table("usage_imports").Where("id = ?", id).
			Updates(map[string]any{"undone_at": now, "undone_by": actor.Name}).Error; err != nil {
			return err
		}
		if err := s.refreshUsageMonths(tx, spans); err != nil {
			return err
		}
		return s.audit(tx, actor, "annulation", "usage_imports", strconv.FormatInt(id, 10),
			[]Change{{Field: "fichier", Label: "Fichier", Old: imp.Fichier}})
	})
}

// refuseUndo is the refusal of undoing imp, nil when it may be undone.
func refuseUndo(tx *gorm.DB, imp UsageImport) error {
	v := &ValidationError{}
	if imp.UndoneAt != nil {
		v.Add(0, "", "cet import a déjà été annulé.")
		return v
	}
	var later UsageImport
	err := tx.Table("usage_imports AS i").
		Where("i.undone_at IS NULL AND EXISTS (SELECT 1 FROM usages_remplacees r WHERE r.import_id = i.id AND r.ancien_import_id = ?)", imp.ID).
		Order("i.id DESC").Take(&later).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	v.Add(0, "", fmt.Sprintf("impossible d'annuler cet import : l'import n° %d du %s (fichier « %s ») a remplacé depuis certaines de ses lignes ; annulez d'abord celui-ci.",
		later.ID, fr.ParisDay(later.ImportedAt), later.Fichier))
	return v
}

// importSpans is the months touched by the rows of the import id, per département.
func (s *Store) importSpans(tx *gorm.DB, id int64) (map[string]usageSpan, error) {
	var rows []struct {
		DepartementCode string
		Lo, Hi          string
	}
	err := tx.Table("usages").Select("departement_code, "+s.dayText("MIN(periode)")+" AS lo, "+s.dayText("MAX(periode)")+" AS hi").
		Where("import_id = ?", id).Group("departement_code").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]usageSpan, len(rows))
	for _, r := range rows {
		lo, err1 := time.Parse(time.DateOnly, r.Lo)
		hi, err2 := time.Parse(time.DateOnly, r.Hi)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		out[r.DepartementCode] = usageSpan{lo: lo, hi: hi}
	}
	return out, nil
}

// restoreReplaced removes the rows of the import id and restores those it replaced, as they
// were (their import, their figures), on the territory of their école.
func restoreReplaced(tx *gorm.DB, id int64) error {
	if err := tx.Exec("DELETE FROM usages WHERE import_id = ?", id).Error; err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO usages (uai, periode, granularite, profil, connexions, visiteurs, comptes_charges, comptes_actives,
	import_id, departement_code, code_circonscription, code_insee)
SELECT r.uai, r.periode, r.granularite, r.profil, r.connexions, r.visiteurs, r.comptes_charges, r.comptes_actives,
	r.ancien_import_id, e.departement_code, e.code_circonscription, e.code_insee
FROM usages_remplacees r JOIN ecoles e ON e.uai = r.uai WHERE r.import_id = ?`, id).Error; err != nil {
		return err
	}
	return tx.Exec("DELETE FROM usages_remplacees WHERE import_id = ?", id).Error
}
