package app

import (
	"context"
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// apiList is the shape of every list of the JSON API.
type apiList[T any] struct {
	Total   int64 `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
	Items   []T   `json:"items"`
}

func newAPIList[R, T any](p models.Page[R], convert func(R) T) apiList[T] {
	items := make([]T, len(p.Items))
	for i, r := range p.Items {
		items[i] = convert(r)
	}
	return apiList[T]{Total: p.Total, Page: p.Number, PerPage: p.Size, Items: items}
}

// apiScoped answers the API of a list read in the caller's scope: the filter f read from the
// query string (errs, its faults, make a 400), the page p of list, each row through convert.
func apiScoped[F, R, T any](s *Server, c echo.Context, f F, errs map[string]string, p models.PageRequest,
	list func(context.Context, models.Scope, F, models.PageRequest) (models.Page[R], error), convert func(R) T) error {
	if errs != nil {
		return &filterError{Fields: errs}
	}
	page, err := list(c.Request().Context(), s.scope(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(page, convert))
}

type communeJSON struct {
	CodeINSEE    string   `json:"code_insee"`
	Nom          string   `json:"nom"`
	Departement  string   `json:"departement"`
	Population   int      `json:"population"`
	CodesPostaux []string `json:"codes_postaux"`
	EPCISiren    string   `json:"epci_siren,omitempty"`
	EPCINom      string   `json:"epci_nom,omitempty"`
	EPTSiren     string   `json:"ept_siren,omitempty"`
	EPTNom       string   `json:"ept_nom,omitempty"`
	NbEcoles     int      `json:"nb_ecoles"`
	NbEleves     int      `json:"nb_eleves"`
}

func toCommuneJSON(c models.CommuneRow) communeJSON {
	cps := c.PostCodes()
	if cps == nil {
		cps = []string{}
	}
	return communeJSON{c.CodeINSEE, c.Nom, c.DepartementCode, c.Population, cps,
		c.EPCISiren, c.EPCINom, c.EPTSiren, c.EPTNom, c.NbEcoles, c.NbEleves}
}

type ecoleJSON struct {
	UAI                  string `json:"uai"`
	Nom                  string `json:"nom"`
	Type                 string `json:"type"`
	Statut               string `json:"statut"`
	CodeINSEE            string `json:"code_insee"`
	Commune              string `json:"commune"`
	Departement          string `json:"departement"`
	CodeCirconscription  string `json:"code_circonscription,omitempty"`
	Circonscription      string `json:"circonscription,omitempty"`
	NbEleves             *int   `json:"nb_eleves"`
	NbClasses            *int   `json:"nb_classes"`
	EducationPrioritaire string `json:"education_prioritaire"`
}

func toEcoleJSON(e models.EcoleRow) ecoleJSON {
	return ecoleJSON{e.UAI, e.Nom, e.Type, e.Statut, e.CodeINSEE, e.CommuneNom, e.DepartementCode,
		e.CodeCirconscription, e.CirconscriptionNom, e.NbEleves, e.NbClasses, e.EducationPrioritaire}
}

type epciJSON struct {
	Siren            string `json:"siren"`
	Nom              string `json:"nom"`
	Type             string `json:"type"`
	NbCommunes       int    `json:"nb_communes_academie"`
	NbCommunesTotal  int    `json:"nb_communes_total"`
	Population       int    `json:"population_academie"`
	PopulationTotale int    `json:"population_totale"`
	NbEcoles         int    `json:"nb_ecoles"`
	NbEleves         int    `json:"nb_eleves"`
}

func toEPCIJSON(e models.EPCIRow) epciJSON {
	return epciJSON{e.Siren, e.Nom, e.Type, e.NbCommunes, e.NbCommunesTotal, e.Population, e.PopulationTotale,
		e.NbEcoles, e.NbEleves}
}

type departementJSON struct {
	Code       string `json:"code"`
	Nom        string `json:"nom"`
	Academie   string `json:"academie"`
	NbCommunes int    `json:"nb_communes"`
	Population int    `json:"population"`
	NbEcoles   int    `json:"nb_ecoles"`
	NbEleves   int    `json:"nb_eleves"`
	NbEPCI     int    `json:"nb_epci"`
	NbEPT      int    `json:"nb_ept"`
}

func toDepartementJSON(d models.DepartementRow) departementJSON {
	return departementJSON{d.Code, d.Nom, d.Academie, d.NbCommunes, d.Population, d.NbEcoles, d.NbEleves, d.NbEPCI, d.NbEPT}
}

func (s *Server) apiCommunes(c echo.Context) error {
	q, f, errs := s.communeQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListCommunes, toCommuneJSON)
}

func (s *Server) apiEcoles(c echo.Context) error {
	q, f, errs := s.ecoleQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListEcoles, toEcoleJSON)
}

func (s *Server) apiEPCI(c echo.Context) error {
	q, f, errs := s.epciQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListEPCI, toEPCIJSON)
}

func (s *Server) apiDepartements(c echo.Context) error {
	var q Paging
	bindQuery(c, &q)
	if errs := fieldErrors(s.valid, q); errs != nil {
		return &filterError{Fields: errs}
	}
	rows, err := s.store.ListDepartements(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	p := models.Page[models.DepartementRow]{Items: rows, Total: int64(len(rows)), Number: 1, Size: len(rows)}
	return c.JSON(http.StatusOK, newAPIList(p, toDepartementJSON))
}
