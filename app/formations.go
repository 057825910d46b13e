package app

import (
	"slices"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Training sessions (issue 13): the list with its filters, exports and API. A session's
// page, its form and its calendar are in formations_show.go, formations_form.go and
// formations_ics.go; the plans and the modules in formations_plans.go and
// formations_modules.go. Who writes is the policy of models.EntityFormation.

var formationsCrumb = crumb{Label: "Formations", Href: "/formations"}

// formationQuery is the query string of the list, its exports and its API.
type formationQuery struct {
	Annee           string `query:"annee" validate:"max=9"`
	Departement     string `query:"departement" validate:"max=3"`
	Circonscription string `query:"circonscription" validate:"max=11"`
	Module          string `query:"module" validate:"omitempty,numeric,max=18"`
	Public          string `query:"public" validate:"max=20"`
	Statut          string `query:"statut" validate:"max=20"`
	Du              string `query:"du" validate:"max=10"`
	Au              string `query:"au" validate:"max=10"`
	Q               string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func init() {
	listFilters["/formations"] = []exportFilter{{"annee", "Année scolaire", nil}, departementFilter,
		{"circonscription", "Circonscription", nil}, {"module", "Module (n°)", nil}, {"public", "Public", models.FormationPublics},
		{"statut", "Statut", models.FormationStatutFilters}, {"du", "Du", nil}, {"au", "Au", nil}, searchFilter}
}

func (s *Server) formationQuery(c echo.Context) (formationQuery, models.FormationFilter, map[string]string) {
	var q formationQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	add := func(field, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[field] = msg
	}
	f := models.FormationFilter{Annee: q.Annee, Departement: q.Departement, Circonscription: q.Circonscription,
		Public: q.Public, Statut: q.Statut, Q: q.Q}
	f.ModuleID, _ = strconv.ParseInt(q.Module, 10, 64)
	if q.Annee != "" && models.AnneeScolaireProblem(q.Annee) != "" {
		add("annee", models.AnneeScolaireProblem(q.Annee))
	}
	if q.Public != "" && models.LabelOf(models.FormationPublics, q.Public) == q.Public {
		add("public", "Public inconnu : choisissez dans la liste.")
	}
	if q.Statut != "" && models.LabelOf(models.FormationStatutFilters, q.Statut) == q.Statut {
		add("statut", "Statut inconnu : choisissez dans la liste.")
	}
	if q.Departement != "" && !models.ValidDepartementCode(q.Departement) {
		add("departement", "Département inconnu : choisissez dans la liste.")
	}
	errs = dayRange(q.Du, q.Au, &f.Du, &f.Au, errs)
	return q, f, errs
}

// formationsView is the list page.
type formationsView struct {
	list[formationQuery, models.FormationRow]
	CanCreate, CanPlan bool
}

func (s *Server) listFormations(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.formationQuery(c)
	v := formationsView{CanCreate: models.CanCreate(actor, models.EntityFormation),
		CanPlan: models.CanCreate(actor, models.EntityPlanFormation)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-formations", "Sessions de formation"
	v.Empty = emptyList{Text: "Aucune session de formation pour l'instant.",
		Hint: "Les sessions se planifient dans le plan de formation de l'année et du département : module, public, lieu, date, capacité."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/formations/nouvelle", "Planifier une session"
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	mods, err := s.store.FormationModuleChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	circos, err := s.formationCircoChoices(c, q.Departement)
	if err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListFormations(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/formations", "Lieu ou module (exemple : Villejuif)", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Département", "Tous", q.Departement, deps, errs)
	v.Form.sel("circonscription", "Circonscription", "Toutes", q.Circonscription,
		append([]models.Choice{{Value: "departement", Label: "Sessions départementales"}}, circos...), errs)
	v.Form.sel("module", "Module", "Tous les modules", q.Module, mods, errs)
	v.Form.sel("public", "Public", "Tous les publics", q.Public, models.FormationPublics, errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, models.FormationStatutFilters, errs)
	v.Form.Inputs = []formField{
		{ID: "filtre-annee", Name: "annee", Label: "Année scolaire", Hint: "AAAA-AAAA", Type: "text", Value: q.Annee, Error: errs["annee"]},
		{ID: "filtre-du", Name: "du", Label: "Du", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Du, Error: errs["du"]},
		{ID: "filtre-au", Name: "au", Label: "au", Hint: "JJ/MM/AAAA", Type: "text", Value: q.Au, Error: errs["au"]},
	}
	u := newListURL(c, "/formations")
	v.Columns = u.columns("", "", column{Label: "Date"}, column{Label: "Module"}, column{Label: "Public"},
		column{Label: "Territoire"}, column{Label: "Lieu"}, column{Label: "Places"}, column{Label: "Statut"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "formations/list", "Formations", []crumb{home, formationsCrumb}, v, errs != nil)
}

// formationCircoChoices are the circonscriptions the filters and forms offer: those of an
// IEN's scope, or of the département dep (or the scope's sole one), labelled with the code.
func (s *Server) formationCircoChoices(c echo.Context, dep string) ([]models.Choice, error) {
	scope := s.scope(c)
	if dep == "" {
		dep = scope.SoleDepartement()
	}
	all, err := s.store.CirconscriptionChoices(c.Request().Context(), scope, dep)
	var out []models.Choice
	for _, ch := range all {
		if scope.Kind != models.ScopeCirconscription || slices.Contains(scope.Circonscriptions, ch.Value) {
			out = append(out, models.Choice{Value: ch.Value, Label: models.PlaceLabel(ch.Label, ch.Value)})
		}
	}
	return out, err
}

// formationsTable is the shape of the sessions export, in the order of the list.
var formationsTable = exports.Table{Sheet: "Sessions", Title: "Sessions de formation", Columns: []exports.Column{
	{Header: "Identifiant", Kind: exports.Integer, Width: 12},
	{Header: "Date", Kind: exports.Date, Width: 12},
	{Header: "Heure", Kind: exports.Text, Width: 8},
	{Header: "Durée (min)", Kind: exports.Integer, Width: 10},
	{Header: "Module", Kind: exports.Text, Width: 36},
	{Header: "Public", Kind: exports.Text, Width: 20},
	{Header: "Année scolaire", Kind: exports.Text, Width: 12},
	{Header: "Département", Kind: exports.Text, Width: 10},
	{Header: "Territoire", Kind: exports.Text, Width: 30},
	{Header: "Lieu", Kind: exports.Text, Width: 36},
	{Header: "Formateur", Kind: exports.Text, Width: 24},
	{Header: "Capacité", Kind: exports.Integer, Width: 10},
	{Header: "Places prises", Kind: exports.Integer, Width: 10},
	{Header: "Liste d'attente", Kind: exports.Integer, Width: 10},
	{Header: "Statut", Kind: exports.Text, Width: 18},
}}

func formationValues(r models.FormationRow) []any {
	return []any{r.ID, r.DateSession, r.HeureLabel(), r.DureeMinutes, r.ModuleLibelle, r.PublicLabel(), r.PlanAnnee,
		r.DepartementCode, r.TerritoireLabel(), r.LieuLabel(), deref(r.FormateurNom), r.Capacite, r.Inscrits,
		r.EnAttente, r.StatutLabel()}
}

func (s *Server) exportFormations(c echo.Context) error {
	_, f, errs := s.formationQuery(c)
	return exportScoped(s, c, "formations", formationsTable, f, errs, s.store.EachFormation, formationValues)
}

// formationJSON is a session in the API (no participant: the registrations are elsewhere).
type formationJSON struct {
	ID              int64   `json:"id"`
	PlanID          int64   `json:"plan_id"`
	AnneeScolaire   string  `json:"annee_scolaire"`
	ModuleID        int64   `json:"module_id"`
	Module          string  `json:"module"`
	Public          string  `json:"public"`
	Departement     string  `json:"departement"`
	Circonscription *string `json:"circonscription"`
	Lieu            string  `json:"lieu"`
	ADistance       bool    `json:"a_distance"`
	Date            string  `json:"date"`
	HeureDebut      string  `json:"heure_debut"`
	DureeMinutes    int     `json:"duree_minutes"`
	Formateur       *string `json:"formateur"`
	Capacite        int     `json:"capacite"`
	Inscrits        int     `json:"inscrits"`
	EnAttente       int     `json:"en_attente"`
	Statut          string  `json:"statut"`
	Sequence        int     `json:"sequence"`
	Version         int     `json:"version"`
}

func toFormationJSON(r models.FormationRow) formationJSON {
	return formationJSON{ID: r.ID, PlanID: r.PlanID, AnneeScolaire: r.PlanAnnee, ModuleID: r.ModuleID, Module: r.ModuleLibelle,
		Public: r.Public, Departement: r.DepartementCode, Circonscription: r.CodeCirconscription, Lieu: r.Lieu,
		ADistance: r.ADistance, Date: r.DateSession.UTC().Format(time.DateOnly), HeureDebut: r.HeureDebut,
		DureeMinutes: r.DureeMinutes, Formateur: r.FormateurNom, Capacite: r.Capacite, Inscrits: r.Inscrits,
		EnAttente: r.EnAttente, Statut: r.Statut, Sequence: r.Sequence, Version: r.Version}
}

func (s *Server) apiFormations(c echo.Context) error {
	q, f, errs := s.formationQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListFormations, toFormationJSON)
}
