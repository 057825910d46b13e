package app

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

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
	if errs, invalid := formErrors(err); invalid && slices.Contains(endingStatuts, in.Vers) {
		// The move came from its confirmation step: back there, with its errors.
		var he *echo.HTTPError
		if cerr := s.confirmPage(c, http.StatusUnprocessableEntity, id, in, errs); !errors.As(cerr, &he) || he.Code != http.StatusNotFound {
			return cerr
		}
	}
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

// addConventionParty adds a party: an organisation, or a commune chosen by name or code
// (its organisation is created on the fly when it has none), with its signatory if known.
func (s *Server) addConventionParty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in := partyInput(c)
	commune := strings.TrimSpace(c.FormValue("commune"))
	st := conventionState{form: "partie", party: in, commune: commune}
	if commune == "" {
		err = s.store.SaveConventionParty(c.Request().Context(), s.actor(c), id, 0, in)
		return s.conventionSaved(c, err, id, st, conventionHref(id, "partie")+"#parties")
	}
	cv, err := s.store.GetConvention(c.Request().Context(), s.scope(c), id)
	if err != nil {
		return err
	}
	if in.OrganisationID > 0 {
		return s.conventionSaved(c, fieldError("commune", "Choisissez une organisation ou une commune, pas les deux."), id, st, "")
	}
	place, err := s.readOnePlace(c, placeCommunes, cv.Departement(), commune)
	if err != nil {
		return err
	}
	if place.Error != "" {
		return s.conventionSaved(c, fieldError("commune", place.Error), id, st, "")
	}
	st.commune = place.Shown
	err = s.store.AddCommuneParty(c.Request().Context(), s.actor(c), id, place.Place.Code, in)
	return s.conventionSaved(c, err, id, st, conventionHref(id, "partie")+"#parties")
}

// fieldError is a validation error on one field of a form.
func fieldError(field, msg string) error {
	return &models.ValidationError{Errors: []models.FieldError{{Field: field, Msg: msg}}}
}

// saveConventionSignatures records the signatories and signature days of all the parties
// at once (fields "signataire-<id>", "fonction-<id>", "date_signature-<id>" of each party,
// and the convention's version: 409 when stale).
func (s *Server) saveConventionSignatures(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	cv, err := s.store.GetConvention(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	st := conventionState{form: "signatures", signatures: map[int64]models.SignatureInput{}}
	var lines []models.SignatureInput
	for _, p := range cv.Parties {
		pid := strconv.FormatInt(p.ID, 10)
		if _, posted := form["signataire-"+pid]; !posted {
			continue // a party added since the page was opened keeps its signature
		}
		in := models.SignatureInput{PartyID: p.ID, Nom: form.Get("signataire-" + pid), Fonction: form.Get("fonction-" + pid),
			Date: form.Get("date_signature-" + pid)}
		lines = append(lines, in)
		st.signatures[p.ID] = in
	}
	err = s.store.SaveConventionSignatures(ctx, actor, id, formVersion(form.Get("version")), lines)
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		st.conflict = "La convention a été modifiée par " + conflictBy(ce) + " depuis l'ouverture de la page : rien n'a été enregistré. " +
			"Les signatures affichées sont les vôtres ; vérifiez-les puis enregistrez de nouveau."
		return s.conventionPage(c, http.StatusConflict, id, st)
	}
	return s.conventionSaved(c, err, id, st, conventionHref(id, "signatures")+"#parties")
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
	if form.Get("_tout") != "" { // "Tout sélectionner" without JavaScript: the form again, all checked
		return s.annexPage(c, http.StatusOK, id, nil, "", true)
	}
	err = s.store.SetConventionAnnex(c.Request().Context(), s.actor(c), id, uais)
	if errs, ok := formErrors(err); ok {
		if uais == nil {
			uais = []string{}
		}
		return s.annexPage(c, http.StatusUnprocessableEntity, id, uais, errs["ecoles"], false)
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
