package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The forms of a convention's page: status (workflow), parties and signatures, annex,
// avenants, archive and restore. A refused form renders the page again with its errors
// next to it (422); outside the scope 404, a role that may not write 403.

func conventionHref(id int64, done string) string {
	return "/conventions/" + strconv.FormatInt(id, 10) + "?fait=" + done
}

// transitionConvention moves the convention to the posted status ("vers").
func (s *Server) transitionConvention(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in := models.TransitionInput{Vers: c.FormValue("vers"), Date: c.FormValue("date"), Motif: c.FormValue("motif")}
	_, err = s.store.TransitionConvention(c.Request().Context(), s.actor(c), id, in)
	return s.conventionSaved(c, err, id, conventionState{form: "statut", in: in}, conventionHref(id, "statut")+"#workflow")
}

// conventionSaved answers a form of a convention's page: the page again with the form's
// errors (422), or the redirect.
func (s *Server) conventionSaved(c echo.Context, err error, id int64, st conventionState, redirect string) error {
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		st.errs = errs
		return s.conventionPage(c, status, id, st)
	}, Redirect: redirect}.saved(c, err)
}

func partyInput(c echo.Context) models.PartyInput {
	org, _ := strconv.ParseInt(c.FormValue("organisation"), 10, 64)
	return models.PartyInput{OrganisationID: org, Nom: c.FormValue("signataire"), Fonction: c.FormValue("fonction"), Date: c.FormValue("date_signature")}
}

// addConventionParty adds a party (an organisation, its signatory if known).
func (s *Server) addConventionParty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in := partyInput(c)
	err = s.store.SaveConventionParty(c.Request().Context(), s.actor(c), id, 0, in)
	return s.conventionSaved(c, err, id, conventionState{form: "partie", party: in}, conventionHref(id, "partie")+"#parties")
}

// updateConventionParty records a party's signatory, function and signature day.
func (s *Server) updateConventionParty(c echo.Context) error {
	id, pid, err := pathIDs(c, "pid")
	if err != nil {
		return err
	}
	in := partyInput(c)
	err = s.store.SaveConventionParty(c.Request().Context(), s.actor(c), id, pid, in)
	return s.conventionSaved(c, err, id, conventionState{form: "partie-" + strconv.FormatInt(pid, 10), party: in}, conventionHref(id, "partie")+"#parties")
}

func (s *Server) removeConventionParty(c echo.Context) error {
	id, pid, err := pathIDs(c, "pid")
	if err != nil {
		return err
	}
	err = s.store.RemoveConventionParty(c.Request().Context(), s.actor(c), id, pid)
	return s.conventionSaved(c, err, id, conventionState{form: "parties"}, conventionHref(id, "partie")+"#parties")
}

// saveConventionAnnex sets the annex signed with the convention (the checked écoles).
func (s *Server) saveConventionAnnex(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	uais := form["ecoles"]
	err = s.store.SetConventionAnnex(c.Request().Context(), s.actor(c), id, uais)
	if errs, ok := formErrors(err); ok {
		if uais == nil {
			uais = []string{}
		}
		return s.annexPage(c, http.StatusUnprocessableEntity, id, uais, errs["ecoles"])
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, conventionHref(id, "annexe")+"#annexe")
}

// addAvenant records the next avenant and applies it.
func (s *Server) addAvenant(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	in := models.AvenantInput{Objet: form.Get("objet"), Description: form.Get("description"), DateSignature: form.Get("date_signature"),
		DateEffet: form.Get("date_effet"), NouvelleExpiration: form.Get("nouvelle_expiration"), Ecoles: form["ecoles"]}
	_, err = s.store.CreateAvenant(c.Request().Context(), s.actor(c), id, in)
	return s.conventionSaved(c, err, id, conventionState{form: "avenant", avenant: in}, conventionHref(id, "avenant")+"#avenants")
}

// archiveConvention archives a convention; the registry then offers to restore it.
func (s *Server) archiveConvention(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = s.store.ArchiveConvention(c.Request().Context(), s.actor(c), id)
	return s.conventionSaved(c, err, id, conventionState{form: "general"}, "/conventions?fait=archivage&archivee="+strconv.FormatInt(id, 10))
}

func (s *Server) restoreConvention(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreConvention, func(id string) string { return "/conventions/" + id + "?fait=restauration" })
}
