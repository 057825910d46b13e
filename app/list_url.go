package app

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
)

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

// with returns the URL with key set to value ("" removes it); any change goes back to
// page 1, and drops the page's cursor.
func (u listURL) with(key, value string) string {
	q := u.unpaged()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	return u.path + encode(q)
}

// page returns the URL of page n, read from a cursor when param (afterParam or
// beforeParam) and token are set, by its number alone otherwise.
func (u listURL) page(n int, param, token string) string {
	q := u.unpaged()
	q.Set("page", strconv.Itoa(n))
	if param != "" && token != "" {
		q.Set(param, token)
	}
	return u.path + encode(q)
}

// unpaged is the query without its page and cursor.
func (u listURL) unpaged() url.Values {
	q := url.Values{}
	for k, vs := range u.query {
		if k != "page" && k != afterParam && k != beforeParam {
			q[k] = vs
		}
	}
	return q
}

// as returns the URL of the same list at another path (an export), without paging.
func (u listURL) as(path string) string {
	q := u.unpaged()
	q.Del("per_page")
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

// exportLinks are the download links of a list, with the same filters.
type exportLinks struct {
	XLSX, CSV string
}

func (u listURL) exports() exportLinks {
	return exportLinks{XLSX: u.as(u.path + ".xlsx"), CSV: u.as(u.path + ".csv")}
}
