package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Deployments (deploiements): the list of the écoles of the scope with their deployment,
// its filters, exports and API, and the bulk change form around its table
// (deploiements_bulk.go); one école's fiche is in deploiements_show.go, the progress in
// deploiements_progress.go. Every deployment is written by models.ChangeDeploiements.

var deploiementsCrumb = crumb{Label: "Déploiement des écoles", Href: "/deploiements"}

// deploiementQuery is the query string of the list, its exports, its API and the bulk
// change of "all the écoles matching the filter".
type deploiementQuery struct {
	Departement     string `query:"departement" validate:"omitempty,departement"`
	Circonscription string `query:"circonscription" validate:"omitempty,uai"`
	Commune         string `query:"commune" validate:"max=200,validutf8"` // a name, an INSEE code or a postcode (app/places.go)
	EPCI            string `query:"epci" validate:"omitempty,siren"`
	Phase           string `query:"phase" validate:"omitempty,oneof=candidate etude pilote en_deploiement ouvert generalise abandonne aucun"`
	Vague           string `query:"vague" validate:"omitempty,numeric,max=18"`
	Solution        string `query:"solution" validate:"omitempty,numeric,max=18"`
	Retard          string `query:"retard" validate:"omitempty,oneof=1"`
	Q               string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) deploiementQuery(c echo.Context) (deploiementQuery, models.DeploiementFilter, map[string]string) {
	var q deploiementQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.DeploiementSorts.Valid)
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	f := models.DeploiementFilter{Departement: q.Departement, Circonscription: q.Circonscription, Commune: commune,
		EPCI: q.EPCI, Phase: q.Phase, Retard: q.Retard == "1", Q: q.Q, Sort: q.Sort}
	f.VagueID, _ = strconv.ParseInt(q.Vague, 10, 64)
	f.SolutionID, _ = strconv.ParseInt(q.Solution, 10, 64)
	return q, f, errs
}

// deploiementsView is the list page: the filtered list and, for whoever writes
// deployments, the bulk change form around its table.
type deploiementsView struct {
	list[deploiementQuery, models.DeploiementRow]
	Done     string
	CanWrite bool
	Bulk     bulkFields
	Action   string // the bulk form's address, carrying the list's filter
	ReadAt   string // when the page was read (guard of "all matching")
	CSRF     string
}

// choicesOf are the filter's choices of the waves and solutions the scope reads.
func (s *Server) deploiementChoices(c echo.Context) (vagues, solutions []models.Choice, err error) {
	ctx, scope := c.Request().Context(), s.scope(c)
	vs, err := s.store.ListVagues(ctx, scope)
	if err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		vagues = append(vagues, models.Choice{Value: strconv.FormatInt(v.ID, 10), Label: v.Nom + " (" + v.AnneeScolaire + ")"})
	}
	ss, err := s.store.ListSolutions(ctx, scope)
	if err != nil {
		return nil, nil, err
	}
	for _, so := range ss {
		solutions = append(solutions, models.Choice{Value: strconv.FormatInt(so.ID, 10), Label: so.Produit})
	}
	return vagues, solutions, nil
}

