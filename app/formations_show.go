package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// formationView is one session's page.
type formationView struct {
	Formation models.FormationRow
	CanWrite  bool
	CanCancel bool
	Done      string
	Errors    map[string]string
	Warnings  []string
	History   []models.AuditEvent
}

var formationDone = map[string]string{
	"creation":     "La session a été enregistrée.",
	"modification": "Les modifications ont été enregistrées.",
	"annulation":   "La session a été annulée : les calendriers l'affichent comme annulée.",
}

// showFormation is a session's page, or its calendar: echo's router cannot tell
// /formations/12.ics from /formations/:id, so the handler cuts the suffix.
func (s *Server) showFormation(c echo.Context) error {
	if id, ok := strings.CutSuffix(c.Param("id"), ".ics"); ok {
		c.SetParamValues(id)
		return s.formationICS(c)
	}
	return s.formationPage(c, http.StatusOK, nil)
}

func (s *Server) formationPage(c echo.Context, status int, errs map[string]string) error {
	id, r, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := formationView{Formation: r, Done: formationDone[c.QueryParam("fait")], Errors: errs}
	if v.CanWrite, err = s.store.CanWriteFormation(ctx, actor, id); err != nil {
		return err
	}
	v.CanCancel = v.CanWrite && r.Statut != models.FormationAnnulee && r.Statut != models.FormationTenue
	if v.Warnings, err = s.store.FormationWarnings(ctx, r.Formation); err != nil {
		return err
	}
	if v.History, err = s.history(c, "formation", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, status, "formations/show", r.Titre(), []crumb{home, formationsCrumb, {Label: r.Titre()}}, v)
}

// cancelFormation cancels a session (POST /formations/:id/annuler, with its version).
func (s *Server) cancelFormation(c echo.Context) error {
	id, _, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	_, err = s.store.CancelFormation(c.Request().Context(), s.actor(c), id, formVersion(c.FormValue("version")))
	if errs, invalid := formErrors(err); invalid {
		return s.formationPage(c, http.StatusUnprocessableEntity, errs)
	}
	switch {
	case errors.As(err, new(*models.ConflictError)):
		return s.formationPage(c, http.StatusConflict, map[string]string{"_": "La session a été modifiée entre-temps : " +
			"rien n'a été enregistré. Relisez-la, puis annulez-la de nouveau si besoin."})
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/formations/"+strconv.FormatInt(id, 10)+"?fait=annulation")
}
