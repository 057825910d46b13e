package models

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Substring search. Lists find names by substring of their folded key (SearchKey, so that
// accents, case and hyphens do not matter) and codes by prefix or substring. A LIKE
// '%term%' cannot use a B-tree index: at national scale it read the whole table twice (the
// count and the page). Both engines have an index made for it (migration 00012):
//
//   - SQLite: per searched table an FTS5 table with the trigram tokenizer, over the folded
//     key and the codes, external content kept in sync by triggers; MATCH finds the rows
//     holding a few of the term's trigrams, and the list's former LIKE condition, evaluated
//     on these rows only, keeps those holding the term: the same rows as before;
//   - PostgreSQL: GIN trigram indexes (extension pg_trgm), which LIKE '%term%' uses.
//     Without pg_trgm the same query reads the table, as before.
//
// A trigram index needs at least 3 characters: a shorter term reads the table, as before (a
// term of 1 or 2 characters matches a large share of the rows anyway).

// trigramMin is the shortest term a trigram index can find.
const trigramMin = 3

// searchTerm is one way a row matches a search: its column holds needle, or starts with it
// when prefix is set.
type searchTerm struct {
	column string // column of the table, and of its FTS5 table
	expr   string // the column in the list's query (alias included), compared with LIKE
	needle string
	prefix bool
}

// like is the LIKE condition and pattern of the term.
func (t searchTerm) like() (string, string) {
	pattern := likeContains(t.needle)
	if t.prefix {
		pattern = likePrefix(t.needle)
	}
	return t.expr + ` LIKE ? ESCAPE '\'`, pattern
}

// indexedLike is like on the expression PostgreSQL's trigram indexes hold: the column
// concatenated with the empty string (migration 00012), which only the searches write.
func (t searchTerm) indexedLike() (string, string) {
	t.expr = "(" + t.expr + " || '')"
	return t.like()
}

// position is the term as a position test (PostgreSQL's strpos), which no index serves.
func (t searchTerm) position() (string, string) {
	if t.prefix {
		return "strpos(" + t.expr + ", ?) = 1", t.needle
	}
	return "strpos(" + t.expr + ", ?) > 0", t.needle
}

// trigrams is the term as an FTS5 query on its column: a few of the needle's trigrams (the
// first, the last and two between), all required. They select every row holding the needle,
// and some more that the exact condition then drops. A phrase of all the trigrams would
// select the rows exactly, but FTS5 then reads and compares the position of every trigram
// in every row: ten times slower for a long term made of frequent trigrams ("affaires
// scolaires" among 21,000 contacts: 13 ms, against 1.2 ms for four trigrams).
func (t searchTerm) trigrams() string {
	runes := []rune(t.needle)
	last := len(runes) - trigramMin
	var parts []string
	seen := map[int]bool{}
	for _, at := range []int{0, last / 3, 2 * last / 3, last} {
		if !seen[at] {
			seen[at] = true
			parts = append(parts, `"`+strings.ReplaceAll(string(runes[at:at+trigramMin]), `"`, `""`)+`"`)
		}
	}
	return t.column + " : (" + strings.Join(parts, " AND ") + ")"
}

// indexable reports whether every term is long enough for a trigram index.
func indexable(terms []searchTerm) bool {
	for _, t := range terms {
		if utf8.RuneCountInString(t.needle) < trigramMin {
			return false
		}
	}
	return len(terms) > 0
}

// matchQuery is the FTS5 query selecting the rows that may match any of terms.
func matchQuery(terms []searchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.trigrams()
	}
	return strings.Join(parts, " OR ")
}

