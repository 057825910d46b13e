package app_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
)

// The floors of the load benchmark (loadbench_test.go): for each page, a bare echo handler
// that runs the same store calls as the page's handler, with the same filter, page and
// scope, and writes their result as JSON (or, for an export, writes the same rows with a
// bare CSV or Excel writer). No session, CSRF, scope middleware, request log or template:
// what the page costs above its floor is what the product adds around its SQL.
//
// A floor must follow its handler: when a handler gains or loses a store call, so does its
// floor here, or the ratio stops meaning anything.

// floorFunc serves one floor for the scope of a role.
type floorFunc func(c echo.Context, sc models.Scope) error

// indexedFloor is the floor's path of the bare indexed page, the reference of the home
// page and the dashboards: one commune read by its primary key.
const indexedFloor = "page-indexee"

// indexedCommune is the commune the bare indexed page reads (Bobigny).
const indexedCommune = "93008"

// newFloorServer is the bare echo server of the floors: GET /<role>/<floor> runs the floor
// of that name with the scope of that role. It shares the page server's store.
func newFloorServer(store *models.Store, scopes map[string]models.Scope, targets []loadTarget) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	add := func(name string, fn floorFunc) {
		e.GET("/:role/"+name, func(c echo.Context) error {
			sc, ok := scopes[c.Param("role")]
			if !ok {
				return echo.NewHTTPError(http.StatusNotFound)
			}
			return fn(c, sc)
		})
	}
	add(indexedFloor, func(c echo.Context, _ models.Scope) error {
		r, err := store.GetCommune(c.Request().Context(), models.AcademieScope(), indexedCommune)
		return answer(c, r, err)
	})
	for _, t := range targets {
		add(t.name, t.floor(store))
	}
	return e
}

// answer writes v as JSON, or the error's status.
func answer(c echo.Context, v any, err error) error {
	switch {
	case errors.Is(err, models.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound)
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// floorPage is the page request of a floor: page number n, or the paging of the floor's
// query when it has one (a followed "Page suivante" link: its page and cursor).
func floorPage(c echo.Context, n int) models.PageRequest {
	p := models.PageRequest{Number: n, After: c.QueryParam("apres"), Before: c.QueryParam("avant")}
	if v, err := strconv.Atoi(c.QueryParam("page")); err == nil {
		p.Number = v
	}
	return p
}

// steps runs the store calls of a page in order, stopping at the first error.
func steps(fns ...func() error) error {
	for _, fn := range fns {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// homeFloor: the home page (app/departements.go home).
func homeFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		ctx := c.Request().Context()
		var v struct {
			Departements []models.DepartementRow
			Scope        string
			Mine         models.TerritorySummary
			Alertes      models.AlertesCounts
			Attention    models.Attention
		}
		err := steps(
			func() (err error) { v.Departements, err = s.ListDepartements(ctx, sc); return },
			func() (err error) { v.Scope, err = s.DescribeScope(ctx, sc); return },
			func() (err error) { v.Mine, err = s.SummarizeScope(ctx, sc); return },
			func() (err error) {
				v.Alertes, err = s.ConventionAlertesCounts(ctx, sc, models.AlertesSettings{})
				return
			},
			func() (err error) {
				v.Attention, err = s.AttentionOf(ctx, models.Actor{Scope: sc}, models.DefaultUsageThreshold)
				return
			},
		)
		return answer(c, v, err)
	}
}

// departementsFloor: the départements page (listDepartements).
func departementsFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		rows, err := s.ListDepartements(c.Request().Context(), sc)
		return answer(c, rows, err)
	}
}

// communesFloor: the communes list (listCommunes), or its API (apiCommunes) when api is set.
func communesFloor(f models.CommuneFilter, page int, api bool) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Departements, EPCI []models.Choice
				Page               models.Page[models.CommuneRow]
			}
			var err error
			if !api {
				err = steps(
					func() (err error) { v.Departements, err = s.DepartementChoices(ctx, sc); return },
					func() (err error) { v.EPCI, err = s.EPCIChoices(ctx, sc, f.Departement); return },
				)
			}
			if err == nil {
				v.Page, err = s.ListCommunes(ctx, sc, f, floorPage(c, page))
			}
			return answer(c, v, err)
		}
	}
}

