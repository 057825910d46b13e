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

// Organisations: the list with its filters, exports and API, one organisation's page, and
// its archiving. The forms are in organisations_form.go. Who may write is decided by the
// data layer (models.canWriteOrganisation); the pages only show the buttons it allows.

// organisationsCrumb is the breadcrumb step of every organisation page.
var organisationsCrumb = crumb{Label: "Organisations", Href: "/organisations"}

// organisationQuery is the query string of the organisations list, its exports and its API.
type organisationQuery struct {
	Type        string `query:"type" validate:"max=30"`
	Departement string `query:"departement" validate:"omitempty,departement"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) organisationQuery(c echo.Context) (organisationQuery, models.OrganisationFilter, map[string]string) {
	var q organisationQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, models.OrganisationSorts.Valid)
	if q.Type != "" && !models.ValidOrganisationKind(q.Type) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["type"] = "Type d'organisme inconnu : choisissez dans la liste."
	}
	return q, models.OrganisationFilter{Q: q.Q, Kind: q.Type, Departement: q.Departement, Sort: q.Sort}, errs
}

// organisationsView is the organisations list page.
type organisationsView struct {
	list[organisationQuery, models.OrganisationRow]
	CanCreate  bool // "Nouvel organisme"
	CanArchive bool // the link to the archives
}

func (s *Server) listOrganisations(c echo.Context) error {
	ctx, scope, actor := c.Request().Context(), s.scope(c), s.actor(c)
	q, f, errs := s.organisationQuery(c)
	v := organisationsView{CanCreate: len(models.OrganisationKindsFor(actor)) > 0, CanArchive: models.CanArchiveOrganisations(actor)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-organisations", "Organisations"
	v.Empty = emptyList{Text: "Aucun organisme pour l'instant.",
		Hint: "Les organismes sont les parties du programme : Rectorat, DSDEN, associations d'élus, communes, intercommunalités, éditeurs d'ENT."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/organisations/nouveau", "Ajouter un organisme"
	}
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return err
	}
	if errs == nil {
		if v.Page, err = s.store.ListOrganisations(ctx, scope, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/organisations", "Nom, code INSEE ou SIREN (ex. bobigny, 93008)", q.Q, q.Paging, errs)
	v.Form.sel("type", "Type", "Tous les types", q.Type, models.OrganisationKinds, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	u := newListURL(c, "/organisations")
	v.Columns = u.columns(q.Sort, "nom",
		column{Label: "Organisme", Href: "nom"}, column{Label: "Type", Href: "type"},
		column{Label: "Département", Href: "departement"}, column{Label: "Commune ou EPCI"},
		column{Label: "Site web"}, column{Label: "Modifié le", Href: "modification"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "organisations/list", "Organisations", []crumb{home, organisationsCrumb}, v, errs != nil)
}

func (s *Server) exportOrganisations(c echo.Context) error {
	_, f, errs := s.organisationQuery(c)
	return exportScoped(s, c, "organisations", exports.OrganisationsTable, f, errs, s.store.EachOrganisation, exports.OrganisationValues)
}

// organisationJSON is an organisation in the API.
type organisationJSON struct {
	ID          int64     `json:"id"`
	Nom         string    `json:"nom"`
	Type        string    `json:"type"`
	TypeLibelle string    `json:"type_libelle"`
	Departement string    `json:"departement,omitempty"`
	CodeINSEE   string    `json:"code_insee,omitempty"`
	Commune     string    `json:"commune,omitempty"`
	EPCISiren   string    `json:"epci_siren,omitempty"`
	EPCINom     string    `json:"epci_nom,omitempty"`
	Adresse     string    `json:"adresse"`
	SiteWeb     string    `json:"site_web"`
	ModifieeLe  time.Time `json:"modifiee_le"`
	Version     int       `json:"version"`
}

func toOrganisationJSON(o models.OrganisationRow) organisationJSON {
	return organisationJSON{ID: o.ID, Nom: o.Nom, Type: o.Kind, TypeLibelle: o.KindLabel(), Departement: deref(o.DepartementCode),
		CodeINSEE: deref(o.CodeINSEE), Commune: o.CommuneNom, EPCISiren: deref(o.EPCISiren), EPCINom: o.EPCINom,
		Adresse: o.Adresse, SiteWeb: o.SiteWeb, ModifieeLe: o.UpdatedAt.UTC(), Version: o.Version}
}

func (s *Server) apiOrganisations(c echo.Context) error {
	q, f, errs := s.organisationQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListOrganisations, toOrganisationJSON)
}

// organisationView is one organisation's page.
type organisationView struct {
	Organisation models.OrganisationRow
	Adresse      []string // lines of the address
	CanWrite     bool     // "Modifier", "Ajouter un contact"
	CanArchive   bool     // "Archiver"
	Done         string   // what the last action did
	Contacts     models.Page[models.ContactRow]
	ContactsURL  string
	History      []models.AuditEvent
}

// organisationDone are the confirmations shown after a redirect (?fait=...): fixed
// messages, never text taken from the URL.
var organisationDone = map[string]string{
	"creation":     "L'organisme a été créé.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "L'organisme a été restauré : il apparaît de nouveau dans les listes.",
}

func (s *Server) showOrganisation(c echo.Context) error {
	id, o, err := pathRecord(s, c, s.store.GetOrganisation)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	v := organisationView{Organisation: o, Done: organisationDone[c.QueryParam("fait")],
		CanArchive: models.CanArchiveOrganisations(actor), ContactsURL: "/contacts?organisation=" + strconv.FormatInt(id, 10)}
	if o.Adresse != "" {
		v.Adresse = strings.Split(o.Adresse, "\n")
	}
	if v.CanWrite, err = s.store.CanWriteOrganisation(ctx, actor, o.Organisation); err != nil {
		return err
	}
	if v.Contacts, err = s.store.ListContacts(ctx, actor, models.ContactFilter{OrganisationID: id}, models.PageRequest{Size: 20}); err != nil {
		return err
	}
	if v.History, err = s.history(c, "organisation", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "organisations/show", o.Nom, []crumb{home, organisationsCrumb, {Label: o.Nom}}, v)
}

// archiveOrganisation archives an organisation (administrator and pilotes: 403 for the
// others, 404 outside their scope).
func (s *Server) archiveOrganisation(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveOrganisation, func(string) string { return "/organisations/archives?fait=archivage" })
}

// organisationArchivesView is the page of archived organisations.
type organisationArchivesView struct {
	Page       models.Page[models.OrganisationRow]
	Pager      pager
	CanRestore bool
	Done       string
	Refused    string
}

func (s *Server) listArchivedOrganisations(c echo.Context) error {
	v := organisationArchivesView{}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "L'organisme a été archivé : il n'apparaît plus dans les listes ni dans les exports. Vous pouvez le restaurer ci-dessous."
	}
	return s.organisationArchivesPage(c, http.StatusOK, v)
}

// organisationArchivesPage lists the archived organisations. Only the roles that may
// restore them see any: the page is empty for the others.
func (s *Server) organisationArchivesPage(c echo.Context, status int, v organisationArchivesView) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListArchivedOrganisations(c.Request().Context(), actor, p)
	if err != nil {
		return err
	}
	v.Page, v.Pager, v.CanRestore = page, newPager(newListURL(c, "/organisations/archives"), page), models.CanArchiveOrganisations(actor)
	return s.render(c, status, "organisations/archives", "Organismes archivés",
		[]crumb{home, organisationsCrumb, {Label: "Archives"}}, v)
}

// restoreOrganisation brings an archived organisation back; the data layer refuses when a
// live organisation now holds its commune or EPCI.
func (s *Server) restoreOrganisation(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.store.RestoreOrganisation(c.Request().Context(), s.actor(c), id)
	if refusal := refusalOf(err); refusal != "" {
		return s.organisationArchivesPage(c, http.StatusUnprocessableEntity, organisationArchivesView{Refused: refusal})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/organisations/"+strconv.FormatInt(id, 10)+"?fait=restauration")
}
