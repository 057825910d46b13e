package exports

import (
	"context"
	"slices"

	"github.com/ac-creteil/pilotage/models"
)

// The sheets of the dashboard workbook after its figures, one per theme: the lists of the
// scope (within the département of a département's dashboard), each as its own export
// writes it, read once and streamed.

// Theme is one list sheet of the dashboard workbook.
type Theme struct {
	Table Table
	Rows  func(w RowSink) error
	// Flag highlights the rows whose column Flag.Column reads Flag.Value (the late
	// milestones), by a conditional format; nil: none.
	Flag *Flag
}

// RowSink receives the rows of a sheet one by one (a Sheet, or any RowWriter).
type RowSink interface{ WriteRow(values ...any) error }

// Flag is a conditional highlight of rows: those whose column (from 0) holds the value.
type Flag struct {
	Column int
	Value  string
}

// dashboardFormations is the sessions of the dashboard: the sessions export without the
// trainer (the workbook goes to the committee, with no name of a person in it).
var dashboardFormations = Table{Sheet: "Formations", Title: "Sessions de formation", Columns: []Column{
	{Header: "Identifiant", Kind: Integer, Width: 12},
	{Header: "Date", Kind: Date, Width: 12},
	{Header: "Module", Kind: Text, Width: 36},
	{Header: "Public", Kind: Text, Width: 20},
	{Header: "Année scolaire", Kind: Text, Width: 12},
	{Header: "Département", Kind: Text, Width: 10},
	{Header: "Territoire", Kind: Text, Width: 30},
	{Header: "Capacité", Kind: Integer, Width: 10},
	{Header: "Places prises", Kind: Integer, Width: 10},
	{Header: "Statut", Kind: Text, Width: 18},
}}

// dashboardActions is the actions of the dashboard: the actions export without the owner
// (a person: the workbook is read by all, lecteurs included).
var dashboardActions = Table{Sheet: "Actions", Title: "Actions", Columns: withoutOwner(actionColumns)}

// withoutOwner leaves out the owner's column of an action's row (its 7th).
func withoutOwner[T any](row []T) []T { return slices.Delete(slices.Clone(row), 6, 7) }

// DashboardThemes lists the theme sheets of the dashboard of the département dep ("" the
// whole scope), read from store in the scope.
func DashboardThemes(ctx context.Context, store *models.Store, scope models.Scope, dep string) []Theme {
	return []Theme{
		{Table: CommunesTable, Rows: func(w RowSink) error {
			return store.EachCommune(ctx, scope, models.CommuneFilter{Departement: dep}, rowsOf(w, CommuneValues))
		}},
		{Table: DeploiementsTable.renamed("Écoles", "Écoles : phase du déploiement et glissement"), Rows: func(w RowSink) error {
			return store.EachDeploiement(ctx, scope, models.DeploiementFilter{Departement: dep}, rowsOf(w, DeploiementValues))
		}},
		{Table: ConventionsTable, Rows: func(w RowSink) error {
			return store.EachConvention(ctx, scope, models.ConventionFilter{Departement: dep}, rowsOf(w, ConventionValues))
		}},
		{Table: dashboardFormations, Rows: func(w RowSink) error {
			return store.EachFormation(ctx, scope, models.FormationFilter{Departement: dep}, rowsOf(w, func(r models.FormationRow) []any {
				return []any{r.ID, r.DateSession, r.ModuleLibelle, r.PublicLabel(), r.PlanAnnee, r.DepartementCode,
					r.TerritoireLabel(), r.Capacite, r.Inscrits, r.StatutLabel()}
			}))
		}},
		{Table: JalonsTable, Flag: &Flag{Column: 6, Value: "oui"}, Rows: func(w RowSink) error {
			return store.EachJalon(ctx, scope, models.JalonFilter{Departement: dep}, rowsOf(w, JalonValues))
		}},
		{Table: DecisionsTable, Rows: func(w RowSink) error {
			return store.EachDecision(ctx, scope, models.DecisionFilter{Territoire: dep}, rowsOf(w, DecisionValues))
		}},
		{Table: dashboardActions, Flag: &Flag{Column: 8, Value: "oui"}, Rows: func(w RowSink) error {
			for n := 1; ; n++ {
				page, err := store.ListActions(ctx, scope, models.ActionFilter{}, models.PageRequest{Number: n, Size: models.MaxPageSize})
				if err != nil {
					return err
				}
				for _, a := range page.Items {
					if err := w.WriteRow(withoutOwner(ActionValues(a))...); err != nil {
						return err
					}
				}
				if n >= page.Pages() {
					return nil
				}
			}
		}},
	}
}

// rowsOf writes each record as its row.
func rowsOf[T any](w RowSink, values func(T) []any) func(T) error {
	return func(r T) error { return w.WriteRow(values(r)...) }
}

// renamed is the table under another sheet name and title.
func (t Table) renamed(sheet, title string) Table {
	t.Sheet, t.Title = sheet, title
	return t
}
