package app

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Contacts are personal data: the data layer scopes every query through the contact's
// organisation, masks the email, phone and notes for the roles that may not see them,
// logs each consultation of a contact's page, and applies the write rules. The handlers
// only bind, call and render.

// contactsCrumb is the breadcrumb step of the contacts pages.
var contactsCrumb = crumb{Label: "Contacts", Href: "/contacts"}

// contactQuery is the query string of the contacts list, its exports and its API.
type contactQuery struct {
	Q            string `query:"q" validate:"max=100,validutf8"`
	Organisation string `query:"organisation" validate:"omitempty,numeric,max=18"`
	Departement  string `query:"departement" validate:"omitempty,departement"`
	Archives     string `query:"archives" validate:"omitempty,oneof=oui"`
	Paging
}

func (s *Server) contactQuery(c echo.Context) (contactQuery, models.ContactFilter, map[string]string) {
	var q contactQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.ContactSorts.Valid)
	org, _ := strconv.ParseInt(q.Organisation, 10, 64)
	return q, models.ContactFilter{Q: q.Q, OrganisationID: org, Departement: q.Departement, Sort: q.Sort,
		Archived: q.Archives == "oui"}, errs
}

// contactsView is the contacts list page.
type contactsView struct {
	list[contactQuery, models.ContactRow]
	Masked    bool   // the caller's role does not see emails, phones and notes
	CanCreate bool   // the caller may add contacts to some organisation
	Admin     bool   // archives and the review of old contacts
	Archives  bool   // the list shows archived contacts
	Done      string // what the last action did
}

func (s *Server) listContacts(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.contactQuery(c)
	v := contactsView{Masked: !actor.Role.SeesPersonalData(), Admin: models.Administers(actor),
		Archives: f.Archived, Done: contactDone[c.QueryParam("fait")]}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-contacts", "Contacts"
	if f.Archived {
		v.Caption = "Contacts archivés"
	}
	orgs, err := s.store.ContactOrganisationChoices(ctx, actor)
	if err != nil {
		return err
	}
	v.CanCreate = len(orgs) > 0
	v.Empty = emptyList{Text: "Aucun contact pour l'instant.",
		Hint: "Les contacts sont les personnes des organismes du programme ; chacun se rattache à un organisme."}
	if f.Archived {
		v.Empty = emptyList{Text: "Aucun contact archivé."}
	} else if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/contacts/nouveau", "Ajouter un contact"
	}
	filterOrgs, err := s.store.ContactFilterOrganisations(ctx, actor)
	if err != nil {
		return err
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListContacts(ctx, actor, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/contacts", "Nom, fonction ou organisation (ex. dupont, maire, bobigny)", q.Q, q.Paging, errs)
	v.Form.sel("organisation", "Organisation", "Toutes les organisations", q.Organisation, filterOrgs, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	if v.Admin {
		v.Form.sel("archives", "Fiches", "Fiches actives", q.Archives, []models.Choice{{Value: "oui", Label: "Fiches archivées"}}, errs)
	}
	u := newListURL(c, "/contacts")
	v.Columns = u.columns(q.Sort, "nom",
		column{Label: "Nom", Href: "nom"}, column{Label: "Fonction", Href: "fonction"},
		column{Label: "Organisation", Href: "organisation"}, column{Label: "Adresse électronique"},
		column{Label: "Téléphone"}, column{Label: "Mise à jour", Href: "modification"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "contacts/list", "Contacts", []crumb{home, contactsCrumb}, v, errs != nil)
}

func (s *Server) exportContacts(c echo.Context) error {
	_, f, errs := s.contactQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	actor := s.actor(c)
	personal := actor.Role.SeesPersonalData()
	return s.sendExport(c, "contacts", exports.ContactsTable(personal), func(w exports.RowWriter) error {
		return s.store.EachContact(c.Request().Context(), actor, f, func(r models.ContactRow) error {
			return w.WriteRow(exports.ContactValues(r, personal && !r.Masked)...)
		})
	})
}

// contactDone are the confirmations shown after a redirect (?fait=...): fixed messages,
// never text taken from the URL.
var contactDone = map[string]string{
	"creation":     "Le contact a été créé.",
	"modification": "Les modifications ont été enregistrées.",
	"archivage":    "Le contact a été archivé : il n'apparaît plus dans les listes ni les exports. Un administrateur peut le restaurer.",
	"restauration": "Le contact a été restauré.",
	"effacement":   "Les données personnelles de cette personne ont été effacées : la fiche est anonymisée et son historique ne contient aucune de ses données.",
}

// contactView is a contact's page.
type contactView struct {
	Contact    models.ContactRow
	Writable   bool // the caller may edit and archive it
	Admin      bool // RGPD export, erasure, restoration
	Done       string
	Refused    string
	History    []models.AuditEvent
	JournalURL string // the audit journal of the contact, consultations included (admin)
}

func (s *Server) showContact(c echo.Context) error {
	return s.contactPage(c, http.StatusOK, contactView{Done: contactDone[c.QueryParam("fait")]})
}

// contactPage renders a contact's page, logging the consultation; v carries the outcome of
// the last action.
func (s *Server) contactPage(c echo.Context, status int, v contactView) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	if v.Contact, err = s.store.ViewContact(ctx, actor, id); err != nil {
		return err
	}
	if v.Writable, err = s.store.ContactWritable(ctx, actor, v.Contact); err != nil {
		return err
	}
	v.Writable = v.Writable && !v.Contact.Archived()
	v.Admin = models.Administers(actor)
	if v.History, err = s.store.ContactHistory(ctx, id); err != nil {
		return err
	}
	v.JournalURL = "/admin/journal?entite=contact&identifiant=" + strconv.FormatInt(id, 10)
	name := v.Contact.FullName()
	return s.render(c, status, "contacts/show", name, []crumb{home, contactsCrumb, {Label: name}}, v)
}

// archiveContact archives a contact; the data layer applies the write rules.
func (s *Server) archiveContact(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveContact, func(string) string { return "/contacts?fait=archivage" })
}

// restoreContact brings an archived contact back (admin).
func (s *Server) restoreContact(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreContact, func(id string) string { return "/contacts/" + id + "?fait=restauration" })
}

