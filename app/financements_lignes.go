package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// A plan's lines: adding one (the form under the lines table of the plan's page), editing
// and deleting one, and the "Montants réalisés" form where a référent communal (or whoever
// writes the plan) enters the actual amounts.

// ligneForm is the line form, as typed: amounts are read by the data layer (ParseEuros).
type ligneForm struct {
	Annee     string `form:"annee"`
	TypeAnnee string `form:"type_annee"`
	Financeur string `form:"financeur"`
	Nature    string `form:"nature"`
	Libelle   string `form:"libelle"`
	Prevu     string `form:"prevu"`
	Realise   string `form:"realise"`
	Marche    string `form:"marche"`
	Version   string `form:"version"`
}

func (f ligneForm) input() models.LigneInput {
	marche, _ := strconv.ParseInt(f.Marche, 10, 64)
	return models.LigneInput{Annee: f.Annee, TypeAnnee: f.TypeAnnee, Financeur: f.Financeur, Nature: f.Nature,
		Libelle: f.Libelle, Prevu: f.Prevu, Realise: f.Realise, MarcheID: marche}
}

func ligneFormOf(l models.FinancementLigne) ligneForm {
	f := ligneForm{Annee: strconv.Itoa(l.Annee), TypeAnnee: l.TypeAnnee, Financeur: l.Financeur, Nature: l.Nature,
		Libelle: l.Libelle, Prevu: fr.EurosPlain(l.PrevuCentimes), Realise: l.RealiseInput(), Version: strconv.Itoa(l.Version)}
	if l.MarcheID != nil {
		f.Marche = strconv.FormatInt(*l.MarcheID, 10)
	}
	return f
}

// ligneFormView is the line form, on the plan's page (a new line) or on its own page.
type ligneFormView struct {
	Heading, Action, Cancel, Submit     string
	Closed, Refused, Version, CSRF      string
	HasErrors                           bool
	Libelle, Prevu, Realise             formField
	Annee, TypeAnnee, Financeur, Nature selectField
	Marche                              selectField // its choices: financementPage (marches of the plan's communes)
	Conflict                            *formConflict
}

func newLigneFormView(planID int64, line *models.FinancementLigne, f ligneForm, errs map[string]string) ligneFormView {
	plan := "/financements/" + strconv.FormatInt(planID, 10)
	v := ligneFormView{Heading: "Ajouter une ligne", Action: plan + "/lignes", Cancel: plan, Submit: "Ajouter la ligne",
		Version: f.Version, HasErrors: len(errs) > 0}
	if line != nil {
		v.Heading, v.Submit = "Modifier la ligne n° "+strconv.FormatInt(line.ID, 10), "Enregistrer"
		v.Action = plan + "/lignes/" + strconv.FormatInt(line.ID, 10)
	}
	// The year's choices depend on the plan and the actor: financementPage sets them.
	v.Annee = selectField{ID: "ligne-annee", Name: "annee", Label: "Année", All: "Choisir l'année",
		Hint: "L'année scolaire (2012 pour 2012-2013) ou l'année civile", Value: f.Annee, Error: errs["annee"]}
	v.TypeAnnee = selectField{ID: "ligne-type-annee", Name: "type_annee", Label: "Type d'année", All: "Choisir", Value: f.TypeAnnee,
		Choices: models.TypesAnnee, Error: errs["type_annee"]}
	v.Financeur = selectField{ID: "ligne-financeur", Name: "financeur", Label: "Financeur", All: "Choisir le financeur", Value: f.Financeur,
		Choices: models.Financeurs, Error: errs["financeur"]}
	v.Nature = selectField{ID: "ligne-nature", Name: "nature", Label: "Nature", All: "Choisir la nature", Value: f.Nature,
		Choices: models.Natures, Error: errs["nature"]}
	v.Marche = selectField{ID: "ligne-marche", Name: "marche", Label: "Marché payé", All: "Aucun", Hint: "Facultatif : le marché de ses communes que la ligne paie",
		Value: f.Marche, Error: errs["marche"]}
	v.Libelle = formField{ID: "ligne-libelle", Name: "libelle", Label: "Libellé", Hint: "Facultatif", Type: "text", Value: f.Libelle, Error: errs["libelle"]}
	v.Prevu = formField{ID: "ligne-prevu", Name: "prevu", Label: "Montant prévu (€)", Hint: "Exemple : 12 500,50", Type: "text",
		Value: f.Prevu, Error: errs["prevu"]}
	v.Realise = formField{ID: "ligne-realise", Name: "realise", Label: "Montant réalisé (€)", Hint: "Facultatif : vide tant qu'il n'est pas connu",
		Type: "text", Value: f.Realise, Error: errs["realise"]}
	return v
}

