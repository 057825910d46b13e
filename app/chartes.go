package app

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
	"github.com/microcosm-cc/bluemonday"
	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/yuin/goldmark"
)

// The charter: its versions (list, page, form, diff), the coverage of the current version,
// and the API. Adoptions are in adoptions.go. Who may write is decided by the data layer
// (models.CanWriteCharte); the pages only show the buttons it allows.

var chartesCrumb = crumb{Label: "Charte", Href: "/chartes"}

// ugcPolicy removes from rendered Markdown what a user may not inject: scripts, event
// handlers, javascript: links.
var ugcPolicy = bluemonday.UGCPolicy()

// markdown renders Markdown safely: goldmark drops raw HTML, bluemonday sanitises the rest.
func markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(ugcPolicy.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised just above
}

// renderedSection is one section of a version as the page shows it.
type renderedSection struct {
	Key, Title string
	HTML       template.HTML
}

func renderSections(v models.CharteVersion) []renderedSection {
	out := make([]renderedSection, 0, len(models.CharteSectionKeys))
	for _, k := range models.CharteSectionKeys {
		out = append(out, renderedSection{Key: k.Value, Title: k.Label, HTML: markdown(v.Section(k.Value))})
	}
	return out
}

type chartesView struct {
	Versions []models.CharteVersion
	CanWrite bool
	DiffFrom string
	DiffTo   string
}

func (s *Server) listChartes(c echo.Context) error {
	actor := s.actor(c)
	vs, err := s.store.ListChartes(c.Request().Context(), actor.Scope, false)
	if err != nil {
		return err
	}
	v := chartesView{Versions: vs, CanWrite: models.CanWriteCharte(actor)}
	if len(vs) > 1 {
		v.DiffFrom, v.DiffTo = strconv.FormatInt(vs[1].ID, 10), strconv.FormatInt(vs[0].ID, 10)
	}
	return s.render(c, http.StatusOK, "chartes/list", "Charte des ENT", []crumb{home, {Label: "Charte"}}, v)
}

type charteView struct {
	Version  models.CharteVersion
	Sections []renderedSection
	CanWrite bool
	Done     string
	History  []models.AuditEvent
}

func (s *Server) showCharte(c echo.Context) error {
	id, ver, err := pathRecord(s, c, s.store.GetCharte)
	if err != nil {
		return err
	}
	actor := s.actor(c)
	v := charteView{Version: ver, Sections: renderSections(ver), CanWrite: models.CanWriteCharte(actor)}
	if f := c.QueryParam("fait"); f == "creation" || f == "modification" {
		v.Done = "La version a été enregistrée."
	}
	if v.History, err = s.history(c, "charte", strconv.FormatInt(id, 10)); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "chartes/show", ver.Label(), []crumb{home, chartesCrumb, {Label: ver.Label()}}, v)
}

// charteForm is the version form; sections are bound by their keys.
type charteForm struct {
	Numero   string `form:"numero"`
	Date     string `form:"date"`
	Statut   string `form:"statut"`
	Version  string `form:"version"`
	Sections map[string]string
}

func bindCharteForm(c echo.Context) (charteForm, error) {
	var f charteForm
	if err := c.Bind(&f); err != nil {
		return f, echo.NewHTTPError(http.StatusBadRequest)
	}
	f.Sections = map[string]string{}
	for _, k := range models.CharteSectionKeys {
		f.Sections[k.Value] = c.FormValue(k.Value)
	}
	return f, nil
}

func (f charteForm) input() models.CharteInput {
	return models.CharteInput{Numero: f.Numero, Date: f.Date, Statut: f.Statut, Sections: f.Sections}
}

func charteFormOf(v models.CharteVersion) charteForm {
	f := charteForm{Numero: v.Numero, Date: fr.Day(v.DateVersion), Statut: v.Statut,
		Version: strconv.Itoa(v.Version), Sections: map[string]string{}}
	for _, s := range v.Sections {
		f.Sections[s.Cle] = s.Texte
	}
	return f
}

