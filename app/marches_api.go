package app

import (
	"context"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// solutionJSON is an ENT solution in the API, with the écoles and communes of the
// reader's scope that use it.
type solutionJSON struct {
	ID         int64  `json:"id"`
	Produit    string `json:"produit"`
	EditeurID  *int64 `json:"editeur_id"`
	Editeur    string `json:"editeur"`
	Version    string `json:"version_produit"`
	Federation string `json:"federation"`
	NbEcoles   int64  `json:"nb_ecoles"`
	NbCommunes int64  `json:"nb_communes"`
}

func toSolutionJSON(r models.SolutionRow) solutionJSON {
	return solutionJSON{ID: r.ID, Produit: r.Produit, EditeurID: r.EditeurID, Editeur: r.EditeurNom, Version: r.VersionProduit,
		Federation: r.Federation, NbEcoles: r.NbEcoles, NbCommunes: r.NbCommunes}
}

// apiSolutions is the read-only API of the ENT solutions, with the list's filter.
func (s *Server) apiSolutions(c echo.Context) error {
	q, f, errs := s.solutionQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListSolutionRows, toSolutionJSON)
}

// marcheICS is the calendar of a market's key dates (/marches/:id/calendrier.ics).
func (s *Server) marcheICS(c echo.Context) error {
	id, m, err := pathRecord(s, c, s.store.GetMarche)
	if err != nil {
		return err
	}
	body := exports.MarcheICS(m, s.link(marcheHref(id)), time.Now())
	return sendICS(c, "marche-"+strconv.FormatInt(id, 10)+".ics", body)
}

// marcheEvents are the markets of the scope, for the key dates of the personal agenda.
func (s *Server) marcheEvents(ctx context.Context, scope models.Scope) ([]exports.MarcheEvent, error) {
	var out []exports.MarcheEvent
	err := s.store.EachMarche(ctx, scope, models.MarcheFilter{}, func(m models.MarcheRow) error {
		out = append(out, exports.MarcheEvent{Marche: m, URL: s.link(marcheHref(m.ID))})
		return nil
	})
	return out, err
}
