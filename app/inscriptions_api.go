package app

import (
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The registrations across the sessions of the scope (list, API) and the export of a
// session's registrations. The personal fields (name, function, email) are omitted for the
// roles that may not see them; the lists across sessions never give them (aggregates).

// inscriptionQuery is the query string of the list and of the API.
type inscriptionQuery struct {
	Formation string `query:"formation" validate:"omitempty,numeric,max=18"`
	Statut    string `query:"statut" validate:"max=20"`
	Paging
}

func (s *Server) inscriptionQuery(c echo.Context) (inscriptionQuery, models.InscriptionFilter, map[string]string) {
	var q inscriptionQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	f := models.InscriptionFilter{Statut: q.Statut}
	f.FormationID, _ = strconv.ParseInt(q.Formation, 10, 64)
	if q.Statut != "" && !models.ValidInscriptionStatut(q.Statut) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["statut"] = "Statut inconnu : choisissez dans la liste."
	}
	return q, f, errs
}

// inscriptionJSON is a registration in the API; the personal fields are omitted when the
// reader may not see them.
type inscriptionJSON struct {
	ID          int64   `json:"id"`
	FormationID int64   `json:"formation_id"`
	Type        string  `json:"type"`
	Nom         *string `json:"nom,omitempty"`
	Fonction    *string `json:"fonction,omitempty"`
	Email       *string `json:"email,omitempty"`
	UAI         *string `json:"uai"`
	Ecole       string  `json:"ecole"`
	CodeINSEE   *string `json:"code_insee"`
	Commune     string  `json:"commune"`
	Effectif    int     `json:"effectif"`
	Statut      string  `json:"statut"`
	Rang        int     `json:"rang,omitempty"`
	Presence    string  `json:"presence"`
	Presents    *int    `json:"presents"`
}

func toInscriptionJSON(r models.InscriptionRow) inscriptionJSON {
	out := inscriptionJSON{ID: r.ID, FormationID: r.FormationID, Type: r.Kind, UAI: r.UAI, Ecole: r.EcoleNom,
		CodeINSEE: r.CodeINSEE, Commune: r.CommuneNom, Effectif: r.Effectif, Statut: r.Statut, Rang: r.Rang,
		Presence: r.Presence, Presents: r.Presents}
	if !r.Masked && !r.IsEcole() {
		out.Nom, out.Fonction, out.Email = &r.Nom, &r.Fonction, &r.Email
	}
	return out
}

// apiInscriptions answers /api/v1/inscriptions: with ?formation=ID the session's list as
// its page shows it (names for the roles that see them, the consultation logged), without
// the registrations of every session of the scope, paged, without names.
func (s *Server) apiInscriptions(c echo.Context) error {
	q, f, errs := s.inscriptionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	if f.FormationID == 0 {
		page, err := s.store.ListInscriptionsAll(ctx, actor, f, q.request())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newAPIList(page, toInscriptionJSON))
	}
	rows, err := s.store.ListInscriptions(ctx, actor, f.FormationID)
	if err != nil {
		return err
	}
	page := models.Page[models.InscriptionRow]{Number: 1, Size: len(rows), Total: int64(len(rows))}
	for _, r := range rows {
		if f.Statut == "" || r.Statut == f.Statut {
			page.Items = append(page.Items, r)
		}
	}
	page.Total, page.Size = int64(len(page.Items)), len(page.Items)
	return c.JSON(http.StatusOK, newAPIList(page, toInscriptionJSON))
}

// inscriptionsListView is the list of the registrations across the sessions.
type inscriptionsListView struct {
	list[inscriptionQuery, models.InscriptionRow]
}

