package app

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The administrator's RGPD pages of contacts: export everything about a person, erase a
// person, and review the contacts past the retention period.

// exportPerson sends everything the product holds about a contact as a JSON document (right
// of access); the data layer logs the export.
func (s *Server) exportPerson(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	doc, err := s.store.ExportPerson(c.Request().Context(), s.actor(c), id)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, `attachment; filename="contact-`+strconv.FormatInt(id, 10)+`-rgpd.json"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, body)
}

// erasePerson anonymises a contact on the person's request, once the admin has ticked the
// confirmation box of the contact's page.
func (s *Server) erasePerson(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if c.FormValue("confirmer") != "oui" {
		return s.contactPage(c, http.StatusUnprocessableEntity, contactView{
			Refused: "Rien n'a été effacé : cochez la case de confirmation avant de cliquer sur « Effacer les données personnelles »."})
	}
	if err := s.store.ErasePerson(c.Request().Context(), s.actor(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/contacts/"+strconv.FormatInt(id, 10)+"?fait=effacement")
}

// staleQuery is the query string of the review page.
type staleQuery struct {
	Anciennete string `query:"anciennete" validate:"max=20,validutf8"`
	Paging
}

// staleView is the review page of old contacts.
type staleView struct {
	Anciennete string // as typed, or the default
	Errors     map[string]string
	Search     formField
	Page       models.Page[models.ContactRow]
	Pager      pager
}

// listStaleContacts lists the contacts not updated for the retention period (3 years
// unless ?anciennete= says otherwise), oldest first: the admin reviews them before
// "pilotage purge" anonymises them.
func (s *Server) listStaleContacts(c echo.Context) error {
	var q staleQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	if q.Anciennete == "" {
		q.Anciennete = "3ans"
	}
	age, err := models.ParseRetention(q.Anciennete)
	if err != nil && errs == nil {
		errs = map[string]string{"anciennete": "Durée invalide : par exemple 3ans, 36mois ou 26280h (un jour au moins)."}
	}
	v := staleView{Anciennete: q.Anciennete, Errors: errs}
	if errs == nil {
		if v.Page, err = s.store.ListStaleContacts(c.Request().Context(), s.actor(c), age, q.request()); err != nil {
			return err
		}
	}
	v.Search = formField{ID: "filtre-anciennete", Name: "anciennete", Label: "Sans mise à jour depuis",
		Hint: "Exemples : 3ans, 36mois, 26280h", Type: "text", Value: q.Anciennete, Error: errs["anciennete"]}
	v.Pager = newPager(newListURL(c, "/contacts/a-revoir"), v.Page)
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "contacts/stale", "Contacts à revoir",
		[]crumb{home, contactsCrumb, {Label: "Contacts à revoir"}}, v)
}
