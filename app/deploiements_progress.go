package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The progress of the rollout (/deploiements/avancement): écoles and pupils per phase by
// département, or by circonscription, EPCI or commune of a département, and the waves
// against their targets; the same table as a workbook or CSV.

// progressQuery is the query string of the progress page and its exports.
type progressQuery struct {
	Niveau      string `query:"niveau" validate:"omitempty,oneof=departement circonscription epci commune"`
	Departement string `query:"departement" validate:"omitempty,departement"`
}

// progressView is the progress page.
type progressView struct {
	Filter  progressQuery
	Form    filterForm
	Errors  map[string]string
	Level   string // label of the level, heading the first column
	Columns []models.Choice
	Rows    []progressLine
	Total   progressLine
	Vagues  []vagueLine
	Exports exportLinks
	Link    bool // the rows of communes link to their fiche
}

// progressLine is a line of the progress table with its share of écoles open, in French.
type progressLine struct {
	models.ProgressRow
	Share string
}

func newProgressLine(r models.ProgressRow) progressLine {
	return progressLine{ProgressRow: r, Share: fr.PercentOf(r.Opened(), r.Total.Ecoles)}
}

// vagueLine is a wave with the share of its target open, in French.
type vagueLine struct {
	models.VagueProgress
	Share string
}

// percent is a share (0 to 1) as "42,5 %".
func percent(share float64) string { return fr.Decimal(share*100, 1) + " %" }

// progressRead reads the query; a level below the département needs one (the first of the
// scope's when none is chosen).
func (s *Server) progressRead(c echo.Context) (progressQuery, map[string]string, []models.Choice, error) {
	var q progressQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	deps, err := s.store.DepartementChoicesIn(c.Request().Context(), s.scope(c))
	if err != nil {
		return q, errs, nil, err
	}
	if errs == nil && q.Niveau != "" && q.Niveau != "departement" && q.Departement == "" && len(deps) > 0 &&
		s.scope(c).Kind == models.ScopeAcademie {
		q.Departement = deps[0].Value
	}
	return q, errs, deps, nil
}

func (s *Server) showProgress(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, errs, deps, err := s.progressRead(c)
	if err != nil {
		return err
	}
	v := progressView{Filter: q, Errors: errs, Columns: models.ProgressColumns, Level: levelLabel(q.Niveau), Link: q.Niveau == "commune"}
	if errs == nil {
		p, err := s.store.DeploiementProgress(ctx, scope, q.Niveau, q.Departement)
		if err != nil {
			return err
		}
		for _, r := range p.Rows {
			v.Rows = append(v.Rows, newProgressLine(r))
		}
		v.Total = newProgressLine(p.Total)
		vagues, err := s.store.VaguesProgress(ctx, scope, q.Departement)
		if err != nil {
			return err
		}
		for _, w := range vagues {
			v.Vagues = append(v.Vagues, vagueLine{VagueProgress: w, Share: percent(w.Share())})
		}
	}
	v.Form = filterForm{Action: "/deploiements/avancement"}
	v.Form.sel("niveau", "Niveau", "Département", q.Niveau, models.ProgressLevels[1:], errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Exports = newListURL(c, "/deploiements/avancement").exports()
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "deploiements/avancement", "Avancement du déploiement",
		[]crumb{home, deploiementsCrumb, {Label: "Avancement"}}, v)
}

// levelLabel is the French label of a level of the progress table.
func levelLabel(level string) string {
	if level == "" {
		level = "departement"
	}
	return models.LabelOf(models.ProgressLevels, level)
}

func (s *Server) exportProgress(c echo.Context) error {
	q, errs, _, err := s.progressRead(c)
	if err != nil {
		return err
	}
	if errs != nil {
		return &filterError{Fields: errs}
	}
	p, err := s.store.DeploiementProgress(c.Request().Context(), s.scope(c), q.Niveau, q.Departement)
	if err != nil {
		return err
	}
	return s.sendExport(c, "avancement-deploiement", exports.ProgressTable(levelLabel(q.Niveau)), func(w exports.RowWriter) error {
		for _, r := range append(p.Rows, p.Total) {
			if err := w.WriteRow(exports.ProgressValues(r)...); err != nil {
				return err
			}
		}
		return nil
	})
}
