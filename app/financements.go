package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// Financing plans (financements): the list with its filters, exports and API, and one
// plan's page with its communes' shares, its lines, its totals and chart, and its workbook.
// Forms are in financements_form.go and financements_lignes.go. Who may write is decided
// by the data layer (models.CanWriteFinancement, models.CanSetActualAmounts); pages only
// show the buttons it allows.

var financementsCrumb = crumb{Label: "Financements", Href: "/financements"}

// financementQuery is the query string of the list, its exports and its API.
type financementQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	Portage     string `query:"portage" validate:"max=30"`
	Commune     string `query:"commune" validate:"max=200,validutf8"` // a name, an INSEE code or a postcode (app/places.go)
	EPCI        string `query:"epci" validate:"omitempty,siren"`
	Convention  string `query:"convention" validate:"omitempty,numeric,max=18"`
	Annee       string `query:"annee" validate:"omitempty,numeric,len=4"`
	Q           string `query:"q" validate:"max=100,validutf8"`
	Paging
}

func (s *Server) financementQuery(c echo.Context) (financementQuery, models.FinancementFilter, map[string]string) {
	var q financementQuery
	bindQuery(c, &q)
	errs := checkSort(fieldErrors(s.valid, q), q.Sort, func(k string) bool { return k == "" })
	if q.Portage != "" && !models.ValidPortage(q.Portage) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs["portage"] = "Portage inconnu : choisissez dans la liste."
	}
	if errs != nil && errs["annee"] != "" {
		errs["annee"] = "Année sur quatre chiffres attendue (exemple : 2012)."
	}
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	f := models.FinancementFilter{Departement: q.Departement, Portage: q.Portage, Commune: commune, EPCI: q.EPCI, Q: q.Q}
	f.ConventionID, _ = strconv.ParseInt(q.Convention, 10, 64)
	f.Annee, _ = strconv.Atoi(q.Annee)
	return q, f, errs
}

// financementsView is the list page.
type financementsView struct {
	list[financementQuery, models.FinancementRow]
	Done      string
	Archived  int64
	CanCreate bool
}

