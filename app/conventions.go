package app

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Conventions (issue 5): the registry with its filters, its exports (one workbook of four
// sheets for the IA, CSV of the conventions), its JSON API, the tree view and the archives.
// One convention's page is in conventions_show.go, the form in conventions_form.go. Who
// may write is decided by the data layer (models.CanWriteConvention); pages only show the
// buttons it allows.

var conventionsCrumb = crumb{Label: "Conventions", Href: "/conventions"}

// conventionQuery is the query string of the registry, its exports and its API.
type conventionQuery struct {
	Type        string `query:"type" validate:"max=30"`
	Departement string `query:"departement" validate:"max=3"`
	Statut      string `query:"statut" validate:"max=30"`
	Echeance    string `query:"echeance" validate:"max=4"`
	Commune     string `query:"commune" validate:"max=200,validutf8"`
	EPCI        string `query:"epci" validate:"max=9,validutf8"`
	Partie      string `query:"partie" validate:"omitempty,numeric,max=18"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

// echeances are the expiry windows of the registry's filter.
var echeances = []models.Choice{
	{Value: "30", Label: "Dans les 30 jours"}, {Value: "90", Label: "Dans les 90 jours"},
	{Value: "180", Label: "Dans les 180 jours"}, {Value: "365", Label: "Dans l'année (365 jours)"},
}

var (
	inseePattern = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)
	sirenPattern = regexp.MustCompile(`^[0-9]{9}$`)
)

func (s *Server) conventionQuery(c echo.Context) (conventionQuery, models.ConventionFilter, map[string]string) {
	var q conventionQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.ConventionSorts.Valid)
	add := func(field, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[field] = msg
	}
	f := models.ConventionFilter{Kind: q.Type, Departement: q.Departement, Statut: q.Statut, Commune: q.Commune,
		EPCI: q.EPCI, Q: q.Q, Sort: q.Sort}
	f.OrganisationID, _ = strconv.ParseInt(q.Partie, 10, 64)
	if q.Type != "" && models.LabelOf(models.ConventionKinds, q.Type) == q.Type {
		add("type", "Type de convention inconnu : choisissez dans la liste.")
	}
	if q.Statut != "" && models.LabelOf(models.ConventionStatuts, q.Statut) == q.Statut {
		add("statut", "Statut inconnu : choisissez dans la liste.")
	}
	if q.Echeance != "" {
		if models.LabelOf(echeances, q.Echeance) == q.Echeance {
			add("echeance", "Échéance inconnue : choisissez dans la liste.")
		} else {
			f.ExpireDays, _ = strconv.Atoi(q.Echeance)
		}
	}
	f.Commune, errs = s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	if q.EPCI != "" && !sirenPattern.MatchString(q.EPCI) {
		add("epci", "SIREN invalide : neuf chiffres (exemple : 200057875).")
	}
	return q, f, errs
}

// conventionsView is the registry page.
type conventionsView struct {
	list[conventionQuery, models.ConventionRow]
	Done      string
	Archived  int64 // the convention just archived, which the page offers to restore
	CanCreate bool
}

func (s *Server) listConventions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.conventionQuery(c)
	v := conventionsView{CanCreate: models.CanCreateConventions(actor)}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "La convention a été archivée : elle n'apparaît plus dans le registre ni dans les exports."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archivee"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-conventions", "Registre des conventions"
	v.Empty = emptyList{Text: "Aucune convention pour l'instant.",
		Hint: "Le registre commence par la convention cadre de l'académie, puis les conventions départementales et locales qui s'y rattachent."}
	if models.CanCreateConventions(actor) {
		v.Empty.Add, v.Empty.Verb = "/conventions/nouveau", "Créer une convention"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListConventions(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	epci, err := s.store.EPCIChoices(ctx, actor.Scope, q.Departement)
	if err != nil {
		return err
	}
	orgs, err := s.store.ConventionOrganisationChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Form = newFilterForm("/conventions", "Référence ou titre", q.Q, q.Paging, errs)
	v.Form.sel("type", "Type", "Tous les types", q.Type, models.ConventionKinds, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, models.ConventionStatuts, errs)
	v.Form.sel("echeance", "Échéance", "Toutes les échéances", q.Echeance, echeances, errs)
	v.Form.sel("epci", "EPCI", "Tous les EPCI", q.EPCI, epci, errs)
	v.Form.sel("partie", "Partie", "Toutes les organisations", q.Partie, orgs, errs)
	v.Form.Inputs = []formField{placeFilter(placeCommunes, "commune", "Commune couverte",
		"Son nom (exemple : Bobigny), son code INSEE ou son code postal", q.Commune, errs["commune"])}
	u := newListURL(c, "/conventions")
	v.Columns = u.columns(q.Sort, "departement", column{Label: "Référence", Href: "reference"}, column{Label: "Type"},
		column{Label: "Département", Href: "departement"}, column{Label: "Titre"}, column{Label: "Statut", Href: "statut"},
		column{Label: "Expiration", Href: "expiration"}, column{Label: "Écoles", Num: true}, column{Label: "Élèves", Num: true})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "conventions/list", "Registre des conventions", []crumb{home, conventionsCrumb}, v, errs != nil)
}

// exportConventions sends the registry: the workbook of four sheets (.xlsx) or the
// conventions alone (.csv), always the filtered list of the scope.
func (s *Server) exportConventions(c echo.Context) error {
	_, f, errs := s.conventionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	if isCSV(c) {
		return s.sendExport(c, "conventions", exports.ConventionsTable, func(w exports.RowWriter) error {
			return s.store.EachConvention(ctx, scope, f, func(r models.ConventionRow) error {
				return w.WriteRow(exports.ConventionValues(r)...)
			})
		})
	}
	doc, err := s.exportDocument(c, exports.ConventionsTable.Title)
	if err != nil {
		return err
	}
	s.attachment(c, "conventions", doc, "xlsx")
	return exports.WriteConventionsXLSX(c.Response(), doc, func(fn func(models.ConventionRow) error) error {
		return s.store.EachConvention(ctx, scope, f, fn)
	})
}

// conventionTreeView is the "Vue en arbre" of the registry.
type conventionTreeView struct {
	Roots []models.ConventionRow
}

func (s *Server) conventionTree(c echo.Context) error {
	roots, err := s.store.ConventionTree(c.Request().Context(), s.scope(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "conventions/tree", "Conventions : vue en arbre",
		[]crumb{home, conventionsCrumb, {Label: "Vue en arbre"}}, conventionTreeView{Roots: roots})
}

// conventionArchivesView is the page of archived conventions.
type conventionArchivesView struct {
	Page       models.Page[models.ConventionRow]
	Pager      pager
	CanRestore bool
}

func (s *Server) listArchivedConventions(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListConventions(c.Request().Context(), actor.Scope, models.ConventionFilter{Archived: true}, p)
	if err != nil {
		return err
	}
	v := conventionArchivesView{Page: page, Pager: newPager(newListURL(c, "/conventions/archives"), page),
		CanRestore: models.CanCreateConventions(actor)}
	return s.render(c, http.StatusOK, "conventions/archives", "Conventions archivées", []crumb{home, conventionsCrumb, {Label: "Archives"}}, v)
}
