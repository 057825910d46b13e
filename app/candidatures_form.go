package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The candidature form (new and edit): the campaign, a title, the communes chosen by name
// (app/places.go), then the écoles of these communes to tick, the EPCI carrying it among
// theirs, a contact and notes. Adding or removing a commune posts the form, which comes
// back with the écoles and EPCI of the new list, nothing saved.

// candidatureForm is the candidature form; the id and version are never bound into the model.
type candidatureForm struct {
	Campagne string   `form:"campagne"`
	Titre    string   `form:"titre"`
	Communes []string `form:"communes"`
	Ecoles   []string `form:"ecoles"`
	EPCI     string   `form:"epci"`
	Contact  string   `form:"contact"`
	Notes    string   `form:"notes"`
	Version  string   `form:"version"`
}

func (f candidatureForm) input(communes placesValue) models.CandidatureInput {
	camp, _ := strconv.ParseInt(f.Campagne, 10, 64)
	contact, _ := strconv.ParseInt(f.Contact, 10, 64)
	return models.CandidatureInput{CampagneID: camp, Titre: f.Titre, Communes: communes.inputList(), Ecoles: f.Ecoles,
		EPCI: f.EPCI, ContactID: contact, Notes: f.Notes}
}

func candidatureFormOf(r models.CandidatureRow) candidatureForm {
	f := candidatureForm{Campagne: strconv.FormatInt(r.CampagneID, 10), Titre: r.Titre, Communes: r.CommuneCodes(),
		Ecoles: r.EcoleCodes(), Notes: r.Notes, Version: strconv.Itoa(r.Version)}
	if r.EPCISiren != nil {
		f.EPCI = *r.EPCISiren
	}
	if r.ContactID != nil {
		f.Contact = strconv.FormatInt(*r.ContactID, 10)
	}
	return f
}

// candidatureFormView is the candidature form page.
type candidatureFormView struct {
	Heading, Action, Cancel, Submit string
	Closed, Refused, Version        string
	HasErrors                       bool
	Campagne                        *selectField // nil when editing: the campaign stays
	Titre, Notes                    formField
	Communes                        placesField
	Ecoles                          []checkField
	EcolesError                     string
	EPCI, Contact                   selectField
	Conflict                        *formConflict
}

const msgCandidatureRefused = "Rien n'a été enregistré : votre rôle ne permet pas de proposer ou de modifier cette candidature (un référent propose celles de ses communes)."

func (s *Server) candidatureFormPage(c echo.Context, status int, cand *models.CandidatureRow, f candidatureForm, communes placesValue, errs map[string]string, refused string, conflict *formConflict) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	v := candidatureFormView{Heading: "Nouvelle candidature", Action: "/candidatures", Cancel: "/candidatures", Submit: "Enregistrer la candidature",
		Refused: refused, Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict, EcolesError: errs["ecoles"]}
	crumbs := []crumb{home, candidaturesCrumb, {Label: "Nouvelle candidature"}}
	if cand == nil {
		if !models.CanProposeCandidatures(actor) {
			v.Closed = "Votre rôle (" + actor.Role.Label() + ") ne permet pas de proposer de candidature."
		}
		campagnes, err := s.store.CampagneChoices(ctx, actor.Scope)
		if err != nil {
			return err
		}
		v.Campagne = &selectField{ID: "candidature-campagne", Name: "campagne", Label: "Campagne", All: "Choisir une campagne",
			Value: f.Campagne, Choices: campagnes, Error: errs["campagne"]}
	} else {
		href := candidatureHref(cand.ID)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la candidature "+cand.Titre, href, href, "Enregistrer"
		crumbs = []crumb{home, candidaturesCrumb, {Label: cand.Titre, Href: href}, {Label: "Modifier"}}
		if !models.CanEditCandidature(actor, *cand) {
			v.Closed = "Vous pouvez consulter cette candidature mais pas la modifier (un référent la modifie jusqu'à la décision)."
		}
	}
	codes := communes.codes()
	ecoles, err := s.store.CandidatureEcoleChoices(ctx, actor.Scope, codes)
	if err != nil {
		return err
	}
	porteurs, err := s.store.CandidaturePorteurChoices(ctx, actor.Scope, codes)
	if err != nil {
		return err
	}
	contacts, err := s.store.CandidatureContactChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Titre = formField{Type: "text", ID: "candidature-titre", Name: "titre", Label: "Titre", Hint: "Exemple : Melun, ville pilote", Value: f.Titre, Error: errs["titre"]}
	v.Notes = formField{Type: "text", ID: "candidature-notes", Name: "notes", Label: "Notes", Hint: "Facultatif", Value: f.Notes, Error: errs["notes"]}
	v.Communes = communes.field(placesField{Legend: "Communes candidates", Name: "communes", Empty: "Aucune commune choisie.",
		Hint: "Une commune, ou un groupe de communes d'un même département.",
		Add:  placeField{ID: "candidature-communes", Kind: placeCommunes, Label: "Ajouter une commune", Hint: "Son nom ou son code INSEE (exemple : Melun)"}})
	if msg := errs["communes"]; msg != "" && v.Communes.Add.Error == "" {
		v.Communes.Add.Error = msg
	}
	for _, e := range ecoles {
		v.Ecoles = append(v.Ecoles, checkField{ID: "candidature-ecole-" + e.Value, Name: "ecoles", Value: e.Value, Label: e.Label,
			Checked: slices.Contains(f.Ecoles, e.Value)})
	}
	v.EPCI = selectField{ID: "candidature-epci", Name: "epci", Label: "EPCI porteur", All: "Aucun (la commune porte seule)",
		Hint: "Facultatif : parmi les EPCI et EPT des communes choisies.", Value: f.EPCI, Choices: porteurs, Error: errs["epci"]}
	v.Contact = selectField{ID: "candidature-contact", Name: "contact", Label: "Contact", All: "Aucun", Hint: "Facultatif",
		Value: f.Contact, Choices: contacts, Error: errs["contact"]}
	return s.render(c, closedStatus(status, v.Closed), "candidatures/form", v.Heading, crumbs, v)
}

