package app

import (
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Waves of the plan (vagues): the list with its filters, exports and API, one wave's page,
// the wave form, archiving. Who may write is decided by the data layer (models.CanWriteVague:
// pilotes and administrators every wave, an IA-DASEN their département's); pages only show
// what it allows.

var vaguesCrumb = crumb{Label: "Vagues", Href: "/vagues"}

// vagueQuery is the query string of the waves list, its exports and its API.
type vagueQuery struct {
	Annee       string `query:"annee" validate:"max=9"`
	Departement string `query:"departement" validate:"max=10"`
	Archives    string `query:"archives" validate:"omitempty,oneof=oui"`
	Paging
}

func (s *Server) vagueQuery(c echo.Context) (vagueQuery, models.VagueFilter, map[string]string) {
	var q vagueQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	add := func(field, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[field] = msg
	}
	if q.Annee != "" && models.AnneeScolaireProblem(q.Annee) != "" {
		add("annee", "Année scolaire invalide : choisissez dans la liste.")
	}
	if q.Departement != "" && q.Departement != "academie" && !models.ValidDepartementCode(q.Departement) {
		add("departement", "Département inconnu : choisissez dans la liste.")
	}
	return q, models.VagueFilter{AnneeScolaire: q.Annee, Departement: q.Departement, Archived: q.Archives == "oui"}, errs
}

// vagueItem is a wave of the list, with whether the reader may restore it (archives) and
// the CSRF token of the restore button.
type vagueItem struct {
	models.VagueRow
	CanWrite bool
	CSRF     string
}

// vaguesView is the waves list.
type vaguesView struct {
	list[vagueQuery, vagueItem]
	Done      string
	Archived  int64 // the wave just archived, which the page offers to restore
	Archives  bool  // the archived waves are listed
	CanCreate bool
}

func (s *Server) listVagues(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.vagueQuery(c)
	v := vaguesView{CanCreate: models.CanCreate(actor, models.EntityVague), Archives: f.Archived}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "La vague a été archivée : elle n'apparaît plus dans la liste et ne peut plus recevoir d'écoles."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archivee"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-vagues", "Vagues du plan de déploiement"
	v.Empty = emptyList{Text: "Aucune vague pour l'instant.",
		Hint: "Le plan se construit par vagues : les sites pilotes, puis une vague par année scolaire."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/vagues/nouvelle", "Créer une vague"
	}
	if errs == nil {
		page, err := s.store.ListVagueRows(ctx, actor.Scope, f, q.request())
		if err != nil {
			return err
		}
		v.Page = mapPage(page, func(r models.VagueRow) vagueItem {
			return vagueItem{VagueRow: r, CanWrite: models.CanWriteVague(actor, r.Vague), CSRF: csrfToken(c)}
		})
	}
	annees, err := s.store.VagueAnnees(ctx, actor.Scope)
	if err != nil {
		return err
	}
	deps, err := s.store.DepartementChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Form = newFilterForm("/vagues", "", "", q.Paging, errs)
	v.Form.sel("annee", "Année scolaire", "Toutes les années", q.Annee, annees, errs)
	v.Form.sel("departement", "Périmètre", "Tous les périmètres", q.Departement,
		append([]models.Choice{{Value: "academie", Label: "Académie"}}, deps...), errs)
	v.Form.sel("archives", "Vagues", "En cours", q.Archives, []models.Choice{{Value: "oui", Label: "Archivées"}}, errs)
	u := newListURL(c, "/vagues")
	v.Columns = u.columns("", "", column{Label: "Vague"}, column{Label: "Année scolaire"}, column{Label: "Périmètre"},
		column{Label: "Ouverture prévue"}, column{Label: "Cible", Num: true}, column{Label: "Écoles", Num: true},
		column{Label: "Ouvertes", Num: true}, column{Label: "% ouvertes", Num: true})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "vagues/list", "Vagues", []crumb{home, vaguesCrumb}, v, errs != nil)
}

func (s *Server) exportVagues(c echo.Context) error {
	_, f, errs := s.vagueQuery(c)
	return exportScoped(s, c, "vagues", exports.VaguesTable, f, errs, s.store.EachVague, exports.VagueValues)
}

// vagueJSON is a wave in the API, with the figures of its écoles in the caller's scope.
type vagueJSON struct {
	ID               int64      `json:"id"`
	Nom              string     `json:"nom"`
	AnneeScolaire    string     `json:"annee_scolaire"`
	Pilote           bool       `json:"pilote"`
	Departement      string     `json:"departement,omitempty"`
	PerimetreLibelle string     `json:"perimetre_libelle"`
	OuverturePrevue  *time.Time `json:"ouverture_prevue"`
	CibleEcoles      *int       `json:"cible_ecoles"`
	Ecoles           int64      `json:"ecoles"`
	EcolesOuvertes   int64      `json:"ecoles_ouvertes"`
	Eleves           int64      `json:"eleves"`
	Communes         int64      `json:"communes"`
	ModifieeLe       time.Time  `json:"modifiee_le"`
	Version          int        `json:"version"`
}

func toVagueJSON(v models.VagueRow) vagueJSON {
	return vagueJSON{ID: v.ID, Nom: v.Nom, AnneeScolaire: v.AnneeScolaire, Pilote: v.Pilote, Departement: deref(v.DepartementCode),
		PerimetreLibelle: v.ScopeLabel(), OuverturePrevue: v.OuverturePrevue, CibleEcoles: v.CibleEcoles, Ecoles: v.NbEcoles,
		EcolesOuvertes: v.NbOuvertes, Eleves: v.NbEleves, Communes: v.NbCommunes, ModifieeLe: v.UpdatedAt.UTC(), Version: v.Version}
}

func (s *Server) apiVagues(c echo.Context) error {
	q, f, errs := s.vagueQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListVagueRows, toVagueJSON)
}

// archiveVague archives a wave; the list then offers to restore it.
func (s *Server) archiveVague(c echo.Context) error {
	return s.onRecord(c, s.store.ArchiveVague, func(id string) string { return "/vagues?fait=archivage&archivee=" + id })
}

func (s *Server) restoreVague(c echo.Context) error {
	return s.onRecord(c, s.store.RestoreVague, func(id string) string { return "/vagues/" + id + "?fait=restauration" })
}

// mapPage is the page p with each of its rows converted by f.
func mapPage[R, T any](p models.Page[R], f func(R) T) models.Page[T] {
	out := models.Page[T]{Total: p.Total, Number: p.Number, Size: p.Size, Next: p.Next, Prev: p.Prev, Items: make([]T, len(p.Items))}
	for i, r := range p.Items {
		out.Items[i] = f(r)
	}
	return out
}
