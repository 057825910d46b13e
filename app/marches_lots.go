package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// A lot's page (/marches/:id/lots/:lot): correct or delete the lot and choose the écoles it
// covers, correct or delete its bids, correct its award or remove it (after a confirmation
// that says the deployments keep their solution unless the user asks to revert them). Every
// form is guarded by the market's version; the data layer decides who may (CanWriteMarche).

// marcheLotView is the lot's page.
type marcheLotView struct {
	Marche            models.MarcheRow
	Lot               models.LotRow
	Version, Done     string
	CanWrite          bool
	HasErrors         bool
	Refused           string
	Numero, Intitule  formField
	MontantEstime     formField
	Ecoles            []checkField
	EcolesError       string
	Offres            []offreEditView
	Correction        *attributionFormView
	CanDelete         bool
	LotHref, PageHref string
}

// offreEditView is the correction form of one bid.
type offreEditView struct {
	Offre                       models.MarcheOffre
	Soumissionnaire, Solution   selectField
	Nom, Montant, DateReception formField
}

var marcheLotDone = map[string]string{
	"lot":        "Le lot a été corrigé.",
	"offre":      "L'offre a été corrigée.",
	"offre-supp": "L'offre a été supprimée.",
	"correction": "L'attribution a été corrigée.",
}

// lotOf reads the market of the path and its lot :lot.
func (s *Server) lotOf(c echo.Context) (models.MarcheRow, models.LotRow, error) {
	_, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return m, models.LotRow{}, err
	}
	lotID, err := pathID(c, "lot")
	if err != nil {
		return m, models.LotRow{}, err
	}
	for _, l := range m.Lots {
		if l.ID == lotID {
			return m, l, nil
		}
	}
	return m, models.LotRow{}, models.ErrNotFound
}

func (s *Server) showMarcheLot(c echo.Context) error {
	return s.marcheLotPage(c, http.StatusOK, "", nil, nil)
}

