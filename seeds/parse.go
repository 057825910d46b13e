package seeds

import (
	"errors"
	"io"

	"github.com/ac-creteil/pilotage/models"
)

// eachRecord reads every record of f, calling fn; a structural error of the file (wrong
// field count, broken quotes) stops the reading and is returned as a validation error.
func eachRecord(f *CSVFile, errs *models.ValidationError, fn func(Record)) error {
	for {
		rec, err := f.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var le *LineError
		if errors.As(err, &le) {
			errs.Add(le.Line, le.Column, le.Msg)
			return errs
		}
		if err != nil {
			return err
		}
		fn(rec)
	}
}

// intField parses an optional whole number of a record; a bad value is reported.
func intField(errs *models.ValidationError, rec Record, col string) *int {
	n, ok, err := ParseFrenchInt(rec.Get(col))
	if err != nil {
		errs.Add(rec.Line, col, err.Error())
		return nil
	}
	if !ok {
		return nil
	}
	return &n
}

// requireColumns reports the columns the header lacks.
func requireColumns(f *CSVFile, cols ...string) error {
	var errs models.ValidationError
	for _, c := range cols {
		if !f.Has(c) {
			errs.Add(1, c, "colonne absente de l'en-tête")
		}
	}
	return errs.OrNil()
}
