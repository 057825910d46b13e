package app

import (
	"errors"
	"net/http"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// ecoleQuery is the query string of the écoles list, its exports and its API.
type ecoleQuery struct {
	Departement     string `query:"departement" validate:"omitempty,departement"`
	Commune         string `query:"commune" validate:"max=200,validutf8"` // a name, an INSEE code or a postcode (app/places.go)
	Circonscription string `query:"circonscription" validate:"omitempty,uai"`
	Type            string `query:"type" validate:"omitempty,oneof=maternelle elementaire primaire"`
	Statut          string `query:"statut" validate:"omitempty,oneof=public prive"`
	EP              string `query:"ep" validate:"omitempty,oneof=REP REP+ rep-ou-rep+ hors"`
	Q               string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) ecoleQuery(c echo.Context) (ecoleQuery, models.EcoleFilter, map[string]string) {
	var q ecoleQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.EcoleSorts.Valid)
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	return q, models.EcoleFilter{Departement: q.Departement, Commune: commune, Circonscription: q.Circonscription,
		Type: q.Type, Statut: q.Statut, EP: q.EP, Q: q.Q, Sort: q.Sort}, errs
}

// ecolesView is the écoles list page.
type ecolesView struct {
	list[ecoleQuery, models.EcoleRow]
	Departements     []models.Choice
	Circonscriptions []models.Choice
	Types            []models.Choice
	Statuts          []models.Choice
	EPs              []models.Choice
	CommuneNom       string
}

func (s *Server) listEcoles(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, f, errs := s.ecoleQuery(c)
	v := ecolesView{Types: models.EcoleTypes, Statuts: models.EcoleStatuts, EPs: models.EcoleEPFilters}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-ecoles", "Écoles"
	var err error
	if v.Departements, err = s.store.DepartementChoices(ctx, scope); err != nil {
		return err
	}
	if errs["departement"] == "" {
		if v.Circonscriptions, err = s.store.CirconscriptionChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
	}
	if errs == nil {
		if v.Page, err = s.store.ListEcoles(ctx, scope, f, q.request()); err != nil {
			return err
		}
	}
	if f.Commune != "" && errs["commune"] == "" {
		if commune, err := s.store.GetCommune(ctx, scope, f.Commune); err == nil {
			v.CommuneNom = commune.Nom
		}
	}
	v.Form = newFilterForm("/ecoles", "Nom de l'école ou UAI (ex. jules ferry, 0930388S)", q.Q, q.Paging, errs)
	v.Form.Inputs = append(v.Form.Inputs, placeFilter(placeCommunes, "commune", "Commune",
		"Son nom, son code INSEE ou son code postal (ex. bobigny, 93008)", q.Commune, errs["commune"]))
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, v.Departements, errs)
	v.Form.sel("circonscription", "Circonscription", "Toutes les circonscriptions", q.Circonscription, v.Circonscriptions, errs)
	v.Form.sel("type", "Type d'école", "Tous les types", q.Type, v.Types, errs)
	v.Form.sel("statut", "Statut", "Public et privé", q.Statut, v.Statuts, errs)
	v.Form.sel("ep", "Éducation prioritaire", "Toutes les écoles", q.EP, v.EPs, errs)
	u := newListURL(c, "/ecoles")
	v.Columns = u.columns(q.Sort, "nom",
		column{Label: "École", Href: "nom"}, column{Label: "UAI", Href: "uai"},
		column{Label: "Commune", Href: "commune"}, column{Label: "Type", Href: "type"},
		column{Label: "Statut"}, column{Label: "Éducation prioritaire"},
		column{Label: "Élèves", Num: true, Href: "eleves"}, column{Label: "Classes", Num: true, Href: "classes"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "ecoles/list", "Écoles", []crumb{home, {Label: "Écoles", Href: "/ecoles"}}, v, errs != nil)
}

// ecoleView is one école's page.
type ecoleView struct {
	Ecole   models.EcoleRow
	Type    string
	Statut  string
	Ratio   string                 // pupils per class
	ENT     *models.DeploiementRow // its deployment, when the scope reads it
	History []models.AuditEvent
}

func (s *Server) showEcole(c echo.Context) error {
	uai := c.Param("uai")
	if !models.ValidUAIShape(uai) {
		return models.ErrNotFound
	}
	e, err := s.store.GetEcole(c.Request().Context(), s.scope(c), uai)
	if err != nil {
		return err
	}
	history, err := s.history(c, "ecole", e.UAI)
	if err != nil {
		return err
	}
	v := ecoleView{Ecole: e, Type: models.LabelOf(models.EcoleTypes, e.Type), Statut: models.LabelOf(models.EcoleStatuts, e.Statut),
		History: history}
	if d, err := s.store.GetDeploiementRow(c.Request().Context(), s.scope(c), e.UAI); err == nil {
		v.ENT = &d
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if e.NbEleves != nil && e.NbClasses != nil && *e.NbClasses > 0 {
		v.Ratio = fr.Decimal(float64(*e.NbEleves)/float64(*e.NbClasses), 1)
	}
	return s.render(c, http.StatusOK, "ecoles/show", e.Nom,
		[]crumb{home, {Label: "Écoles", Href: "/ecoles"}, {Label: e.Nom}}, v)
}

func (s *Server) exportEcoles(c echo.Context) error {
	_, f, errs := s.ecoleQuery(c)
	return exportScoped(s, c, "ecoles", exports.EcolesTable, f, errs, s.store.EachEcole, exports.EcoleValues)
}
