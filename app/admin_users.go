package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// adminCrumb is the breadcrumb step of every administration page.
var adminCrumb = crumb{Label: "Administration", Href: "/admin/utilisateurs"}

// passwordLinkTTL is how long a password link issued by the admin stays valid.
const passwordLinkTTL = 72 * time.Hour

// usersQuery is the query string of the accounts list.
type usersQuery struct {
	Q    string `query:"q" validate:"max=100,validutf8"`
	Role string `query:"role" validate:"omitempty,oneof=admin pilote_academique ia_dasen ien amif referent_commune lecteur"`
	Paging
}

// userRow is one line of the accounts list.
type userRow struct {
	models.User
	Scope string
}

// usersListView is the accounts list page.
type usersListView struct {
	list[usersQuery, userRow]
}

func (s *Server) listUsers(c echo.Context) error {
	var q usersQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	var v usersListView
	v.Filter, v.Errors = q, errs
	if errs == nil {
		users, err := s.store.ListUsers(c.Request().Context(), s.actor(c),
			models.UserFilter{Q: q.Q, Role: models.Role(q.Role)}, q.request())
		if err != nil {
			return err
		}
		v.Page = models.Page[userRow]{Total: users.Total, Number: users.Number, Size: users.Size}
		for _, u := range users.Items {
			v.Page.Items = append(v.Page.Items, userRow{User: u, Scope: listScopeLabel(u)})
		}
	}
	v.Form = newFilterForm("/admin/utilisateurs", "Nom ou adresse électronique", q.Q, q.Paging, errs)
	v.Form.sel("role", "Rôle", "Tous les rôles", q.Role, models.Roles, errs)
	v.Pager = newPager(newListURL(c, "/admin/utilisateurs"), v.Page)
	return s.renderList(c, "admin/users/list", "Comptes", []crumb{home, adminCrumb, {Label: "Comptes"}}, v, errs != nil)
}

// listScopeLabel is the scope column of the list: the list does not load the communes of
// référents, whose page lists them.
func listScopeLabel(u models.User) string {
	if u.Role == models.RoleReferent && u.EPCISiren == nil && len(u.Communes) == 0 {
		return "communes (voir la fiche)"
	}
	return u.ScopeLabel()
}

// userForm is the account form (creation and edition). The scope fields the role does not
// use are ignored by the data layer. Communes and EPCI are chosen by name, code or
// suggestion (app/places.go); the scope fields follow the role (admin_users_scope.go).
type userForm struct {
	Nom             string   `form:"nom" query:"nom"`
	Email           string   `form:"email" query:"email"`
	Role            string   `form:"role" query:"role"`
	Departement     string   `form:"departement" query:"departement"`
	Circonscription string   `form:"circonscription" query:"circonscription"`
	Communes        []string `form:"communes" query:"communes"`
	EPCI            string   `form:"epci" query:"epci"`
	Version         string   `form:"version" query:"-"`
}

// input is what the form gives the data layer, its communes and EPCI read back (pl).
func (f userForm) input(pl userPlaces) models.UserInput {
	return models.UserInput{Nom: f.Nom, Email: f.Email, Role: models.Role(f.Role), Departement: f.Departement,
		Circonscription: f.Circonscription, Communes: pl.Communes.inputList(), EPCI: pl.EPCI.input()}
}