// marcheLotPage shows the lot; failed names the form sent back with errs and typed.
func (s *Server) marcheLotPage(c echo.Context, status int, failed string, errs, typed map[string]string) error {
	m, l, err := s.lotOf(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	href := marcheHref(m.ID)
	v := marcheLotView{Marche: m, Lot: l, Version: strconv.Itoa(m.Version), Done: marcheLotDone[c.QueryParam("fait")],
		CanWrite: models.CanWriteMarche(actor, m.Marche), HasErrors: len(errs) > 0, PageHref: href,
		LotHref: href + "/lots/" + strconv.FormatInt(l.ID, 10)}
	if status == http.StatusForbidden {
		v.Refused = "Rien n'a été enregistré : votre rôle ne permet pas cette action sur ce marché."
	}
	v.CanDelete = v.CanWrite && !l.Attribue()
	val := func(form, name, stored string) string {
		if failed != form {
			return stored
		}
		return typed[name]
	}
	e := func(form, name string) string {
		if failed != form {
			return ""
		}
		return errs[name]
	}
	text := func(form, name, label, hint, stored string) formField {
		return formField{Type: "text", ID: form + "-" + name, Name: name, Label: label, Hint: hint, Value: val(form, name, stored), Error: e(form, name)}
	}
	v.Numero = text("lot", "numero", "Numéro du lot", "De 1 à 99", strconv.Itoa(l.Numero))
	v.Intitule = text("lot", "intitule", "Intitulé", "", l.Intitule)
	v.MontantEstime = text("lot", "montant_estime", "Montant estimé (€ HT)", "Facultatif", centsInput(l.MontantEstime))
	v.EcolesError = e("lot", "ecoles")
	if err := s.lotEcoleChecks(c, &v, failed == "lot"); err != nil {
		return err
	}
	if v.CanWrite {
		if err := s.lotCorrectionForms(c, &v, val, e, text); err != nil {
			return err
		}
	}
	crumbs := []crumb{home, marchesCrumb, {Label: m.Objet, Href: href}, {Label: "Lot " + strconv.Itoa(l.Numero)}}
	return s.render(c, status, "marches/lot", "Lot "+strconv.Itoa(l.Numero)+" : "+l.Intitule, crumbs, v)
}

// centsInput is an optional amount as a form shows it.
func centsInput(c *int64) string {
	if c == nil {
		return ""
	}
	return fr.EurosPlain(*c)
}

// lotEcoleChecks are the checkboxes of the écoles of the market's communes: those the lot
// covers checked (all when it covers all), or those posted when the form came back.
func (s *Server) lotEcoleChecks(c echo.Context, v *marcheLotView, posted bool) error {
	ecoles, err := s.store.MarcheEcoles(c.Request().Context(), s.scope(c), v.Marche.ID)
	if err != nil {
		return err
	}
	chosen := map[string]bool{}
	switch {
	case posted:
		for _, u := range c.Request().Form["ecoles"] {
			chosen[u] = true
		}
	case len(v.Lot.Ecoles) > 0:
		for _, u := range v.Lot.Ecoles {
			chosen[u] = true
		}
	}
	for _, ec := range ecoles {
		v.Ecoles = append(v.Ecoles, checkField{ID: "ecole-" + ec.UAI, Name: "ecoles", Value: ec.UAI,
			Label: ec.Nom + " (" + ec.UAI + "), " + ec.Commune, Checked: chosen[ec.UAI] || (!posted && len(v.Lot.Ecoles) == 0)})
	}
	return nil
}

// lotCorrectionForms builds the correction forms of the bids and of the award.
func (s *Server) lotCorrectionForms(c echo.Context, v *marcheLotView, val func(form, name, stored string) string,
	e func(form, name string) string, text func(form, name, label, hint, stored string) formField) error {
	ctx := c.Request().Context()
	solutions, err := s.store.MarcheSolutionChoices(ctx)
	if err != nil {
		return err
	}
	editeurs, err := s.store.SolutionEditeurChoices(ctx)
	if err != nil {
		return err
	}
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	sel := func(form, name, label, all, stored string, choices []models.Choice) selectField {
		return selectField{ID: form + "-" + name, Name: name, Label: label, All: all, Value: val(form, name, stored), Choices: choices, Error: e(form, name)}
	}
	for _, o := range v.Lot.Offres {
		form := "offre-" + strconv.FormatInt(o.ID, 10)
		nom := ""
		if o.SoumissionnaireID == nil {
			nom = o.Soumissionnaire
		}
		v.Offres = append(v.Offres, offreEditView{Offre: o,
			Soumissionnaire: sel(form, "soumissionnaire_id", "Soumissionnaire (éditeur connu)", "Autre : saisir son nom", id(o.SoumissionnaireID), editeurs),
			Nom:             text(form, "soumissionnaire", "Nom du soumissionnaire", "Si l'éditeur n'est pas dans la liste", nom),
			Solution:        sel(form, "solution", "Solution proposée", "Aucune solution connue", id(o.SolutionID), solutions),
			Montant:         text(form, "montant", "Montant de l'offre (€ HT)", "", fr.EurosPlain(o.Montant)),
			DateReception:   text(form, "date_reception", "Date de réception", "Facultatif, JJ/MM/AAAA", frDay(o.DateReception))})
	}
	if !v.Lot.Attribue() {
		return nil
	}
	l := v.Lot
	duree := ""
	if l.DureeMois != nil {
		duree = strconv.Itoa(*l.DureeMois)
	}
	v.Correction = &attributionFormView{
		Titulaire:     sel("correction", "titulaire", "Titulaire", "Choisir l'éditeur attributaire", id(l.TitulaireID), editeurs),
		Montant:       text("correction", "montant", "Montant attribué (€ HT)", "", centsInput(l.MontantAttribue)),
		DureeMois:     text("correction", "duree_mois", "Durée (mois)", "", duree),
		DateDebut:     text("correction", "date_debut", "Date de début", "JJ/MM/AAAA", frDay(l.DateDebut)),
		Reconductions: text("correction", "reconductions", "Reconductions possibles", "De 0 à 10", strconv.Itoa(l.Reconductions))}
	return nil
}

// lotAnswer answers a form of the lot's page: the page again with the errors (422), a
// refusal (403), a stale version (409), or the redirect.
func (s *Server) lotAnswer(c echo.Context, err error, form string, typed map[string]string, redirect string) error {
	if errors.Is(err, models.ErrConflict) {
		return s.marcheLotPage(c, http.StatusConflict, form, map[string]string{"version": msgMarcheStale}, typed)
	}
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.marcheLotPage(c, status, form, errs, typed)
	}, Refused: "refus", Redirect: redirect}.saved(c, err)
}

// lotHref is the lot's page of the path.
func lotHref(c echo.Context) string { return "/marches/" + c.Param("id") + "/lots/" + c.Param("lot") }

func (s *Server) updateMarcheLot(c echo.Context) error {
	lotID, err := pathID(c, "lot")
	if err != nil {
		return err
	}
	v := formValues(c, "numero", "intitule", "montant_estime", "version")
	in := models.LotInput{Numero: v["numero"], Intitule: v["intitule"], MontantEstime: v["montant_estime"], Ecoles: c.Request().Form["ecoles"]}
	_, err = s.store.UpdateLot(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), lotID, in)
	return s.lotAnswer(c, err, "lot", v, lotHref(c)+"?fait=lot")
}

