package models

import "strings"

// Paging limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// PageRequest asks for one page of a list, numbered from 1. After or Before (at most one)
// is a cursor from the page before or after (Page.Next, Page.Prev): the page is then read
// from the cursor's row by key rather than by counting rows from the start.
type PageRequest struct {
	Number int
	Size   int
	After  string
	Before string
}

func (p PageRequest) normalized() PageRequest {
	if p.Size <= 0 {
		p.Size = DefaultPageSize
	}
	if p.Size > MaxPageSize {
		p.Size = MaxPageSize
	}
	if p.Number < 1 {
		p.Number = 1
	}
	p.Number = min(p.Number, 1<<20) // (Number-1)*Size must not overflow into a negative offset
	return p
}

// offset is the number of rows before the page.
func (p PageRequest) offset() int { return (p.Number - 1) * p.Size }

// Page is one page of a list and the total number of rows matching the filter. A list
// paged by key gives the cursors of the pages around it: Next (after its last row) for
// PageRequest.After, Prev (before its first row) for PageRequest.Before; "" for a list
// paged by OFFSET.
type Page[T any] struct {
	Items  []T
	Total  int64
	Number int
	Size   int
	Next   string `json:"-"`
	Prev   string `json:"-"`
}

// Pages returns the number of pages.
func (p Page[T]) Pages() int {
	if p.Size <= 0 {
		return 1
	}
	n := int((p.Total + int64(p.Size) - 1) / int64(p.Size))
	if n < 1 {
		return 1
	}
	return n
}

// sortOrders maps the sort keys a list accepts to their ORDER BY expressions. A key
// prefixed with "-" sorts descending. tiebreak makes the order total. It is the sort of
// the lists still paged by OFFSET (organisations); the lists paged by key declare theirs
// with sortKeys (keyset.go), whose columns a cursor can carry.
type sortOrders struct {
	keys     map[string][]string
	fallback string
	tiebreak string
}

// Keys returns the accepted sort keys, ascending and descending.
func (o sortOrders) Keys() []string {
	out := make([]string, 0, 2*len(o.keys))
	for k := range o.keys {
		out = append(out, k, "-"+k)
	}
	return out
}

// orderBy returns the ORDER BY clause for key, falling back to the default for an unknown key.
func (o sortOrders) orderBy(key string) string {
	desc := strings.HasPrefix(key, "-")
	expr, ok := o.keys[strings.TrimPrefix(key, "-")]
	if !ok {
		expr, desc = o.keys[o.fallback], false
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	parts := make([]string, len(expr))
	for i, e := range expr {
		parts[i] = e + dir
	}
	return strings.Join(parts, ", ") + ", " + o.tiebreak
}

// Valid reports whether key is an accepted sort key ("" is accepted: the default).
func (o sortOrders) Valid(key string) bool {
	if key == "" {
		return true
	}
	_, ok := o.keys[strings.TrimPrefix(key, "-")]
	return ok
}

// eachInBatches calls fn for every row that read returns, in order, by batches of batch rows
// (read gets the limit and the offset), until a batch comes back short.
func eachInBatches[T any](batch int, read func(limit, offset int) ([]T, error), fn func(T) error) error {
	for offset := 0; ; offset += batch {
		rows, err := read(batch, offset)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < batch {
			return nil
		}
	}
}
