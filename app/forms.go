package app

import (
	"errors"

	"github.com/ac-creteil/pilotage/models"
)

// formErrors turns a validation error of the data layer into messages per form field;
// ok is false for any other error.
func formErrors(err error) (map[string]string, bool) {
	var verr *models.ValidationError
	if !errors.As(err, &verr) {
		return nil, false
	}
	out := map[string]string{}
	for _, fe := range verr.Errors {
		if _, seen := out[fe.Field]; !seen {
			out[fe.Field] = fe.Msg
		}
	}
	return out, true
}
