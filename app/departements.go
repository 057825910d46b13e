package app

import (
	"net/http"
	"net/url"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// departementsView is the départements page and the home page.
type departementsView struct {
	Departements []models.DepartementRow
	Total        models.DepartementRow
	Scope        string                  // home page: the user's territory
	Mine         models.TerritorySummary // and what it holds
	Alertes      *models.AlertesCounts   // home page: the alerts on conventions of the scope
	Attention    models.Attention        // home page: what needs the user's attention
}

func (s *Server) departements(c echo.Context) (departementsView, error) {
	rows, err := s.store.ListDepartements(c.Request().Context(), s.scope(c))
	v := departementsView{Departements: rows}
	for _, d := range rows {
		v.Total.NbCommunes += d.NbCommunes
		v.Total.Population += d.Population
		v.Total.NbEcoles += d.NbEcoles
		v.Total.NbEleves += d.NbEleves
	}
	return v, err
}

func (s *Server) home(c echo.Context) error {
	v, err := s.departements(c)
	if err != nil {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	if v.Scope, err = s.store.DescribeScope(ctx, scope); err != nil {
		return err
	}
	if v.Mine, err = s.store.SummarizeScope(ctx, scope); err != nil {
		return err
	}
	if v.Alertes, err = s.homeAlertes(c); err != nil {
		return err
	}
	if v.Attention, err = s.store.AttentionOf(ctx, s.actor(c), s.usageThreshold()); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "home", "Accueil", nil, v)
}

func (s *Server) listDepartements(c echo.Context) error {
	v, err := s.departements(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "departements/list", "Départements",
		[]crumb{home, {Label: "Départements", Href: "/departements"}}, v)
}

// departementView is one département's page.
type departementView struct {
	Departement            models.DepartementRow
	ByType, ByStatut, ByEP []breakdownRow
	Circonscriptions       []models.Choice
}

// breakdownRow is one line of a breakdown table, with its label and its list link.
type breakdownRow struct {
	Label    string
	Href     string
	NbEcoles int
	NbEleves int
}

func (s *Server) showDepartement(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	code := c.Param("code")
	if !models.ValidDepartementCode(code) {
		return models.ErrNotFound
	}
	d, err := s.store.GetDepartement(ctx, scope, code)
	if err != nil {
		return err
	}
	byType, byStatut, byEP, err := s.store.EcoleBreakdown(ctx, scope, models.EcoleFilter{Departement: code})
	if err != nil {
		return err
	}
	circos, err := s.store.CirconscriptionChoices(ctx, scope, code)
	if err != nil {
		return err
	}
	for i := range byEP {
		if byEP[i].Key == "" {
			byEP[i].Key = "hors"
		}
	}
	base := "/ecoles?departement=" + code
	v := departementView{Departement: d, Circonscriptions: circos,
		ByType:   breakdownRows(byType, models.EcoleTypes, base+"&type="),
		ByStatut: breakdownRows(byStatut, models.EcoleStatuts, base+"&statut="),
		ByEP:     breakdownRows(byEP, models.EcoleEPFilters, base+"&ep="),
	}
	return s.render(c, http.StatusOK, "departements/show", d.Nom,
		[]crumb{home, {Label: "Départements", Href: "/departements"}, {Label: d.Code + " — " + d.Nom}}, v)
}

func breakdownRows(rows []models.Breakdown, labels []models.Choice, href string) []breakdownRow {
	out := make([]breakdownRow, len(rows))
	for i, r := range rows {
		out[i] = breakdownRow{Label: models.LabelOf(labels, r.Key), Href: href + url.QueryEscape(r.Key), NbEcoles: r.NbEcoles, NbEleves: r.NbEleves}
	}
	return out
}

func (s *Server) exportDepartements(c echo.Context) error {
	v, err := s.departements(c)
	if err != nil {
		return err
	}
	return s.sendExport(c, "departements", exports.DepartementsTable, func(w exports.RowWriter) error {
		for _, d := range v.Departements {
			if err := w.WriteRow(exports.DepartementValues(d)...); err != nil {
				return err
			}
		}
		return nil
	})
}