func (s *Server) deleteMarcheLot(c echo.Context) error {
	lotID, err := pathID(c, "lot")
	if err != nil {
		return err
	}
	v := formValues(c, "version")
	_, err = s.store.DeleteLot(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), lotID)
	return s.lotAnswer(c, err, "suppression", v, marcheHref(marcheID(c))+"?fait=suppression-lot#lot")
}

// offreInput reads the bid form.
func offreInput(v map[string]string) models.OffreInput {
	in := models.OffreInput{Soumissionnaire: v["soumissionnaire"], Montant: v["montant"], DateReception: v["date_reception"]}
	in.SoumissionnaireID, _ = strconv.ParseInt(v["soumissionnaire_id"], 10, 64)
	in.SolutionID, _ = strconv.ParseInt(v["solution"], 10, 64)
	return in
}

func (s *Server) updateMarcheOffre(c echo.Context) error {
	offreID, err := pathID(c, "offre")
	if err != nil {
		return err
	}
	v := formValues(c, "soumissionnaire_id", "soumissionnaire", "solution", "montant", "date_reception", "version")
	_, err = s.store.UpdateOffre(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), offreID, offreInput(v))
	return s.lotAnswer(c, err, "offre-"+c.Param("offre"), v, lotHref(c)+"?fait=offre#offres")
}

func (s *Server) deleteMarcheOffre(c echo.Context) error {
	offreID, err := pathID(c, "offre")
	if err != nil {
		return err
	}
	v := formValues(c, "version")
	_, err = s.store.DeleteOffre(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), offreID)
	return s.lotAnswer(c, err, "offre-"+c.Param("offre"), v, lotHref(c)+"?fait=offre-supp#offres")
}

func (s *Server) corrigerMarcheAttribution(c echo.Context) error {
	lotID, err := pathID(c, "lot")
	if err != nil {
		return err
	}
	v := formValues(c, "titulaire", "montant", "duree_mois", "date_debut", "reconductions", "version")
	in := models.AttributionInput{LotID: lotID, Montant: v["montant"], DureeMois: v["duree_mois"], DateDebut: v["date_debut"], Reconductions: v["reconductions"]}
	in.TitulaireID, _ = strconv.ParseInt(v["titulaire"], 10, 64)
	_, err = s.store.CorrigerAttribution(c.Request().Context(), s.actor(c), marcheID(c), formVersion(v["version"]), in)
	return s.lotAnswer(c, err, "correction", v, lotHref(c)+"?fait=correction#attribution")
}

// retraitView is the confirmation of the removal of an award.
type retraitView struct {
	Marche  models.MarcheRow
	Effets  models.RetraitEffets
	Version string
	Action  string
	Cancel  string
	Revert  checkField
}

// retirerMarcheAttribution asks for a confirmation (no "confirmer" field), then removes the
// award, reverting the deployments when "revenir" is checked.
func (s *Server) retirerMarcheAttribution(c echo.Context) error {
	lotID, err := pathID(c, "lot")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := formValues(c, "version", "revenir")
	if c.FormValue("confirmer") == "" {
		m, _, err := s.lotOf(c)
		if err != nil {
			return err
		}
		eff, err := s.store.RetraitAttribution(ctx, actor, m.ID, lotID)
		if errors.Is(err, models.ErrForbidden) {
			return s.marcheLotPage(c, http.StatusForbidden, "", nil, nil)
		}
		if err != nil {
			return err
		}
		view := retraitView{Marche: m, Effets: eff, Version: v["version"], Action: lotHref(c) + "/retrait", Cancel: lotHref(c),
			Revert: checkField{ID: "retrait-revenir", Name: "revenir", Value: "1",
				Label: "Rendre aux écoles qui portent encore la solution du lot celle qu'elles avaient avant l'attribution"}}
		crumbs := []crumb{home, marchesCrumb, {Label: m.Objet, Href: marcheHref(m.ID)}, {Label: "Retrait de l'attribution"}}
		return s.render(c, http.StatusOK, "marches/retrait", "Retirer l'attribution du lot "+strconv.Itoa(eff.Lot.Numero), crumbs, view)
	}
	_, _, err = s.store.RetirerAttribution(ctx, actor, marcheID(c), formVersion(v["version"]), lotID, v["revenir"] == "1")
	return s.lotAnswer(c, err, "retrait", v, marcheHref(marcheID(c))+"?fait=retrait#lot")
}
