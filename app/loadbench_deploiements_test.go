package app_test

import (
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The rollout's pages in the load bench (loadTargets): the deployment list, first and far
// page, and the progress by département, with floors making the same Store calls as their
// handlers (app/deploiements.go, app/deploiements_progress.go).

// deploiementsFloor: the deployment list (listDeploiements) at page.
func deploiementsFloor(page int) func(*models.Store) floorFunc {
	return func(s *models.Store) floorFunc {
		return func(c echo.Context, sc models.Scope) error {
			ctx := c.Request().Context()
			var v struct {
				Page                                  models.Page[models.DeploiementRow]
				Vagues                                []models.Vague
				Solutions                             []models.SolutionENT
				Departements, Circonscriptions, EPCIs []models.Choice
			}
			err := steps(
				func() (err error) { v.Vagues, err = s.ListVagues(ctx, sc); return },
				func() (err error) { v.Solutions, err = s.ListSolutions(ctx, sc); return },
				func() (err error) {
					v.Page, err = s.ListDeploiements(ctx, sc, models.DeploiementFilter{}, floorPage(c, page))
					return
				},
				func() (err error) { v.Departements, err = s.DepartementChoicesIn(ctx, sc); return },
				func() (err error) { v.Circonscriptions, err = s.CirconscriptionChoices(ctx, sc, ""); return },
				func() (err error) { v.EPCIs, err = s.EPCIChoices(ctx, sc, ""); return },
			)
			return answer(c, v, err)
		}
	}
}

// progressFloor: the progress by département and by wave (showProgress).
func progressFloor(s *models.Store) floorFunc {
	return func(c echo.Context, sc models.Scope) error {
		ctx := c.Request().Context()
		var v struct {
			Departements []models.Choice
			Progress     models.Progress
			Vagues       []models.VagueProgress
		}
		err := steps(
			func() (err error) { v.Departements, err = s.DepartementChoicesIn(ctx, sc); return },
			func() (err error) { v.Progress, err = s.DeploiementProgress(ctx, sc, "", ""); return },
			func() (err error) { v.Vagues, err = s.VaguesProgress(ctx, sc, ""); return },
		)
		return answer(c, v, err)
	}
}

// rolloutTargets are the rollout's pages of the load bench.
func rolloutTargets() []loadTarget {
	return []loadTarget{
		{name: "deploiements", path: "/deploiements", goal: goalList, floor: deploiementsFloor(1)},
		{name: "deploiements-page900-suivante", path: "/deploiements?page=899", follow: true, goal: goalList,
			floor: deploiementsFloor(900)},
		{name: "avancement", path: "/deploiements/avancement", goal: goalDashboard, floor: progressFloor},
	}
}
