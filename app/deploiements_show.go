package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// One école's deployment: its state, its history of phases, its audit history, and the
// form changing it (models.ChangeDeploiements with the version the form was read at).

// deploiementView is the fiche of one école's deployment.
type deploiementView struct {
	Row       models.DeploiementRow
	Phases    []models.DeploiementPhase
	History   []models.AuditEvent
	CanWrite  bool
	Fields    bulkFields
	CSRF      string
	Version   int
	Done      bool
	Errors    map[string]string
	Conflict  *conflictLine
	Refused   string
	EcoleHref string
}

func (s *Server) showDeploiement(c echo.Context) error {
	return s.deploiementPage(c, http.StatusOK, nil, nil, nil, "")
}

// deploiementPage renders the fiche; typed is the form sent back (nil: the current values).
func (s *Server) deploiementPage(c echo.Context, status int, typed *bulkForm, errs map[string]string, conflict *conflictLine, refused string) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	uai := c.Param("uai")
	if !models.ValidUAIShape(uai) {
		return models.ErrNotFound
	}
	row, err := s.store.GetDeploiementRow(ctx, actor.Scope, uai)
	if err != nil {
		return err
	}
	v := deploiementView{Row: row, CSRF: csrfToken(c), Version: row.Version, Done: c.QueryParam("fait") == "1", Errors: errs,
		Conflict: conflict, Refused: refused, EcoleHref: "/ecoles/" + row.UAI}
	if row.InProgramme() {
		if v.Phases, err = s.store.DeploiementHistory(ctx, actor.Scope, uai); err != nil {
			return err
		}
	}
	if v.History, err = s.history(c, "deploiement", row.UAI); err != nil {
		return err
	}
	if v.CanWrite, err = s.store.CanWriteDeploiement(ctx, actor, uai); err != nil {
		return err
	}
	vagues, solutions, err := s.deploiementChoices(c)
	if err != nil {
		return err
	}
	form := currentForm(row)
	if typed != nil {
		form = *typed
	}
	v.Fields = newBulkFields(form, errs, vagues, solutions, models.SetsDeploiementPlan(actor))
	v.Fields.Phase.All, v.Fields.Vague.All, v.Fields.Solution.All = "Choisir une phase", "Aucune vague", "Aucune solution"
	v.Fields.Vague.Choices, v.Fields.Solution.Choices = vagues, solutions
	for _, f := range []*formField{&v.Fields.OuverturePrevue, &v.Fields.OuvertureEffective} {
		f.Hint = "JJ/MM/AAAA ; vide : aucune date"
	}
	return s.render(c, status, "deploiements/show", row.Nom, []crumb{home, deploiementsCrumb, {Label: row.Nom}}, v)
}

// currentForm is the form of the fiche filled with the deployment's values.
func currentForm(r models.DeploiementRow) bulkForm {
	id := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	return bulkForm{Phase: r.Phase, DateEffet: frDay(r.DatePhase), Vague: id(r.VagueID), Solution: id(r.SolutionID),
		OuverturePrevue: frDay(r.OuverturePrevue), OuvertureEffective: frDay(r.OuvertureEffective)}
}

// frDay is a day as the forms show it, 09/01/2012 ("" for none).
func frDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("02/01/2006")
}

// updateDeploiement saves the form of one école's fiche, guarded by the version it was
// read at.
func (s *Server) updateDeploiement(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	uai := c.Param("uai")
	if !models.ValidUAIShape(uai) {
		return models.ErrNotFound
	}
	row, err := s.store.GetDeploiementRow(ctx, actor.Scope, uai)
	if err != nil {
		return err
	}
	form, err := bindForm[bulkForm](c)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(c.FormValue("version"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	e, errs := form.edit(true)
	if errs == nil && form.Phase == "" {
		errs = map[string]string{"nouvelle_phase": "Choisissez la phase de l'école."}
	}
	if errs != nil {
		return s.deploiementPage(c, http.StatusUnprocessableEntity, &form, errs, nil, "")
	}
	e = withoutPlan(e, true, models.SetsDeploiementPlan(actor))
	e.UAI = row.UAI
	_, err = s.store.ChangeDeploiements(ctx, actor, []models.DeploiementEdit{e},
		models.DeploiementGuard{Versions: map[string]int{row.UAI: version}})
	var ce *models.DeploiementConflictError
	switch merrs, invalid := formErrors(err); {
	case errors.As(err, &ce) && len(ce.Ecoles) > 0:
		x := ce.Ecoles[0]
		return s.deploiementPage(c, http.StatusConflict, nil, nil, &conflictLine{UAI: x.UAI, Nom: x.Nom, By: x.By, At: frenchMoment(x.At)}, "")
	case invalid:
		return s.deploiementPage(c, http.StatusUnprocessableEntity, &form, bulkFieldErrors(merrs), nil, "")
	case errors.Is(err, models.ErrForbidden):
		return s.deploiementPage(c, http.StatusForbidden, &form, nil, nil, "Votre rôle ne permet pas de modifier le déploiement de cette école : rien n'a été modifié.")
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/deploiements/"+row.UAI+"?fait=1")
}
