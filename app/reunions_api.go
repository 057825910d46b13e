package app

import (
	"net/http"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The meetings' exports (/reunions.xlsx, /reunions.csv) and JSON API (/api/v1/reunions):
// the same filters as the list (reunionQuery), the same scope (through the body).

func reunionIDs(rows []models.ReunionRow) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

func (s *Server) exportReunions(c echo.Context) error {
	_, f, errs := s.reunionQuery(c)
	if len(errs) > 0 {
		return &filterError{Fields: errs}
	}
	ctx := c.Request().Context()
	var rows []models.ReunionRow
	if err := s.store.EachReunion(ctx, s.scope(c), f, func(r models.ReunionRow) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		return err
	}
	ids := reunionIDs(rows)
	points, err := s.store.ReunionPoints(ctx, ids)
	if err != nil {
		return err
	}
	decisions, err := s.store.ReunionDecisionCounts(ctx, ids)
	if err != nil {
		return err
	}
	return s.sendExport(c, "reunions", exports.ReunionsTable, func(w exports.RowWriter) error {
		for _, r := range rows {
			if err := w.WriteRow(exports.ReunionValues(r, len(points[r.ID]), decisions[r.ID])...); err != nil {
				return err
			}
		}
		return nil
	})
}

// reunionPointJSON is an agenda item in the API.
type reunionPointJSON struct {
	Position     int    `json:"position"`
	Titre        string `json:"titre"`
	Presentateur string `json:"presentateur"`
	DureeMin     *int   `json:"duree_min,omitempty"`
}

// reunionInviteJSON is an invitee in the API: a person acting in a public capacity, with
// their name, function and organisation; contact_id only when the caller may read the
// contact (absent otherwise), never an email or a phone.
type reunionInviteJSON struct {
	ContactID       int64  `json:"contact_id,omitempty"`
	Nom             string `json:"nom"`
	Fonction        string `json:"fonction"`
	Organisation    string `json:"organisation"`
	Presence        string `json:"presence"`
	PresenceLibelle string `json:"presence_libelle"`
}

// reunionJSON is a meeting in the API, with its agenda and its invitees.
type reunionJSON struct {
	ID            int64               `json:"id"`
	InstanceID    int64               `json:"instance_id"`
	Instance      string              `json:"instance"`
	Departement   string              `json:"departement,omitempty"`
	Titre         string              `json:"titre"`
	Libelle       string              `json:"libelle"`
	Debut         time.Time           `json:"debut"`
	Fin           time.Time           `json:"fin"`
	Lieu          string              `json:"lieu"`
	Visio         string              `json:"visio"`
	Statut        string              `json:"statut"`
	StatutLibelle string              `json:"statut_libelle"`
	OrdreDuJour   []reunionPointJSON  `json:"ordre_du_jour"`
	Invites       []reunionInviteJSON `json:"invites"`
	NbDecisions   int                 `json:"nb_decisions"`
	ModifieeLe    time.Time           `json:"modifiee_le"`
	Version       int                 `json:"version"`
}

func toReunionJSON(r models.ReunionRow, points []models.ReunionPoint, invites []models.InviteRow, decisions int) reunionJSON {
	z := fr.Paris()
	out := reunionJSON{ID: r.ID, InstanceID: r.InstanceID, Instance: r.InstanceNom, Departement: deref(r.DepartementCode),
		Titre: r.Titre, Libelle: r.Label(), Debut: r.Debut.In(z), Fin: r.Fin.In(z), Lieu: r.Lieu, Visio: r.Visio,
		Statut: r.Statut, StatutLibelle: r.StatutLabel(), OrdreDuJour: []reunionPointJSON{}, Invites: []reunionInviteJSON{},
		NbDecisions: decisions, ModifieeLe: r.UpdatedAt.UTC(), Version: r.Version}
	for _, p := range points {
		out.OrdreDuJour = append(out.OrdreDuJour, reunionPointJSON{Position: p.Position, Titre: p.Titre, Presentateur: p.Presentateur, DureeMin: p.DureeMin})
	}
	for _, i := range invites {
		out.Invites = append(out.Invites, reunionInviteJSON{ContactID: i.ContactID, Nom: i.FullName(), Fonction: i.Fonction,
			Organisation: i.Organisation, Presence: i.Presence, PresenceLibelle: i.PresenceLabel()})
	}
	return out
}

func (s *Server) apiReunions(c echo.Context) error {
	q, f, errs := s.reunionQuery(c)
	if len(errs) > 0 {
		return &filterError{Fields: errs}
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.ListReunions(ctx, scope, f, q.request())
	if err != nil {
		return err
	}
	ids := reunionIDs(p.Items)
	points, err := s.store.ReunionPoints(ctx, ids)
	if err != nil {
		return err
	}
	invites, err := s.store.ReunionInvites(ctx, scope, ids)
	if err != nil {
		return err
	}
	decisions, err := s.store.ReunionDecisionCounts(ctx, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, func(r models.ReunionRow) reunionJSON {
		return toReunionJSON(r, points[r.ID], invites[r.ID], decisions[r.ID])
	}))
}
