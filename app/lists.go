package app

import (
	"net/url"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Paging is the part of every list query that pages and sorts.
type Paging struct {
	Page    string `query:"page" validate:"omitempty,numeric,max=6"`
	PerPage string `query:"per_page" validate:"omitempty,numeric,max=6"`
	Sort    string `query:"sort" validate:"max=30"`
}

// request turns the paging into a page request (validated before).
func (p Paging) request() models.PageRequest {
	n, _ := strconv.Atoi(p.Page)
	size, _ := strconv.Atoi(p.PerPage)
	return models.PageRequest{Number: n, Size: size}
}

// pageRequest reads and checks the paging of a list without filters: a malformed one is a
// filter error.
func (s *Server) pageRequest(c echo.Context) (models.PageRequest, error) {
	var p Paging
	bindQuery(c, &p)
	if errs := fieldErrors(s.valid, p); errs != nil {
		return models.PageRequest{}, &filterError{Fields: errs}
	}
	return p.request(), nil
}

// checkSort adds an error when the sort key is not one of the list's.
func checkSort(errs map[string]string, key string, valid func(string) bool) map[string]string {
	if valid(key) {
		return errs
	}
	if errs == nil {
		errs = map[string]string{}
	}
	errs["sort"] = "Tri inconnu : cliquez sur un en-tête de colonne pour trier."
	return errs
}

// listURL builds the URLs of a list's links from the current query: sorting, paging and
// exporting keep the filters.
type listURL struct {
	path  string
	query url.Values
}

func newListURL(c echo.Context, path string) listURL {
	q := url.Values{}
	for k, vs := range c.QueryParams() {
		if len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	return listURL{path: path, query: q}
}

// with returns the URL with key set to value ("" removes it); any change but the page
// goes back to page 1.
func (u listURL) with(key, value string) string {
	q := url.Values{}
	for k, vs := range u.query {
		q[k] = vs
	}
	if key != "page" {
		q.Del("page")
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	return u.path + encode(q)
}

// as returns the URL of the same list at another path (an export), without paging.
func (u listURL) as(path string) string {
	q := url.Values{}
	for k, vs := range u.query {
		if k != "page" && k != "per_page" {
			q[k] = vs
		}
	}
	return path + encode(q)
}

func encode(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// column is a header of a list table.
type column struct {
	Label    string
	Num      bool   // right-aligned number
	Href     string // sort link, "" when the column does not sort
	AriaSort string // "ascending", "descending" or ""
	Next     string // French hint for the sort link
}

// columns returns the table headers, with sort links: a click sorts by the column, a
// second click reverses the order.
func (u listURL) columns(current, fallback string, defs ...column) []column {
	if current == "" {
		current = fallback
	}
	out := make([]column, len(defs))
	for i, d := range defs {
		out[i] = d
		key := d.Href
		if key == "" {
			continue
		}
		next := key
		switch current {
		case key:
			out[i].AriaSort, next, out[i].Next = "ascending", "-"+key, "trier par ordre décroissant"
		case "-" + key:
			out[i].AriaSort, out[i].Next = "descending", "trier par ordre croissant"
		default:
			out[i].Next = "trier par ordre croissant"
		}
		out[i].Href = u.with("sort", next)
	}
	return out
}

// pager is the pagination under a list.
type pager struct {
	Number, Pages int
	First, Prev   string
	Next, Last    string
	Links         []pageLink
	From, To      int
	Total         int
}

type pageLink struct {
	Number  int
	Href    string
	Current bool
}

func newPager[T any](u listURL, p models.Page[T]) pager {
	pg := pager{Number: p.Number, Pages: p.Pages(), Total: int(p.Total)}
	if p.Total > 0 {
		pg.From = (p.Number-1)*p.Size + 1
		pg.To = min(pg.From+len(p.Items)-1, int(p.Total))
	}
	link := func(n int) string { return u.with("page", strconv.Itoa(n)) }
	if p.Number > 1 {
		pg.First, pg.Prev = link(1), link(min(p.Number-1, pg.Pages))
	}
	if p.Number < pg.Pages {
		pg.Next, pg.Last = link(p.Number+1), link(pg.Pages)
	}
	for n := max(1, p.Number-2); n <= min(pg.Pages, p.Number+2); n++ {
		pg.Links = append(pg.Links, pageLink{Number: n, Href: link(n), Current: n == p.Number})
	}
	return pg
}

// exportLinks are the download links of a list, with the same filters.
type exportLinks struct {
	XLSX, CSV string
}

func (u listURL) exports() exportLinks {
	return exportLinks{XLSX: u.as(u.path + ".xlsx"), CSV: u.as(u.path + ".csv")}
}

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
	Search  inputField
	Inputs  []inputField
	Selects []selectField
	Sort    string
	PerPage string
}

// inputField is a text input of a form, with its French error.
type inputField struct {
	ID, Name, Label, Hint, Type, Value, Error string
}

// selectField is a select of a form; All labels the empty choice.
type selectField struct {
	ID, Name, Label, Hint, All, Value, Error string
	Choices                                  []models.Choice
}

// newFilterForm starts the filter form of a list with its search box.
func newFilterForm(action, hint, q string, p Paging, errs map[string]string) filterForm {
	return filterForm{
		Action: action,
		Search: inputField{ID: "filtre-q", Name: "q", Label: "Rechercher", Hint: hint, Type: "search", Value: q, Error: errs["q"]},
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