// ecolesFloor: the écoles list (listEcoles), or its API (apiEcoles) when api is set.
func ecolesFloor(f models.EcoleFilter, page int, api bool) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Departements, Circonscriptions []models.Choice
				Page                           models.Page[models.EcoleRow]
			}
			var err error
			if !api {
				err = steps(
					func() (err error) { v.Departements, err = s.DepartementChoices(ctx, sc); return },
					func() (err error) {
						v.Circonscriptions, err = s.CirconscriptionChoices(ctx, sc, f.Departement)
						return
					},
				)
			}
			if err == nil {
				v.Page, err = s.ListEcoles(ctx, sc, f, floorPage(c, page))
			}
			return answer(c, v, err)
		}
	}
}

// decisionsFloor: the decisions register (listDecisions).
func decisionsFloor(page int) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Bodies models.Page[models.InstanceRow]
				Page   models.Page[models.DecisionRow]
			}
			err := steps(
				func() (err error) {
					v.Bodies, err = s.ListInstances(ctx, sc, models.InstanceFilter{}, models.PageRequest{Size: models.MaxChoices})
					return
				},
				func() (err error) {
					v.Page, err = s.ListDecisions(ctx, sc, models.DecisionFilter{}, floorPage(c, page))
					return
				},
			)
			return answer(c, v, err)
		}
	}
}

// conventionsFloor: the conventions registry (listConventions).
func conventionsFloor(page int) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Page                              models.Page[models.ConventionRow]
				Departements, EPCI, Organisations []models.Choice
			}
			err := steps(
				func() (err error) {
					v.Page, err = s.ListConventions(ctx, sc, models.ConventionFilter{}, floorPage(c, page))
					return
				},
				func() (err error) { v.Departements, err = s.DepartementChoices(ctx, sc); return },
				func() (err error) { v.EPCI, err = s.EPCIChoices(ctx, sc, ""); return },
				func() (err error) { v.Organisations, err = s.ConventionOrganisationChoices(ctx, sc); return },
			)
			return answer(c, v, err)
		}
	}
}

// financementsFloor: the financing plans list (listFinancements).
func financementsFloor(page int) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Page                            models.Page[models.FinancementRow]
				Departements, EPCI, Conventions []models.Choice
			}
			err := steps(
				func() (err error) {
					v.Page, err = s.ListFinancements(ctx, sc, models.FinancementFilter{}, floorPage(c, page))
					return
				},
				func() (err error) { v.Departements, err = s.DepartementChoicesIn(ctx, sc); return },
				func() (err error) { v.EPCI, err = s.FinancementEPCIFilterChoices(ctx, sc, ""); return },
				func() (err error) { v.Conventions, err = s.FinancementConventionFilterChoices(ctx, sc); return },
			)
			return answer(c, v, err)
		}
	}
}

// coverageFloor: the charter's coverage (showCoverage).
func coverageFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		ctx := c.Request().Context()
		var v struct {
			Coverage     models.Coverage
			Uncovered    models.Page[models.UncoveredCommune]
			Departements []models.Choice
		}
		err := steps(
			func() (err error) {
				if v.Coverage, err = s.CoverageOf(ctx, sc); errors.Is(err, models.ErrNotFound) {
					err = nil
				}
				return
			},
			func() (err error) { v.Uncovered, err = s.ListUncovered(ctx, sc, "", models.PageRequest{}); return },
			func() (err error) { v.Departements, err = s.DepartementChoices(ctx, sc); return },
		)
		return answer(c, v, err)
	}
}

// alertesFloor: the alerts on conventions (showConventionAlertes).
func alertesFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		ctx := c.Request().Context()
		var v struct {
			Alertes      models.ConventionAlertes
			Communes     models.Page[models.CommuneSansConvention]
			Departements []models.Choice
		}
		err := steps(
			func() (err error) { v.Alertes, err = s.ConventionAlertesOf(ctx, sc, models.AlertesSettings{}); return },
			func() (err error) {
				v.Communes, err = s.ListCommunesSansConvention(ctx, sc, "", models.PageRequest{}, v.Alertes.Departements)
				return
			},
			func() (err error) { v.Departements, err = s.DepartementChoices(ctx, sc); return },
		)
		return answer(c, v, err)
	}
}

