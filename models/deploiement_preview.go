package models

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"
)

// DeploiementPreviewRow is what one edit of a change would do to its école.
type DeploiementPreviewRow struct {
	Line    int    // index of the edit + 1
	UAI     string // the école
	Nom     string // its name
	Action  string // "creation", "modification", or "" when the école would be left as it is
	Changes []Change
}

// DeploiementPreview is what a change would do, computed without writing: the same reading
// and the same computation as ChangeDeploiements, which applies it.
type DeploiementPreview struct {
	Rows []DeploiementPreviewRow
	// Rejected are the edits the change would refuse (line = index of the edit + 1); a change
	// with one rejected edit writes nothing.
	Rejected []FieldError
	// Versions are the versions of the deployments read (0 for an école without one): the
	// guard (DeploiementGuard.Versions) that makes applying the preview refuse an école
	// changed in between.
	Versions map[string]int
	Result   DeploiementResult
}

// PreviewDeploiements computes what ChangeDeploiements(ctx, actor, edits, …) would do,
// writing nothing. Unlike it, it reports every edit it would refuse (unknown école, école
// outside the actor's writes, unknown phase, wave or solution, école given twice) as a
// rejected line instead of failing; ErrForbidden remains for an IEN's edit of a wave or
// solution (the whole change is refused).
func (s *Store) PreviewDeploiements(ctx context.Context, actor Actor, edits []DeploiementEdit) (DeploiementPreview, error) {
	var p DeploiementPreview
	rejected := &ValidationError{}
	if err := collectRejected(rejected, checkEdits(actor, edits)); err != nil {
		return p, err
	}
	// Read outside a transaction: on SQLite a transaction takes the write lock, and the
	// versions read guard the application anyway.
	err := func(tx *gorm.DB) error {
		cur, _, err := readEcoleTargets(tx, actor, edits)
		if err != nil {
			return err
		}
		if err := rejectMissing(tx, rejected, edits, cur); err != nil {
			return err
		}
		if err := collectRejected(rejected, checkEditTargets(tx, edits)); err != nil {
			return err
		}
		names, err := loadDeploiementNames(tx)
		if err != nil {
			return err
		}
		p = previewOf(cur, edits, rejected, names, s)
		return nil
	}(s.db.WithContext(ctx))
	return p, err
}

// collectRejected adds the lines of a *ValidationError to rejected; other errors are returned.
func collectRejected(rejected *ValidationError, err error) error {
	var verr *ValidationError
	if errors.As(err, &verr) {
		rejected.Errors = append(rejected.Errors, verr.Errors...)
		return nil
	}
	return err
}

// rejectMissing rejects the edits whose école was not read: unknown, or outside the
// actor's writes.
func rejectMissing(tx *gorm.DB, rejected *ValidationError, edits []DeploiementEdit, cur map[string]*ecoleTarget) error {
	var missing []string
	for _, e := range edits {
		if cur[e.UAI] == nil {
			missing = append(missing, e.UAI)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	known, err := knownEcoles(tx, missing)
	if err != nil {
		return err
	}
	for i, e := range edits {
		switch {
		case cur[e.UAI] != nil:
		case slices.Contains(known, e.UAI):
			rejected.Add(i+1, "uai", "École hors de votre périmètre : UAI « "+e.UAI+" ».")
		default:
			rejected.Add(i+1, "uai", "École inconnue : UAI « "+e.UAI+" ».")
		}
	}
	return nil
}

// previewOf plans the edits that are not rejected and gathers the preview.
func previewOf(cur map[string]*ecoleTarget, edits []DeploiementEdit, rejected *ValidationError, names deploiementNames, s *Store) DeploiementPreview {
	bad := make(map[int]bool, len(rejected.Errors))
	for _, fe := range rejected.Errors {
		bad[fe.Line] = true
	}
	var kept []DeploiementEdit
	var lines []int
	for i, e := range edits {
		if !bad[i+1] && cur[e.UAI] != nil {
			kept = append(kept, e)
			lines = append(lines, i+1)
		}
	}
	p := DeploiementPreview{Versions: make(map[string]int, len(cur)), Rejected: rejected.Errors}
	slices.SortStableFunc(p.Rejected, func(a, b FieldError) int { return cmp.Compare(a.Line, b.Line) })
	for uai, t := range cur {
		p.Versions[uai] = t.Deploiement.Version
	}
	for i, st := range planDeploiements(cur, kept, names, s.todayDate()) {
		uai := st.Edit.UAI
		p.Rows = append(p.Rows, DeploiementPreviewRow{Line: lines[i], UAI: uai, Nom: st.Ecole.Nom, Action: st.Action, Changes: st.Changes})
		switch st.Action {
		case "creation":
			p.Result.Created = append(p.Result.Created, uai)
		case "modification":
			p.Result.Changed = append(p.Result.Changed, uai)
		default:
			p.Result.Unchanged = append(p.Result.Unchanged, uai)
		}
	}
	return p
}
