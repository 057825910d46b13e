package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// archivesView is the page of archived records.
type archivesView struct {
	Users   models.Page[models.User]
	Pager   pager
	Done    string
	Refused string
}

func (s *Server) listArchives(c echo.Context) error {
	v := archivesView{}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "Le compte a été archivé : il n'apparaît plus dans les listes et ne peut plus se connecter. Vous pouvez le restaurer ci-dessous."
	}
	return s.archivesPage(c, http.StatusOK, v)
}

func (s *Server) archivesPage(c echo.Context, status int, v archivesView) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	users, err := s.store.ListUsers(c.Request().Context(), s.actor(c), models.UserFilter{Archived: true}, p)
	if err != nil {
		return err
	}
	v.Users, v.Pager = users, newPager(newListURL(c, "/admin/archives"), users)
	return s.render(c, status, "admin/archives", "Archives", []crumb{home, adminCrumb, {Label: "Archives"}}, v)
}

// archiveUser archives an account; the data layer refuses one's own account and the last
// administrator.
func (s *Server) archiveUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = s.store.ArchiveUser(c.Request().Context(), s.actor(c), id)
	if refusal := refusalOf(err); refusal != "" {
		return s.userPage(c, http.StatusUnprocessableEntity, id, userView{Refused: refusal})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/archives?fait=archivage")
}

// restoreUser brings an archived account back; the data layer refuses when a live account
// now uses its email.
func (s *Server) restoreUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = s.store.RestoreUser(c.Request().Context(), s.actor(c), id)
	if refusal := refusalOf(err); refusal != "" {
		return s.archivesPage(c, http.StatusUnprocessableEntity, archivesView{Refused: refusal})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/utilisateurs/"+strconv.FormatInt(id, 10)+"?fait=restauration")
}
