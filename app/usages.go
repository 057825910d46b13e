package app

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The ENT usage figures (/usages, issue 14): per level of the territory, for a month and a
// profile, the accounts loaded and activated, logins and unique visitors with their rates;
// the trend of the last twelve months as a chart and its table; the écoles opened by time
// since opening, and those to watch under a threshold of their pupils. The same filter
// serves the exports (usages_export.go) and the API (usages_api.go). Every role reads the
// figures of its scope; the import is usages_import*.go.

var usagesCrumb = crumb{Label: "Usages de l'ENT", Href: "/usages"}

// usageRowsShown bounds the rows of the table on the page; the export has them all.
const usageRowsShown = 500

// usageQuery is the query string of the page, its exports and its API.
type usageQuery struct {
	Niveau          string `query:"niveau" validate:"omitempty,oneof=academie departement circonscription epci commune ecole"`
	Departement     string `query:"departement" validate:"omitempty,departement"`
	Circonscription string `query:"circonscription" validate:"omitempty,uai"`
	EPCI            string `query:"epci" validate:"omitempty,siren"`
	Commune         string `query:"commune" validate:"max=200,validutf8"` // a name, an INSEE code or a postcode
	Ecole           string `query:"ecole" validate:"max=200,validutf8"`   // a name or a UAI
	Mois            string `query:"mois" validate:"omitempty,len=7,validutf8"`
	Profil          string `query:"profil" validate:"omitempty,oneof=eleve parent enseignant personnel invite"`
	Seuil           string `query:"seuil" validate:"omitempty,numeric,max=3"`
}

// usageRead reads the query into the filter, the threshold of the écoles to watch (the
// configured one by default) and the French messages of its faults.
func (s *Server) usageRead(c echo.Context) (usageQuery, models.UsageFilter, int, map[string]string) {
	var q usageQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	commune, errs := s.placeFilterCode(c, placeCommunes, "commune", q.Commune, errs)
	uai, errs := s.placeFilterCode(c, placeEcoles, "ecole", q.Ecole, errs)
	if errs["mois"] == "" && !models.ValidUsageMonth(q.Mois) {
		errs = withError(errs, "mois", "Mois invalide : choisissez-le dans la liste (AAAA-MM).")
	}
	threshold := s.usageThreshold()
	if q.Seuil != "" && errs["seuil"] == "" {
		if n, err := strconv.Atoi(q.Seuil); err == nil && n >= 1 && n <= 100 {
			threshold = n
		} else {
			errs = withError(errs, "seuil", "Seuil invalide : un pourcentage entre 1 et 100.")
		}
	}
	f := models.UsageFilter{Niveau: q.Niveau, Departement: q.Departement, Circonscription: q.Circonscription,
		EPCI: q.EPCI, Commune: commune, UAI: uai, Mois: q.Mois, Profil: q.Profil}
	if f.Level() == "academie" && q.Niveau == "" {
		// A département's user starts with its circonscriptions, not the one row of its département.
		f.Departement = s.scope(c).SoleDepartement()
	}
	return q, f, threshold, errs
}

// usageThreshold is the configured threshold of the écoles to watch (percent of pupils).
func (s *Server) usageThreshold() int {
	if n := s.cfg.SeuilActivation; n >= 1 && n <= 100 {
		return n
	}
	return models.DefaultUsageThreshold
}

// withError adds a French message to the faults of a query.
func withError(errs map[string]string, field, msg string) map[string]string {
	if errs == nil {
		errs = map[string]string{}
	}
	errs[field] = msg
	return errs
}

// usageView is the usage page.
type usageView struct {
	Form       filterForm
	Errors     map[string]string
	Level      string // what the page shows: "Département", "École"...
	Place      string // the école of the école level
	RowLabel   string // the header of the rows
	Month      string // the month read, in French
	Profil     string // the profile read, "tous les profils" by default
	HasData    bool
	Rows       []usageLine
	Count      int // rows in all
	More       bool
	Total      usageLine
	Trend      []usageLine
	Chart      usageChart
	Openings   []usageLine
	Watch      []usageWatchLine
	WatchTotal int64
	WatchMore  bool
	Threshold  int
	TooMany    bool // too many écoles opened for their tables: a narrower place is asked for
	DetailMax  int
	// OpeningsProfil is the profile of the écoles opened's table: the one chosen, or the
	// pupils (OpeningsPupils) when none is.
	OpeningsProfil string
	OpeningsPupils bool
	Exports        exportLinks
	WatchExport    exportLinks
	CanImport      bool // the reader imports statistics files: links to the import and its history
}

func (s *Server) listUsages(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	q, f, threshold, errs := s.usageRead(c)
	v := usageView{Errors: errs, Threshold: threshold, Level: models.LabelOf(models.UsageLevels, f.Level()),
		RowLabel: models.UsageRowLabels[f.Level()], Profil: "tous les profils", DetailMax: models.UsageDetailMax,
		CanImport: models.CanImportUsages(s.actor(c))}
	if f.Profil != "" {
		v.Profil = "profil " + models.LabelOf(models.UsageProfils, f.Profil)
	}
	var months []string
	if errs == nil {
		if f.UAI != "" {
			name, err := s.store.UsageEcoleName(ctx, scope, f.UAI)
			if err != nil {
				return err
			}
			v.Place = name
		}
		st, err := s.store.Usages(ctx, scope, f, usageRowsShown)
		if err != nil {
			return err
		}
		months = st.Months
		if err := s.usageFigures(c, &v, st, threshold); err != nil {
			return err
		}
	}
	if err := s.usageForm(c, &v.Form, q, months, threshold, errs); err != nil {
		return err
	}
	v.Exports = newListURL(c, "/usages").exports()
	v.WatchExport = newListURL(c, "/usages/a-surveiller").exports()
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "usages/tableau", "Usages de l'ENT", []crumb{home, {Label: "Usages de l'ENT"}}, v)
}

