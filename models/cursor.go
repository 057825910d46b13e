package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"time"
)

// Cursors. "Page suivante" and "Page précédente" carry the position of the row the next
// page follows (the last row shown) or the previous page precedes (the first row shown):
// its sort key values and id, so that the page is read from an index at that position
// (keyset pagination: as cheap at page 700 as at page 1), where OFFSET read and dropped
// every row before it.
//
// A cursor is an opaque token in the URL (?page=701&apres=<token>): JSON naming the list,
// the sort key, the direction, the page of the row and the page size, with the row's
// values, followed by a checksum, in base64url. A token that does not decode, whose
// checksum does not match (a character changed), or that was made for another list, sort,
// page size, direction or page number is refused with ErrBadCursor: the page says so in
// French and offers the first page, never a 500. The checksum is not a signature: a
// cursor is no credential (the scope applies to every query, and its values are bound
// parameters), a forged one only starts a page elsewhere in the list.

// ErrBadCursor is returned for a pagination cursor that is malformed, altered, or made for
// another list, sort, page size or page.
var ErrBadCursor = errors.New("curseur de pagination invalide")

// maxCursorKeys bounds the values a cursor may carry (the longest order has 4 columns).
const maxCursorKeys = 8

// cursorSum is the length of the checksum ending a token.
const cursorSum = 8

// maxCursorLen bounds the length of a token (the longest order carries two names of at
// most a few hundred characters).
const maxCursorLen = 2000

// cursor is the decoded content of a token.
type cursor struct {
	List   string   `json:"l"`           // the list whose order made it (keyOrder.list)
	Sort   string   `json:"o,omitempty"` // the sort key the list was asked for, "" for the default
	Before bool     `json:"b,omitempty"` // the page precedes the row (else follows it)
	Page   int      `json:"p"`           // the page the row is on
	Size   int      `json:"z"`           // the page size
	Keys   []string `json:"k"`           // the row's values, each its kind letter then its text
}

// encode returns the token of the cursor.
func (c cursor) encode() string {
	payload, _ := json.Marshal(c) // strings and ints only: cannot fail
	sum := sha256.Sum256(payload)
	return base64.RawURLEncoding.EncodeToString(append(payload, sum[:cursorSum]...))
}

// decodeCursor reads a token and checks its checksum and shape.
func decodeCursor(token string) (cursor, error) {
	var c cursor
	if len(token) > maxCursorLen {
		return c, ErrBadCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= cursorSum {
		return c, ErrBadCursor
	}
	payload, sum := raw[:len(raw)-cursorSum], raw[len(raw)-cursorSum:]
	want := sha256.Sum256(payload)
	if !bytes.Equal(sum, want[:cursorSum]) {
		return c, ErrBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.List == "" || c.Page < 1 || c.Size < 1 ||
		len(c.Keys) == 0 || len(c.Keys) > maxCursorKeys {
		return cursor{}, ErrBadCursor
	}
	for _, k := range c.Keys {
		if _, err := boundValue(k); err != nil {
			return cursor{}, ErrBadCursor
		}
	}
	return c, nil
}

// Kinds of the values of a sort column, as a cursor writes them.
type keyKind byte

const (
	keyText keyKind = 's' // text
	keyInt  keyKind = 'i' // integer
	keyTime keyKind = 't' // date or timestamp (PostgreSQL; SQLite stores them as text)
)

// cursorValue writes a value read from the database as its kind letter and its text.
func cursorValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return string(keyText) + x, nil
	case []byte:
		return string(keyText) + string(x), nil
	case int64:
		return string(keyInt) + strconv.FormatInt(x, 10), nil
	case int32:
		return string(keyInt) + strconv.FormatInt(int64(x), 10), nil
	case int:
		return string(keyInt) + strconv.Itoa(x), nil
	case time.Time:
		return string(keyTime) + x.Format(time.RFC3339Nano), nil
	}
	return "", errors.New("valeur de tri d'un type inattendu")
}

// boundValue reads back a value written by cursorValue, with the Go type the driver binds as
// the database compares it.
func boundValue(s string) (any, error) {
	if s == "" {
		return nil, ErrBadCursor
	}
	text := s[1:]
	switch keyKind(s[0]) {
	case keyText:
		return text, nil
	case keyInt:
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, ErrBadCursor
		}
		return n, nil
	case keyTime:
		t, err := time.Parse(time.RFC3339Nano, text)
		if err != nil {
			return nil, ErrBadCursor
		}
		return t, nil
	}
	return nil, ErrBadCursor
}

// Check reports whether the request's cursor (if any) is well formed, unaltered, and made
// for this sort key, page size and page number: ErrBadCursor otherwise. The list reading
// the page checks in addition that the cursor is one of its own.
func (p PageRequest) Check(sort string) error {
	_, err := p.cursor(sort)
	return err
}

// cursor decodes the request's cursor and checks it against the request; nil without one.
func (p PageRequest) cursor(sort string) (*cursor, error) {
	token, before := p.After, false
	switch {
	case p.After != "" && p.Before != "":
		return nil, ErrBadCursor
	case p.Before != "":
		token, before = p.Before, true
	case p.After == "":
		return nil, nil
	}
	c, err := decodeCursor(token)
	if err != nil {
		return nil, err
	}
	n := p.normalized()
	switch {
	case c.Sort != sort, c.Before != before, c.Size != n.Size:
		return nil, ErrBadCursor
	case !before && n.Number <= c.Page, before && n.Number >= c.Page:
		// "Page suivante" goes forward from the row's page, "précédente" back.
		return nil, ErrBadCursor
	}
	return &c, nil
}
