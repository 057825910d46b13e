package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Candidatures of the campaigns: the list across campaigns with its filters, exports and
// API, and one candidature's file (communes, écoles, contact, documents, scores,
// decision). Forms are in candidatures_form.go and candidatures_notes.go. Who may write is
// decided by the data layer (models.CanEditCandidature, models.CanScoreCandidature).

var candidaturesCrumb = crumb{Label: "Candidatures", Href: "/candidatures"}

// candidatureDecisionFilter are the choices of the list's decision filter.
var candidatureDecisionFilter = append([]models.Choice{{Value: "sans", Label: "En attente de décision"}}, models.CandidatureDecisions...)

// candidatureQuery is the query string of the list, its exports and its API.
type candidatureQuery struct {
	Campagne    string `query:"campagne" validate:"omitempty,numeric,max=18"`
	Departement string `query:"departement" validate:"omitempty,departement"`
	Decision    string `query:"decision" validate:"max=30"`
	Commune     string `query:"commune" validate:"max=200,validutf8"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) candidatureQuery(c echo.Context) (candidatureQuery, models.CandidatureFilter, map[string]string) {
	var q candidatureQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	if q.Decision != "" && models.LabelOf(candidatureDecisionFilter, q.Decision) == q.Decision {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["decision"] = "Décision inconnue : choisissez dans la liste."
	}
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	f := models.CandidatureFilter{Departement: q.Departement, Decision: q.Decision, Commune: commune, Q: q.Q}
	f.CampagneID, _ = strconv.ParseInt(q.Campagne, 10, 64)
	return q, f, errs
}

// candidaturesView is the list page.
type candidaturesView struct {
	list[candidatureQuery, models.CandidatureRow]
	CanCreate bool
}

func (s *Server) listCandidatures(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.candidatureQuery(c)
	v := candidaturesView{CanCreate: models.CanProposeCandidatures(actor)}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-candidatures", "Candidatures"
	v.Empty = emptyList{Text: "Aucune candidature pour l'instant.",
		Hint: "Une commune ou un groupe de communes candidate à une campagne (sites pilotes) ; l'IA-DASEN note chaque critère et décide."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/candidatures/nouvelle", "Proposer une candidature"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListCandidatures(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	campagnes, err := s.store.CampagneChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	v.Form = newFilterForm("/candidatures", "Mots du titre de la candidature", q.Q, q.Paging, errs)
	v.Form.sel("campagne", "Campagne", "Toutes les campagnes", q.Campagne, campagnes, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("decision", "Décision", "Toutes les décisions", q.Decision, candidatureDecisionFilter, errs)
	v.Form.Inputs = []formField{placeFilter(placeCommunes, "commune", "Commune", "Son nom, son code INSEE ou son code postal (exemple : Melun)",
		q.Commune, errs["commune"])}
	u := newListURL(c, "/candidatures")
	v.Columns = u.columns("", "", column{Label: "Candidature"}, column{Label: "Campagne"}, column{Label: "Département"},
		column{Label: "Communes"}, column{Label: "Score"}, column{Label: "Rang (département)", Num: true},
		column{Label: "Rang (académie)", Num: true}, column{Label: "Décision"})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "candidatures/list", "Candidatures", []crumb{home, candidaturesCrumb}, v, errs != nil)
}

func (s *Server) exportCandidatures(c echo.Context) error {
	_, f, errs := s.candidatureQuery(c)
	return exportScoped(s, c, "candidatures", exports.CandidaturesTable, f, errs, s.store.EachCandidature, exports.CandidatureValues)
}

// candidatureJSON is a candidature in the API, with its derived score and ranks.
type candidatureJSON struct {
	ID              int64     `json:"id"`
	CampagneID      int64     `json:"campagne_id"`
	Campagne        string    `json:"campagne"`
	Titre           string    `json:"titre"`
	Departement     string    `json:"departement"`
	Communes        []string  `json:"communes"`
	Ecoles          []string  `json:"ecoles"`
	EPCISiren       *string   `json:"epci_siren"`
	Score           *float64  `json:"score"`
	CriteresNotes   int       `json:"criteres_notes"`
	Criteres        int       `json:"criteres"`
	RangDepartement *int      `json:"rang_departement"`
	RangAcademie    *int      `json:"rang_academie"`
	Decision        string    `json:"decision"`
	DecisionDate    *string   `json:"decision_date"`
	DecisionID      *int64    `json:"decision_id"`
	ModifieLe       time.Time `json:"modifie_le"`
	Version         int       `json:"version"`
}

func toCandidatureJSON(r models.CandidatureRow) candidatureJSON {
	out := candidatureJSON{ID: r.ID, CampagneID: r.CampagneID, Campagne: r.CampagneNom, Titre: r.Titre, Departement: r.DepartementCode,
		Communes: r.CommuneCodes(), Ecoles: r.EcoleCodes(), EPCISiren: r.EPCISiren, CriteresNotes: r.Score.NbNotes,
		Criteres: r.Score.NbCriteres, Decision: r.Decision, DecisionID: r.DecisionID, ModifieLe: r.UpdatedAt.UTC(), Version: r.Version}
	if r.Score.Scored() {
		v := r.Score.Value()
		out.Score = &v
	}
	if r.Rangs.Departement > 0 {
		out.RangDepartement, out.RangAcademie = &r.Rangs.Departement, &r.Rangs.Academie
	}
	if r.DecisionDate != nil {
		d := r.DecisionDate.Format(time.DateOnly)
		out.DecisionDate = &d
	}
	return out
}

func (s *Server) apiCandidatures(c echo.Context) error {
	q, f, errs := s.candidatureQuery(c)
	return apiScoped(s, c, f, errs, q.request(), s.store.ListCandidatures, toCandidatureJSON)
}

// candidatureView is one candidature's page.
type candidatureView struct {
	Candidature            models.CandidatureRow
	Notes                  []models.CandidatureNote
	Done                   string
	CanEdit, CanScore      bool
	Documents              *documentsView
	PilotWave, Deploiement string
}

var candidatureDone = map[string]string{
	"creation":     "La candidature a été enregistrée.",
	"modification": "La candidature a été modifiée.",
	"notes":        "Les notes ont été enregistrées : le score et les rangs sont recalculés.",
	"decision":     "La décision a été enregistrée.",
}

func (s *Server) showCandidature(c echo.Context) error {
	return s.candidaturePage(c, http.StatusOK)
}

// candidaturePage shows the candidature of the path with status (the documents section
// may carry an upload's error).
func (s *Server) candidaturePage(c echo.Context, status int) error {
	id, cand, notes, err := s.pathCandidature(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	v := candidatureView{Candidature: cand, Notes: notes, Done: candidatureDone[c.QueryParam("fait")],
		CanEdit: models.CanEditCandidature(actor, cand), CanScore: models.CanScoreCandidature(actor, cand)}
	if c.QueryParam("fait") == "decision" && cand.Decision == "retenue" {
		v.Deploiement = "Ses écoles sont entrées dans la vague pilote de la campagne, en phase « pilote »."
	}
	if v.Documents, err = s.documentsSection(c, models.DocumentCandidature, id, v.CanEdit); err != nil {
		return err
	}
	return s.render(c, status, "candidatures/show", cand.Titre, []crumb{home, candidaturesCrumb, {Label: cand.Titre}}, v)
}

func (s *Server) addCandidatureDocument(c echo.Context) error {
	return s.addDocument(c, models.DocumentCandidature)
}

// pathCandidature reads the candidature of the path in the caller's scope, with the
// criteria of its campaign and their scores.
func (s *Server) pathCandidature(c echo.Context) (int64, models.CandidatureRow, []models.CandidatureNote, error) {
	id, cand, err := pathRecord(s, c, s.store.GetCandidature)
	if err != nil {
		return id, cand, nil, err
	}
	notes, err := s.store.CandidatureNotes(c.Request().Context(), s.scope(c), id)
	return id, cand, notes, err
}

// candidatureHref is the address of a candidature's page.
func candidatureHref(id int64) string { return "/candidatures/" + strconv.FormatInt(id, 10) }
