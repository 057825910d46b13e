package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The bulk change of the deployment list: the écoles ticked on the page (each with the
// version it was read at) or every école matching the list's filter (guarded by the time
// the page was read), given the same phase, dates, wave or solution in one request, by
// models.ChangeDeploiements: all or nothing, one audit event per école.

// bulkForm is the posted change: every value is optional ("" keeps it).
type bulkForm struct {
	Phase              string   `form:"nouvelle_phase"`
	DateEffet          string   `form:"date_effet"`
	Vague              string   `form:"nouvelle_vague"`
	Solution           string   `form:"nouvelle_solution"`
	OuverturePrevue    string   `form:"ouverture_prevue"`
	OuvertureEffective string   `form:"ouverture_effective"`
	Selection          []string `form:"selection"`
	Tous               string   `form:"tous"`
	LuLe               string   `form:"lu_le"`
}

// bulkFields are the fields of the change form, for the list, the retry page and the fiche.
type bulkFields struct {
	Phase, Vague, Solution                         selectField
	DateEffet, OuverturePrevue, OuvertureEffective formField
	SetsPlan                                       bool // the wave and solution are offered
}

// newBulkFields builds the fields with the values typed and their errors.
func newBulkFields(f bulkForm, errs map[string]string, vagues, solutions []models.Choice, setsPlan bool) bulkFields {
	date := func(id, label, value string) formField {
		return formField{ID: id, Name: id, Label: label, Hint: "JJ/MM/AAAA ; vide : ne pas changer", Type: "text", Value: value, Error: errs[id]}
	}
	none := func(label string, choices []models.Choice) []models.Choice {
		return append([]models.Choice{{Value: "0", Label: label}}, choices...)
	}
	return bulkFields{
		Phase: selectField{ID: "nouvelle_phase", Name: "nouvelle_phase", Label: "Phase", All: "Ne pas changer", Value: f.Phase,
			Error: errs["nouvelle_phase"], Choices: models.DeploiementPhases},
		DateEffet: formField{ID: "date_effet", Name: "date_effet", Label: "Date d'effet de la phase",
			Hint: "JJ/MM/AAAA ; vide : aujourd'hui", Type: "text", Value: f.DateEffet, Error: errs["date_effet"]},
		Vague: selectField{ID: "nouvelle_vague", Name: "nouvelle_vague", Label: "Vague", All: "Ne pas changer", Value: f.Vague,
			Error: errs["nouvelle_vague"], Choices: none("Aucune vague (retirer de sa vague)", vagues)},
		Solution: selectField{ID: "nouvelle_solution", Name: "nouvelle_solution", Label: "Solution ENT", All: "Ne pas changer",
			Value: f.Solution, Error: errs["nouvelle_solution"], Choices: none("Aucune solution", solutions)},
		OuverturePrevue:    date("ouverture_prevue", "Ouverture prévue", f.OuverturePrevue),
		OuvertureEffective: date("ouverture_effective", "Ouverture effective", f.OuvertureEffective),
		SetsPlan:           setsPlan,
	}
}

// edit reads the change of the form, the same for every école, or the French errors of its
// fields. single: the form of one école's fiche, where an empty date or "" clears.
func (f bulkForm) edit(single bool) (models.DeploiementEdit, map[string]string) {
	var e models.DeploiementEdit
	errs := map[string]string{}
	if f.Phase != "" {
		if models.LabelOf(models.DeploiementPhases, f.Phase) == f.Phase {
			errs["nouvelle_phase"] = "Phase inconnue : choisissez dans la liste."
		}
		e.Phase = f.Phase
	}
	if strings.TrimSpace(f.DateEffet) != "" {
		var msg string
		if e.DateEffet, msg = models.DayProblem("La date d'effet", f.DateEffet); msg != "" {
			errs["date_effet"] = msg
		}
	}
	id := func(name, v string) *int64 {
		if v == "" && !single {
			return nil
		}
		n, err := strconv.ParseInt(strings.TrimSpace("0"+v), 10, 64)
		if err != nil || n < 0 {
			errs[name] = "Valeur non reconnue : choisissez dans la liste."
			return nil
		}
		return &n
	}
	e.VagueID, e.SolutionID = id("nouvelle_vague", f.Vague), id("nouvelle_solution", f.Solution)
	day := func(name, v string) *time.Time {
		if strings.TrimSpace(v) == "" {
			if single {
				return &time.Time{}
			}
			return nil
		}
		t, msg := models.DayProblem("La date", v)
		if msg != "" {
			errs[name] = msg
			return nil
		}
		return &t
	}
	e.OuverturePrevue, e.OuvertureEffective = day("ouverture_prevue", f.OuverturePrevue), day("ouverture_effective", f.OuvertureEffective)
	if len(errs) == 0 && !single && e.Phase == "" && e.VagueID == nil && e.SolutionID == nil && e.OuverturePrevue == nil && e.OuvertureEffective == nil {
		errs["nouvelle_phase"] = "Choisissez au moins une valeur à modifier."
	}
	if len(errs) == 0 {
		return e, nil
	}
	return e, errs
}

// withoutPlan drops the wave and solution the role does not set, when left unchanged.
func withoutPlan(e models.DeploiementEdit, single bool, setsPlan bool) models.DeploiementEdit {
	if single && !setsPlan {
		e.VagueID, e.SolutionID = nil, nil
	}
	return e
}

// bulkView is the page of a bulk change sent back: its errors, the écoles changed meanwhile
// or the refusal, and the form to retry with the same selection.
type bulkView struct {
	Fields    bulkFields
	Action    string
	Back      string
	CSRF      string
	Selection []bulkSelected
	Tous      bool
	Count     int
	ReadAt    string
	Errors    map[string]string
	Conflicts []conflictLine
	Refused   string
}

// bulkSelected is an école of the selection sent back, with its version.
type bulkSelected struct {
	UAI     string
	Version int
}

// conflictLine is an école changed under a bulk change.
type conflictLine struct {
	UAI, Nom, By, At string
}

// updateDeploiements applies a bulk change posted from the list.
func (s *Server) updateDeploiements(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	form, err := bindForm[bulkForm](c)
	if err != nil {
		return err
	}
	_, filter, ferrs := s.deploiementQuery(c)
	if ferrs != nil {
		return &filterError{Fields: ferrs}
	}
	if !models.CanCreate(actor, models.EntityDeploiement) {
		return models.ErrForbidden
	}
	sel, guard, tous := bulkSelection(c, form)
	if tous {
		if guard.ReadAt, err = time.Parse(time.RFC3339Nano, form.LuLe); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		if sel, err = s.store.MatchingEcoles(ctx, actor.Scope, filter); err != nil {
			return err
		}
	}
	page := func(status int, errs map[string]string) error {
		return s.bulkPage(c, status, form, sel, guard, tous, errs, nil, "")
	}
	e, errs := form.edit(false)
	if errs != nil {
		return page(http.StatusUnprocessableEntity, errs)
	}
	if len(sel) == 0 {
		return page(http.StatusUnprocessableEntity, map[string]string{"selection": "Cochez au moins une école, ou choisissez toutes les écoles correspondant au filtre."})
	}
	edits := make([]models.DeploiementEdit, len(sel))
	for i, uai := range sel {
		edits[i] = e
		edits[i].UAI = uai
	}
	res, err := s.store.ChangeDeploiements(ctx, actor, edits, guard)
	var ce *models.DeploiementConflictError
	switch merrs, invalid := formErrors(err); {
	case errors.As(err, &ce):
		return s.bulkPage(c, http.StatusConflict, form, sel, guard, tous, nil, ce, "")
	case invalid:
		return page(http.StatusUnprocessableEntity, bulkFieldErrors(merrs))
	case errors.Is(err, models.ErrForbidden):
		return s.bulkPage(c, http.StatusForbidden, form, sel, guard, tous, nil, nil,
			"Une école au moins de la sélection est hors de votre périmètre, ou votre rôle ne permet pas de modifier la vague ou la solution : rien n'a été modifié.")
	case err != nil:
		return err
	}
	back := newListURL(c, "/deploiements")
	back.query.Set("modifiees", strconv.Itoa(len(res.Created)+len(res.Changed)))
	back.query.Set("inchangees", strconv.Itoa(len(res.Unchanged)))
	return c.Redirect(http.StatusSeeOther, "/deploiements"+encode(back.query))
}

// bulkFieldErrors names the form's fields in the data layer's errors.
func bulkFieldErrors(errs map[string]string) map[string]string {
	out := map[string]string{}
	names := map[string]string{"phase": "nouvelle_phase", "vague": "nouvelle_vague", "solution": "nouvelle_solution", "uai": "selection"}
	for k, v := range errs {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

// bulkSelection reads the écoles ticked and their versions (v_<UAI>), or "all matching".
func bulkSelection(c echo.Context, f bulkForm) ([]string, models.DeploiementGuard, bool) {
	guard := models.DeploiementGuard{Versions: map[string]int{}}
	if f.Tous == "1" {
		return nil, models.DeploiementGuard{}, true
	}
	var sel []string
	for _, uai := range f.Selection {
		uai = strings.ToUpper(strings.TrimSpace(uai))
		if !models.ValidUAIShape(uai) {
			continue
		}
		sel = append(sel, uai)
		if v, err := strconv.Atoi(c.FormValue("v_" + uai)); err == nil {
			guard.Versions[uai] = v
		}
	}
	return sel, guard, false
}

// bulkPage renders the change sent back: errors (422), conflicts (409) or refusal (403).
func (s *Server) bulkPage(c echo.Context, status int, f bulkForm, sel []string, guard models.DeploiementGuard, tous bool,
	errs map[string]string, ce *models.DeploiementConflictError, refused string) error {
	actor := s.actor(c)
	vagues, solutions, err := s.deploiementChoices(c)
	if err != nil {
		return err
	}
	back := newListURL(c, "/deploiements")
	v := bulkView{Fields: newBulkFields(f, errs, vagues, solutions, models.SetsDeploiementPlan(actor)), CSRF: csrfToken(c),
		Action: back.as("/deploiements/modifier"), Back: back.as("/deploiements"), Tous: tous, Count: len(sel), Errors: errs, Refused: refused,
		ReadAt: time.Now().UTC().Format(time.RFC3339Nano)}
	if !tous {
		current := map[string]int{}
		if ce != nil {
			for _, e := range ce.Ecoles {
				current[e.UAI] = e.Version
			}
		}
		for _, uai := range sel {
			ver, ok := current[uai]
			if !ok {
				ver = guard.Versions[uai]
			}
			v.Selection = append(v.Selection, bulkSelected{UAI: uai, Version: ver})
		}
	}
	if ce != nil {
		for _, e := range ce.Ecoles {
			by := e.By
			if by == "" {
				by = "un autre utilisateur"
			}
			v.Conflicts = append(v.Conflicts, conflictLine{UAI: e.UAI, Nom: e.Nom, By: by, At: frenchMoment(e.At)})
		}
	}
	return s.render(c, status, "deploiements/modifier", "Modifier le déploiement des écoles",
		[]crumb{home, deploiementsCrumb, {Label: "Modification groupée"}}, v)
}

// frenchMoment is "le 06/12/2026 à 14:03" in Paris time.
func frenchMoment(t time.Time) string {
	if t.IsZero() {
		return "à une date inconnue"
	}
	p := t.In(fr.Paris())
	return "le " + p.Format("02/01/2006") + " à " + p.Format("15:04")
}
