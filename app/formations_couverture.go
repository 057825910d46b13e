package app

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The training's coverage of the écoles opened (/formations/couverture): the teachers
// trained against the estimate of the teaching staff (classes + 1 director), by
// circonscription, commune, wave or département, and the écoles opened with nobody trained
// first; both as a workbook or CSV (/formations/couverture.xlsx, /formations/couverture/
// ecoles.xlsx). Aggregates and écoles only, no participant: every role that reads the
// écoles opened sees it.

// trainingEcolesShown bounds the écoles listed on the page; the export has them all.
const trainingEcolesShown = 100

// trainingGroupsPage is the number of groups per page of the coverage table (the whole
// country by circonscription or by commune has thousands); the total is over them all.
const trainingGroupsPage = 100

// trainingCoverageQuery is the query string of the page and its exports.
type trainingCoverageQuery struct {
	Par             string `query:"par" validate:"omitempty,oneof=circonscription commune vague departement"`
	Departement     string `query:"departement" validate:"omitempty,departement"`
	Circonscription string `query:"circonscription" validate:"max=11,validutf8"`
	Vague           string `query:"vague" validate:"omitempty,numeric,max=18"`
}

// grouping is the grouping asked for, or by default the départements for the académie
// without a filter on a place, the circonscriptions otherwise.
func (q trainingCoverageQuery) grouping(scope models.Scope) string {
	switch {
	case q.Par != "":
		return q.Par
	case scope.CoversAcademie() && q.Departement == "" && q.Circonscription == "":
		return "departement"
	}
	return "circonscription"
}

// drill is the link of a row of the table grouped by: the coverage of the département or
// of the circonscription by commune, the commune's page, the wave's écoles.
func (q trainingCoverageQuery) drill(by, code string) string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	switch {
	case code == "":
		return ""
	case by == "commune":
		return "/communes/" + url.PathEscape(code)
	case by == "departement":
		set("departement", code)
		set("vague", q.Vague)
	case by == "circonscription":
		set("departement", q.Departement)
		set("circonscription", code)
		set("vague", q.Vague)
		v.Set("par", "commune")
	default:
		set("departement", q.Departement)
		set("circonscription", q.Circonscription)
		v.Set("vague", code)
		v.Set("par", "circonscription")
	}
	return "/formations/couverture?" + v.Encode()
}

func (q trainingCoverageQuery) filter() models.CoverageFilter {
	f := models.CoverageFilter{Departement: q.Departement, Circonscription: q.Circonscription}
	f.VagueID, _ = strconv.ParseInt(q.Vague, 10, 64)
	return f
}

// trainingCoverageLine is a line of the coverage table with its rate in French.
type trainingCoverageLine struct {
	models.FormationCoverageRow
	Rate, Href string
}

// trainingCoverageEcole is an école opened with its rate in French.
type trainingCoverageEcole struct {
	models.FormationCoverageEcole
	Rate string
}

// trainingCoverageView is the coverage page.
type trainingCoverageView struct {
	Form    filterForm
	Errors  map[string]string
	Level   string
	Rows    []trainingCoverageLine
	Pager   pager
	Total   trainingCoverageLine
	Ecoles  []trainingCoverageEcole
	More    bool // more écoles than listed
	Shown   int
	Exports exportLinks
	EcolesX exportLinks
}

func (s *Server) trainingCoverageRead(c echo.Context) (trainingCoverageQuery, map[string]string) {
	var q trainingCoverageQuery
	bindQuery(c, &q)
	return q, fieldErrors(s.valid, q)
}

func (s *Server) showFormationCoverage(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, errs := s.trainingCoverageRead(c)
	by := q.grouping(scope)
	v := trainingCoverageView{Errors: errs, Level: trainingCoverageLevel(by), Shown: trainingEcolesShown}
	if errs == nil {
		cov, err := s.store.CoverageFormation(ctx, scope, q.filter(), by)
		if err != nil {
			return err
		}
		page := groupsPage(c, cov.Rows)
		for _, r := range page.Items {
			v.Rows = append(v.Rows, trainingCoverageLine{FormationCoverageRow: r, Rate: percent(r.Rate()), Href: q.drill(by, r.Code)})
		}
		v.Pager = newPager(newListURL(c, "/formations/couverture"), page)
		v.Total = trainingCoverageLine{FormationCoverageRow: cov.Total, Rate: percent(cov.Total.Rate())}
		ecoles, err := s.store.CoverageEcoles(ctx, scope, q.filter(), trainingEcolesShown)
		if err != nil {
			return err
		}
		for _, e := range ecoles {
			v.Ecoles = append(v.Ecoles, trainingCoverageEcole{FormationCoverageEcole: e, Rate: percent(e.Rate())})
		}
		v.More = cov.Total.Ecoles > int64(len(ecoles))
	}
	if err := s.trainingCoverageForm(c, &v.Form, q, errs); err != nil {
		return err
	}
	v.Exports = newListURL(c, "/formations/couverture").exports()
	v.EcolesX = newListURL(c, "/formations/couverture/ecoles").exports()
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "formations/couverture", "Couverture des écoles ouvertes par la formation",
		[]crumb{home, formationsCrumb, {Label: "Couverture"}}, v)
}

