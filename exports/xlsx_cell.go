package exports

import (
	"unicode/utf8"
)

// xlsxValue returns the value handed to the StreamWriter for a cell of kind k:
// nil for an empty cell, otherwise a string, an int or int64, or a float64
// (amounts in euros, dates and times as Excel serial numbers, which the
// column's number format shows as dates). Values that are already in final
// form are passed through to avoid an allocation.
func xlsxValue(k Kind, v any) (any, error) {
	switch k {
	case Integer:
		switch v.(type) {
		case int, int64:
			return v, nil
		}
		n, ok, err := intOf(v)
		return cellOrNil(n, ok), err
	case Decimal, Percent:
		f, ok, err := floatOf(v, k)
		if _, same := v.(float64); same && ok {
			return v, nil
		}
		return cellOrNil(f, ok), err
	case Euros:
		n, ok, err := centsOf(v)
		return cellOrNil(float64(n)/100, ok), err
	case Date, DateTime, Time:
		t, ok, err := timeOf(v, k)
		if !ok {
			return nil, err
		}
		if k == Time {
			return dayFraction(t), nil
		}
		if serial, ok := excelSerial(t); ok {
			return serial, nil
		}
		return t.Format(csvLayouts[k]), nil // before 1900: Excel has no such date
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
