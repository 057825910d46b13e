package models

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Keyset pagination: the list toolkit's way to read one page. A page is read in two steps:
//
//  1. its keys: the sort key values and id of its rows, from the list's filtered query
//     alone (the joins and conditions of the filters and the scope, and the joins its
//     order needs), so that an index in the order of the list can serve it;
//  2. its rows: their columns, per-row aggregates included, for those ids only.
//
// The keys are found by key when the request carries a cursor: the rows whose key values,
// compared as one row value, come after the cursor's ("(k1, k2, id) > (?, ?, ?)", which
// SQLite and PostgreSQL both read from an index in that order); a page further on skips
// whole pages from there. A page asked by number only (a bookmark, "Dernière page") is
// read by OFFSET over the keys alone (a deferred join: the skipped rows cost an index
// entry, never their columns), from the end of the list when it is nearer.
//
// Every column of an order is an expression that is never NULL (COALESCE where needed: a
// row value holding NULL compares as unknown, which would drop the row from every page),
// and the id ends every order in the same direction as the others, so that the order is
// total and one row-value comparison places a row.

// sortCol is one column of a list's order: an SQL expression that is never NULL, the kind
// of its values, and the arguments of its placeholders.
type sortCol struct {
	expr string
	kind keyKind
	args []any
}

func textCol(expr string) sortCol { return sortCol{expr: expr, kind: keyText} }
func intCol(expr string) sortCol  { return sortCol{expr: expr, kind: keyInt} }
func timeCol(expr string) sortCol { return sortCol{expr: expr, kind: keyTime} }

// sortKey is what one sort key of a list orders by: its columns (the id comes after them),
// and the joins they need beyond the list's filtered query. id, when set, names the row's
// unique key through the joined table, so that an index of that table holds the whole
// order.
type sortKey struct {
	cols  []sortCol
	joins []string
	id    string
}

// by is a sort key on columns of the list's own query.
func by(cols ...sortCol) sortKey { return sortKey{cols: cols} }

// sortKeys are the sort keys a list accepts and the order each stands for. A key prefixed
// with "-" sorts descending, the id too.
type sortKeys struct {
	list     string // the list's name, which its cursors carry
	keys     map[string]sortKey
	fallback string
	id       sortCol // the row's unique key, last column of every order
}

// Keys returns the accepted sort keys, ascending and descending.
func (o sortKeys) Keys() []string {
	out := make([]string, 0, 2*len(o.keys))
	for k := range o.keys {
		out = append(out, k, "-"+k)
	}
	return out
}

// Valid reports whether key is an accepted sort key ("" is accepted: the default).
func (o sortKeys) Valid(key string) bool {
	if key == "" {
		return true
	}
	_, ok := o.keys[strings.TrimPrefix(key, "-")]
	return ok
}

// order returns the order of key, the default one for an unknown key.
func (o sortKeys) order(key string) keyOrder {
	desc := strings.HasPrefix(key, "-")
	k, ok := o.keys[strings.TrimPrefix(key, "-")]
	if !ok {
		k, desc = o.keys[o.fallback], false
	}
	id := o.id
	if k.id != "" {
		id.expr = k.id
	}
	return keyOrder{list: o.list, sort: key, cols: append(slices.Clone(k.cols), id), desc: desc, joins: k.joins}
}

// orderBy returns the ORDER BY clause of key on the list's query (exports and the pages
// that read every row).
func (o sortKeys) orderBy(key string) string {
	ord := o.order(key)
	parts := make([]string, len(ord.cols))
	for i, c := range ord.cols {
		parts[i] = c.expr + ord.dir(false)
	}
	return strings.Join(parts, ", ")
}

// keyOrder is the order of a list's page: its columns, the id last, all in one direction.
type keyOrder struct {
	list  string // the list's name, which its cursors carry
	sort  string // the sort key asked for, which its cursors carry
	cols  []sortCol
	desc  bool
	joins []string
}