func (s *Server) listDeploiements(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	readAt := time.Now().UTC()
	q, f, errs := s.deploiementQuery(c)
	v := deploiementsView{CanWrite: models.CanCreate(actor, models.EntityDeploiement), CSRF: csrfToken(c),
		ReadAt: readAt.Format(time.RFC3339Nano)}
	v.Done = doneNotice(c)
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-deploiements", "Déploiement de l'ENT dans les écoles"
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListDeploiements(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	vagues, solutions, err := s.deploiementChoices(c)
	if err != nil {
		return err
	}
	if err := s.deploiementFilterForm(c, &v, vagues, solutions); err != nil {
		return err
	}
	v.Bulk = newBulkFields(bulkForm{}, nil, vagues, solutions, models.SetsDeploiementPlan(actor))
	u := newListURL(c, "/deploiements")
	for _, k := range []string{"modifiees", "inchangees"} {
		u.query.Del(k)
	}
	v.Action = u.as("/deploiements/modifier")
	v.Columns = u.columns(q.Sort, "nom", column{Label: "École", Href: "nom"}, column{Label: "Commune", Href: "commune"},
		column{Label: "Phase", Href: "phase"}, column{Label: "Date d'effet"}, column{Label: "Vague"}, column{Label: "Solution"},
		column{Label: "Ouverture prévue", Href: "ouverture"}, column{Label: "Ouverture effective"}, column{Label: "Écart (jours)", Num: true})
	if v.CanWrite {
		v.Columns = append([]column{{Label: "Sélection"}}, v.Columns...)
	}
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	if isHTMX(c) && c.Request().Header.Get("HX-Target") == "resultats" {
		return s.renderBlock(c, status, "deploiements/list", "deploiements-results", v)
	}
	return s.render(c, status, "deploiements/list", "Déploiement des écoles", []crumb{home, deploiementsCrumb}, v)
}

// doneNotice is the notice of a bulk change, from the redirect's query.
func doneNotice(c echo.Context) string {
	n, err1 := strconv.Atoi(c.QueryParam("modifiees"))
	m, err2 := strconv.Atoi(c.QueryParam("inchangees"))
	if err1 != nil || err2 != nil || n < 0 || m < 0 {
		return ""
	}
	return countLabel(n, "école modifiée", "écoles modifiées") + ", " + countLabel(m, "inchangée", "inchangées") + "."
}

// countLabel is "1 école modifiée", "3 écoles modifiées", "0 école modifiée".
func countLabel(n int, one, many string) string {
	if n > 1 {
		return strconv.Itoa(n) + " " + many
	}
	return strconv.Itoa(n) + " " + one
}

// deploiementFilterForm builds the filter form of the list.
func (s *Server) deploiementFilterForm(c echo.Context, v *deploiementsView, vagues, solutions []models.Choice) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, errs := v.Filter, v.Errors
	deps, err := s.store.DepartementChoicesIn(ctx, scope)
	if err != nil {
		return err
	}
	var circos, epcis []models.Choice
	if errs["departement"] == "" {
		if circos, err = s.store.CirconscriptionChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
		if epcis, err = s.store.EPCIChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/deploiements", "Nom de l'école ou UAI (ex. jules ferry, 0930388S)", q.Q, q.Paging, errs)
	v.Form.Inputs = append(v.Form.Inputs, placeFilter(placeCommunes, "commune", "Commune",
		"Son nom, son code INSEE ou son code postal (ex. montreuil, 93048)", q.Commune, errs["commune"]))
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("circonscription", "Circonscription", "Toutes les circonscriptions", q.Circonscription, circos, errs)
	v.Form.sel("epci", "EPCI ou EPT", "Tous les EPCI et EPT", q.EPCI, epcis, errs)
	v.Form.sel("phase", "Phase", "Toutes les phases", q.Phase, models.DeploiementPhaseFilters, errs)
	v.Form.sel("vague", "Vague", "Toutes les vagues", q.Vague, nonNil(vagues), errs)
	v.Form.sel("solution", "Solution ENT", "Toutes les solutions", q.Solution, nonNil(solutions), errs)
	v.Form.sel("retard", "Retard", "Toutes les écoles", q.Retard, []models.Choice{{Value: "1", Label: "Ouverture prévue dépassée"}}, errs)
	return nil
}

// nonNil keeps a select with no choices from asking for a département first.
func nonNil(choices []models.Choice) []models.Choice {
	if choices == nil {
		return []models.Choice{}
	}
	return choices
}

func (s *Server) exportDeploiements(c echo.Context) error {
	_, f, errs := s.deploiementQuery(c)
	return exportScoped(s, c, "deploiements", exports.DeploiementsTable, f, errs, s.store.EachDeploiement, exports.DeploiementValues)
}

// deploiementJSON is an école of the API with its deployment (phase "" without one).
type deploiementJSON struct {
	UAI                string  `json:"uai"`
	Nom                string  `json:"nom"`
	CodeINSEE          string  `json:"code_insee"`
	Commune            string  `json:"commune"`
	Departement        string  `json:"departement"`
	Phase              string  `json:"phase"`
	DatePhase          *string `json:"date_phase"`
	VagueID            *int64  `json:"vague_id"`
	Vague              string  `json:"vague,omitempty"`
	SolutionID         *int64  `json:"solution_id"`
	Solution           string  `json:"solution,omitempty"`
	OuverturePrevue    *string `json:"ouverture_prevue"`
	OuvertureEffective *string `json:"ouverture_effective"`
	Ecart              *int    `json:"ecart_jours"`
	Version            int     `json:"version"`
}

func toDeploiementJSON(r models.DeploiementRow) deploiementJSON {
	return deploiementJSON{UAI: r.UAI, Nom: r.Nom, CodeINSEE: r.CodeINSEE, Commune: r.CommuneNom, Departement: r.DepartementCode,
		Phase: r.Phase, DatePhase: isoDay(r.DatePhase), VagueID: r.VagueID, Vague: r.VagueNom, SolutionID: r.SolutionID,
		Solution: r.SolutionNom, OuverturePrevue: isoDay(r.OuverturePrevue), OuvertureEffective: isoDay(r.OuvertureEffective),
		Ecart: r.Ecart, Version: r.Version}
}

func (s *Server) apiDeploiements(c echo.Context) error {
	q, f, errs := s.deploiementQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListDeploiements, toDeploiementJSON)
}
