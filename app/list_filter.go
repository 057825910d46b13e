package app

import (
	"time"

	"github.com/ac-creteil/pilotage/models"
)

// list is the view model shared by list pages.
type list[F any, T any] struct {
	TableID string // id of the results table
	Caption string // caption of the results table
	Filter  F
	Form    filterForm
	Errors  map[string]string
	Page    models.Page[T]
	Columns []column
	Pager   pager
	Exports exportLinks
	Path    string
	Empty   emptyList // what the list says when it has no rows and no filter is set
}

// emptyList is what an empty registry says, instead of "no result matches these criteria"
// (which is for a search): that nothing is recorded yet, and how rows get there.
type emptyList struct {
	Text string // "Aucune décision pour l'instant."
	Hint string // how rows are added, for whoever reads the page
	Add  string // the creation form, for a user who may create ("" otherwise)
	Verb string // the label of the link to Add: "Ajouter une décision"
}

// filterForm is the filter form above a list: a search box, other inputs and selects.
type filterForm struct {
	Action  string
	Search  formField
	Inputs  []formField
	Selects []selectField
	Sort    string
	PerPage string
}

// Active reports whether a filter is set: a search, an input or a select with a value.
// Paging and sorting are not filters.
func (f filterForm) Active() bool {
	if f.Search.Value != "" {
		return true
	}
	for _, in := range f.Inputs {
		if in.Value != "" {
			return true
		}
	}
	for _, s := range f.Selects {
		if s.Value != "" {
			return true
		}
	}
	return false
}

// newFilterForm starts the filter form of a list with its search box.
func newFilterForm(action, hint, q string, p Paging, errs map[string]string) filterForm {
	return filterForm{
		Action: action,
		Search: formField{ID: "filtre-q", Name: "q", Label: "Rechercher", Hint: hint, Type: "search", Value: q, Error: errs["q"]},
		Sort:   p.Sort, PerPage: p.PerPage,
	}
}

// sel adds a select to the form. A select with no choices (too many to list) asks for a
// département first, but keeps the value of the URL.
func (f *filterForm) sel(name, label, all, value string, choices []models.Choice, errs map[string]string) {
	field := selectField{ID: "filtre-" + name, Name: name, Label: label, All: all,
		Value: value, Error: errs[name], Choices: choices}
	if choices == nil {
		field.Hint = "Choisissez d'abord un département"
		if value != "" {
			field.Choices = []models.Choice{{Value: value, Label: value}}
		}
	}
	f.Selects = append(f.Selects, field)
}

// dayRange reads the "du" and "au" filters of a list (JJ/MM/AAAA or AAAA-MM-JJ) into du
// and au, and returns errs with a French message on each day that is not one.
func dayRange(duValue, auValue string, du, au **time.Time, errs map[string]string) map[string]string {
	for _, d := range []struct {
		field, value string
		dst          **time.Time
	}{{"du", duValue, du}, {"au", auValue, au}} {
		if d.value == "" {
			continue
		}
		day, msg := models.DayProblem("La date", d.value)
		if msg != "" {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[d.field] = msg
			continue
		}
		*d.dst = &day
	}
	return errs
}
