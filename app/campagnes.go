package app

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Campaigns of candidatures (campagnes): the list, and one campaign's page with its
// weighted criteria and its candidatures ranked for the académie and per département. The
// form is in campagnes_form.go. Who may write is decided by the data layer
// (models.CanWriteCampagne); pages only show the buttons it allows.

var campagnesCrumb = crumb{Label: "Campagnes de candidatures", Href: "/campagnes"}

// campagnesView is the list page.
type campagnesView struct {
	list[Paging, models.CampagneRow]
	Done      string
	CanCreate bool
}

func (s *Server) listCampagnes(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	var q Paging
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	v := campagnesView{CanCreate: models.CanCreateCampagnes(actor)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-campagnes", "Campagnes de candidatures"
	v.Empty = emptyList{Text: "Aucune campagne pour l'instant.",
		Hint: "Une campagne reçoit les candidatures des communes (par exemple « Sites pilotes 2012 ») et les classe selon ses critères pondérés."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/campagnes/nouvelle", "Créer une campagne"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListCampagnes(ctx, actor.Scope, q.request()); err != nil {
			return err
		}
	}
	v.Form = filterForm{Action: "/campagnes", PerPage: q.PerPage}
	u := newListURL(c, "/campagnes")
	v.Columns = u.columns("", "", column{Label: "Campagne"}, column{Label: "Année scolaire"}, column{Label: "Territoire"},
		column{Label: "Statut"}, column{Label: "Vague pilote"}, column{Label: "Candidatures", Num: true})
	v.Pager = newPager(u, v.Page)
	return s.renderList(c, "campagnes/list", "Campagnes de candidatures", []crumb{home, campagnesCrumb}, v, errs != nil)
}

// rankedGroup is a ranking table of the campaign's page: the académie's or a département's.
type rankedGroup struct {
	ID, Caption string
	Rows        []rankedRow
}

// rankedRow is one candidature of a ranking table.
type rankedRow struct {
	models.CandidatureRow
	Rank string
}

// campagneView is one campaign's page.
type campagneView struct {
	Campagne models.CampagneRow
	Done     string
	CanWrite bool
	CanAdd   bool
	Academie rankedGroup
	Groups   []rankedGroup
}

var campagneDone = map[string]string{
	"creation":     "La campagne a été créée avec ses critères.",
	"modification": "La campagne a été modifiée.",
}

func (s *Server) showCampagne(c echo.Context) error {
	id, camp, err := pathRecord(s, c, s.store.GetCampagne)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	rows, err := s.store.CampagneCandidatures(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	v := campagneView{Campagne: camp, Done: campagneDone[c.QueryParam("fait")], CanWrite: models.CanWriteCampagne(actor, camp.Campagne),
		CanAdd: camp.Ouverte() && models.CanProposeCandidatures(actor)}
	v.Academie = rankedGroup{ID: "classement-academie", Caption: "Classement de l'académie"}
	byDep := map[string][]rankedRow{}
	for _, r := range rows {
		v.Academie.Rows = append(v.Academie.Rows, rankedRow{r, r.Rangs.AcademieLabel()})
		byDep[r.DepartementCode] = append(byDep[r.DepartementCode], rankedRow{r, r.Rangs.DepartementLabel()})
	}
	for _, dep := range slices.Sorted(maps.Keys(byDep)) {
		v.Groups = append(v.Groups, rankedGroup{ID: "classement-" + dep, Caption: "Classement du département " + dep, Rows: byDep[dep]})
	}
	title := camp.Nom
	return s.render(c, http.StatusOK, "campagnes/show", title, []crumb{home, campagnesCrumb, {Label: title}}, v)
}

// campagneHref is the address of a campaign's page.
func campagneHref(id int64) string { return "/campagnes/" + strconv.FormatInt(id, 10) }

// campagneJSON is a campaign in the API, with its criteria.
type campagneJSON struct {
	ID             int64         `json:"id"`
	Nom            string        `json:"nom"`
	AnneeScolaire  string        `json:"annee_scolaire"`
	Departement    *string       `json:"departement"`
	Statut         string        `json:"statut"`
	VagueID        *int64        `json:"vague_id"`
	NbCandidatures int           `json:"nb_candidatures"`
	Criteres       []critereJSON `json:"criteres"`
	Version        int           `json:"version"`
}

type critereJSON struct {
	ID      int64  `json:"id"`
	Libelle string `json:"libelle"`
	Poids   int    `json:"poids"`
}

func (s *Server) apiCampagnes(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	page, err := s.store.ListCampagnes(ctx, scope, p)
	if err != nil {
		return err
	}
	out := newAPIList(page, func(r models.CampagneRow) campagneJSON {
		j := campagneJSON{ID: r.ID, Nom: r.Nom, AnneeScolaire: r.AnneeScolaire, Departement: r.DepartementCode, Statut: r.Statut,
			VagueID: r.VagueID, NbCandidatures: r.NbCandidatures, Criteres: []critereJSON{}, Version: r.Version}
		for _, k := range r.Criteres {
			j.Criteres = append(j.Criteres, critereJSON{k.ID, k.Libelle, k.Poids})
		}
		return j
	})
	return c.JSON(http.StatusOK, out)
}