type charteFormView struct {
	Heading, Action, Cancel, Submit, Closed, Version string
	HasErrors                                        bool
	Conflict                                         string
	Numero, Date                                     formField
	Statut                                           selectField
	Sections                                         []formField
}

func (s *Server) charteFormPage(c echo.Context, status int, ver *models.CharteVersion, f charteForm, errs map[string]string, conflict string) error {
	actor := s.actor(c)
	v := charteFormView{Heading: "Nouvelle version de la charte", Action: "/chartes", Cancel: "/chartes", Submit: "Créer la version",
		Version: f.Version, HasErrors: len(errs) > 0, Conflict: conflict}
	crumbs := []crumb{home, chartesCrumb, {Label: "Nouvelle version"}}
	if ver != nil {
		href := "/chartes/" + strconv.FormatInt(ver.ID, 10)
		v.Heading, v.Action, v.Cancel, v.Submit = "Modifier la "+strings.ToLower(ver.Label()[:1])+ver.Label()[1:], href, href, "Enregistrer"
		crumbs = []crumb{home, chartesCrumb, {Label: ver.Label(), Href: href}, {Label: "Modifier"}}
	}
	if !models.CanWriteCharte(actor) {
		v.Closed = "Votre rôle (" + actor.Role.Label() + ") permet de consulter la charte, pas de la modifier : seuls l'administrateur et les pilotes académiques enregistrent ses versions."
	}
	field := func(name, label, hint, typ string) formField {
		return formField{ID: "charte-" + strings.ReplaceAll(name, "_", "-"), Name: name, Label: label, Hint: hint, Type: typ,
			Value: f.Sections[name], Error: errs[name]}
	}
	v.Numero = field("numero", "Numéro", "Exemple : 2", "text")
	v.Numero.Value = f.Numero
	v.Date = field("date", "Date de la version", "Format JJ/MM/AAAA", "text")
	v.Date.Value = f.Date
	v.Statut = selectField{ID: "charte-statut", Name: "statut", Label: "Statut", All: "Choisir un statut", Value: f.Statut,
		Error: errs["statut"], Choices: models.CharteStatuts,
		Hint: "Adopter une version par le COPIL marque « remplacée » la version adoptée jusque-là."}
	for _, k := range models.CharteSectionKeys {
		v.Sections = append(v.Sections, field(k.Value, k.Label, "En Markdown", ""))
	}
	return s.render(c, closedStatus(status, v.Closed), "chartes/form", v.Heading, crumbs, v)
}

func (s *Server) newCharte(c echo.Context) error {
	return s.charteFormPage(c, http.StatusOK, nil, charteForm{Statut: models.CharteProjet, Date: fr.ParisDay(time.Now())}, nil, "")
}

func (s *Server) createCharte(c echo.Context) error {
	f, err := bindCharteForm(c)
	if err != nil {
		return err
	}
	ver, err := s.store.CreateCharte(c.Request().Context(), s.actor(c), f.input())
	return formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.charteFormPage(c, status, nil, f, errs, "")
	}, Redirect: "/chartes/" + strconv.FormatInt(ver.ID, 10) + "?fait=creation"}.saved(c, err)
}

func (s *Server) editCharte(c echo.Context) error {
	_, ver, err := pathRecord(s, c, s.store.GetCharte)
	if err != nil {
		return err
	}
	return s.charteFormPage(c, http.StatusOK, &ver, charteFormOf(ver), nil, "")
}

// updateCharte saves an edit: 409 on a stale version, 422 on field errors, 403 for the roles
// that only read.
func (s *Server) updateCharte(c echo.Context) error {
	id, ver, err := pathRecord(s, c, s.store.GetCharte)
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), s.actor(c)
	f, err := bindCharteForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateCharte(ctx, actor, id, formVersion(f.Version), f.input())
	return updated(c, err, ver, func(ce *models.ConflictError, current models.CharteVersion) error {
		msg := "Cette version a été modifiée par " + conflictBy(ce) + " depuis l'ouverture de votre formulaire : rien n'a été enregistré. Le formulaire montre les valeurs actuelles."
		return s.charteFormPage(c, http.StatusConflict, &current, charteFormOf(current), nil, msg)
	}, formAnswer{Form: func(status int, errs map[string]string, _ string) error {
		return s.charteFormPage(c, status, &ver, f, errs, "")
	}, Redirect: "/chartes/" + strconv.FormatInt(id, 10) + "?fait=modification"})
}