func (s *Server) listAllInscriptions(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.inscriptionQuery(c)
	var v inscriptionsListView
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-inscriptions", "Inscriptions aux sessions de formation"
	v.Empty = emptyList{Text: "Aucune inscription pour l'instant.",
		Hint: "Les inscriptions se prennent depuis la page de chaque session de formation."}
	if errs == nil {
		var err error
		if v.Page, err = s.store.ListInscriptionsAll(ctx, actor, f, q.request()); err != nil {
			return err
		}
	}
	v.Form = newFilterForm("/formations/inscriptions", "", "", q.Paging, errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, models.InscriptionStatuts, errs)
	v.Form.Inputs = []formField{{ID: "filtre-formation", Name: "formation", Label: "Session (numéro)", Type: "text",
		Value: q.Formation, Error: errs["formation"]}}
	u := newListURL(c, "/formations/inscriptions")
	v.Columns = u.columns("", "", column{Label: "Session"}, column{Label: "Inscription"}, column{Label: "Effectif"},
		column{Label: "Statut"}, column{Label: "Présence"})
	v.Pager = newPager(u, v.Page)
	v.Exports = u.exports()
	crumbs := []crumb{home, formationsCrumbIns, {Label: "Inscriptions"}}
	return s.renderList(c, "formations/inscriptions_list", "Inscriptions aux formations", crumbs, v, errs != nil)
}

// inscriptionsTable is the export of a session's registrations; inscriptionsTableMasked
// the same without the personal columns, for the roles that may not see them.
var (
	inscriptionsTableMasked = exports.Table{Sheet: "Inscriptions", Title: "Inscriptions à la session", Columns: []exports.Column{
		{Header: "Identifiant", Kind: exports.Integer, Width: 12},
		{Header: "Type", Kind: exports.Text, Width: 16},
		{Header: "UAI", Kind: exports.Text, Width: 12},
		{Header: "École", Kind: exports.Text, Width: 36},
		{Header: "Commune", Kind: exports.Text, Width: 24},
		{Header: "Effectif", Kind: exports.Integer, Width: 10},
		{Header: "Statut", Kind: exports.Text, Width: 16},
		{Header: "Rang d'attente", Kind: exports.Integer, Width: 10},
		{Header: "Présence", Kind: exports.Text, Width: 12},
		{Header: "Présents", Kind: exports.Integer, Width: 10},
	}}
	inscriptionsTable = exports.Table{Sheet: inscriptionsTableMasked.Sheet, Title: inscriptionsTableMasked.Title,
		Columns: append([]exports.Column{inscriptionsTableMasked.Columns[0],
			{Header: "Nom", Kind: exports.Text, Width: 28}, {Header: "Fonction", Kind: exports.Text, Width: 28},
			{Header: "Adresse électronique", Kind: exports.Text, Width: 32}}, inscriptionsTableMasked.Columns[1:]...)}
)

// inscriptionsAllTable is the export of the registrations of every session of the scope:
// the session first, never the personal columns.
var inscriptionsAllTable = exports.Table{Sheet: "Inscriptions", Title: "Inscriptions aux sessions de formation",
	Columns: append([]exports.Column{{Header: "Session", Kind: exports.Integer, Width: 10}}, inscriptionsTableMasked.Columns...)}

func (s *Server) exportAllInscriptions(c echo.Context) error {
	_, f, errs := s.inscriptionQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	return s.sendExport(c, "inscriptions-formations", inscriptionsAllTable, func(w exports.RowWriter) error {
		return s.store.EachInscriptionAll(c.Request().Context(), s.actor(c), f, func(r models.InscriptionRow) error {
			return w.WriteRow(append([]any{r.FormationID}, inscriptionValues(r, true)...)...)
		})
	})
}

func inscriptionValues(r models.InscriptionRow, masked bool) []any {
	var rank, presents any // empty cells unless known
	if r.Rang > 0 {
		rank = r.Rang
	}
	if r.Presents != nil {
		presents = *r.Presents
	}
	rest := []any{r.KindLabel(), r.UAI, r.EcoleNom, r.CommuneNom, r.Effectif, r.StatutLabel(), rank, r.PresenceLabel(), presents}
	if masked {
		return append([]any{r.ID}, rest...)
	}
	return append([]any{r.ID, r.Nom, r.Fonction, r.Email}, rest...)
}

func (s *Server) exportFormationInscriptions(c echo.Context) error {
	id, _, rows, err := s.sessionRows(c)
	if err != nil {
		return err
	}
	masked := models.InscriptionsMasked(s.actor(c))
	table := inscriptionsTable
	if masked {
		table = inscriptionsTableMasked
	}
	return s.sendExport(c, "inscriptions-session-"+strconv.FormatInt(id, 10), table, func(w exports.RowWriter) error {
		for _, r := range rows {
			if err := w.WriteRow(inscriptionValues(r, masked)...); err != nil {
				return err
			}
		}
		return nil
	})
}
