package app

import (
	"errors"
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// installForm creates the first administrator.
type installForm struct {
	Nom      string `form:"nom"`
	Email    string `form:"email"`
	Password string `form:"password"`
	Confirm  string `form:"confirmation"`
}

// linkView is the page of a one-time link (installation or password).
type linkView struct {
	Form    installForm
	Errors  map[string]string
	Action  string
	Install bool
}

func (s *Server) showInstall(c echo.Context) error {
	if _, err := s.store.CheckLink(c.Request().Context(), c.Param("token"), models.LinkInstallation); err != nil {
		return s.expiredLink(c)
	}
	return s.render(c, http.StatusOK, "auth/link", "Installation", nil,
		linkView{Action: c.Request().URL.Path, Install: true})
}

func (s *Server) install(c echo.Context) error {
	var f installForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	v := linkView{Form: installForm{Nom: f.Nom, Email: f.Email}, Action: c.Request().URL.Path, Install: true}
	if f.Password != f.Confirm {
		v.Errors = map[string]string{"confirmation": "Les deux mots de passe ne sont pas identiques."}
		return s.render(c, http.StatusUnprocessableEntity, "auth/link", "Installation", nil, v)
	}
	u, err := s.store.Install(c.Request().Context(), c.Param("token"), models.UserInput{Email: f.Email, Nom: f.Nom}, f.Password)
	if errs, ok := formErrors(err); ok {
		v.Errors = errs
		return s.render(c, http.StatusUnprocessableEntity, "auth/link", "Installation", nil, v)
	}
	if errors.Is(err, models.ErrNotFound) {
		return s.expiredLink(c)
	}
	if err != nil {
		return err
	}
	return s.startSession(c, u, "/admin/utilisateurs")
}

func (s *Server) showPasswordLink(c echo.Context) error {
	if _, err := s.store.CheckLink(c.Request().Context(), c.Param("token"), models.LinkPassword); err != nil {
		return s.expiredLink(c)
	}
	return s.render(c, http.StatusOK, "auth/link", "Choisir un mot de passe", nil, linkView{Action: c.Request().URL.Path})
}

func (s *Server) usePasswordLink(c echo.Context) error {
	var f installForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	v := linkView{Action: c.Request().URL.Path}
	if f.Password != f.Confirm {
		v.Errors = map[string]string{"confirmation": "Les deux mots de passe ne sont pas identiques."}
		return s.render(c, http.StatusUnprocessableEntity, "auth/link", "Choisir un mot de passe", nil, v)
	}
	u, err := s.store.UsePasswordLink(c.Request().Context(), c.Param("token"), f.Password)
	if errs, ok := formErrors(err); ok {
		v.Errors = errs
		return s.render(c, http.StatusUnprocessableEntity, "auth/link", "Choisir un mot de passe", nil, v)
	}
	if errors.Is(err, models.ErrNotFound) {
		return s.expiredLink(c)
	}
	if err != nil {
		return err
	}
	return s.startSession(c, u, "/")
}

// startSession signs a user in after they set their password.
func (s *Server) startSession(c echo.Context, u models.User, next string) error {
	if old, ok := c.Get(ctxToken).(string); ok {
		_ = s.store.DeleteSession(c.Request().Context(), old)
	}
	token, err := s.store.CreateSession(c.Request().Context(), u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	s.clearCSRFCookie(c)
	return c.Redirect(http.StatusSeeOther, next)
}

// expiredLink answers a link that is unknown, used or expired.
func (s *Server) expiredLink(c echo.Context) error {
	return s.render(c, http.StatusNotFound, "errors/error", "Lien invalide", nil, errorPage{Status: http.StatusNotFound,
		Title:   "Lien invalide ou expiré",
		Message: "Ce lien a déjà servi, a expiré ou n'existe pas. Demandez un nouveau lien à l'administrateur."})
}