// groupsPage is the page (?page=N, the last one past the end) of the groups of the table.
func groupsPage(c echo.Context, rows []models.FormationCoverageRow) models.Page[models.FormationCoverageRow] {
	p := models.Page[models.FormationCoverageRow]{Total: int64(len(rows)), Size: trainingGroupsPage}
	p.Number, _ = strconv.Atoi(c.QueryParam("page"))
	p.Number = min(max(p.Number, 1), p.Pages())
	from := (p.Number - 1) * p.Size
	p.Items = rows[from:min(from+p.Size, len(rows))]
	return p
}

// trainingCoverageForm fills the filters of the coverage page.
func (s *Server) trainingCoverageForm(c echo.Context, form *filterForm, q trainingCoverageQuery, errs map[string]string) error {
	deps, circos, err := s.trainingPlaces(c, q.Departement)
	if err != nil {
		return err
	}
	vagues, err := s.store.VagueChoices(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	*form = filterForm{Action: "/formations/couverture"}
	auto := "Par défaut"
	form.sel("par", "Regrouper par", auto, q.Par, models.CoverageGroupings, errs)
	form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	form.sel("circonscription", "Circonscription", "Toutes les circonscriptions", q.Circonscription, circos, errs)
	form.sel("vague", "Vague", "Toutes les vagues", q.Vague, vagues, errs)
	return nil
}

// trainingCoverageLevel is the French label of a grouping.
func trainingCoverageLevel(by string) string {
	return models.LabelOf(models.CoverageGroupings, by)
}

// trainingCoverageNote says how the figures are computed, on the page and in the exports.
const trainingCoverageNote = "effectif enseignant estimé = nombre de classes de l'école + 1 directeur"

func (s *Server) exportFormationCoverage(c echo.Context) error {
	q, errs := s.trainingCoverageRead(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	by := q.grouping(s.scope(c))
	cov, err := s.store.CoverageFormation(c.Request().Context(), s.scope(c), q.filter(), by)
	if err != nil {
		return err
	}
	level := trainingCoverageLevel(by)
	table := exports.Table{Sheet: "Couverture", Title: "Couverture des écoles ouvertes par la formation, par " + level +
		" (" + trainingCoverageNote + ")", Columns: []exports.Column{
		{Header: "Code", Kind: exports.Text, Width: 11}, {Header: level, Kind: exports.Text, Width: 40},
		{Header: "Écoles ouvertes", Kind: exports.Integer, Width: 10},
		{Header: "Effectif enseignant estimé", Kind: exports.Integer, Width: 12},
		{Header: "Enseignants formés", Kind: exports.Integer, Width: 12},
		{Header: "Taux de formation", Kind: exports.Percent, Width: 10},
		{Header: "Écoles sans personne formée", Kind: exports.Integer, Width: 12}}}
	return s.sendExport(c, "couverture-formation", table, func(w exports.RowWriter) error {
		for _, r := range append(cov.Rows, cov.Total) {
			if err := w.WriteRow(r.Code, r.Label, r.Ecoles, r.Estimation, r.Formes, r.Rate(), r.SansFormation); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Server) exportCoverageEcoles(c echo.Context) error {
	q, errs := s.trainingCoverageRead(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ecoles, err := s.store.CoverageEcoles(c.Request().Context(), s.scope(c), q.filter(), 0)
	if err != nil {
		return err
	}
	table := exports.Table{Sheet: "Écoles ouvertes", Title: "Écoles ouvertes et formation, sans personne formée d'abord (" +
		trainingCoverageNote + ")", Columns: []exports.Column{
		{Header: "UAI", Kind: exports.Text, Width: 10}, {Header: "École", Kind: exports.Text, Width: 40},
		{Header: "Commune", Kind: exports.Text, Width: 24}, {Header: "Circonscription", Kind: exports.Text, Width: 30},
		{Header: "Effectif enseignant estimé", Kind: exports.Integer, Width: 12},
		{Header: "Enseignants formés", Kind: exports.Integer, Width: 12},
		{Header: "Taux de formation", Kind: exports.Percent, Width: 10}}}
	return s.sendExport(c, "couverture-formation-ecoles", table, func(w exports.RowWriter) error {
		for _, e := range ecoles {
			if err := w.WriteRow(e.UAI, e.Nom, e.Commune, e.Circonscription, e.Estimation, e.Formes, e.Rate()); err != nil {
				return err
			}
		}
		return nil
	})
}