// formOf fills the form with an account's current values.
func formOf(u models.User) userForm {
	return userForm{Nom: u.Nom, Email: u.Email, Role: string(u.Role), Departement: deref(u.DepartementCode),
		Circonscription: deref(u.CodeCirconscription), Communes: slices.Clone(u.Communes),
		EPCI: deref(u.EPCISiren), Version: strconv.Itoa(u.Version)}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// userFormView is the account form page.
type userFormView struct {
	Heading  string
	Action   string
	Cancel   string
	Submit   string
	Form     userForm
	Errors   map[string]string
	Role     selectField
	Scope    userScopeView
	Conflict *formConflict
}

// userFormPage renders the form of a new account (user is nil) or of an existing one.
func (s *Server) userFormPage(c echo.Context, status int, user *models.User, f userForm, pl userPlaces, errs map[string]string, conflict *formConflict) error {
	v := userFormView{Heading: "Nouveau compte", Action: "/admin/utilisateurs", Cancel: "/admin/utilisateurs",
		Submit: "Créer le compte", Form: f, Errors: errs, Conflict: conflict}
	crumbs := []crumb{home, adminCrumb, {Label: "Comptes", Href: "/admin/utilisateurs"}, {Label: "Nouveau compte"}}
	if user != nil {
		href := "/admin/utilisateurs/" + strconv.FormatInt(user.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier le compte de "+user.Nom, href, href, "Enregistrer"
		crumbs = append(crumbs[:3], crumb{Label: user.Nom, Href: href}, crumb{Label: "Modifier"})
	}
	v.Role = selectField{ID: "compte-role", Name: "role", Label: "Rôle", All: "Choisir un rôle", Value: f.Role,
		Error: errs["role"], Choices: models.Roles}
	var err error
	if v.Scope, err = s.userScope(c, f, pl, errs, false); err != nil {
		return err
	}
	return s.render(c, status, "admin/users/form", v.Heading, crumbs, v)
}

// bindUserForm reads the posted form and its communes and EPCI; errs holds the French
// messages of the checks made before the data layer's.
func (s *Server) bindUserForm(c echo.Context) (userForm, userPlaces, map[string]string, error) {
	var f userForm
	if err := c.Bind(&f); err != nil {
		return f, userPlaces{}, nil, echo.NewHTTPError(http.StatusBadRequest)
	}
	pl, err := s.readUserPlaces(c, f)
	return f, pl, fieldErrors(s.valid, f), err
}

func (s *Server) newUser(c echo.Context) error {
	return s.userFormPage(c, http.StatusOK, nil, userForm{}, userPlaces{}, nil, nil)
}

func (s *Server) createUser(c echo.Context) error {
	f, pl, errs, err := s.bindUserForm(c)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.userFormPage(c, http.StatusOK, nil, f, pl, nil, nil)
	}
	if errs != nil {
		return s.userFormPage(c, http.StatusUnprocessableEntity, nil, f, pl, errs, nil)
	}
	u, err := s.store.CreateUser(c.Request().Context(), s.actor(c), f.input(pl))
	err = withPlaceErrors(err, pl.errors(f.Role))
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.userFormPage(c, status, nil, f, pl, errs, nil)
	}, Redirect: "/admin/utilisateurs/" + strconv.FormatInt(u.ID, 10) + "?fait=creation"}.saved(c, err)
}

// pathUser reads the account whose id is in the path (":id"): 404 when there is none.
func (s *Server) pathUser(c echo.Context) (models.User, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return models.User{}, err
	}
	return s.store.GetUser(c.Request().Context(), id)
}

func (s *Server) editUser(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	f := formOf(u)
	pl, err := s.storedUserPlaces(c, f)
	if err != nil {
		return err
	}
	return s.userFormPage(c, http.StatusOK, &u, f, pl, nil, nil)
}

func (s *Server) updateUser(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	f, pl, errs, err := s.bindUserForm(c)
	if err != nil {
		return err
	}
	if listEdit(c) {
		return s.userFormPage(c, http.StatusOK, &u, f, pl, nil, nil)
	}
	if errs != nil {
		return s.userFormPage(c, http.StatusUnprocessableEntity, &u, f, pl, errs, nil)
	}
	_, err = s.store.UpdateUser(c.Request().Context(), s.actor(c), u.ID, formVersion(f.Version), f.input(pl))
	err = withPlaceErrors(err, pl.errors(f.Role))
	return updated(c, err, u, func(ce *models.ConflictError, current models.User) error {
		cur := formOf(current)
		curPl, err := s.storedUserPlaces(c, cur)
		if err != nil {
			return err
		}
		return s.userFormPage(c, http.StatusConflict, &current, cur, curPl, nil, newUserConflict(ce, current, f, pl))
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.userFormPage(c, status, &u, f, pl, errs, nil)
	}, Redirect: "/admin/utilisateurs/" + strconv.FormatInt(u.ID, 10) + "?fait=modification"})
}

// newUserConflict lists the current values of the account beside those typed in the stale form.
func newUserConflict(ce *models.ConflictError, current models.User, typed userForm, pl userPlaces) *formConflict {
	cur := formOf(current)
	in := typed.input(pl)
	rows := []conflictRow{
		{Label: "Nom", Current: cur.Nom, Typed: typed.Nom},
		{Label: "Adresse électronique", Current: cur.Email, Typed: typed.Email},
		{Label: "Rôle", Current: current.RoleLabel(), Typed: models.LabelOf(models.Roles, typed.Role)},
		{Label: "Département", Current: cur.Departement, Typed: typed.Departement},
		{Label: "Circonscription", Current: cur.Circonscription, Typed: typed.Circonscription},
		{Label: "Communes", Current: strings.Join(cur.Communes, ", "), Typed: strings.Join(in.Communes, ", ")},
		{Label: "EPCI ou EPT", Current: cur.EPCI, Typed: typed.EPCI},
	}
	return newFormConflict(ce, rows)
}

