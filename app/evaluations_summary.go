package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The results of the questionnaires aggregated (/formations/evaluations): per module,
// circonscription, département or school year of the sessions of the scope, with the
// number of answers next to each mean; the same table as a workbook or CSV. Aggregates
// only: every role that reads sessions sees them (the AMIF and the lecteur included).

// evaluationSummaryQuery is the query string of the page and its exports.
type evaluationSummaryQuery struct {
	Par             string `query:"par" validate:"omitempty,oneof=module circonscription departement annee"`
	Annee           string `query:"annee" validate:"max=9,validutf8"`
	Departement     string `query:"departement" validate:"omitempty,departement"`
	Circonscription string `query:"circonscription" validate:"max=11,validutf8"`
	Module          string `query:"module" validate:"omitempty,numeric,max=18"`
}

func (q evaluationSummaryQuery) filter() models.EvaluationFilter {
	f := models.EvaluationFilter{Annee: q.Annee, Departement: q.Departement, Circonscription: q.Circonscription}
	f.ModuleID, _ = strconv.ParseInt(q.Module, 10, 64)
	return f
}

// evaluationSummaryView is the aggregates page.
type evaluationSummaryView struct {
	Filter     evaluationSummaryQuery
	Form       filterForm
	Errors     map[string]string
	Level      string
	Rows       []evaluationLine
	Total      evaluationLine
	MinAnswers int
	Exports    exportLinks
}

func (s *Server) evaluationSummaryRead(c echo.Context) (evaluationSummaryQuery, map[string]string) {
	var q evaluationSummaryQuery
	bindQuery(c, &q)
	return q, fieldErrors(s.valid, q)
}

func (s *Server) showEvaluationSummary(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, errs := s.evaluationSummaryRead(c)
	v := evaluationSummaryView{Filter: q, Errors: errs, Level: evaluationLevel(q.Par), MinAnswers: models.MinEvaluationAnswers}
	if errs == nil {
		t, err := s.store.EvaluationSummary(ctx, scope, q.filter(), q.Par)
		if err != nil {
			return err
		}
		for _, r := range t.Rows {
			v.Rows = append(v.Rows, newEvaluationLine(r))
		}
		v.Total = newEvaluationLine(t.Total)
	}
	if err := s.evaluationFilterForm(c, &v.Form, q, errs); err != nil {
		return err
	}
	v.Exports = newListURL(c, "/formations/evaluations").exports()
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "formations/evaluations_synthese", "Évaluations des formations",
		[]crumb{home, formationsCrumb, {Label: "Évaluations"}}, v)
}

// evaluationFilterForm fills the filters of the aggregates page.
func (s *Server) evaluationFilterForm(c echo.Context, form *filterForm, q evaluationSummaryQuery, errs map[string]string) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	deps, circos, err := s.trainingPlaces(c, q.Departement)
	if err != nil {
		return err
	}
	years, err := s.store.EvaluationAnneeChoices(ctx, scope)
	if err != nil {
		return err
	}
	mods, err := s.store.EvaluationModuleChoices(ctx, scope)
	if err != nil {
		return err
	}
	*form = filterForm{Action: "/formations/evaluations"}
	form.sel("par", "Regrouper par", "Module", q.Par, models.EvaluationGroupings[1:], errs)
	form.sel("annee", "Année scolaire", "Toutes les années", q.Annee, years, errs)
	form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	form.sel("circonscription", "Circonscription", "Toutes les circonscriptions", q.Circonscription, circos, errs)
	form.sel("module", "Module", "Tous les modules", q.Module, mods, errs)
	return nil
}

// trainingPlaces are the départements of the training's aggregate filters and the
// circonscriptions of the département chosen (or of the scope's sole one; nil otherwise).
func (s *Server) trainingPlaces(c echo.Context, dep string) (deps, circos []models.Choice, err error) {
	ctx, scope := c.Request().Context(), s.scope(c)
	if deps, err = s.store.DepartementChoicesIn(ctx, scope); err != nil {
		return nil, nil, err
	}
	if dep == "" && len(deps) == 1 {
		dep = deps[0].Value
	}
	if dep != "" {
		circos, err = s.store.CirconscriptionChoices(ctx, scope, dep)
	}
	return deps, circos, err
}

// evaluationLevel is the French label of a grouping.
func evaluationLevel(by string) string {
	if by == "" {
		by = "module"
	}
	return models.LabelOf(models.EvaluationGroupings, by)
}

func (s *Server) exportEvaluationSummary(c echo.Context) error {
	q, errs := s.evaluationSummaryRead(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	t, err := s.store.EvaluationSummary(c.Request().Context(), s.scope(c), q.filter(), q.Par)
	if err != nil {
		return err
	}
	return s.sendExport(c, "evaluations-formations", evaluationTable(evaluationLevel(q.Par)), func(w exports.RowWriter) error {
		for _, r := range append(t.Rows, t.Total) {
			if err := w.WriteRow(r.Code, r.Label, r.Reponses, r.MeanSatisfaction(), r.MeanUtilite(),
				r.ShareOui(), r.ShareNon(), r.SharePeutEtre()); err != nil {
				return err
			}
		}
		return nil
	})
}

// evaluationTable is the shape of the aggregates' export: empty means and shares under
// models.MinEvaluationAnswers answers.
func evaluationTable(level string) exports.Table {
	return exports.Table{Sheet: "Évaluations", Title: "Évaluations des formations par " + level +
		" (moyennes et parts à partir de 5 réponses)", Columns: []exports.Column{
		{Header: "Code", Kind: exports.Text, Width: 11}, {Header: level, Kind: exports.Text, Width: 40},
		{Header: "Réponses", Kind: exports.Integer, Width: 10},
		{Header: "Satisfaction moyenne (sur 5)", Kind: exports.Decimal, Width: 14},
		{Header: "Utilité moyenne (sur 5)", Kind: exports.Decimal, Width: 14},
		{Header: "Utilisera l'ENT en classe : oui", Kind: exports.Percent, Width: 14},
		{Header: "Non", Kind: exports.Percent, Width: 10}, {Header: "Peut-être", Kind: exports.Percent, Width: 10}}}
}
