package exports

import (
	"time"
	"unicode/utf8"
)

// xlsxCell returns the value handed to the StreamWriter: nil for an empty
// cell, otherwise a string, int64, float64 or time.Time. Values that are
// already in final form are passed through to avoid an allocation.
func xlsxCell(k Kind, v any) (any, error) {
	switch k {
	case Integer:
		switch v.(type) {
		case int, int64:
			return v, nil
		}
		n, ok, err := intOf(v)
		return cellOrNil(n, ok), err
	case Decimal:
		f, ok, err := floatOf(v)
		if _, same := v.(float64); same && ok {
			return v, nil
		}
		return cellOrNil(f, ok), err
	case Date:
		t, ok, err := timeOf(v)
		if orig, same := v.(time.Time); same && ok && orig.Equal(t) && orig.Location() == time.UTC {
			return v, nil
		}
		return cellOrNil(t, ok), err
	}
	// Text: a string is always written as a string cell (inline string),
	// never as a formula, even when it starts with '='.
	if s, ok := v.(string); ok && utf8.ValidString(s) {
		if s == "" {
			return nil, nil
		}
		return v, nil
	}
	if s := textOf(v); s != "" {
		return s, nil
	}
	return nil, nil
}

// cellOrNil boxes v when ok, and returns nil (empty cell) otherwise.
func cellOrNil[T any](v T, ok bool) any {
	if !ok {
		return nil
	}
	return v
}