// diffPart is a piece of a section's diff: unchanged, inserted or deleted text.
type diffPart struct {
	Text              string
	Inserted, Deleted bool
}

type diffSection struct {
	Title   string
	Parts   []diffPart
	Changed bool
}

type diffView struct {
	From, To             models.CharteVersion
	FromSelect, ToSelect selectField
	Sections             []diffSection
}

// sectionDiff compares two texts word by word (diff-match-patch on words).
func sectionDiff(a, b string) ([]diffPart, bool) {
	dmp := diffmatchpatch.New()
	wa, wb, words := dmp.DiffLinesToRunes(splitWords(a), splitWords(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(wa, wb, false), words)
	var out []diffPart
	changed := false
	for _, d := range diffs {
		text := strings.ReplaceAll(strings.ReplaceAll(d.Text, "\n", ""), "\x01", "\n")
		p := diffPart{Text: text, Inserted: d.Type == diffmatchpatch.DiffInsert, Deleted: d.Type == diffmatchpatch.DiffDelete}
		changed = changed || p.Inserted || p.Deleted
		out = append(out, p)
	}
	return out, changed
}

// splitWords puts each word and each run of spaces on its own "line", so that the line
// diff of diff-match-patch becomes a word diff.
func splitWords(s string) string {
	var b strings.Builder
	space := false
	for i, r := range s {
		isSpace := r == ' ' || r == '\n' || r == '\t'
		if i > 0 && isSpace != space {
			b.WriteByte('\x00')
		}
		space = isSpace
		b.WriteRune(r)
	}
	return strings.ReplaceAll(strings.ReplaceAll(b.String(), "\n", "\x01"), "\x00", "\n")
}

func (s *Server) diffChartes(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	choices, err := s.store.CharteChoices(ctx)
	if err != nil {
		return err
	}
	de, a := c.QueryParam("de"), c.QueryParam("a")
	v := diffView{
		FromSelect: selectField{ID: "diff-de", Name: "de", Label: "Version de départ", All: "Choisir", Value: de, Choices: choices},
		ToSelect:   selectField{ID: "diff-a", Name: "a", Label: "Version d'arrivée", All: "Choisir", Value: a, Choices: choices},
	}
	crumbs := []crumb{home, chartesCrumb, {Label: "Comparer deux versions"}}
	if de == "" || a == "" {
		return s.render(c, http.StatusOK, "chartes/diff", "Comparer deux versions", crumbs, v)
	}
	from, err1 := strconv.ParseInt(de, 10, 64)
	to, err2 := strconv.ParseInt(a, 10, 64)
	if err1 != nil || err2 != nil {
		return models.ErrNotFound
	}
	if v.From, err = s.store.GetCharte(ctx, scope, from); err != nil {
		return err
	}
	if v.To, err = s.store.GetCharte(ctx, scope, to); err != nil {
		return err
	}
	for _, k := range models.CharteSectionKeys {
		parts, changed := sectionDiff(v.From.Section(k.Value), v.To.Section(k.Value))
		v.Sections = append(v.Sections, diffSection{Title: k.Label, Parts: parts, Changed: changed})
	}
	return s.render(c, http.StatusOK, "chartes/diff", "Comparer deux versions", crumbs, v)
}

// coverageLine is one row of the coverage table, shares formatted in French.
type coverageLine struct {
	models.CoverageRow
	CommunesPct, ElevesPct string
}

func newCoverageLine(r models.CoverageRow) coverageLine {
	return coverageLine{CoverageRow: r, CommunesPct: fr.PercentOf(r.CommunesCovered, r.Communes), ElevesPct: fr.PercentOf(r.ElevesCovered, r.Eleves)}
}

// coverageView is the coverage page.
type coverageView struct {
	NoVersion bool
	Coverage  models.Coverage
	Lines     []coverageLine
	Total     coverageLine
	Uncovered models.Page[models.UncoveredCommune]
	Pager     pager
	Form      filterForm
	Export    string
	ExportCSV string // the uncovered communes in CSV
}

type coverageQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	Paging
}