// contactJSON is a contact in the API; email, telephone and notes are absent for the roles
// that may not see personal data (donnees_masquees is then true).
type contactJSON struct {
	ID           int64     `json:"id"`
	Nom          string    `json:"nom"`
	Prenom       string    `json:"prenom"`
	Fonction     string    `json:"fonction"`
	Organisation orgRef    `json:"organisation"`
	Departement  string    `json:"departement,omitempty"`
	Email        string    `json:"email,omitempty"`
	Telephone    string    `json:"telephone,omitempty"`
	Notes        string    `json:"notes,omitempty"`
	Masque       bool      `json:"donnees_masquees"`
	Anonymise    bool      `json:"anonymise"`
	ModifieLe    time.Time `json:"modifie_le"`
}

type orgRef struct {
	ID  int64  `json:"id"`
	Nom string `json:"nom"`
}

func toContactJSON(r models.ContactRow) contactJSON {
	return contactJSON{ID: r.ID, Nom: r.Nom, Prenom: r.Prenom, Fonction: r.Fonction,
		Organisation: orgRef{ID: r.OrganisationID, Nom: r.OrganisationNom}, Departement: r.DepartementCode,
		Email: r.Email, Telephone: r.Telephone, Notes: r.Notes, Masque: r.Masked, Anonymise: r.Anonymised(),
		ModifieLe: r.UpdatedAt}
}

func (s *Server) apiContacts(c echo.Context) error {
	q, f, errs := s.contactQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	p, err := s.store.ListContacts(c.Request().Context(), s.actor(c), f, q.request())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, toContactJSON))
}

// NoteLines are the lines of the contact's notes, shown with line breaks.
func (v contactView) NoteLines() []string {
	if v.Contact.Notes == "" {
		return nil
	}
	return strings.Split(v.Contact.Notes, "\n")
}
