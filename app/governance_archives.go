package app

import (
	"net/http"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The archives of the steering bodies (/instances/archives), of the meetings
// (/reunions/archives) and of the actions (/actions/archives): the archived records of the scope that the caller may restore,
// whoever writes the body (models.CanWriteInstance). The other roles get the page, empty,
// with an explanation. "Restaurer" posts to the existing restore routes.

// instanceArchivesView is the page of archived bodies.
type instanceArchivesView struct {
	Page       models.Page[models.InstanceRow]
	Pager      pager
	CanRestore bool
}

func (s *Server) listArchivedInstances(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListArchivedInstances(c.Request().Context(), actor, p)
	if err != nil {
		return err
	}
	v := instanceArchivesView{Page: page, Pager: newPager(newListURL(c, "/instances/archives"), page), CanRestore: models.CanCreateInstances(actor)}
	return s.render(c, http.StatusOK, "instances/archives", "Instances archivées", []crumb{home, instancesCrumb, {Label: "Archives"}}, v)
}

// reunionArchivesView is the page of archived meetings.
type reunionArchivesView struct {
	Page       models.Page[models.ReunionRow]
	Pager      pager
	CanRestore bool
}

func (s *Server) listArchivedReunions(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListArchivedReunions(c.Request().Context(), actor, p)
	if err != nil {
		return err
	}
	v := reunionArchivesView{Page: page, Pager: newPager(newListURL(c, "/reunions/archives"), page), CanRestore: models.CanCreateInstances(actor)}
	return s.render(c, http.StatusOK, "reunions/archives", "Réunions archivées", []crumb{home, reunionsCrumb, {Label: "Archives"}}, v)
}

// actionArchivesView is the page of archived actions.
type actionArchivesView struct {
	Page       models.Page[models.ActionRow]
	Pager      pager
	CanRestore bool
}

func (s *Server) listArchivedActions(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListArchivedActions(c.Request().Context(), actor, p)
	if err != nil {
		return err
	}
	v := actionArchivesView{Page: page, Pager: newPager(newListURL(c, "/actions/archives"), page), CanRestore: models.CanCreateInstances(actor)}
	return s.render(c, http.StatusOK, "actions/archives", "Actions archivées", []crumb{home, actionsCrumb, {Label: "Archives"}}, v)
}
