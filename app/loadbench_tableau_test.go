package app_test

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The dashboards' pages in the load benchmark (issue 15): the académie's dashboard (or the
// département's of the IA-DASEN: the page of their scope) and its floor, the same store
// calls without the middleware, the choices or the template.

func dashboardTargets() []loadTarget {
	return []loadTarget{
		{name: "tableau-de-bord", path: "/tableau-de-bord", goal: goalDashboard, floor: dashboardFloor},
	}
}

// dashboardFloor: the dashboard's store calls (models.DashboardOf, the baselines' and the
// départements' choices).
func dashboardFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		ctx := c.Request().Context()
		var v struct {
			Dashboard    models.Dashboard
			References   []models.Choice
			Departements []models.Choice
		}
		err := steps(
			func() (err error) {
				v.Dashboard, err = s.DashboardOf(ctx, models.Actor{Scope: sc}, models.DashboardRequest{})
				return
			},
			func() (err error) { v.References, err = s.ReferenceChoices(ctx, sc); return },
			func() (err error) { v.Departements, err = s.DepartementChoicesIn(ctx, sc); return },
		)
		return answer(c, v, err)
	}
}
