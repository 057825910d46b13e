package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// One market's page: its communes with their délibérations, its lots with their bids and
// awards, the history of its status, and the forms of what the reader may do (change the
// status, add a lot, record a bid, award a lot, record an adhesion). A form sent back with
// errors re-renders the page with the errors next to its fields (422).

// marcheView is the market's page.
type marcheView struct {
	Marche         models.MarcheRow
	Done, Version  string
	CanWrite       bool
	CanEdit        bool // the market is not decided yet
	HasErrors      bool
	Failed         string // the form sent back with errors
	Refused        string
	Statut         *statutFormView
	Lot            *lotFormView
	Offre          *offreFormView
	Attribution    *attributionFormView
	Adhesions      []adhesionFormView
	Documents      *documentsView
	AdhesionErrors map[string]string
	Financements   models.MarcheFinancements // the financing lines that pay it
}

type statutFormView struct {
	Statut selectField
	Date   formField
}

type lotFormView struct{ Numero, Intitule, MontantEstime formField }

type offreFormView struct {
	Lot, Soumissionnaire, Solution selectField
	Nom, Montant, DateReception    formField
}

type attributionFormView struct {
	Lot, Titulaire, Solution                     selectField
	Montant, DureeMois, DateDebut, Reconductions formField
}

// adhesionFormView is one commune's line with its adhesion form when the reader may use it.
type adhesionFormView struct {
	Membre    models.MarcheMembre
	CanRecord bool
	Date, Ref formField
}

var marcheDone = map[string]string{
	"creation":        "Le marché a été enregistré.",
	"modification":    "Le marché a été modifié.",
	"statut":          "Le statut du marché a été changé.",
	"lot":             "Le lot a été ajouté.",
	"offre":           "L'offre a été enregistrée.",
	"attribution":     "Le lot a été attribué : la solution est celle des écoles des communes du marché.",
	"adhesion":        "L'adhésion a été enregistrée.",
	"suppression-lot": "Le lot a été supprimé.",
	"retrait":         "L'attribution a été retirée.",
}

func (s *Server) showMarche(c echo.Context) error {
	return s.marchePage(c, http.StatusOK, "", nil, nil)
}

// marchePage shows the market of the path; failed names the form sent back with errs and
// typed, its values.
func (s *Server) marchePage(c echo.Context, status int, failed string, errs map[string]string, typed map[string]string) error {
	_, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	v := marcheView{Marche: m, Done: marcheDone[c.QueryParam("fait")], Version: strconv.Itoa(m.Version),
		CanWrite: models.CanWriteMarche(actor, m.Marche), CanEdit: models.CanWriteMarche(actor, m.Marche) && len(m.NextStatuts()) > 0, HasErrors: len(errs) > 0, Failed: failed}
	if status == http.StatusForbidden {
		v.Refused = "Rien n'a été enregistré : votre rôle ne permet pas cette action sur ce marché."
	}
	val := func(form, name string) string {
		if failed != form {
			return ""
		}
		return typed[name]
	}
	e := func(form, name string) string {
		if failed != form {
			return ""
		}
		return errs[name]
	}
	text := func(form, name, label, hint string) formField {
		return formField{Type: "text", ID: form + "-" + name, Name: name, Label: label, Hint: hint, Value: val(form, name), Error: e(form, name)}
	}
	for _, mb := range m.Membres {
		a := adhesionFormView{Membre: mb, CanRecord: models.CanRecordAdhesion(actor, m.Marche, mb.CodeINSEE)}
		if a.CanRecord {
			form := "adhesion-" + mb.CodeINSEE
			a.Date = text(form, "date", "Date de la délibération", "JJ/MM/AAAA")
			a.Ref = text(form, "ref", "Référence", "Facultatif")
			if failed != form {
				a.Date.Value, a.Ref.Value = frDay(mb.DeliberationDate), mb.DeliberationRef
			}
		}
		v.Adhesions = append(v.Adhesions, a)
	}
	if v.Documents, err = s.documentsSection(c, models.DocumentMarche, m.ID, v.CanWrite); err != nil {
		return err
	}
	if v.Financements, err = s.store.FinancementsOfMarche(c.Request().Context(), actor.Scope, m.ID); err != nil {
		return err
	}
	if !v.CanWrite {
		return s.render(c, status, "marches/show", m.Objet, []crumb{home, marchesCrumb, {Label: m.Objet}}, v)
	}
	if next := m.NextStatuts(); len(next) > 0 {
		v.Statut = &statutFormView{Statut: selectField{ID: "statut-statut", Name: "statut", Label: "Nouveau statut", All: "Choisir",
			Value: val("statut", "statut"), Choices: next, Error: e("statut", "statut")},
			Date: text("statut", "date", "Date", "JJ/MM/AAAA ; aujourd'hui si vide")}
		v.Lot = &lotFormView{Numero: text("lot", "numero", "Numéro du lot", "De 1 à 99"),
			Intitule:      text("lot", "intitule", "Intitulé", "Exemple : Plateforme ENT"),
			MontantEstime: text("lot", "montant_estime", "Montant estimé (€ HT)", "Facultatif")}
	}
	if err := s.marcheLotForms(c, &v, val, e, text); err != nil {
		return err
	}
	return s.render(c, status, "marches/show", m.Objet, []crumb{home, marchesCrumb, {Label: m.Objet}}, v)
}

