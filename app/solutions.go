package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// ENT solutions (solutions): the list, its exports, one solution's page, the form and
// archiving. Every signed-in role reads them; the administrator and the pilotes académiques
// write them (models.WritesSolutions), which the data layer checks on every write.

var solutionsCrumb = crumb{Label: "Solutions ENT", Href: "/solutions"}

// solutionQuery is the query string of the solutions list and its exports.
type solutionQuery struct {
	Archives string `query:"archives" validate:"omitempty,oneof=oui"`
	Paging
}

func (s *Server) solutionQuery(c echo.Context) (solutionQuery, models.SolutionFilter, map[string]string) {
	var q solutionQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	return q, models.SolutionFilter{Archived: q.Archives == "oui"}, errs
}

// solutionItem is a solution of the list, with whether the reader may restore it
// (archives) and the CSRF token of the restore button.
type solutionItem struct {
	models.SolutionRow
	CanWrite bool
	CSRF     string
}

// solutionsView is the solutions list.
type solutionsView struct {
	list[solutionQuery, solutionItem]
	Done     string
	Archived int64 // the solution just archived, which the page offers to restore
	Archives bool
	CanWrite bool
}

func (s *Server) listSolutions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.solutionQuery(c)
	v := solutionsView{CanWrite: models.WritesSolutions(actor), Archives: f.Archived}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "La solution a été archivée : elle ne peut plus être attribuée à des écoles."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archivee"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-solutions", "Solutions ENT"
	v.Empty = emptyList{Text: "Aucune solution ENT pour l'instant.",
		Hint: "Une solution est un produit d'un éditeur d'ENT ; les pilotes académiques les enregistrent."}
	if v.CanWrite {
		v.Empty.Add, v.Empty.Verb = "/solutions/nouvelle", "Ajouter une solution"
	}
	if errs == nil {
		page, err := s.store.ListSolutionRows(ctx, actor.Scope, f, q.request())
		if err != nil {
			return err
		}
		v.Page = mapPage(page, func(r models.SolutionRow) solutionItem {
			return solutionItem{SolutionRow: r, CanWrite: v.CanWrite, CSRF: csrfToken(c)}
		})
	}
	v.Form = newFilterForm("/solutions", "", "", q.Paging, errs)
	v.Form.sel("archives", "Solutions", "En service", q.Archives, []models.Choice{{Value: "oui", Label: "Archivées"}}, errs)
	u := newListURL(c, "/solutions")
	v.Columns = u.columns("", "", column{Label: "Produit"}, column{Label: "Éditeur"}, column{Label: "Version"},
		column{Label: "Fédération d'identité"}, column{Label: "Écoles", Num: true}, column{Label: "Communes", Num: true})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "solutions/list", "Solutions ENT", []crumb{home, solutionsCrumb}, v, errs != nil)
}

func (s *Server) exportSolutions(c echo.Context) error {
	_, f, errs := s.solutionQuery(c)
	return exportScoped(s, c, "solutions-ent", exports.SolutionsTable, f, errs, s.store.EachSolution, exports.SolutionValues)
}

// solutionView is one solution's page.
type solutionView struct {
	Solution models.SolutionRow
	CanWrite bool
	Done     string
	History  []models.AuditEvent
}

var solutionDone = map[string]string{
	"creation":     "La solution a été enregistrée.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "La solution a été restaurée.",
}

func (s *Server) showSolution(c echo.Context) error {
	id, sol, err := pathRecord(s, c, s.store.GetSolution)
	if err != nil {
		return err
	}
	v := solutionView{Solution: sol, CanWrite: models.WritesSolutions(s.actor(c)), Done: solutionDone[c.QueryParam("fait")]}
	if v.History, err = s.history(c, "solution", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "solutions/show", sol.Produit, []crumb{home, solutionsCrumb, {Label: sol.Produit}}, v)
}

func (s *Server) archiveSolution(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveSolution, func(id string) string { return "/solutions?fait=archivage&archivee=" + id })
}

func (s *Server) restoreSolution(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreSolution, func(id string) string { return "/solutions/" + id + "?fait=restauration" })
}