// usageFigures fills the page with the figures read, and the écoles opened of the month.
func (s *Server) usageFigures(c echo.Context, v *usageView, st models.UsageStats, threshold int) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	if len(st.Months) == 0 {
		return nil
	}
	v.HasData, v.Month, v.More = true, monthLabel(st.Filter.Mois), st.More
	level := st.Filter.Level()
	for _, r := range st.Rows {
		line := newUsageLine(r.Label, r.UsageFigures)
		line.Href = usageRowLink(c, level, r)
		if level == "ecole" {
			line.Label = monthLabel(r.Mois) + ", " + r.Label
		}
		v.Rows = append(v.Rows, line)
	}
	v.Count = len(v.Rows)
	v.Total = newUsageLine("Total", st.Total)
	for _, m := range st.Trend {
		v.Trend = append(v.Trend, newUsageLine(monthLabel(m.Mois), m.UsageFigures))
	}
	v.Chart = newUsageChart(st.Trend)
	detailed, err := s.store.UsageDetailed(ctx, scope, st.Filter)
	if err != nil || !detailed {
		v.TooMany = !detailed
		return err
	}
	// The écoles opened are judged on their pupils' accounts unless a profile is chosen: the
	// figures users look at most, and a fifth of the rows to read.
	of := st.Filter
	if of.Profil == "" {
		of.Profil = "eleve"
	}
	v.OpeningsProfil, v.OpeningsPupils = usageProfil(of), st.Filter.Profil == ""
	openings, err := s.store.UsageOpenings(ctx, scope, of)
	if err != nil {
		return err
	}
	for _, o := range openings {
		line := newUsageLine(o.Label, o.UsageFigures)
		line.Ouvertes = o.Ouvertes
		v.Openings = append(v.Openings, line)
	}
	watch, n, err := s.store.UsageWatch(ctx, scope, st.Filter, threshold, models.UsageWatchShown)
	if err != nil {
		return err
	}
	for _, e := range watch {
		v.Watch = append(v.Watch, newUsageWatchLine(e))
	}
	v.WatchTotal, v.WatchMore = n, n > int64(len(watch))
	return nil
}

// usageRowLink is the address of the figures of a row's unit, one level down, keeping the
// month and the profile; the école level's rows have none.
func usageRowLink(c echo.Context, level string, r models.UsageLine) string {
	param := map[string]string{"academie": "departement", "departement": "circonscription", "circonscription": "commune",
		"epci": "commune", "commune": "ecole"}[level]
	if param == "" || r.Code == "" {
		return ""
	}
	q := url.Values{}
	for _, k := range []string{"mois", "profil", "seuil"} {
		if v := c.QueryParam(k); v != "" {
			q.Set(k, v)
		}
	}
	if level == "departement" {
		q.Set("departement", c.QueryParam("departement"))
	}
	q.Set(param, r.Code)
	for k, vs := range q {
		if len(vs) == 0 || vs[0] == "" {
			q.Del(k)
		}
	}
	return "/usages?" + q.Encode()
}

// usageForm fills the filters of the page.
func (s *Server) usageForm(c echo.Context, form *filterForm, q usageQuery, months []string, threshold int, errs map[string]string) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	deps, err := s.store.DepartementChoicesIn(ctx, scope)
	if err != nil {
		return err
	}
	var circos, epcis []models.Choice
	if errs["departement"] == "" {
		if circos, err = s.store.CirconscriptionChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
		if epcis, err = s.store.EPCIChoices(ctx, scope, q.Departement); err != nil {
			return err
		}
	}
	monthChoices := make([]models.Choice, len(months))
	for i, m := range months {
		monthChoices[i] = models.Choice{Value: m, Label: monthLabel(m)}
	}
	*form = filterForm{Action: "/usages"}
	form.sel("niveau", "Niveau", "Selon le lieu choisi", q.Niveau, models.UsageLevels, errs)
	form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	form.sel("circonscription", "Circonscription", "Toutes les circonscriptions", q.Circonscription, circos, errs)
	form.sel("epci", "EPCI ou EPT", "Tous les EPCI et EPT", q.EPCI, epcis, errs)
	form.sel("mois", "Mois", "Le dernier mois connu", q.Mois, nonNil(monthChoices), errs)
	form.sel("profil", "Profil", "Tous les profils", q.Profil, models.UsageProfils, errs)
	form.Inputs = append(form.Inputs,
		placeFilter(placeCommunes, "commune", "Commune", "Son nom, son code INSEE ou son code postal (ex. montreuil, 93048)",
			q.Commune, errs["commune"]),
		placeFilter(placeEcoles, "ecole", "École", "Son nom ou son UAI (ex. 0930388S)", q.Ecole, errs["ecole"]),
		formField{ID: "filtre-seuil", Name: "seuil", Label: "Seuil d'activation des élèves (%)",
			Hint: "Écoles à surveiller : ouvertes depuis 3 mois, sous ce pourcentage de leurs élèves (défaut " +
				strconv.Itoa(s.usageThreshold()) + ")",
			Type: "number", Value: strconv.Itoa(threshold), Error: errs["seuil"]})
	return nil
}
