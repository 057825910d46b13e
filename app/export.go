package app

import (
	"context"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Content types of the exports.
const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
)

// sendExport streams a list as Excel or as CSV for French Excel, as the route table says
// (csvTwin marks the .csv routes); each writes the rows, in the order of the list on screen. The
// workbook's title block and the file's name say which filters were applied.
func (s *Server) sendExport(c echo.Context, name string, table exports.Table, each func(w exports.RowWriter) error) error {
	doc, err := s.exportDocument(c, table.Title)
	if err != nil {
		return err
	}
	var w exports.RowWriter
	if isCSV(c) {
		s.attachment(c, name, doc, "csv")
		w, err = exports.NewCSV(c.Response(), table)
	} else {
		s.attachment(c, name, doc, "xlsx")
		w, err = exports.NewXLSX(c.Response(), doc, table)
	}
	if err != nil {
		return err
	}
	if err := each(w); err != nil {
		exports.Discard(w)
		return err
	}
	return w.Close()
}

// csvFormat is the context key csvTwin sets.
const csvFormat = "export-csv"

// csvTwin serves h as the CSV twin of an export: the route table wraps every .csv route
// with it, so that the handler never reads the format from the address.
func csvTwin(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(csvFormat, true)
		return h(c)
	}
}

// isCSV reports whether the request was routed to the CSV twin of an export.
func isCSV(c echo.Context) bool { return c.Get(csvFormat) == true }

// exportDocument describes the export of the request for its workbook: the title, the
// filters of the list's query in French (see listFilters), the reader's scope, the time.
func (s *Server) exportDocument(c echo.Context, title string) (exports.Document, error) {
	scope, err := s.store.DescribeScope(c.Request().Context(), s.scope(c))
	if err != nil {
		return exports.Document{}, err
	}
	doc := exports.Document{Title: title, Scope: scope, At: time.Now()}
	list := strings.TrimSuffix(c.Path(), path.Ext(c.Path()))
	if defs, ok := listFilters[list]; ok {
		doc.Filters = []exports.Field{}
		for _, d := range defs {
			if v := strings.TrimSpace(c.QueryParam(d.key)); v != "" {
				doc.Filters = append(doc.Filters, exports.Field{Label: d.label, Value: d.value(v)})
			}
		}
	}
	return doc, nil
}

// attachment sets the headers of a download: its type, and a name made of name, the
// values of the filters and the day, "communes-93-creteil-2026-11-20.xlsx".
func (s *Server) attachment(c echo.Context, name string, doc exports.Document, ext string) {
	parts := []string{name}
	for _, f := range doc.Filters {
		parts = append(parts, f.Value)
	}
	stem := exports.SafeFileName(strings.Join(parts, " "))
	mime := mimeXLSX
	if ext == "csv" {
		mime = mimeCSV
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mime)
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+stem+"-"+doc.At.Format("2006-01-02")+"."+ext+`"`)
	h.Set("Cache-Control", "no-store")
}

// exportScoped sends the export of a list whose rows the Store streams in the reader's scope:
// the filter f read from the query string (errs, its faults, make a 400 page), each row written
// through values. It is the export of most lists.
func exportScoped[F, R any](s *Server, c echo.Context, name string, table exports.Table, f F, errs map[string]string,
	each func(context.Context, models.Scope, F, func(R) error) error, values func(R) []any) error {
	if errs != nil {
		return &filterError{Fields: errs}
	}
	return s.sendExport(c, name, table, func(w exports.RowWriter) error {
		return each(c.Request().Context(), s.scope(c), f, func(r R) error { return w.WriteRow(values(r)...) })
	})
}

// exportFilter is a filter of a list as its export describes it: the query parameter,
// its French label, and the labels of its values (nil: the value as given).
type exportFilter struct {
	key, label string
	choices    []models.Choice
}

// value is the French label of a value of the filter.
func (f exportFilter) value(v string) string {
	if f.choices == nil {
		return v
	}
	return models.LabelOf(f.choices, v)
}