// marcheLotForms builds the bid and award forms, when the market's status allows them.
func (s *Server) marcheLotForms(c echo.Context, v *marcheView, val, e func(form, name string) string,
	text func(form, name, label, hint string) formField) error {
	m := v.Marche
	var lots, open []models.Choice
	for _, l := range m.Lots {
		ch := models.Choice{Value: strconv.FormatInt(l.ID, 10), Label: "Lot " + strconv.Itoa(l.Numero) + " : " + l.Intitule}
		lots = append(lots, ch)
		if !l.Attribue() {
			open = append(open, ch)
		}
	}
	bids := m.Statut == "publie" || m.Statut == "en_analyse"
	award := (m.Statut == "en_analyse" || m.Statut == "attribue") && len(open) > 0
	if len(lots) == 0 || (!bids && !award) {
		return nil
	}
	ctx := c.Request().Context()
	solutions, err := s.store.MarcheSolutionChoices(ctx)
	if err != nil {
		return err
	}
	editeurs, err := s.store.SolutionEditeurChoices(ctx)
	if err != nil {
		return err
	}
	sel := func(form, name, label, all string, choices []models.Choice) selectField {
		return selectField{ID: form + "-" + name, Name: name, Label: label, All: all, Value: val(form, name), Choices: choices, Error: e(form, name)}
	}
	if bids {
		v.Offre = &offreFormView{Lot: sel("offre", "lot", "Lot", "Choisir le lot", lots),
			Soumissionnaire: sel("offre", "soumissionnaire_id", "Soumissionnaire (éditeur connu)", "Autre : saisir son nom", editeurs),
			Nom:             text("offre", "soumissionnaire", "Nom du soumissionnaire", "Si l'éditeur n'est pas dans la liste"),
			Solution:        sel("offre", "solution", "Solution proposée", "Aucune solution connue", solutions),
			Montant:         text("offre", "montant", "Montant de l'offre (€ HT)", "Exemple : 85 000,00"),
			DateReception:   text("offre", "date_reception", "Date de réception", "Facultatif, JJ/MM/AAAA")}
		if e("offre", "soumissionnaire") == "" && e("offre", "soumissionnaire_id") == "" {
			v.Offre.Nom.Error = ""
		}
	}
	if award {
		v.Attribution = &attributionFormView{Lot: sel("attribution", "lot", "Lot", "Choisir le lot", open),
			Titulaire:     sel("attribution", "titulaire", "Titulaire", "Choisir l'éditeur attributaire", editeurs),
			Solution:      sel("attribution", "solution", "Solution ENT attribuée", "Choisir la solution", solutions),
			Montant:       text("attribution", "montant", "Montant attribué (€ HT)", "Exemple : 85 000,00"),
			DureeMois:     text("attribution", "duree_mois", "Durée (mois)", "Exemple : 36"),
			DateDebut:     text("attribution", "date_debut", "Date de début", "JJ/MM/AAAA"),
			Reconductions: text("attribution", "reconductions", "Reconductions possibles", "De 0 à 10 ; 0 si vide")}
	}
	return nil
}