// anyOf is the condition matching any of terms, each written by cond, and its arguments.
func anyOf(terms []searchTerm, cond func(searchTerm) (string, string)) (string, []any) {
	conds := make([]string, len(terms))
	args := make([]any, len(terms))
	for i, t := range terms {
		conds[i], args[i] = cond(t)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// scanAny is the condition matching any of terms by reading every row: LIKE on SQLite, as
// the lists always did, and strpos on PostgreSQL. There LIKE would let the planner use a
// trigram index for a term too short for it, and it did when the plan of a prepared
// statement was reused: every entry of the index read to find "e" (five times a table scan).
func (s *Store) scanAny(terms []searchTerm) (string, []any) {
	if s.dialect == Postgres {
		return anyOf(terms, searchTerm.position)
	}
	return anyOf(terms, searchTerm.like)
}

// searchWhere is the condition of a substring search on one table: rows matching any of
// terms. When every term is long enough for a trigram index, on SQLite the table's FTS5
// table fts selects the candidates (rowid is the list's expression of the table's rowid,
// "c.rowid") and LIKE checks them, on PostgreSQL LIKE alone, which pg_trgm's indexes serve
// (indexedLike); shorter terms read the table (scanAny). No term matches no row.
func (s *Store) searchWhere(fts, rowid string, terms []searchTerm) (string, []any) {
	switch {
	case len(terms) == 0:
		return "1 = 0", nil
	case !indexable(terms):
		return s.scanAny(terms)
	}
	if s.dialect == Postgres {
		return anyOf(terms, searchTerm.indexedLike)
	}
	cond, args := anyOf(terms, searchTerm.like)
	return "(" + rowid + " IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?) AND " + cond + ")",
		append([]any{matchQuery(terms)}, args...)
}

// foundCount returns the query counting the rows of a table that a search finds, from the
// table's FTS5 table alone, when the FTS5 table finds them exactly: every term a substring
// of its column (a phrase of trigrams is exactly a substring; a prefix is not). nil
// otherwise, and on PostgreSQL. The list uses it only when the search is its only filter:
// counting through the list's own condition reads every row found from the table to check
// it (2,973 rows for "saint" among the national communes: five times the index's count).
func (s *Store) foundCount(ctx context.Context, fts string, terms []searchTerm) func() (int64, error) {
	if s.dialect != SQLite || !indexable(terms) {
		return nil
	}
	phrases := make([]string, len(terms))
	for i, t := range terms {
		if t.prefix {
			return nil
		}
		phrases[i] = t.column + ` : "` + strings.ReplaceAll(t.needle, `"`, `""`) + `"`
	}
	match := strings.Join(phrases, " OR ")
	return counter(func() *gorm.DB { return s.db.WithContext(ctx).Table(fts).Where(fts+" MATCH ?", match) })
}

// searchIn is how a list's query finds the rows of its search: through the trigram index
// (Store.searchWhere), or by reading rows (Store.scanned).
type searchIn func(fts, rowid string, terms []searchTerm) (string, []any)

// scanned is the search condition read row by row (scanAny), whatever the terms: SQLite
// pages a search that finds many rows by walking its order's index with it (see
// listQuery.scan), which stops at the page's last row.
func (s *Store) scanned(_, _ string, terms []searchTerm) (string, []any) {
	if len(terms) == 0 {
		return "1 = 0", nil
	}
	return s.scanAny(terms)
}

// settleTrigramIndex moves the entries a bulk write left in the pending list of a table's
// trigram index into the index itself (PostgreSQL's GIN "fast update"): until autovacuum does
// it, every search reads the pending entries one by one (21 ms to find nothing among the
// 21,000 synthetic contacts just after they were loaded, 0.1 ms once settled). Nothing on
// SQLite, nor without pg_trgm.
func (s *Store) settleTrigramIndex(tx *gorm.DB, table string) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec("SELECT gin_clean_pending_list(i) FROM (SELECT to_regclass(?) AS i) AS x WHERE i IS NOT NULL",
		table+"_trigrammes").Error
}

// searchText is the text of a search filter as the lists compare it.
func searchText(q string) string { return strings.TrimSpace(dbText(q)) }

// nameTerm is the search of a folded name: key contains the folded search text (nothing
// for a text without letters or digits, whose key is empty).
func nameTerm(alias, key string) []searchTerm {
	if key == "" {
		return nil
	}
	return []searchTerm{{column: "nom_recherche", expr: alias + ".nom_recherche", needle: key}}
}

// digits matches a text made of digits only.
var digits = regexp.MustCompile(`^[0-9]+$`)

// codePrefix reports whether text can begin a code of the shape of example (a valid code):
// text padded with the end of example must be valid. Stored codes are validated on the way
// in, so a text that cannot begin one needs no search among them.
func codePrefix(text, example string, valid func(string) bool) bool {
	return text != "" && len(text) <= len(example) && valid(text+example[len(text):])
}