const msgLigneRefused = "Rien n'a été enregistré : votre rôle ne permet pas de modifier les lignes de ce plan."

// addLigne adds a line; invalid, the plan's page comes back with the typed values (422).
func (s *Server) addLigne(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := bindForm[ligneForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.AddLigne(c.Request().Context(), s.actor(c), id, f.input())
	if errs, ok := formErrors(err); ok {
		v := newLigneFormView(id, nil, f, errs)
		return s.financementPage(c, http.StatusUnprocessableEntity, id, "", &v)
	}
	if errors.Is(err, models.ErrForbidden) {
		v := newLigneFormView(id, nil, f, nil)
		v.Refused = msgLigneRefused
		return s.financementPage(c, http.StatusForbidden, id, "", &v)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/financements/"+strconv.FormatInt(id, 10)+"?fait=ligne#lignes")
}

// ligneFormPage is the plan's page with the form of one of its lines in place of the
// "add a line" form.
func (s *Server) ligneFormPage(c echo.Context, status int, planID int64, line models.FinancementLigne, f ligneForm, errs map[string]string, refused string, conflict *formConflict) error {
	v := newLigneFormView(planID, &line, f, errs)
	v.Refused, v.Conflict = refused, conflict
	return s.financementPage(c, status, planID, "", &v)
}

func (s *Server) editLigne(c echo.Context) error {
	id, lid, err := pathIDs(c, "lid")
	if err != nil {
		return err
	}
	l, err := s.store.GetLigne(c.Request().Context(), s.scope(c), id, lid)
	if err != nil {
		return err
	}
	return s.ligneFormPage(c, http.StatusOK, id, l, ligneFormOf(l), nil, "", nil)
}

// updateLigne saves a line: 404 outside the scope, 403 refused, 409 stale, 422 invalid.
func (s *Server) updateLigne(c echo.Context) error {
	id, lid, err := pathIDs(c, "lid")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	l, err := s.store.GetLigne(ctx, actor.Scope, id, lid)
	if err != nil {
		return err
	}
	f, err := bindForm[ligneForm](c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateLigne(ctx, actor, id, lid, formVersion(f.Version), f.input())
	return updated(c, err, l, func(ce *models.ConflictError, current models.FinancementLigne) error {
		cur := ligneFormOf(current)
		return s.ligneFormPage(c, http.StatusConflict, id, current, cur, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Année", Current: cur.Annee, Typed: f.Annee}, {Label: "Financeur", Current: models.LabelOf(models.Financeurs, cur.Financeur), Typed: models.LabelOf(models.Financeurs, f.Financeur)},
			{Label: "Montant prévu", Current: cur.Prevu, Typed: f.Prevu}, {Label: "Montant réalisé", Current: cur.Realise, Typed: f.Realise}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.ligneFormPage(c, status, id, l, f, errs, msg, nil)
	}, Refused: msgLigneRefused, Redirect: "/financements/" + strconv.FormatInt(id, 10) + "?fait=ligne#lignes"})
}

func (s *Server) deleteLigne(c echo.Context) error {
	id, lid, err := pathIDs(c, "lid")
	if err != nil {
		return err
	}
	if err := s.store.DeleteLigne(c.Request().Context(), s.actor(c), id, lid); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/financements/"+strconv.FormatInt(id, 10)+"?fait=suppression#lignes")
}

// realiseField is one line of the "Montants réalisés" form.
type realiseField struct {
	Line    models.FinancementLigne
	Field   formField
	Version string
}

// realisesView is the "Montants réalisés" form.
type realisesView struct {
	Plan      models.FinancementRow
	Action    string
	Cancel    string
	Closed    string
	Refused   string
	HasErrors bool
	Lines     []realiseField
	Conflict  *formConflict
}

// realisesPage renders the form; typed holds the values sent back (nil: the stored ones).
func (s *Server) realisesPage(c echo.Context, status int, id int64, typed map[int64]string, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	p, err := s.store.GetFinancementPlan(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	href := "/financements/" + strconv.FormatInt(id, 10)
	v := realisesView{Plan: p.FinancementRow, Action: href + "/realises", Cancel: href, Refused: refused, HasErrors: len(errs) > 0, Conflict: conflict}
	if !models.CanSetActualAmounts(actor, p.FinancementRow) {
		v.Closed = "Vous pouvez consulter ce plan mais votre rôle ne permet pas d'en saisir les montants réalisés."
		if notice := p.SharedNotice(); notice != "" {
			v.Closed = notice
		}
	}
	for _, l := range p.Lignes {
		key := strconv.FormatInt(l.ID, 10)
		value, ok := typed[l.ID]
		if !ok {
			value = l.RealiseInput()
		}
		v.Lines = append(v.Lines, realiseField{Line: l, Version: strconv.Itoa(l.Version), Field: formField{ID: "realise-" + key, Name: "realise-" + key,
			Label: "Réalisé " + l.AnneeLabel() + " — " + l.FinanceurLabel() + " — " + l.NatureLabel() + " (prévu " + l.PrevuLabel() + ")",
			Type:  "text", Value: value, Error: errs["realise-"+key]}})
	}
	return s.render(c, closedStatus(status, v.Closed), "financements/realises", "Montants réalisés", []crumb{home, financementsCrumb, {Label: p.Titre, Href: href}, {Label: "Montants réalisés"}}, v)
}

func (s *Server) editRealises(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.realisesPage(c, http.StatusOK, id, nil, nil, "", nil)
}

// updateRealises saves the actual amounts typed: 404 outside the scope, 403 for a role that
// may not, 409 when a line changed meanwhile, 422 with the typed values.
func (s *Server) updateRealises(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	lines, err := s.store.FinancementLignesOf(ctx, actor.Scope, []int64{id})
	if err != nil {
		return err
	}
	if _, err := s.store.GetFinancement(ctx, actor.Scope, id); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	var in []models.ActualInput
	typed := map[int64]string{}
	for _, l := range lines[id] {
		key := strconv.FormatInt(l.ID, 10)
		if _, sent := form["realise-"+key]; !sent {
			continue
		}
		typed[l.ID] = form.Get("realise-" + key)
		in = append(in, models.ActualInput{LineID: l.ID, Version: formVersion(form.Get("version-" + key)), Realise: typed[l.ID]})
	}
	err = s.store.SetActualAmounts(ctx, actor, id, in)
	return updated(c, err, struct{}{}, func(ce *models.ConflictError, _ struct{}) error {
		return s.realisesPage(c, http.StatusConflict, id, nil, nil, "", newFormConflict(ce, nil))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.realisesPage(c, status, id, typed, errs, msg, nil)
	}, Refused: "Rien n'a été enregistré : votre rôle ne permet pas de saisir les montants réalisés de ce plan.",
		Redirect: "/financements/" + strconv.FormatInt(id, 10) + "?fait=realises#lignes"})
}

// yearChoices are the years of the line form, "2012 (2012-2013)"; a typed year outside them
// is kept as a choice, so that the form shows what was sent.
func yearChoices(years []int, typed string) []models.Choice {
	out := make([]models.Choice, 0, len(years)+1)
	found := typed == ""
	for _, y := range years {
		v := strconv.Itoa(y)
		found = found || v == typed
		out = append(out, models.Choice{Value: v, Label: v + " (" + models.AnneeLabel(y, "scolaire") + ")"})
	}
	if !found {
		out = append(out, models.Choice{Value: typed, Label: typed})
	}
	return out
}