// fixedOrder is the order of a list that has one: cols end with the id.
func fixedOrder(list string, desc bool, cols ...sortCol) keyOrder {
	return keyOrder{list: list, cols: cols, desc: desc}
}

func (o keyOrder) dir(reverse bool) string {
	if o.desc != reverse {
		return " DESC"
	}
	return " ASC"
}

// clause is the ORDER BY of the order, read backwards when reverse.
func (o keyOrder) clause(reverse bool) clause.OrderBy {
	parts := make([]string, len(o.cols))
	var args []any
	for i, c := range o.cols {
		parts[i] = c.expr + o.dir(reverse)
		args = append(args, c.args...)
	}
	return clause.OrderBy{Expression: clause.Expr{SQL: strings.Join(parts, ", "), Vars: args}}
}

// selected is the SELECT list of the keys: k0, k1... and k_id. SQLite stores dates and
// timestamps as text: they are read and compared as that text (the driver would parse a
// column into a time and format it back its own way, which need not be the stored one).
func (o keyOrder) selected(d Dialect) (string, []any) {
	parts := make([]string, len(o.cols))
	var args []any
	for i, c := range o.cols {
		expr := c.expr
		if c.kind == keyTime && d == SQLite {
			expr = "CAST(" + expr + " AS TEXT)"
		}
		parts[i] = expr + " AS " + keyAlias(i, len(o.cols))
		args = append(args, c.args...)
	}
	return strings.Join(parts, ", "), args
}

func keyAlias(i, n int) string {
	if i == n-1 {
		return "k_id"
	}
	return "k" + string(rune('0'+i))
}

// beyond is the condition "after the values in the order" ("before" when reverse): one
// row-value comparison, preceded by the same bound on the first column alone (which it
// implies), so that an index on that column serves the condition even when the order's
// columns come from several tables, which no single index holds.
func (o keyOrder) beyond(values []any, reverse bool) (string, []any) {
	exprs := make([]string, len(o.cols))
	marks := make([]string, len(o.cols))
	var args []any
	for i, c := range o.cols {
		exprs[i], marks[i] = c.expr, "?"
		args = append(args, c.args...)
	}
	op := ">"
	if o.desc != reverse {
		op = "<"
	}
	cond := "(" + strings.Join(exprs, ", ") + ") " + op + " (" + strings.Join(marks, ", ") + ")"
	if len(o.cols) == 1 {
		return cond, append(args, values...)
	}
	first := o.cols[0]
	return first.expr + " " + op + "= ? AND " + cond, append(append(slices.Clone(first.args), values[0]), append(args, values...)...)
}

// kinds are the kinds a cursor of the order carries on the dialect (SQLite's dates are text).
func (o keyOrder) kind(i int, d Dialect) keyKind {
	if k := o.cols[i].kind; k != keyTime || d == Postgres {
		return k
	}
	return keyText
}

// position decodes the request's cursor for this order: nil without one, ErrBadCursor
// for a cursor that is not one of this list's, with this sort, page size and page.
func (o keyOrder) position(p PageRequest, d Dialect) (*cursor, []any, error) {
	c, err := p.cursor(o.sort)
	if err != nil || c == nil {
		return nil, nil, err
	}
	if c.List != o.list || len(c.Keys) != len(o.cols) {
		return nil, nil, ErrBadCursor
	}
	values := make([]any, len(c.Keys))
	for i, k := range c.Keys {
		if keyKind(k[0]) != o.kind(i, d) {
			return nil, nil, ErrBadCursor
		}
		if values[i], err = boundValue(k); err != nil {
			return nil, nil, err
		}
	}
	return c, values, nil
}

