package app

import (
	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The actions' exports: the list (/actions.xlsx, /actions.csv, with the list's filters),
// "Mes actions" (/mes-actions.xlsx, /mes-actions.csv), and the "Préparer la prochaine
// réunion" workbook of a body (/instances/:id/preparer.xlsx), which shows what its page
// shows (preparation).

func (s *Server) exportActions(c echo.Context) error {
	_, f, errs := s.actionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	scope := s.scope(c)
	return s.sendExport(c, "actions", exports.ActionsTable, func(w exports.RowWriter) error {
		return s.eachAction(c, scope, f, w)
	})
}

func (s *Server) exportMyActions(c echo.Context) error {
	actor := s.actor(c)
	return s.sendExport(c, "mes-actions", exports.MyActionsTable, func(w exports.RowWriter) error {
		if actor.UserID <= 0 {
			return nil
		}
		return s.eachAction(c, actor.Scope, models.ActionFilter{UserID: actor.UserID}, w)
	})
}

// eachAction writes the actions of the list, in its order, page after page: a body's
// actions are a few hundred at most.
func (s *Server) eachAction(c echo.Context, scope models.Scope, f models.ActionFilter, w exports.RowWriter) error {
	for n := 1; ; n++ {
		page, err := s.store.ListActions(c.Request().Context(), scope, f, models.PageRequest{Number: n, Size: models.MaxPageSize})
		if err != nil {
			return err
		}
		for _, a := range page.Items {
			if err := w.WriteRow(exports.ActionValues(a)...); err != nil {
				return err
			}
		}
		if n >= page.Pages() {
			return nil
		}
	}
}

// preparation gathers what "Préparer la prochaine réunion" shows for the body of the path,
// for its page and its workbook: the last held meeting's decisions, the open actions, the
// next meeting, and the conventions of the body's territory (its département, or the whole
// académie) that expire soon or wait for their signatures.
func (s *Server) preparation(c echo.Context) (preparationView, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return preparationView{}, err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.PrepareMeeting(ctx, scope, id)
	if err != nil {
		return preparationView{}, err
	}
	v := preparationView{Preparation: p}
	for _, a := range p.Actions {
		if a.Overdue {
			v.Overdue++
		}
	}
	alertes, err := s.store.ConventionAlertesOf(ctx, scope, s.alertesSettings(""))
	if err != nil {
		return v, err
	}
	ofBody := func(c models.ConventionRow) bool {
		return p.Instance.DepartementCode == nil || c.Departement() == *p.Instance.DepartementCode
	}
	v.AlertDays = alertes.Settings.ExpiryDays
	for _, c := range alertes.Expiring {
		if ofBody(c) {
			v.Expiring = append(v.Expiring, c)
		}
	}
	for _, c := range alertes.Waiting {
		if ofBody(c) {
			v.Waiting = append(v.Waiting, c)
		}
	}
	return v, nil
}

// exportPreparation is the workbook of "Préparer la prochaine réunion": what the page
// shows, with the next and the last meeting in its title block.
func (s *Server) exportPreparation(c echo.Context) error {
	v, err := s.preparation(c)
	if err != nil {
		return err
	}
	prep := exports.Preparation{Preparation: v.Preparation, Expiring: v.Expiring, Waiting: v.Waiting}
	// The meetings come from the scoped preparation: their agenda may be read.
	var ids []int64
	for _, r := range []*models.ReunionRow{v.LastHeld, v.Next} {
		if r != nil {
			ids = append(ids, r.ID)
		}
	}
	if prep.Points, err = s.store.ReunionPoints(c.Request().Context(), ids); err != nil {
		return err
	}
	doc, err := s.exportDocument(c, "Préparer la prochaine réunion — "+v.Instance.Nom)
	if err != nil {
		return err
	}
	s.attachment(c, "preparation-"+v.Instance.Nom, doc, "xlsx")
	return exports.WritePreparationXLSX(c.Response(), doc, prep)
}
