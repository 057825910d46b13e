package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// loginsView is the login history page.
type loginsView struct {
	Logins models.Page[models.LoginRow]
	Pager  pager
}

func (s *Server) listLogins(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	logins, err := s.store.ListLogins(c.Request().Context(), s.actor(c), p)
	if err != nil {
		return err
	}
	v := loginsView{Logins: logins, Pager: newPager(newListURL(c, "/admin/connexions"), logins)}
	return s.render(c, http.StatusOK, "admin/logins", "Connexions", []crumb{home, adminCrumb, {Label: "Connexions"}}, v)
}
