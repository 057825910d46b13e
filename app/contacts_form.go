package app

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// contactForm is the contact form (creation and edition). The organisation is one the
// data layer lets the caller write for; nothing else of the row (id, archive, anonymisation)
// comes from the form.
type contactForm struct {
	Organisation     string `form:"organisation"`
	Nom              string `form:"nom"`
	Prenom           string `form:"prenom"`
	Fonction         string `form:"fonction"`
	Email            string `form:"email"`
	Telephone        string `form:"telephone"`
	Notes            string `form:"notes"`
	Version          string `form:"version"`
	ConfirmerDoublon string `form:"confirmer_doublon"`
}

func (f contactForm) input() models.ContactInput {
	org, _ := strconv.ParseInt(strings.TrimSpace(f.Organisation), 10, 64)
	return models.ContactInput{OrganisationID: org, Nom: f.Nom, Prenom: f.Prenom, Fonction: f.Fonction,
		Email: f.Email, Telephone: f.Telephone, Notes: f.Notes, ConfirmDuplicate: f.ConfirmerDoublon == "oui"}
}

// shown is the form as it can be displayed again: bytes that are not UTF-8, and NUL,
// become U+FFFD (the page stays valid HTML, and what was typed is still recognisable).
func (f contactForm) shown() contactForm {
	clean := func(s string) string { return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD") }
	f.Organisation, f.Nom, f.Prenom, f.Fonction = clean(f.Organisation), clean(f.Nom), clean(f.Prenom), clean(f.Fonction)
	f.Email, f.Telephone, f.Notes, f.Version = clean(f.Email), clean(f.Telephone), clean(f.Notes), clean(f.Version)
	return f
}

// contactFormOf fills the form with a contact's current values.
func contactFormOf(r models.ContactRow) contactForm {
	return contactForm{Organisation: strconv.FormatInt(r.OrganisationID, 10), Nom: r.Nom, Prenom: r.Prenom,
		Fonction: r.Fonction, Email: r.Email, Telephone: r.Telephone, Notes: r.Notes, Version: strconv.Itoa(r.Version)}
}

// contactFormView is the contact form page.
type contactFormView struct {
	Heading, Action, Cancel, Submit string
	CannotWrite                     bool // the caller's role adds contacts to no organisation
	Purpose                         string
	Version                         string
	Organisation                    selectField
	Fields                          []formField
	Errors                          map[string]string
	Duplicates                      []models.DuplicateMatch
	Conflict                        *formConflict
}

// contactFormPage renders the form of a new contact (contact is nil) or of an existing one.
func (s *Server) contactFormPage(c echo.Context, status int, contact *models.ContactRow, f contactForm, errs map[string]string,
	dups []models.DuplicateMatch, conflict *formConflict) error {
	orgs, err := s.store.ContactOrganisationChoices(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	f = f.shown()
	v := contactFormView{Heading: "Nouveau contact", Action: "/contacts", Cancel: "/contacts", Submit: "Créer le contact",
		CannotWrite: len(orgs) == 0, Purpose: models.ContactPurpose, Version: f.Version, Errors: errs,
		Duplicates: dups, Conflict: conflict}
	crumbs := []crumb{home, contactsCrumb, {Label: "Nouveau contact"}}
	if contact != nil {
		href := "/contacts/" + strconv.FormatInt(contact.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la fiche de "+contact.FullName(), href, href, "Enregistrer"
		crumbs = []crumb{home, contactsCrumb, {Label: contact.FullName(), Href: href}, {Label: "Modifier"}}
	}
	v.Organisation = selectField{ID: "contact-organisation", Name: "organisation", Label: "Organisation",
		Hint: "Les organisations dont vous pouvez gérer les contacts", All: "Choisir une organisation",
		Value: f.Organisation, Error: errs["organisation"], Choices: orgs}
	field := func(name, label, hint, typ, value string, max int) formField {
		return formField{ID: "contact-" + name, Name: name, Label: label, Hint: hint, Type: typ, Value: value,
			Error: errs[name], Max: max}
	}
	v.Fields = []formField{
		field("nom", "Nom", "Obligatoire", "text", f.Nom, 100),
		field("prenom", "Prénom", "", "text", f.Prenom, 100),
		field("fonction", "Fonction", "Exemple : directrice générale des services", "text", f.Fonction, 200),
		field("email", "Adresse électronique professionnelle", "Format attendu : prenom.nom@mairie-bobigny.fr", "email", f.Email, 254),
		field("telephone", "Téléphone professionnel", "Exemples : 01 43 93 70 00 ou +33 1 43 93 70 00", "tel", f.Telephone, 30),
	}
	notes := field("notes", "Notes", "2 000 caractères au plus. N'y inscrivez ni donnée sensible (santé, opinions, vie privée) ni appréciation sur la personne : elle peut en demander communication.", "", f.Notes, 2000)
	notes.Textarea = true
	v.Fields = append(v.Fields, notes)
	return s.render(c, forbiddenStatus(status, !models.CanCreate(s.actor(c), models.EntityContact)), "contacts/form", v.Heading, crumbs, v)
}

func (s *Server) newContact(c echo.Context) error {
	return s.contactFormPage(c, http.StatusOK, nil, contactForm{Organisation: c.QueryParam("organisation")}, nil, nil, nil)
}

// createContact creates a contact. Field errors come first (422, whatever the role), then
// the write rules (403), then the duplicate check (422 with the similar contacts, until
// the user confirms).
func (s *Server) createContact(c echo.Context) error {
	f, err := bindForm[contactForm](c)
	if err != nil {
		return err
	}
	in := f.input()
	if verr := in.Check(); verr != nil {
		errs, _ := formErrors(verr)
		return s.contactFormPage(c, http.StatusUnprocessableEntity, nil, f, errs, nil, nil)
	}
	created, err := s.store.CreateContact(c.Request().Context(), s.actor(c), in)
	var dup *models.DuplicateError
	if errors.As(err, &dup) {
		return s.contactFormPage(c, http.StatusUnprocessableEntity, nil, f, nil, dup.Matches, nil)
	}
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.contactFormPage(c, status, nil, f, errs, nil, nil)
	}, Redirect: "/contacts/" + strconv.FormatInt(created.ID, 10) + "?fait=creation"}.saved(c, err)
}

// editableContact reads a contact the caller may change: 404 outside the scope, 403 when
// the write rules refuse.
func (s *Server) editableContact(c echo.Context) (models.ContactRow, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.ContactRow{}, err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	row, err := s.store.GetContact(ctx, actor, id)
	if err != nil {
		return row, err
	}
	ok, err := s.store.ContactWritable(ctx, actor, row)
	if err != nil {
		return row, err
	}
	if !ok {
		return row, models.ErrForbidden
	}
	return row, nil
}

func (s *Server) editContact(c echo.Context) error {
	row, err := s.editableContact(c)
	if err != nil {
		return err
	}
	// The form shows the person's data: it is a consultation, logged as such.
	if row, err = s.store.ViewContact(c.Request().Context(), s.actor(c), row.ID); err != nil {
		return err
	}
	return s.contactFormPage(c, http.StatusOK, &row, contactFormOf(row), nil, nil, nil)
}

func (s *Server) updateContact(c echo.Context) error {
	row, err := s.editableContact(c)
	if err != nil {
		return err
	}
	f, err := bindForm[contactForm](c)
	if err != nil {
		return err
	}
	in := f.input()
	if verr := in.Check(); verr != nil {
		errs, _ := formErrors(verr)
		return s.contactFormPage(c, http.StatusUnprocessableEntity, &row, f, errs, nil, nil)
	}
	_, err = s.store.UpdateContact(c.Request().Context(), s.actor(c), row.ID, formVersion(f.Version), in)
	return updated(c, err, row, func(ce *models.ConflictError, current models.ContactRow) error {
		return s.contactFormPage(c, http.StatusConflict, &current, contactFormOf(current), nil, nil, newContactConflict(ce, current, f))
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.contactFormPage(c, status, &row, f, errs, nil, nil)
	}, Redirect: "/contacts/" + strconv.FormatInt(row.ID, 10) + "?fait=modification"})
}

// newContactConflict lists the current values of the contact beside those typed in the
// stale form.
func newContactConflict(ce *models.ConflictError, current models.ContactRow, typed contactForm) *formConflict {
	typed = typed.shown()
	typedOrg := typed.Organisation
	if typedOrg == strconv.FormatInt(current.OrganisationID, 10) {
		typedOrg = current.OrganisationNom
	} else if typedOrg != "" {
		typedOrg = "autre organisation (n° " + typedOrg + ")"
	}
	rows := []conflictRow{
		{Label: "Organisation", Current: current.OrganisationNom, Typed: typedOrg},
		{Label: "Nom", Current: current.Nom, Typed: typed.Nom},
		{Label: "Prénom", Current: current.Prenom, Typed: typed.Prenom},
		{Label: "Fonction", Current: current.Fonction, Typed: typed.Fonction},
		{Label: "Adresse électronique", Current: current.Email, Typed: typed.Email},
		{Label: "Téléphone", Current: current.Telephone, Typed: typed.Telephone},
		{Label: "Notes", Current: current.Notes, Typed: typed.Notes},
	}
	return newFormConflict(ce, rows)
}