// userView is an account's page.
type userView struct {
	User       models.User
	Scope      string // the territory, with its names
	Self       bool   // the admin's own account: it cannot be disabled nor archived
	Done       string // what the last action did
	Refused    string // why the last action was refused
	Link       string // a new one-time password link, shown once
	LinkExpiry time.Time
	MailedTo   string // the address the new link was sent to (app/mail.go); Link is then not shown
	MailError  string // why the link could not be sent by mail; Link is shown instead
	History    []models.AuditEvent
}

// doneMessages are the confirmations shown after a redirect (?fait=...): fixed messages,
// never text taken from the URL.
var doneMessages = map[string]string{
	"creation":      "Le compte a été créé. Envoyez un lien pour que son titulaire choisisse son mot de passe.",
	"modification":  "Les modifications ont été enregistrées.",
	"desactivation": "Le compte est désactivé : ses sessions ont été fermées et il ne peut plus se connecter.",
	"reactivation":  "Le compte est réactivé.",
	"restauration":  "Le compte a été restauré.",
	"proconnect":    "Le compte n'est plus lié à son identité ProConnect : sa prochaine connexion ProConnect le retrouvera par son adresse électronique.",
}

// userPage renders an account's page; v carries the outcome of the last action.
func (s *Server) userPage(c echo.Context, status int, id int64, v userView) error {
	ctx := c.Request().Context()
	u, err := s.store.GetUser(ctx, id)
	if err != nil {
		return err
	}
	scope, err := s.store.UserScope(ctx, u)
	if err != nil {
		return err
	}
	if v.Scope, err = s.store.DescribeScope(ctx, scope); err != nil {
		return err
	}
	if v.History, err = s.history(c, "utilisateur", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	me, _ := currentUser(c)
	v.User, v.Self = u, me.ID == u.ID
	return s.render(c, status, "admin/users/show", u.Nom,
		[]crumb{home, adminCrumb, {Label: "Comptes", Href: "/admin/utilisateurs"}, {Label: u.Nom}}, v)
}

func (s *Server) showUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.userPage(c, http.StatusOK, id, userView{Done: doneMessages[c.QueryParam("fait")]})
}

func (s *Server) disableUser(c echo.Context) error { return s.setUserActive(c, false) }

func (s *Server) enableUser(c echo.Context) error { return s.setUserActive(c, true) }

// setUserActive disables or re-enables an account; the data layer ends the sessions of a
// disabled account and refuses to disable oneself or the last administrator.
func (s *Server) setUserActive(c echo.Context, active bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = s.store.SetUserActive(c.Request().Context(), s.actor(c), id, active)
	if refusal := refusalOf(err); refusal != "" {
		return s.userPage(c, http.StatusUnprocessableEntity, id, userView{Refused: refusal})
	}
	if err != nil {
		return err
	}
	done := map[bool]string{true: "reactivation", false: "desactivation"}[active]
	return c.Redirect(http.StatusSeeOther, "/admin/utilisateurs/"+strconv.FormatInt(id, 10)+"?fait="+done)
}

// refusalOf returns the French message of a rule the data layer enforced, "" otherwise.
func refusalOf(err error) string {
	errs, ok := formErrors(err)
	if !ok {
		return ""
	}
	msgs := make([]string, 0, len(errs))
	for _, m := range errs {
		msgs = append(msgs, m)
	}
	return strings.Join(msgs, " ")
}

// createUserLink issues a one-time link for the account to set its password. Once the link
// is committed, it is sent by mail to the account's address when a mail server is
// configured (mailPasswordLink); otherwise, or when sending fails, it is shown once, to
// copy. It is never logged. It is built on the public address (PublicURL); without one, no
// link is issued (409, with the French explanation).
func (s *Server) createUserLink(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	base, ok := PublicURL(s.cfg)
	if !ok {
		return s.userPage(c, http.StatusConflict, id, userView{Refused: msgNoBaseURL})
	}
	token, err := s.store.CreatePasswordLink(c.Request().Context(), s.actor(c), id, passwordLinkTTL)
	if err != nil {
		return err
	}
	v := userView{Link: base + "/mot-de-passe/" + token, LinkExpiry: time.Now().Add(passwordLinkTTL)}
	holder, err := s.store.GetUser(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if v.MailedTo, v.MailError = s.mailPasswordLink(c, holder, v.Link, v.LinkExpiry); v.MailedTo != "" {
		v.Link = ""
	}
	return s.userPage(c, http.StatusOK, id, v)
}
