package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// epciQuery is the query string of the EPCI list, its exports and its API.
type epciQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	Type        string `query:"type" validate:"omitempty,oneof=CC CA CU MET EPT SYND"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) epciQuery(c echo.Context) (epciQuery, models.EPCIFilter, map[string]string) {
	var q epciQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.EPCISorts.Valid)
	return q, models.EPCIFilter{Departement: q.Departement, Type: q.Type, Q: q.Q, Sort: q.Sort}, errs
}

// epciListView is the EPCI list page.
type epciListView struct {
	list[epciQuery, models.EPCIRow]
	Departements []models.Choice
	Types        []models.Choice
}

func (s *Server) listEPCI(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, f, errs := s.epciQuery(c)
	v := epciListView{Types: models.EPCITypes}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-epci", "EPCI et EPT"
	var err error
	if v.Departements, err = s.store.DepartementChoices(ctx, scope); err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListEPCI(ctx, scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/epci", "Nom ou SIREN", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, v.Departements, errs)
	v.Form.sel("type", "Type", "Tous les types", q.Type, v.Types, errs)
	u := newListURL(c, "/epci")
	v.Columns = u.columns(q.Sort, "nom",
		column{Label: "EPCI", Href: "nom"}, column{Label: "SIREN", Href: "siren"}, column{Label: "Type", Href: "type"},
		column{Label: "Communes de l'académie", Num: true, Href: "communes"},
		column{Label: "Population de l'académie", Num: true, Href: "population"},
		column{Label: "Écoles", Num: true, Href: "ecoles"}, column{Label: "Élèves", Num: true})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "epci/list", "EPCI", []crumb{home, {Label: "EPCI", Href: "/epci"}}, v, errs != nil)
}

// epciView is one EPCI's page.
type epciView struct {
	EPCI     models.EPCIRow
	Type     string
	Communes models.Page[models.CommuneRow]
	Partial  bool // some member communes lie outside the académie
	History  []models.AuditEvent
}

func (s *Server) showEPCI(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	siren := c.Param("siren")
	if !models.ValidSIREN(siren) {
		return models.ErrNotFound
	}
	e, err := s.store.GetEPCI(ctx, scope, siren)
	if err != nil {
		return err
	}
	communes, err := s.store.ListCommunes(ctx, scope, models.CommuneFilter{EPCI: siren}, models.PageRequest{Size: models.MaxPageSize})
	if err != nil {
		return err
	}
	history, err := s.history(c, "epci", e.Siren)
	if err != nil {
		return err
	}
	v := epciView{EPCI: e, Type: models.LabelOf(models.EPCITypes, e.Type), Communes: communes,
		Partial: e.NbCommunesTotal > e.NbCommunes, History: history}
	return s.render(c, http.StatusOK, "epci/show", e.Nom, []crumb{home, {Label: "EPCI", Href: "/epci"}, {Label: e.Nom}}, v)
}

func (s *Server) exportEPCI(c echo.Context) error {
	_, f, errs := s.epciQuery(c)
	return exportScoped(s, c, "epci", exports.EPCITable, f, errs, s.store.EachEPCI, exports.EPCIValues)
}
