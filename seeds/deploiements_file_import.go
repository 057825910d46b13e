package seeds

import (
	"cmp"
	"context"
	"errors"
	"io"
	"slices"

	"github.com/ac-creteil/pilotage/models"
)

// ErrDeploiementsRole refuses a status file that sets a wave or a solution for an actor who
// sets only the phase and the dates (the IEN).
var ErrDeploiementsRole = errors.New("votre rôle permet d'importer la phase et les dates des écoles, pas leur vague ni leur solution ENT : " +
	"videz ou retirez les colonnes « Vague » et « Solution » ; rien n'a été enregistré")

// ErrDeploiementsRejected refuses to apply a status file of which some rows are rejected.
var ErrDeploiementsRejected = errors.New("des lignes du fichier sont refusées : rien n'a été enregistré")

// RefusedFileError is a status file refused as a whole (too large, not a CSV nor XLSX, no
// UAI column, a role that may not import some column…): its message, in French, is for the
// user; nothing was written.
type RefusedFileError struct{ Err error }

func (e *RefusedFileError) Error() string { return e.Err.Error() }

// Unwrap gives the reason of the refusal.
func (e *RefusedFileError) Unwrap() error { return e.Err }

// DeploiementsImport is a status file read and previewed for an actor: the edits it makes
// (with their lines in the file), what each would do, the rows rejected, and the versions
// read, which guard the application of the preview.
type DeploiementsImport struct {
	Format   string
	Edits    []models.DeploiementEdit
	Lines    []int                          // line in the file of each edit
	Rows     []models.DeploiementPreviewRow // Line: the line in the file
	Rejected []models.FieldError            // Line: the line in the file; Field: the column's label
	Versions map[string]int
	Result   models.DeploiementResult
}

// PreviewDeploiementsFile reads a status file of size bytes (-1 when unknown) and computes,
// without writing, what importing it as actor would do. A whole-file refusal is an error in
// French; rejected rows are in Rejected.
func PreviewDeploiementsFile(ctx context.Context, store *models.Store, actor models.Actor, r io.Reader, size int64) (*DeploiementsImport, error) {
	f, edits, lines, err := readEdits(ctx, store, actor, r, size)
	if err != nil {
		return nil, err
	}
	return previewFile(ctx, store, actor, f, edits, lines)
}

// readEdits reads a status file and resolves its waves and solutions among those the actor
// reads.
func readEdits(ctx context.Context, store *models.Store, actor models.Actor, r io.Reader, size int64) (*DeploiementsFile, []models.DeploiementEdit, []int, error) {
	f, err := ReadDeploiementsFile(r, size)
	if err != nil {
		return nil, nil, nil, &RefusedFileError{err}
	}
	vagues, err := store.ListVagues(ctx, actor.Scope)
	if err != nil {
		return nil, nil, nil, err
	}
	solutions, err := store.ListSolutions(ctx, actor.Scope)
	if err != nil {
		return nil, nil, nil, err
	}
	edits, lines := f.Edits(vagues, solutions)
	return f, edits, lines, nil
}

// previewFile previews the edits of a file read, adding the faults of its cells.
func previewFile(ctx context.Context, store *models.Store, actor models.Actor, f *DeploiementsFile, edits []models.DeploiementEdit, lines []int) (*DeploiementsImport, error) {
	imp, err := PreviewDeploiementEdits(ctx, store, actor, edits, lines)
	if err != nil {
		return nil, err
	}
	imp.Format = f.Format
	imp.Rejected = append(imp.Rejected, f.Errors...)
	slices.SortStableFunc(imp.Rejected, func(a, b models.FieldError) int { return cmp.Compare(a.Line, b.Line) })
	return imp, nil
}

// PreviewDeploiementEdits computes what the edits (of the file lines given) would do.
func PreviewDeploiementEdits(ctx context.Context, store *models.Store, actor models.Actor, edits []models.DeploiementEdit, lines []int) (*DeploiementsImport, error) {
	p, err := store.PreviewDeploiements(ctx, actor, edits)
	if errors.Is(err, models.ErrForbidden) {
		return nil, &RefusedFileError{ErrDeploiementsRole}
	}
	if err != nil {
		return nil, err
	}
	imp := &DeploiementsImport{Edits: edits, Lines: lines, Rows: p.Rows, Versions: p.Versions, Result: p.Result}
	fileLine := func(l int) int {
		if l >= 1 && l <= len(lines) {
			return lines[l-1]
		}
		return l
	}
	for i := range imp.Rows {
		imp.Rows[i].Line = fileLine(imp.Rows[i].Line)
	}
	for _, fe := range p.Rejected {
		imp.Rejected = append(imp.Rejected, models.FieldError{Line: fileLine(fe.Line), Field: deploiementColumnLabel(fe.Field), Msg: fe.Msg})
	}
	return imp, nil
}

// ApplyDeploiementsImport applies a preview, all or nothing, refusing it when some of its
// rows are rejected and when an école changed since the preview (a
// *models.DeploiementConflictError).
func ApplyDeploiementsImport(ctx context.Context, store *models.Store, actor models.Actor, imp *DeploiementsImport) (models.DeploiementResult, error) {
	if len(imp.Rejected) > 0 {
		return models.DeploiementResult{}, ErrDeploiementsRejected
	}
	return store.ChangeDeploiements(ctx, actor, imp.Edits, models.DeploiementGuard{Versions: imp.Versions})
}

// ImportDeploiementsFile reads a status file, and imports it unless dryRun or some row is
// rejected: the import of the command line. A dry run is the preview; an import reads and
// writes in one transaction (ChangeDeploiements), and only when it refuses the file is the
// preview computed, to list every rejected line.
func ImportDeploiementsFile(ctx context.Context, store *models.Store, actor models.Actor, r io.Reader, size int64, dryRun bool) (*DeploiementsImport, models.DeploiementResult, error) {
	if dryRun {
		imp, err := PreviewDeploiementsFile(ctx, store, actor, r, size)
		if err != nil {
			return nil, models.DeploiementResult{}, err
		}
		return imp, imp.Result, nil
	}
	f, edits, lines, err := readEdits(ctx, store, actor, r, size)
	if err != nil {
		return nil, models.DeploiementResult{}, err
	}
	if len(f.Errors) == 0 {
		res, err := store.ChangeDeploiements(ctx, actor, edits, models.DeploiementGuard{})
		var verr *models.ValidationError
		if err == nil || !errors.As(err, &verr) && !errors.Is(err, models.ErrForbidden) {
			return &DeploiementsImport{Format: f.Format, Edits: edits, Lines: lines, Result: res}, res, err
		}
	}
	imp, err := previewFile(ctx, store, actor, f, edits, lines)
	if err != nil {
		return nil, models.DeploiementResult{}, err
	}
	return imp, imp.Result, nil
}
