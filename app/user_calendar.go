package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// "Mon agenda": each account may create a personal calendar feed, a secret URL
// (/agenda/<token>.ics) to subscribe to in a calendar application. The token is the only
// credential of the feed: a wrong, renewed or revoked token, or a disabled or archived
// account, is a page that does not exist. The feed lists the meetings of the account's
// scope as it is when the feed is fetched (a change of role or territory applies at once),
// from one year back, and the due dates of the account's own open actions.

// agendaHistory is how far back the personal feed lists meetings.
const agendaHistory = -1 // years

// createUserCalendar creates, or renews, the caller's feed and shows its URL once.
func (s *Server) createUserCalendar(c echo.Context) error {
	renewed := c.Request().URL.Path == "/mon-compte/agenda/renouveler"
	base, ok := PublicURL(s.cfg)
	if !ok { // before the token changes: a renewal without a link would only break the old one
		return s.accountPage(c, http.StatusConflict, accountView{Refused: msgNoBaseURL})
	}
	token, err := s.store.NewUserCalendar(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	done := "Votre lien d'agenda a été créé. Copiez-le maintenant : il ne sera plus jamais affiché."
	if renewed {
		done = "Votre lien d'agenda a été renouvelé : l'ancien ne fonctionne plus. Copiez le nouveau maintenant : il ne sera plus jamais affiché."
	}
	return s.accountPage(c, http.StatusOK, accountView{Done: done, FeedURL: base + "/agenda/" + token + ".ics"})
}

// revokeUserCalendar ends the caller's feed.
func (s *Server) revokeUserCalendar(c echo.Context) error {
	err := s.store.RevokeUserCalendar(c.Request().Context(), s.actor(c))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return s.accountPage(c, http.StatusOK, accountView{Done: "Vous n'aviez pas de lien d'agenda actif."})
	case err != nil:
		return err
	}
	return s.accountPage(c, http.StatusOK, accountView{Done: "Votre lien d'agenda a été révoqué : il ne fonctionne plus."})
}

// userCalendar is the personal feed, /agenda/<token>.ics. echo's router cannot tell a
// parameter from its ".ics" suffix, so the handler cuts it (as /reunions/:id.ics does).
func (s *Server) userCalendar(c echo.Context) error {
	token := c.Param("token")
	ctx := c.Request().Context()
	u, err := s.store.UserByCalendarToken(ctx, token)
	if err != nil {
		return err
	}
	// The scope is the account's current one, evaluated now, as a signed-in request would.
	scope, err := s.store.UserScope(ctx, u)
	if err != nil {
		return err
	}
	actor := models.ActorFor(u, scope, c.Response().Header().Get(echo.HeaderXRequestID))
	now := time.Now()
	from := now.AddDate(agendaHistory, 0, 0)
	var events []exports.CalendarEvent
	err = s.store.EachReunion(ctx, actor.Scope, models.ReunionFilter{Du: &from}, func(r models.ReunionRow) error {
		events = append(events, exports.CalendarEvent{Reunion: r, URL: s.link("/reunions/" + strconv.FormatInt(r.ID, 10))})
		return nil
	})
	if err != nil {
		return err
	}
	actions, err := s.store.DueActions(ctx, actor)
	if err != nil {
		return err
	}
	dues := make([]exports.DueEvent, 0, len(actions))
	for _, a := range actions {
		dues = append(dues, exports.DueEvent{Action: a, URL: s.link("/actions/" + strconv.FormatInt(a.ID, 10))})
	}
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	sessions, err := s.sessionEvents(ctx, actor.Scope, from)
	if err != nil {
		return err
	}
	marches, err := s.marcheEvents(ctx, actor.Scope)
	if err != nil {
		return err
	}
	return sendICS(c, "agenda.ics", exports.AgendaICS("Pilotage ENT 1D — "+u.Nom, events, dues, sessions, now, marches...))
}