// candidatureCommunes reads back the communes of the posted form; a post by the list
// field's buttons answers the form again, changed and unsaved, and reports edited.
func (s *Server) candidatureCommunes(c echo.Context, cand *models.CandidatureRow, f candidatureForm) (placesValue, bool, error) {
	communes, err := s.readPlaces(c, placeCommunes, "communes", "", f.Communes)
	if err != nil || !listEdit(c) {
		return communes, false, err
	}
	return communes, true, s.candidatureFormPage(c, http.StatusOK, cand, f, communes, nil, "", nil)
}

func (s *Server) newCandidature(c echo.Context) error {
	f := candidatureForm{Campagne: c.QueryParam("campagne")}
	// A référent of one commune proposes for it: the form starts with it.
	var mine []string
	if sc := s.actor(c).Scope; sc.Kind == models.ScopeCommunes && len(sc.Communes) == 1 {
		mine = sc.Communes
	}
	communes, err := s.storedPlaces(c, placeCommunes, mine)
	if err != nil {
		return err
	}
	return s.candidatureFormPage(c, http.StatusOK, nil, f, communes, nil, "", nil)
}

func (s *Server) createCandidature(c echo.Context) error {
	f, err := bindForm[candidatureForm](c)
	if err != nil {
		return err
	}
	communes, edited, err := s.candidatureCommunes(c, nil, f)
	if err != nil || edited {
		return err
	}
	cand, err := s.store.CreateCandidature(c.Request().Context(), s.actor(c), f.input(communes))
	err = withPlaceErrors(err, map[string]string{"communes": communes.Error})
	return formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.candidatureFormPage(c, status, nil, f, communes, errs, msg, nil)
	}, Refused: msgCandidatureRefused, Redirect: candidatureHref(cand.ID) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editCandidature(c echo.Context) error {
	_, cand, err := pathRecord(s, c, s.store.GetCandidature)
	if err != nil {
		return err
	}
	f := candidatureFormOf(cand)
	communes, err := s.storedPlaces(c, placeCommunes, f.Communes)
	if err != nil {
		return err
	}
	return s.candidatureFormPage(c, http.StatusOK, &cand, f, communes, nil, "", nil)
}

func (s *Server) updateCandidature(c echo.Context) error {
	id, cand, err := pathRecord(s, c, s.store.GetCandidature)
	if err != nil {
		return err
	}
	f, err := bindForm[candidatureForm](c)
	if err != nil {
		return err
	}
	communes, edited, err := s.candidatureCommunes(c, &cand, f)
	if err != nil || edited {
		return err
	}
	_, err = s.store.UpdateCandidature(c.Request().Context(), s.actor(c), id, formVersion(f.Version), f.input(communes))
	err = withPlaceErrors(err, map[string]string{"communes": communes.Error})
	return updated(c, err, cand, func(ce *models.ConflictError, current models.CandidatureRow) error {
		cur := candidatureFormOf(current)
		curCommunes, err := s.storedPlaces(c, placeCommunes, cur.Communes)
		if err != nil {
			return err
		}
		return s.candidatureFormPage(c, http.StatusConflict, &current, cur, curCommunes, nil, "", newFormConflict(ce, []conflictRow{
			{Label: "Titre", Current: cur.Titre, Typed: f.Titre}, {Label: "Communes", Current: curCommunes.labels(), Typed: communes.labels()},
			{Label: "Écoles", Current: strings.Join(cur.Ecoles, ", "), Typed: strings.Join(f.Ecoles, ", ")}}))
	}, formAnswer{Form: func(status int, errs map[string]string, msg string) error {
		return s.candidatureFormPage(c, status, &cand, f, communes, errs, msg, nil)
	}, Refused: msgCandidatureRefused, Redirect: candidatureHref(id) + "?fait=modification"})
}
