package app

import "github.com/ac-creteil/pilotage/models"

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
