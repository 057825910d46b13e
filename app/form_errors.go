package app

import (
	"errors"
	"net/http"

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

// Messages of the governance forms when the role writes bodies but none is open to it yet.
const (
	msgNoWritableBody    = "Aucune instance que vous pouvez modifier n'existe encore : créez d'abord l'instance, puis planifiez sa réunion."
	msgNoWritableMeeting = "Aucune réunion d'une instance que vous pouvez modifier n'existe encore : planifiez d'abord la réunion."
)

// closedStatus is the status of a form page: 403 when the form is closed to the caller's
// role (closed says why, and the page shows it), status otherwise.
func closedStatus(status int, closed string) int { return forbiddenStatus(status, closed != "") }

// forbiddenStatus is 403 when forbidden and status is not already an error.
func forbiddenStatus(status int, forbidden bool) int {
	if forbidden && status < http.StatusBadRequest {
		return http.StatusForbidden
	}
	return status
}
