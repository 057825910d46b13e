package app

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// formAnswer answers the save of a form: the form again with its field errors (422), the
// form with the refusal message when the write rules refuse (403), or the redirect (303).
type formAnswer struct {
	// Form renders the form again with the status, the field errors and a message.
	Form func(status int, errs map[string]string, msg string) error
	// Refused is the message of a refused save; "" lets ErrForbidden go up as it is.
	Refused string
	// Redirect is where a successful save leads.
	Redirect string
}

// saved answers err, the outcome of the save.
func (a formAnswer) saved(c echo.Context, err error) error {
	switch errs, invalid := formErrors(err); {
	case invalid:
		return a.Form(http.StatusUnprocessableEntity, errs, "")
	case a.Refused != "" && errors.Is(err, models.ErrForbidden):
		return a.Form(http.StatusForbidden, nil, a.Refused)
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, a.Redirect)
}

// formConflict is what a stale save shows: who changed the record, when, and its current
// values beside the ones typed.
type formConflict struct {
	By   string
	At   time.Time
	Rows []conflictRow
}

type conflictRow struct {
	Label, Current, Typed string
	Differs               bool
}

func newFormConflict(ce *models.ConflictError, rows []conflictRow) *formConflict {
	for i := range rows {
		rows[i].Differs = strings.TrimSpace(rows[i].Current) != strings.TrimSpace(rows[i].Typed)
	}
	return &formConflict{By: conflictBy(ce), At: ce.At, Rows: rows}
}

// conflictBy names who made the change a stale save missed.
func conflictBy(ce *models.ConflictError) string {
	if ce.By == "" {
		return "un autre utilisateur"
	}
	return ce.By
}

// pageErrors are the errors of a form shown on a record's page: its field errors, or the
// refusal message under "_".
func pageErrors(errs map[string]string, refused string) map[string]string {
	if refused != "" {
		return map[string]string{"_": refused}
	}
	return errs
}

// updated answers the save of an edit form: when another write came first (a
// *models.ConflictError), conflict renders the 409 page with the record's current values
// (before, the record as read before the save, when the conflict carries none); otherwise
// as a.saved.
func updated[R any](c echo.Context, err error, before R, conflict func(ce *models.ConflictError, current R) error, a formAnswer) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		current, ok := ce.Current.(R)
		if !ok {
			current = before
		}
		return conflict(ce, current)
	}
	return a.saved(c, err)
}