// ecolesXLSXFloor: the rows of the écoles export (exportEcoles) through a bare excelize
// stream writer: a header row and the values, without title block, styles or print setup.
func ecolesXLSXFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return err
		}
		row := 1
		write := func(values []any) error {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(cell, values)
		}
		if err := write(headers(exports.EcolesTable)); err != nil {
			return err
		}
		err = s.EachEcole(c.Request().Context(), sc, models.EcoleFilter{}, func(r models.EcoleRow) error {
			return write(bareValues(exports.EcoleValues(r)))
		})
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Response().WriteHeader(http.StatusOK)
		return f.Write(c.Response())
	}
}

// communesCSVFloor: the rows of the communes export (exportCommunes) through a bare
// encoding/csv writer.
func communesCSVFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().WriteHeader(http.StatusOK)
		w := csv.NewWriter(c.Response())
		w.Comma = ';'
		record := func(values []any) error {
			rec := make([]string, len(values))
			for i, v := range bareValues(values) {
				rec[i] = bareString(v)
			}
			return w.Write(rec)
		}
		if err := record(headers(exports.CommunesTable)); err != nil {
			return err
		}
		err := s.EachCommune(c.Request().Context(), sc, models.CommuneFilter{}, func(r models.CommuneRow) error {
			return record(exports.CommuneValues(r))
		})
		if err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	}
}

// headers are the column headers of an export's table.
func headers(t exports.Table) []any {
	out := make([]any, len(t.Columns))
	for i, col := range t.Columns {
		out[i] = col.Header
	}
	return out
}

// bareValues replaces the pointers of an export's row by their value (nil when unset).
func bareValues(values []any) []any {
	for i, v := range values {
		switch p := v.(type) {
		case *int:
			if p == nil {
				values[i] = nil
			} else {
				values[i] = *p
			}
		case *int64:
			if p == nil {
				values[i] = nil
			} else {
				values[i] = *p
			}
		case *string:
			if p == nil {
				values[i] = nil
			} else {
				values[i] = *p
			}
		}
	}
	return values
}

// bareString is a value of a bare CSV record.
func bareString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return fmt.Sprint(x)
	}
}

// conventionsXLSXFloor: the four sheets of the registry workbook (exportConventions) from
// one pass over the registry, through bare excelize stream writers (one per sheet, opened
// together): no title block, styles or print setup.
func conventionsXLSXFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		f := excelize.NewFile()
		defer f.Close()
		tables := []exports.Table{exports.ConventionsTable, exports.AvenantsTable, exports.AnnexTable, exports.PartiesTable}
		sheets := make([]*excelize.StreamWriter, len(tables))
		rows := make([]int, len(tables))
		for i, t := range tables {
			if i > 0 {
				if _, err := f.NewSheet(t.Sheet); err != nil {
					return err
				}
			} else if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
				return err
			}
			sw, err := f.NewStreamWriter(t.Sheet)
			if err != nil {
				return err
			}
			sheets[i] = sw
		}
		write := func(i int, values []any) error {
			rows[i]++
			cell, _ := excelize.CoordinatesToCellName(1, rows[i])
			return sheets[i].SetRow(cell, values)
		}
		for i, t := range tables {
			if err := write(i, headers(t)); err != nil {
				return err
			}
		}
		err := s.EachConvention(c.Request().Context(), sc, models.ConventionFilter{}, func(r models.ConventionRow) error {
			for _, a := range r.Avenants {
				if err := write(1, bareValues(exports.AvenantValues(a, r))); err != nil {
					return err
				}
			}
			for _, e := range r.Ecoles {
				if err := write(2, bareValues(exports.AnnexValues(e, r))); err != nil {
					return err
				}
			}
			for _, p := range r.Parties {
				if err := write(3, bareValues(exports.PartyValues(p, r))); err != nil {
					return err
				}
			}
			return write(0, bareValues(exports.ConventionValues(r)))
		})
		if err != nil {
			return err
		}
		for _, sw := range sheets {
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		c.Response().WriteHeader(http.StatusOK)
		return f.Write(c.Response())
	}
}
