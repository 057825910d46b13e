package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The alerts on conventions ("alertes"): their page, /conventions/alertes, and their counts
// on the home page.

// alertesSettings are the thresholds of the alerts: the configuration's, or the page's
// "jours" (expiry window) when given.
func (s *Server) alertesSettings(days string) models.AlertesSettings {
	set := models.AlertesSettings{ExpiryDays: s.cfg.AlertesExpiryDays, SignatureDays: s.cfg.AlertesSignatureDays}
	if n, err := strconv.Atoi(days); err == nil && n > 0 && n <= 3650 {
		set.ExpiryDays = n
	}
	return set
}

// alertesQuery is the query string of the alerts page.
type alertesQuery struct {
	Jours       string `query:"jours" validate:"omitempty,numeric,max=4"`
	Departement string `query:"departement" validate:"omitempty,max=3"`
	Paging
}

// alertesView is the alerts page.
type alertesView struct {
	Alertes  models.ConventionAlertes
	Counts   models.AlertesCounts
	Communes models.Page[models.CommuneSansConvention]
	Pager    pager
	Form     filterForm
}

func (s *Server) showConventionAlertes(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	var q alertesQuery
	bindQuery(c, &q)
	if errs := fieldErrors(s.valid, q); errs != nil {
		return &filterError{Fields: errs}
	}
	var v alertesView
	var err error
	if v.Alertes, err = s.store.ConventionAlertesOf(ctx, scope, s.alertesSettings(q.Jours)); err != nil {
		return err
	}
	v.Counts = v.Alertes.Counts()
	if v.Communes, err = s.store.ListCommunesSansConvention(ctx, scope, q.Departement, q.request(), v.Alertes.Departements); err != nil {
		return err
	}
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return err
	}
	u := newListURL(c, "/conventions/alertes")
	v.Pager = newPager(u, v.Communes)
	v.Form = filterForm{Action: "/conventions/alertes", PerPage: q.PerPage}
	v.Form.sel("jours", "Échéance dans les", "Durée par défaut", strconv.Itoa(v.Alertes.Settings.ExpiryDays), []models.Choice{
		{Value: "30", Label: "30 jours"}, {Value: "60", Label: "60 jours"}, {Value: "90", Label: "90 jours"},
		{Value: "180", Label: "180 jours"}, {Value: "365", Label: "365 jours"}}, nil)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, nil)
	return s.render(c, http.StatusOK, "alertes/list", "Alertes sur les conventions",
		[]crumb{home, conventionsCrumb, {Label: "Alertes"}}, v)
}

// homeAlertes are the counts of the alerts for the home page.
func (s *Server) homeAlertes(c echo.Context) (*models.AlertesCounts, error) {
	counts, err := s.store.ConventionAlertesCounts(c.Request().Context(), s.scope(c), s.alertesSettings(""))
	if err != nil {
		return nil, err
	}
	return &counts, nil
}
