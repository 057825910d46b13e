package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// communeQuery is the query string of the communes list, its exports and its API.
type communeQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	EPCI        string `query:"epci" validate:"omitempty,siren"`
	Population  string `query:"population" validate:"omitempty,oneof=moins-de-2000 2000-9999 10000-49999 50000-et-plus"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) communeQuery(c echo.Context) (communeQuery, models.CommuneFilter, map[string]string) {
	var q communeQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.CommuneSorts.Valid)
	return q, models.CommuneFilter{Departement: q.Departement, EPCI: q.EPCI, Band: q.Population, Q: q.Q, Sort: q.Sort}, errs
}

// communesView is the communes list page.
type communesView struct {
	list[communeQuery, models.CommuneRow]
	Departements []models.Choice
	EPCI         []models.Choice
	Bands        []models.Choice
}

func (s *Server) listCommunes(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, f, errs := s.communeQuery(c)
	v := communesView{Bands: models.PopulationBands}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-communes", "Communes"
	var err error
	if v.Departements, err = s.store.DepartementChoices(ctx, scope); err != nil {
		return err
	}
	if errs["departement"] == "" {
		if v.EPCI, err = s.store.EPCIChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
	}
	if errs == nil {
		if v.Page, err = s.store.ListCommunes(ctx, scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/communes", "Nom, code INSEE ou code postal (ex. creteil, 94028)", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, v.Departements, errs)
	v.Form.sel("epci", "EPCI ou EPT", "Tous les EPCI et EPT", q.EPCI, v.EPCI, errs)
	v.Form.sel("population", "Population", "Toutes les tailles", q.Population, v.Bands, errs)
	u := newListURL(c, "/communes")
	v.Columns = u.columns(q.Sort, "nom",
		column{Label: "Commune", Href: "nom"}, column{Label: "Code INSEE", Href: "code"},
		column{Label: "Département", Href: "departement"}, column{Label: "EPCI"},
		column{Label: "Population", Num: true, Href: "population"},
		column{Label: "Écoles", Num: true, Href: "ecoles"}, column{Label: "Élèves", Num: true, Href: "eleves"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "communes/list", "Communes", []crumb{home, {Label: "Communes", Href: "/communes"}}, v, errs != nil)
}

// communeView is one commune's page.
type communeView struct {
	Commune   models.CommuneRow
	Ecoles    models.Page[models.EcoleRow]
	EcolesURL string
	Charte    models.CommuneCharte // how the charter applies to the commune
	ENT       *models.CommuneENT   // the ENT derived from its écoles' deployments
	History   []models.AuditEvent
}

func (s *Server) showCommune(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	code := c.Param("code")
	if !models.ValidINSEE(code) {
		return models.ErrNotFound
	}
	commune, err := s.store.GetCommune(ctx, scope, code)
	if err != nil {
		return err
	}
	ecoles, err := s.store.ListEcoles(ctx, scope, models.EcoleFilter{Commune: code}, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		return err
	}
	charte, err := s.store.CommuneCharteOf(ctx, scope, code)
	if err != nil {
		return err
	}
	history, err := s.history(c, "commune", commune.CodeINSEE)
	if err != nil {
		return err
	}
	ent, err := s.store.CommuneENTOf(ctx, scope, code)
	if err != nil {
		return err
	}
	v := communeView{Commune: commune, Ecoles: ecoles, EcolesURL: "/ecoles?commune=" + code, Charte: charte, History: history}
	if ent.Ecoles > 0 {
		v.ENT = &ent
	}
	return s.render(c, http.StatusOK, "communes/show", commune.Nom,
		[]crumb{home, {Label: "Communes", Href: "/communes"}, {Label: commune.Nom}}, v)
}

func (s *Server) exportCommunes(c echo.Context) error {
	_, f, errs := s.communeQuery(c)
	return exportScoped(s, c, "communes", exports.CommunesTable, f, errs, s.store.EachCommune, exports.CommuneValues)
}