var (
	departementFilter = exportFilter{"departement", "Département", nil}
	searchFilter      = exportFilter{"q", "Recherche", nil}
)

// listFilters are the filters of each exported list, by the list's path, in the order of
// its filter form. The export of a list that is not here has no filters line.
var listFilters = map[string][]exportFilter{
	"/departements": {},
	"/communes": {departementFilter, {"epci", "EPCI ou EPT (SIREN)", nil}, {"population", "Population", models.PopulationBands},
		searchFilter},
	"/ecoles": {departementFilter, {"commune", "Commune (code INSEE)", nil}, {"circonscription", "Circonscription", nil},
		{"type", "Type d'école", models.EcoleTypes}, {"statut", "Statut", models.EcoleStatuts},
		{"ep", "Éducation prioritaire", models.EcoleEPFilters}, searchFilter},
	"/epci":          {departementFilter, {"type", "Type", models.EPCITypes}, searchFilter},
	"/organisations": {{"type", "Type", models.OrganisationKinds}, departementFilter, searchFilter},
	"/contacts": {{"organisation", "Organisation (n°)", nil}, departementFilter,
		{"archives", "Fiches", []models.Choice{{Value: "oui", Label: "fiches archivées"}}}, searchFilter},
	"/instances": {{"type", "Type", models.InstanceKinds}, departementFilter},
	"/reunions": {{"instance", "Instance (n°)", nil}, {"statut", "Statut", models.ReunionStatuses}, {"du", "Du", nil},
		{"au", "Au", nil}},
	"/decisions": {{"instance", "Instance (n°)", nil}, {"type", "Type", models.DecisionKinds},
		{"territoire", "Territoire", nil}, {"du", "Du", nil}, {"au", "Au", nil}, searchFilter},
	"/actions": {{"instance", "Instance (n°)", nil}, {"statut", "Statut", actionFilterStatuses},
		{"retard", "Échéance", []models.Choice{{Value: "1", Label: "en retard seulement"}}}},
	"/mes-actions": {},
	"/adoptions": {{"version", "Version de la charte (n°)", nil}, departementFilter, {"commune", "Commune (code INSEE)", nil},
		{"epci", "EPCI (SIREN)", nil}},
	"/chartes/couverture": {departementFilter},
	"/conventions": {{"type", "Type", models.ConventionKinds}, departementFilter, {"statut", "Statut", models.ConventionStatuts},
		{"echeance", "Échéance", echeances}, {"commune", "Commune (code INSEE)", nil}, {"epci", "EPCI (SIREN)", nil},
		{"partie", "Partie (n°)", nil}, searchFilter},
	"/financements": {departementFilter, {"portage", "Portage", models.Portages}, {"commune", "Commune (code INSEE)", nil},
		{"epci", "EPCI (SIREN)", nil}, {"convention", "Convention (n°)", nil}, {"annee", "Année", nil}, searchFilter},
	"/vagues": {{"annee", "Année scolaire", nil}, {"departement", "Périmètre", nil}, {"archives", "Vagues", []models.Choice{{Value: "oui", Label: "archivées"}}}},
	"/deploiements": {departementFilter, {"circonscription", "Circonscription", nil}, {"commune", "Commune", nil},
		{"epci", "EPCI (SIREN)", nil}, {"phase", "Phase", append(slices.Clone(models.DeploiementPhases), models.Choice{Value: "aucun", Label: "Hors programme"})},
		{"vague", "Vague (n°)", nil}, {"solution", "Solution (n°)", nil},
		{"retard", "Ouverture", []models.Choice{{Value: "1", Label: "en retard seulement"}}}, searchFilter},
	"/deploiements/avancement": {{"niveau", "Niveau", nil}, departementFilter},
	"/admin/journal": {{"identifiant", "Identifiant de la fiche", nil}, {"du", "Du", nil}, {"au", "Au (inclus)", nil},
		{"acteur", "Auteur (compte n°)", nil}, {"entite", "Fiche", models.AuditEntities}, {"action", "Action", models.AuditActions}},
}