func (s *Server) listFinancements(c echo.Context) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	q, f, errs := s.financementQuery(c)
	v := financementsView{CanCreate: models.CanCreateFinancements(actor)}
	if c.QueryParam("fait") == "archivage" {
		v.Done = "Le plan de financement a été archivé : il n'apparaît plus dans la liste ni dans les exports."
		v.Archived, _ = strconv.ParseInt(c.QueryParam("archive"), 10, 64)
	}
	v.Filter, v.Errors = q, errs
	v.TableID, v.Caption = "tableau-financements", "Plans de financement"
	v.Empty = emptyList{Text: "Aucun plan de financement pour l'instant.",
		Hint: "Un plan de financement décrit qui porte l'ENT (commune, intercommunalité ou groupement de commandes) et ses montants prévus et réalisés par année."}
	if v.CanCreate {
		v.Empty.Add, v.Empty.Verb = "/financements/nouveau", "Créer un plan de financement"
	}
	var err error
	if errs == nil {
		if v.Page, err = s.store.ListFinancements(ctx, actor.Scope, f, q.request()); err != nil {
			return err
		}
	}
	deps, err := s.store.DepartementChoicesIn(ctx, actor.Scope)
	if err != nil {
		return err
	}
	epcis, err := s.store.FinancementEPCIFilterChoices(ctx, actor.Scope, q.Departement)
	if err != nil {
		return err
	}
	conventions, err := s.store.FinancementConventionFilterChoices(ctx, actor.Scope)
	if err != nil {
		return err
	}
	var years []models.Choice
	for y := 2011; y <= time.Now().Year()+2; y++ {
		years = append(years, models.Choice{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	v.Form = newFilterForm("/financements", "Mots du titre du plan", q.Q, q.Paging, errs)
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("portage", "Portage", "Tous les portages", q.Portage, models.Portages, errs)
	v.Form.sel("epci", "EPCI", "Tous les EPCI", q.EPCI, epcis, errs)
	v.Form.sel("convention", "Convention", "Toutes les conventions", q.Convention, conventions, errs)
	v.Form.sel("annee", "Année", "Toutes les années", q.Annee, years, errs)
	v.Form.Inputs = []formField{placeFilter(placeCommunes, "commune", "Commune", "Son nom, son code INSEE ou son code postal (exemple : Bobigny)",
		q.Commune, errs["commune"])}
	u := newListURL(c, "/financements")
	v.Columns = u.columns("", "", column{Label: "Plan"}, column{Label: "Département"}, column{Label: "Portage"},
		column{Label: "Communes"}, column{Label: "Convention"}, column{Label: "Lignes", Num: true},
		column{Label: "Total prévu", Num: true}, column{Label: "Total réalisé", Num: true})
	v.Pager, v.Exports = newPager(u, v.Page), u.exports()
	return s.renderList(c, "financements/list", "Plans de financement", []crumb{home, financementsCrumb}, v, errs != nil)
}

func (s *Server) exportFinancements(c echo.Context) error {
	_, f, errs := s.financementQuery(c)
	return exportScoped(s, c, "financements", exports.FinancementsTable, f, errs, s.store.EachFinancement, exports.FinancementValues)
}

// financementJSON is a plan in the API: amounts in cents, with its lines and its totals.
type financementJSON struct {
	ID             int64                  `json:"id"`
	Titre          string                 `json:"titre"`
	Departement    string                 `json:"departement"`
	Portage        string                 `json:"portage"`
	Cle            string                 `json:"cle_repartition,omitempty"`
	EPCISiren      *string                `json:"epci_siren"`
	ConventionID   *int64                 `json:"convention_id"`
	Convention     *string                `json:"convention_reference"`
	Communes       []string               `json:"communes"`
	PrevuCentimes  int64                  `json:"prevu_centimes"`
	RealiseCentime int64                  `json:"realise_centimes"`
	Totaux         []financementTotalJSON `json:"totaux"`
	Lignes         []ligneJSON            `json:"lignes"`
	ModifieLe      time.Time              `json:"modifie_le"`
	Version        int                    `json:"version"`
}

type ligneJSON struct {
	ID              int64  `json:"id"`
	Annee           int    `json:"annee"`
	TypeAnnee       string `json:"type_annee"`
	Financeur       string `json:"financeur"`
	Nature          string `json:"nature"`
	Libelle         string `json:"libelle"`
	PrevuCentimes   int64  `json:"prevu_centimes"`
	RealiseCentimes *int64 `json:"realise_centimes"`
	Version         int    `json:"version"`
}

// financementTotalJSON is the total of one year and funder.
type financementTotalJSON struct {
	Annee           int    `json:"annee"`
	TypeAnnee       string `json:"type_annee"`
	Financeur       string `json:"financeur"`
	PrevuCentimes   int64  `json:"prevu_centimes"`
	RealiseCentimes int64  `json:"realise_centimes"`
}

func toFinancementJSON(r models.FinancementRow, lines []models.FinancementLigne) financementJSON {
	out := financementJSON{ID: r.ID, Titre: r.Titre, Departement: r.DepartementCode, Portage: r.Portage, Cle: r.CleRepartition,
		EPCISiren: r.EPCISiren, ConventionID: r.ConventionID, Convention: r.ConventionReference, Communes: r.CommuneCodes,
		PrevuCentimes: r.PrevuCentimes, RealiseCentime: r.RealiseCentimes, ModifieLe: r.UpdatedAt.UTC(), Version: r.Version,
		Lignes: []ligneJSON{}, Totaux: []financementTotalJSON{}}
	if out.Communes == nil {
		out.Communes = []string{}
	}
	for _, l := range lines { // lines come by year, type of year and funder
		out.Lignes = append(out.Lignes, ligneJSON{l.ID, l.Annee, l.TypeAnnee, l.Financeur, l.Nature, l.Libelle, l.PrevuCentimes, l.RealiseCentimes, l.Version})
		n := len(out.Totaux)
		if n == 0 || out.Totaux[n-1].Annee != l.Annee || out.Totaux[n-1].TypeAnnee != l.TypeAnnee || out.Totaux[n-1].Financeur != l.Financeur {
			out.Totaux = append(out.Totaux, financementTotalJSON{Annee: l.Annee, TypeAnnee: l.TypeAnnee, Financeur: l.Financeur})
			n++
		}
		out.Totaux[n-1].PrevuCentimes += l.PrevuCentimes
		if l.RealiseCentimes != nil {
			out.Totaux[n-1].RealiseCentimes += *l.RealiseCentimes
		}
	}
	return out
}

func (s *Server) apiFinancements(c echo.Context) error {
	q, f, errs := s.financementQuery(c)
	if errs != nil {
		return &filterError{Fields: errs}
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	p, err := s.store.ListFinancements(ctx, scope, f, q.request())
	if err != nil {
		return err
	}
	ids := make([]int64, len(p.Items))
	for i, r := range p.Items {
		ids[i] = r.ID
	}
	lines, err := s.store.FinancementLignesOf(ctx, scope, ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newAPIList(p, func(r models.FinancementRow) financementJSON { return toFinancementJSON(r, lines[r.ID]) }))
}

// financementView is one plan's page.
type financementView struct {
	Plan      models.FinancementPlan
	CanWrite  bool
	CanActual bool // the "Montants réalisés" form
	// ShowLineForm: the line form (or why it is closed) is shown under the lines.
	ShowLineForm bool
	Done         string
	History      []models.AuditEvent
	NewLine      ligneFormView
	Chart        financementChart
}

// financementChart is the bar chart of the plan's page, drawn server-side as inline SVG
// (no script: the CSP forbids inline scripts); the table "par année" is its text
// alternative. Positions are precomputed here: templates only display.
type financementChart struct {
	Height int
	Bars   []chartBar
}

// chartBar is one year of the chart: a bar of the planned amount and one of the actual
// amount, widths in percent of the drawing.
type chartBar struct {
	Label, PrevuLabel, RealiseLabel string
	YText, YPrevu, YRealise         int
	WPrevu, WRealise                string
	Known                           bool
}

// Geometry of the chart, in pixels, and the share of the width left to the labels.
const (
	chartRow      = 44
	chartBarH     = 16
	chartLabelPct = 22
)

func newFinancementChart(p models.FinancementPlan) financementChart {
	ch := financementChart{Height: len(p.ByYear)*chartRow + 8}
	width := func(bar int) string {
		return strconv.FormatFloat(float64(bar)*float64(100-chartLabelPct-16)/100, 'f', 2, 64) + "%"
	}
	for i, y := range p.ByYear {
		top := i*chartRow + 4
		ch.Bars = append(ch.Bars, chartBar{Label: y.Label, PrevuLabel: y.PrevuLabel(), RealiseLabel: y.RealiseLabel(),
			YText: top + 22, YPrevu: top, YRealise: top + chartBarH + 2, WPrevu: width(y.BarPrevu), WRealise: width(y.BarRealise), Known: y.Known})
	}
	return ch
}

var financementDone = map[string]string{
	"creation":     "Le plan de financement a été enregistré.",
	"modification": "Les modifications ont été enregistrées.",
	"restauration": "Le plan a été restauré : il apparaît de nouveau dans la liste.",
	"ligne":        "La ligne a été enregistrée.",
	"suppression":  "La ligne a été supprimée.",
	"realises":     "Les montants réalisés ont été enregistrés.",
}

// showFinancement is a plan's page.
func (s *Server) showFinancement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.financementPage(c, http.StatusOK, id, c.QueryParam("fait"), nil)
}

// financementPage renders a plan's page; line is the "add a line" form sent back with its
// errors (nil for an empty form).
func (s *Server) financementPage(c echo.Context, status int, id int64, done string, line *ligneFormView) error {
	ctx, actor := c.Request().Context(), s.actor(c)
	p, err := s.store.GetFinancementPlan(ctx, actor.Scope, id)
	if err != nil {
		return err
	}
	v := financementView{Plan: p, CanWrite: models.CanWriteFinancement(actor, p.Financement),
		CanActual: models.CanSetActualAmounts(actor, p.FinancementRow) && len(p.Lignes) > 0, Done: financementDone[done],
		Chart: newFinancementChart(p)}
	// The years the line form offers: none when the actor adds no line to this plan; a
	// référent on their commune's plan adds the current and next school years' lines.
	years := s.store.LineYears(actor, p.FinancementRow, p.Lignes)
	if line != nil {
		v.NewLine = *line
		if edit := line.Version != ""; (edit && !v.CanWrite) || (!edit && len(years) == 0) {
			v.NewLine.Closed = "Vous pouvez consulter ce plan mais votre rôle ne permet pas d'en modifier les lignes."
		}
	} else {
		v.NewLine = newLigneFormView(id, nil, ligneForm{TypeAnnee: "scolaire"}, nil)
	}
	v.NewLine.Annee.Choices = yearChoices(years, v.NewLine.Annee.Value)
	if v.NewLine.Marche.Choices, err = s.store.MarcheChoicesForPlan(c.Request().Context(), actor.Scope, id); err != nil {
		return err
	}
	if !v.CanWrite && len(years) > 0 {
		v.NewLine.Annee.Hint = models.AnneeLabel(years[0], "scolaire") + " ou " + models.AnneeLabel(years[len(years)-1], "scolaire") +
			" ; les autres années : pilotes et IA-DASEN"
	}
	v.NewLine.CSRF = csrfToken(c)
	v.ShowLineForm = v.CanWrite || len(years) > 0 || v.NewLine.Closed != "" || v.NewLine.Refused != ""
	if v.History, err = s.history(c, "financement", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, status, "financements/show", p.Titre, []crumb{home, financementsCrumb, {Label: p.Titre}}, v)
}

func (s *Server) financementWorkbook(c echo.Context) error {
	id, p, err := pathRecord(s, c, s.store.GetFinancementPlan)
	if err != nil {
		return err
	}
	doc, err := s.exportDocument(c, "Plan de financement — "+p.Titre)
	if err != nil {
		return err
	}
	s.attachment(c, "financement-"+strconv.FormatInt(id, 10)+"-"+p.Titre, doc, "xlsx")
	return exports.FinancementWorkbook(c.Response(), doc, p)
}

// financementArchivesView is the page of archived financing plans.
type financementArchivesView struct {
	Page       models.Page[models.FinancementRow]
	Pager      pager
	CanRestore bool
}

// listArchivedFinancements lists the archived plans of the scope; whoever writes plans
// restores them (the data layer decides plan by plan).
func (s *Server) listArchivedFinancements(c echo.Context) error {
	p, err := s.pageRequest(c)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	page, err := s.store.ListArchivedFinancements(c.Request().Context(), actor.Scope, p)
	if err != nil {
		return err
	}
	v := financementArchivesView{Page: page, Pager: newPager(newListURL(c, "/financements/archives"), page),
		CanRestore: models.CanCreateFinancements(actor)}
	return s.render(c, http.StatusOK, "financements/archives", "Plans de financement archivés",
		[]crumb{home, financementsCrumb, {Label: "Archives"}}, v)
}
