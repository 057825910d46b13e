package app

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/views/fr"
)

// importRowView is one école of a table of the preview, with its changes (before → after).
type importRowView struct {
	Line     int
	UAI, Nom string
	Changes  []models.Change
}

// importTableView is one table of the preview: its rows (at most importShown) and how many
// more there are.
type importTableView struct {
	Rows []importRowView
	More int
}

// importPreviewView is the preview page of a status file.
type importPreviewView struct {
	FileName, Format                          string
	Created, Changed, Unchanged               importTableView
	NCreated, NChanged, NUnchanged, NRejected string
	Rejected                                  []string
	MoreRejected                              int
	Summary                                   string
	CanConfirm, NothingToDo                   bool
	Action, Lot                               string
}

// newImportPreview builds the preview page; the lot carries the edits to the confirmation,
// only when no row is rejected.
func newImportPreview(fileName string, imp *seeds.DeploiementsImport) (importPreviewView, error) {
	v := importPreviewView{FileName: fileName, Format: imp.Format, Action: importPath + "/confirmer",
		NCreated: fr.Int(len(imp.Result.Created)), NChanged: fr.Int(len(imp.Result.Changed)),
		NUnchanged: fr.Int(len(imp.Result.Unchanged)), NRejected: fr.Int(len(imp.Rejected)),
		Summary: importCounts(len(imp.Result.Created), len(imp.Result.Changed), len(imp.Result.Unchanged))}
	add := func(t *importTableView, r models.DeploiementPreviewRow) {
		if len(t.Rows) >= importShown {
			t.More++
			return
		}
		t.Rows = append(t.Rows, importRowView{Line: r.Line, UAI: r.UAI, Nom: r.Nom, Changes: r.Changes})
	}
	for _, r := range imp.Rows {
		switch r.Action {
		case "creation":
			add(&v.Created, r)
		case "modification":
			add(&v.Changed, r)
		default:
			add(&v.Unchanged, r)
		}
	}
	for i, fe := range imp.Rejected {
		if i >= importShown {
			v.MoreRejected = len(imp.Rejected) - importShown
			break
		}
		v.Rejected = append(v.Rejected, fe.Error())
	}
	v.NothingToDo = len(imp.Result.Created)+len(imp.Result.Changed) == 0
	v.CanConfirm = len(imp.Rejected) == 0 && len(imp.Edits) > 0
	if v.CanConfirm {
		lot, err := encodeLot(imp)
		if err != nil {
			return v, err
		}
		v.Lot = lot
	}
	return v, nil
}