func (s *Server) showCoverage(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	var q coverageQuery
	bindQuery(c, &q)
	if errs := fieldErrors(s.valid, q); errs != nil {
		return &filterError{Fields: errs}
	}
	v := coverageView{}
	cov, err := s.store.CoverageOf(ctx, scope)
	switch {
	case errors.Is(err, models.ErrNotFound):
		v.NoVersion = true
	case err != nil:
		return err
	}
	v.Coverage = cov
	for _, d := range cov.Departements {
		v.Lines = append(v.Lines, newCoverageLine(d))
	}
	v.Total = newCoverageLine(cov.Total)
	if v.Uncovered, err = s.store.ListUncovered(ctx, scope, q.Departement, q.request()); err != nil {
		return err
	}
	deps, err := s.store.DepartementChoices(ctx, scope)
	if err != nil {
		return err
	}
	u := newListURL(c, "/chartes/couverture")
	v.Pager, v.Export, v.ExportCSV = newPager(u, v.Uncovered), u.as("/chartes/couverture.xlsx"), u.as("/chartes/couverture.csv")
	v.Form = filterForm{Action: "/chartes/couverture", PerPage: q.PerPage}
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, nil)
	return s.render(c, http.StatusOK, "chartes/coverage", "Couverture de la charte", []crumb{home, chartesCrumb, {Label: "Couverture"}}, v)
}

func (s *Server) exportCoverage(c echo.Context) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	var q coverageQuery
	bindQuery(c, &q)
	if errs := fieldErrors(s.valid, q); errs != nil {
		return &filterError{Fields: errs}
	}
	each := func(fn func(models.UncoveredCommune) error) error {
		return s.store.EachUncovered(ctx, scope, q.Departement, fn)
	}
	if isCSV(c) { // the CSV is the list of the page: the communes not covered
		return s.sendExport(c, "communes-non-couvertes", exports.UncoveredTable, func(w exports.RowWriter) error {
			return each(func(u models.UncoveredCommune) error { return w.WriteRow(exports.UncoveredValues(u)...) })
		})
	}
	cov, err := s.store.CoverageOf(ctx, scope)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	doc, err := s.exportDocument(c, exports.CoverageTitle)
	if err != nil {
		return err
	}
	s.attachment(c, "couverture-charte", doc, "xlsx")
	return exports.WriteCoverageXLSX(c.Response(), doc, cov, each)
}

// charteJSON is a version in the API.
type charteJSON struct {
	ID       int64             `json:"id"`
	Numero   string            `json:"numero"`
	Date     string            `json:"date"`
	Statut   string            `json:"statut"`
	Sections map[string]string `json:"sections"`
	Version  int               `json:"version"`
}

func (s *Server) apiChartes(c echo.Context) error {
	vs, err := s.store.ListChartes(c.Request().Context(), s.scope(c), true)
	if err != nil {
		return err
	}
	p := models.Page[models.CharteVersion]{Items: vs, Total: int64(len(vs)), Number: 1, Size: max(len(vs), 1)}
	return c.JSON(http.StatusOK, newAPIList(p, func(v models.CharteVersion) charteJSON {
		j := charteJSON{ID: v.ID, Numero: v.Numero, Date: v.DateVersion.UTC().Format(time.DateOnly), Statut: v.Statut,
			Sections: map[string]string{}, Version: v.Version}
		for _, sec := range v.Sections {
			j.Sections[sec.Cle] = sec.Texte
		}
		return j
	}))
}