// listQuery is what the toolkit needs to page a list.
type listQuery struct {
	// rows returns the list's filtered query: FROM its table (aliased), with the joins and
	// conditions of its filters and the scope; a new one at each call.
	rows func() *gorm.DB
	// count counts the list, when it has a cheaper way than counting the rows of rows
	// (nil: rows).
	count func() (int64, error)
	order keyOrder
	// search is set when the rows are found through a trigram index (a search): a page
	// asked by number counts them in the same query (COUNT(*) OVER ()), which reads the
	// rows found once where a count and a page would read them twice.
	search bool
	// found, for a search that is the list's only filter, counts the rows found from the
	// trigram index alone (Store.foundCount; SQLite).
	found func() (int64, error)
	// scan is the filtered query with the search read row by row (Store.scanned), for an
	// order whose index holds the searched column (SQLite): a search finding many rows is
	// paged by walking that index in the list's order, which stops at the page's last
	// row, where the trigram index finds every row, reads each one from the table and
	// sorts them all ("saint": 2,973 communes read for 50 shown).
	scan func() *gorm.DB
}

// counter counts the rows of a query.
func counter(q func() *gorm.DB) func() (int64, error) {
	return func() (int64, error) {
		var n int64
		err := q().Count(&n).Error
		return n, err
	}
}

// scanAbove is the number of rows found from which a search is paged by walking its
// order's index (listQuery.scan): below, reading the rows found costs less than walking
// past the rows that do not match (at national scale, about 300 of 35,000 communes).
const scanAbove = 300

// keyPage is the keys of one page, the total and the cursors around it.
type keyPage[K any] struct {
	keys       []K
	total      int64
	next, prev string
}

// pageKeys reads the keys of one page of a list: see the top of this file.
func pageKeys[K any](ctx context.Context, s *Store, lq listQuery, p PageRequest) (keyPage[K], error) {
	var out keyPage[K]
	p = p.normalized()
	o := lq.order
	cur, from, err := o.position(p, s.dialect)
	if err != nil {
		return out, err
	}
	windowed := lq.search && cur == nil && lq.scan == nil
	if !windowed {
		count := lq.count
		switch {
		case lq.found != nil:
			count = lq.found
		case count == nil:
			count = counter(lq.rows)
		}
		if out.total, err = count(); err != nil {
			return out, err
		}
	}
	w, ok := pageWindowOf(p, cur, windowed, out.total)
	if !ok {
		return out, nil
	}
	first, last, err := scanKeys(s.pageQuery(ctx, lq, w, from, windowed, out.total), &out, len(o.cols), windowed)
	if err != nil {
		return out, err
	}
	if w.reverse {
		slices.Reverse(out.keys)
		first, last = last, first
	}
	if windowed && len(out.keys) == 0 && w.skip > 0 {
		// Past the last page of a search: counted on its own.
		if err := lq.rows().Count(&out.total).Error; err != nil {
			return out, err
		}
	}
	if len(out.keys) > 0 {
		if out.prev, err = o.cursorOf(first, true, p); err == nil {
			out.next, err = o.cursorOf(last, false, p)
		}
	}
	return out, err
}

// pageWindow is how a page is read: how many keys, how many skipped, in which direction.
type pageWindow struct {
	limit, skip int
	reverse     bool
}

// pageWindowOf places the page p after or before the cursor cur, or from the nearer end of
// a list of total rows; ok is false for a page past the end of a counted list.
func pageWindowOf(p PageRequest, cur *cursor, windowed bool, total int64) (pageWindow, bool) {
	w := pageWindow{limit: p.Size, skip: p.offset()}
	switch {
	case cur != nil && !cur.Before:
		w.skip = (p.Number - cur.Page - 1) * p.Size
	case cur != nil:
		w.skip, w.reverse = (cur.Page-p.Number-1)*p.Size, true
	case !windowed && int64(w.skip) > total/2:
		// Nearer the end: read the page backwards from the end of the list.
		end := min(total, int64(w.skip+p.Size))
		if end <= int64(w.skip) {
			return w, false
		}
		w.limit, w.skip, w.reverse = int(end-int64(w.skip)), int(total-end), true
	}
	return w, true
}

