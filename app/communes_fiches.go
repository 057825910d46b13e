package app

import (
	"archive/zip"
	"net/http"
	"strconv"
	"strings"

	"github.com/ac-creteil/pilotage/exports"
	"github.com/ac-creteil/pilotage/models"
	"github.com/labstack/echo/v4"
)

// The fiches of communes as workbooks: one commune's (/communes/:code/fiche.xlsx), and a
// batch (/communes/fiches.xlsx) of a département, an EPCI or a list of communes, chosen on
// /communes/fiches: a summary sheet and one sheet per commune.

// fichesQuery is the choice of a batch.
type fichesQuery struct {
	Departement string `query:"departement" validate:"omitempty,departement"`
	EPCI        string `query:"epci" validate:"omitempty,numeric,len=9"`
	Communes    string `query:"communes" validate:"max=10000,validutf8"`
}

// filter reads the choice; errs says in French what is wrong, next to the field.
func (s *Server) fichesQuery(c echo.Context) (fichesQuery, models.FichesFilter, map[string]string) {
	var q fichesQuery
	bindQuery(c, &q)
	errs := fieldErrors(s.valid, q)
	f := models.FichesFilter{Departement: q.Departement, EPCI: q.EPCI}
	for _, code := range strings.FieldsFunc(strings.ToUpper(q.Communes), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }) {
		if !models.ValidINSEE(code) {
			if errs == nil {
				errs = map[string]string{}
			}
			errs["communes"] = "« " + code + " » n'est pas un code INSEE (exemple : 93008) : séparez les codes par des virgules."
			break
		}
		f.Communes = append(f.Communes, code)
	}
	if errs == nil && f.Departement == "" && f.EPCI == "" && f.Communes == nil {
		errs = map[string]string{"departement": "Choisissez un département, un EPCI ou des communes."}
	}
	return q, f, errs
}

// fichesView is the form of a batch.
type fichesView struct {
	Form   filterForm
	Errors map[string]string
	Q      fichesQuery
}

func (s *Server) showFichesForm(c echo.Context) error {
	q, _, errs := s.fichesQuery(c)
	if c.QueryString() == "" {
		errs = nil
	}
	return s.fichesForm(c, q, errs)
}

// fichesForm renders the form of a batch with the errors next to their fields (400).
func (s *Server) fichesForm(c echo.Context, q fichesQuery, errs map[string]string) error {
	ctx, scope := c.Request().Context(), s.scope(c)
	deps, err := s.store.DepartementChoicesIn(ctx, scope)
	if err != nil {
		return err
	}
	epcis, err := s.store.EPCIChoices(ctx, scope, q.Departement)
	if err != nil {
		return err
	}
	v := fichesView{Errors: errs, Q: q, Form: filterForm{Action: "/communes/fiches.xlsx"}}
	v.Form.sel("departement", "Département", "Tous les départements", q.Departement, deps, errs)
	v.Form.sel("epci", "EPCI ou EPT", "Tous", q.EPCI, epcis, errs)
	status := http.StatusOK
	if errs != nil {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "communes/fiches", "Fiches des communes",
		[]crumb{home, {Label: "Communes", Href: "/communes"}, {Label: "Fiches des communes"}}, v)
}

// fichesCodes reads the choice of a batch and the communes it holds within the scope; when
// the choice is wrong or holds none, it renders the form with the French message (done).
func (s *Server) fichesCodes(c echo.Context) (f models.FichesFilter, codes []string, done bool, err error) {
	q, f, errs := s.fichesQuery(c)
	if errs == nil {
		if codes, err = s.store.FicheCodes(c.Request().Context(), s.scope(c), f); err != nil {
			return f, nil, true, err
		}
		if len(codes) == 0 {
			errs = map[string]string{"departement": "Aucune commune de votre périmètre ne correspond à ce choix."}
		}
	}
	if errs != nil {
		return f, nil, true, s.fichesForm(c, q, errs)
	}
	return f, codes, false, nil
}

// exportFiches writes the batch: every commune of the choice within the scope.
func (s *Server) exportFiches(c echo.Context) error {
	f, codes, done, err := s.fichesCodes(c)
	if done {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	fiches := make([]models.FicheCommune, 0, len(codes))
	for _, code := range codes {
		fiche, err := s.store.FicheOf(ctx, scope, code)
		if err != nil {
			return err
		}
		fiches = append(fiches, fiche)
	}
	doc, err := s.exportDocument(c, "Fiches des communes")
	if err != nil {
		return err
	}
	doc.Filters = fichesFilters(f, len(fiches))
	s.attachment(c, "fiches-communes", doc, "xlsx")
	return exports.FichesWorkbook(c.Response(), doc, fiches)
}

// fichesFilters are the choice of a batch, in French, for its title block.
func fichesFilters(f models.FichesFilter, n int) []exports.Field {
	out := []exports.Field{{Label: "Communes", Value: strconv.Itoa(n)}}
	if f.Departement != "" {
		out = append(out, exports.Field{Label: "Département", Value: f.Departement})
	}
	if f.EPCI != "" {
		out = append(out, exports.Field{Label: "EPCI ou EPT", Value: f.EPCI})
	}
	return out
}

// exportFicheCommune writes one commune's fiche as a workbook.
func (s *Server) exportFicheCommune(c echo.Context) error {
	code := c.Param("code")
	if !models.ValidINSEE(code) {
		return models.ErrNotFound
	}
	f, err := s.store.FicheOf(c.Request().Context(), s.scope(c), code)
	if err != nil {
		return err
	}
	doc, err := s.exportDocument(c, "Fiche de "+f.Commune.Nom)
	if err != nil {
		return err
	}
	s.attachment(c, "fiche-"+code+"-"+f.Commune.Nom, doc, "xlsx")
	return exports.FichesWorkbook(c.Response(), doc, []models.FicheCommune{f})
}

// exportFichesZIP writes the batch as a ZIP of one workbook per commune, named after it
// (fiche-93008-bobigny.xlsx), each sent as soon as it is written: the browser's download
// shows the batch advancing, commune after commune. A failure midway leaves the archive
// cut short (the headers are gone): it is logged.
func (s *Server) exportFichesZIP(c echo.Context) error {
	f, codes, done, err := s.fichesCodes(c)
	if done {
		return err
	}
	ctx, scope := c.Request().Context(), s.scope(c)
	doc, err := s.exportDocument(c, "Fiches des communes")
	if err != nil {
		return err
	}
	doc.Filters = fichesFilters(f, len(codes))
	s.attachment(c, "fiches-communes", doc, "zip")
	c.Response().Header().Set(echo.HeaderContentType, "application/zip")
	z := zip.NewWriter(c.Response())
	for _, code := range codes {
		fiche, err := s.store.FicheOf(ctx, scope, code)
		if err != nil {
			return err
		}
		one := doc
		one.Title, one.Filters = "Fiche de "+fiche.Commune.Nom, nil
		w, err := z.CreateHeader(&zip.FileHeader{Name: exports.SafeFileName("fiche "+code+" "+fiche.Commune.Nom) + ".xlsx",
			Method: zip.Deflate, Modified: doc.At})
		if err != nil {
			return err
		}
		if err := exports.FichesWorkbook(w, one, []models.FicheCommune{fiche}); err != nil {
			return err
		}
		if err := z.Flush(); err != nil {
			return err
		}
		c.Response().Flush()
	}
	return z.Close()
}
