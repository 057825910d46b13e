package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// accountView is the "Mon compte" page.
type accountView struct {
	User     models.User
	Scope    string
	Tokens   []models.APIToken
	NewToken string // shown once, right after its creation
	Errors   map[string]string
	Done     string
	Refused  string               // why the last action was refused
	Calendar *models.UserCalendar // the personal calendar feed, nil when none
	FeedURL  string               // the feed's URL, shown once, right after its creation or renewal
}

func (s *Server) accountPage(c echo.Context, status int, v accountView) error {
	u, _ := currentUser(c)
	tokens, err := s.store.ListAPITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	if v.Scope, err = s.store.DescribeScope(c.Request().Context(), s.scope(c)); err != nil {
		return err
	}
	if v.Calendar, err = s.store.UserCalendarOf(c.Request().Context(), u.ID); err != nil {
		return err
	}
	v.User, v.Tokens = u, tokens
	return s.render(c, status, "account/show", "Mon compte", []crumb{home, {Label: "Mon compte", Href: "/mon-compte"}}, v)
}

func (s *Server) showAccount(c echo.Context) error {
	return s.accountPage(c, http.StatusOK, accountView{})
}

// passwordForm changes one's password.
type passwordForm struct {
	Current  string `form:"actuel"`
	Password string `form:"password"`
	Confirm  string `form:"confirmation"`
}

func (s *Server) changePassword(c echo.Context) error {
	var f passwordForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if f.Password != f.Confirm {
		return s.accountPage(c, http.StatusUnprocessableEntity, accountView{Errors: map[string]string{
			"confirmation": "Les deux mots de passe ne sont pas identiques."}})
	}
	err := s.store.SetPassword(c.Request().Context(), s.actor(c), f.Current, f.Password)
	if errs, ok := formErrors(err); ok {
		if msg, ok := errs["current"]; ok {
			errs["actuel"] = msg
		}
		return s.accountPage(c, http.StatusUnprocessableEntity, accountView{Errors: errs})
	}
	if err != nil {
		return err
	}
	// Changing the password ends every session: open a new one for this browser.
	u, _ := currentUser(c)
	token, err := s.store.CreateSession(c.Request().Context(), u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	return s.accountPage(c, http.StatusOK, accountView{Done: "Votre mot de passe a été changé ; vos autres sessions sont fermées."})
}

func (s *Server) createToken(c echo.Context) error {
	u, _ := currentUser(c)
	token, err := s.store.CreateAPIToken(c.Request().Context(), s.actor(c), u.ID, c.FormValue("nom"))
	if errs, ok := formErrors(err); ok {
		return s.accountPage(c, http.StatusUnprocessableEntity, accountView{Errors: errs})
	}
	if err != nil {
		return err
	}
	return s.accountPage(c, http.StatusOK, accountView{NewToken: token})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	if err := s.store.RevokeAPIToken(c.Request().Context(), s.actor(c), id); err != nil {
		return err
	}
	return s.accountPage(c, http.StatusOK, accountView{Done: "Le jeton a été révoqué."})
}
