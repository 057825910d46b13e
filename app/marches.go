package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Calls for tender (marchés): the registry with its filters, exports and API, and one
// market's page (communes and délibérations, lots, bids, awards, history of its status).
// The forms are in marches_form.go and marches_actions.go. Who may write is decided by the
// data layer (models.CanWriteMarche, models.CanRecordAdhesion).

var marchesCrumb = crumb{Label: "Marchés", Href: "/marches"}

// marcheQuery is the query string of the list, its exports and its API.
type marcheQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	Acheteur    string `query:"acheteur" validate:"max=30"`
	Statut      string `query:"statut" validate:"max=30"`
	Solution    string `query:"solution" validate:"omitempty,numeric,max=18"`
	Titulaire   string `query:"titulaire" validate:"omitempty,numeric,max=18"`
	Annee       string `query:"annee" validate:"omitempty,numeric,len=4"`
	Commune     string `query:"commune" validate:"max=200,validutf8"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) marcheQuery(c echo.Context) (marcheQuery, models.MarcheFilter, map[string]string) {
	var q marcheQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	unknown := func(field, v string, choices []models.Choice) {
		if v != "" && models.LabelOf(choices, v) == v {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[field] = "Valeur inconnue : choisissez dans la liste."
		}
	}
	unknown("acheteur", q.Acheteur, models.MarcheAcheteurs)
	unknown("statut", q.Statut, models.MarcheStatuts)
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	f := models.MarcheFilter{Departement: q.Departement, Acheteur: q.Acheteur, Statut: q.Statut, Commune: commune, Q: q.Q}
	f.SolutionID, _ = strconv.ParseInt(q.Solution, 10, 64)
	f.TitulaireID, _ = strconv.ParseInt(q.Titulaire, 10, 64)
	f.Annee, _ = strconv.Atoi(q.Annee)
	return q, f, errs
}

// marchesView is the list page.
type marchesView struct {
	list[marcheQuery, models.MarcheRow]
	CanCreate bool
}

func (s *Server) listMarches(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.marcheQuery(c)
	v := marchesView{CanCreate: models.CanCreateMarches(actor)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-marches", "Marchés"
	v.Empty = emptyList{Text: "Aucun marché pour l'instant.",
		Hint: "Une commune, un EPCI ou un groupement de commandes lance un appel d'offres pour son ENT ; l'attribution d'un lot donne la solution aux écoles de ses communes."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/marches/nouveau", "Créer un marché"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListMarches(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	solutions, err := s.store.MarcheSolutionChoices(ctx)
	if err != nil {
		return err
	}
	editeurs, err := s.store.SolutionEditeurChoices(ctx)
	if err != nil {
		return err
	}
	v.Form = newFilterForm("/marches", "Mots de l'objet ou de la référence", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("acheteur", "Acheteur", "Tous les acheteurs", q.Acheteur, models.MarcheAcheteurs, errs)
	v.Form.sel("statut", "Statut", "Tous les statuts", q.Statut, models.MarcheStatuts, errs)
	v.Form.sel("solution", "Solution ENT", "Toutes les solutions", q.Solution, solutions, errs)
	v.Form.sel("titulaire", "Titulaire", "Tous les titulaires", q.Titulaire, editeurs, errs)
	v.Form.sel("annee", "Année de publication", "Toutes les années", q.Annee, marcheYears(), errs)
	v.Form.Inputs = []formField{placeFilter(placeCommunes, "commune", "Commune", "Son nom, son code INSEE (5 caractères) ou son code postal",
		q.Commune, errs["commune"])}
	u := newListURL(c, "/marches")
	v.Columns = u.columns("", "", column{Label: "Marché"}, column{Label: "Département"}, column{Label: "Acheteur"},
		column{Label: "Communes"}, column{Label: "Procédure"}, column{Label: "Date limite"}, column{Label: "Statut"},
		column{Label: "Solution attribuée"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "marches/list", "Marchés", []crumb{home, marchesCrumb}, v, errs != nil)
}

// marcheYears are the years of the year filter: the programme's, from 2011 to next year.
func marcheYears() []models.Choice {
	var out []models.Choice
	for y := time.Now().Year() + 1; y >= 2011; y-- {
		out = append(out, models.Choice{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	return out
}

func (s *Server) exportMarches(c echo.Context) error {
	_, f, errs := s.marcheQuery(c)
	return exportScoped(s, c, "marches", exports.MarchesTable, f, errs, s.store.EachMarche, exports.MarcheValues)
}

// lotJSON is a lot of a market in the API.
type lotJSON struct {
	Numero          int     `json:"numero"`
	Intitule        string  `json:"intitule"`
	MontantEstime   *int64  `json:"montant_estime_centimes"`
	Offres          int     `json:"offres"`
	TitulaireID     *int64  `json:"titulaire_id"`
	SolutionID      *int64  `json:"solution_id"`
	MontantAttribue *int64  `json:"montant_attribue_centimes"`
	DureeMois       *int    `json:"duree_mois"`
	DateDebut       *string `json:"date_debut"`
	Reconductions   int     `json:"reconductions"`
}

// marcheJSON is a market in the API; amounts are integer cents.
type marcheJSON struct {
	ID              int64     `json:"id"`
	Reference       string    `json:"reference"`
	Objet           string    `json:"objet"`
	Departement     string    `json:"departement"`
	Acheteur        string    `json:"acheteur"`
	EPCISiren       *string   `json:"epci_siren"`
	Communes        []string  `json:"communes"`
	Procedure       string    `json:"procedure"`
	MontantEstime   *int64    `json:"montant_estime_centimes"`
	DatePublication *string   `json:"date_publication"`
	DateLimite      *string   `json:"date_limite"`
	Statut          string    `json:"statut"`
	Lots            []lotJSON `json:"lots"`
	ModifieLe       time.Time `json:"modifie_le"`
	Version         int       `json:"version"`
}

func isoDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := t.Format(time.DateOnly)
	return &d
}

func toMarcheJSON(m models.MarcheRow) marcheJSON {
	out := marcheJSON{ID: m.ID, Reference: m.Reference, Objet: m.Objet, Departement: m.DepartementCode, Acheteur: m.Acheteur,
		EPCISiren: m.EPCISiren, Communes: m.CommuneCodes(), Procedure: m.Procedure, MontantEstime: m.MontantEstime,
		DatePublication: isoDate(m.DatePublication), DateLimite: isoDate(m.DateLimite), Statut: m.Statut,
		Lots: make([]lotJSON, len(m.Lots)), ModifieLe: m.UpdatedAt.UTC(), Version: m.Version}
	for i, l := range m.Lots {
		out.Lots[i] = lotJSON{Numero: l.Numero, Intitule: l.Intitule, MontantEstime: l.MontantEstime, Offres: len(l.Offres),
			TitulaireID: l.TitulaireID, SolutionID: l.SolutionID, MontantAttribue: l.MontantAttribue, DureeMois: l.DureeMois,
			DateDebut: isoDate(l.DateDebut), Reconductions: l.Reconductions}
	}
	return out
}

func (s *Server) apiMarches(c echo.Context) error {
	q, f, errs := s.marcheQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListMarches, toMarcheJSON)
}

// marcheHref is the address of a market's page.
func marcheHref(id int64) string { return "/marches/" + strconv.FormatInt(id, 10) }

var _ = http.StatusOK