// pageQuery is the query of the keys of the page w, beyond the cursor's values from, of a
// list of total rows (a large list may be read by its scan query).
func (s *Store) pageQuery(ctx context.Context, lq listQuery, w pageWindow, from []any, windowed bool, total int64) *gorm.DB {
	o := lq.order
	sel, args := o.selected(s.dialect)
	q := lq.rows()
	if lq.scan != nil && total >= scanAbove {
		q = lq.scan()
	}
	for _, j := range o.joins {
		q = q.Joins(j)
	}
	if windowed {
		// The keys of every row found and their number, in a subquery: neither engine merges
		// it with the ORDER BY ... LIMIT (PostgreSQL, given both at once, walked the name
		// index in order hoping to meet the rows found early, and read most of it to show
		// "saint…", whose matches cluster in name order).
		q = s.db.WithContext(ctx).Table("(?) AS k", q.Select(sel+", COUNT(*) OVER () AS k_total", args...)).
			Select("k.*").Order(o.aliasOrder(w.reverse))
	} else {
		q = q.Select(sel, args...).Order(o.clause(w.reverse))
		if from != nil {
			cond, cargs := o.beyond(from, w.reverse)
			q = q.Where(cond, cargs...)
		}
	}
	q = q.Limit(w.limit)
	if w.skip > 0 {
		q = q.Offset(w.skip)
	}
	return q
}

// scanKeys reads the keys of the page into out (and the total of a windowed search), and
// returns the sort values of its first and last rows, for the cursors.
func scanKeys[K any](q *gorm.DB, out *keyPage[K], n int, windowed bool) (first, last []any, err error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		values := make([]any, n-1)
		dest := make([]any, 0, n+1)
		for i := range values {
			dest = append(dest, &values[i])
		}
		var id K
		var total int64
		dest = append(dest, &id)
		if windowed {
			dest = append(dest, &total)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		out.keys, out.total = append(out.keys, id), max(out.total, total)
		values = append(values, id)
		if first == nil {
			first = values
		}
		last = values
	}
	return first, last, rows.Err()
}

// aliasOrder is the ORDER BY of the keys read in a subquery, by their aliases.
func (o keyOrder) aliasOrder(reverse bool) string {
	parts := make([]string, len(o.cols))
	for i := range o.cols {
		parts[i] = "k." + keyAlias(i, len(o.cols)) + o.dir(reverse)
	}
	return strings.Join(parts, ", ")
}

// cursorOf is the token of the cursor before or after a row of the page, from its values.
func (o keyOrder) cursorOf(values []any, before bool, p PageRequest) (string, error) {
	c := cursor{List: o.list, Sort: o.sort, Before: before, Page: p.Number, Size: p.Size, Keys: make([]string, len(values))}
	for i, v := range values {
		var err error
		if c.Keys[i], err = cursorValue(v); err != nil {
			return "", err
		}
	}
	return c.encode(), nil
}

// readPage reads one page of a list paged by key: its keys (pageKeys), then its rows by key
// with read, put back in the order of the keys (read returns them in any order, and
// leaves out a row deleted meanwhile).
func readPage[T any, K comparable](ctx context.Context, s *Store, lq listQuery, p PageRequest,
	read func(keys []K) ([]T, error), key func(T) K) (Page[T], error) {
	p = p.normalized()
	page := Page[T]{Number: p.Number, Size: p.Size}
	kp, err := pageKeys[K](ctx, s, lq, p)
	page.Total, page.Next, page.Prev = kp.total, kp.next, kp.prev
	if err != nil || len(kp.keys) == 0 {
		return page, err
	}
	rows, err := read(kp.keys)
	if err != nil {
		return page, err
	}
	at := make(map[K]int, len(rows))
	for i, r := range rows {
		at[key(r)] = i
	}
	page.Items = make([]T, 0, len(kp.keys))
	for _, k := range kp.keys {
		if i, ok := at[k]; ok {
			page.Items = append(page.Items, rows[i])
		}
	}
	return page, nil
}
