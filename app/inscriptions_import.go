package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
)

// Import of a registration or attendance list into a session: an Excel workbook or a
// French CSV file (UTF-8 with or without BOM, « ; ») with the columns nom, fonction, uai,
// effectif, presence. The upload is previewed (nothing written, every line's outcome or
// fault), then confirmed all or nothing. Files are small: under the ordinary form limit
// (1 Mo), 1000 rows at most.

const maxInscriptionImportRows = 1000

// inscriptionImportColumns are the columns of a list and the header names accepted.
var inscriptionImportColumns = map[string][]string{
	"nom": {"nom", "nom_et_prenom", "participant"}, "fonction": {"fonction"}, "uai": {"uai", "ecole", "code_uai"},
	"effectif": {"effectif", "presents", "nombre"}, "presence": {"presence", "presences"},
}

type inscriptionImportView struct {
	F            models.FormationRow
	Base, Mode   string
	Error        string
	Faults       []string
	Preview      *models.InscriptionImport
	Lot          string
	Modes        []models.Choice
	FileName     string
	Done, Refuse bool
}

var inscriptionImportModes = []models.Choice{{Value: models.ImportInscriptions, Label: "Liste d'inscription"},
	{Value: models.ImportPresences, Label: "Liste de présence"}}

func (s *Server) inscriptionImportPage(c echo.Context, status int, v inscriptionImportView) error {
	id, row, err := pathRecord(s, c, s.store.GetFormation)
	if err != nil {
		return err
	}
	ok, err := s.store.CanRegister(c.Request().Context(), s.actor(c), id)
	if err != nil {
		return err
	}
	if !ok {
		return models.ErrForbidden
	}
	v.F, v.Base, v.Modes = row, "/formations/"+strconv.FormatInt(id, 10), inscriptionImportModes
	if v.Mode == "" {
		v.Mode = models.ImportInscriptions
	}
	crumbs := []crumb{home, formationsCrumbIns, {Label: row.Titre(), Href: v.Base}, {Label: "Import"}}
	return s.render(c, status, "formations/inscriptions_import", "Importer une liste — "+row.Titre(), crumbs, v)
}

func (s *Server) showInscriptionImport(c echo.Context) error {
	return s.inscriptionImportPage(c, http.StatusOK, inscriptionImportView{})
}

// previewInscriptionImport reads the uploaded file and shows what importing it would do.
func (s *Server) previewInscriptionImport(c echo.Context) error {
	v := inscriptionImportView{Mode: c.FormValue("mode")}
	fh, err := c.FormFile("fichier")
	if err != nil {
		v.Error = "Choisissez un fichier (.xlsx ou .csv)."
		return s.inscriptionImportPage(c, http.StatusUnprocessableEntity, v)
	}
	v.FileName = fh.Filename
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	lines, err := readInscriptionList(data)
	if err != nil {
		v.Error = "Fichier refusé : " + err.Error() + " ; rien n'a été enregistré."
		return s.inscriptionImportPage(c, http.StatusUnprocessableEntity, v)
	}
	return s.runInscriptionImport(c, v, lines, false)
}

// confirmInscriptionImport applies the previewed lines, all or nothing.
func (s *Server) confirmInscriptionImport(c echo.Context) error {
	v := inscriptionImportView{Mode: c.FormValue("mode")}
	var lines []models.InscriptionLine
	raw, err := base64.StdEncoding.DecodeString(c.FormValue("lot"))
	if err != nil || json.Unmarshal(raw, &lines) != nil || len(lines) > maxInscriptionImportRows {
		v.Error = "Lot illisible : importez le fichier à nouveau ; rien n'a été enregistré."
		return s.inscriptionImportPage(c, http.StatusBadRequest, v)
	}
	return s.runInscriptionImport(c, v, lines, true)
}

// runInscriptionImport previews or applies lines and answers the page.
func (s *Server) runInscriptionImport(c echo.Context, v inscriptionImportView, lines []models.InscriptionLine, apply bool) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	res, err := s.store.ImportInscriptionList(c.Request().Context(), s.actor(c), id, v.Mode, lines, apply)
	var verr *models.ValidationError
	switch {
	case errors.As(err, &verr):
		v.Error = "Rien n'a été enregistré : corrigez les lignes signalées puis importez le fichier à nouveau."
		for _, fe := range verr.Errors {
			v.Faults = append(v.Faults, fe.Error())
		}
		return s.inscriptionImportPage(c, http.StatusUnprocessableEntity, v)
	case err != nil:
		return err
	case apply:
		return c.Redirect(http.StatusSeeOther, "/formations/"+strconv.FormatInt(id, 10)+"/inscriptions?fait=import")
	}
	raw, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	v.Preview, v.Lot = &res, base64.StdEncoding.EncodeToString(raw)
	return s.inscriptionImportPage(c, http.StatusOK, v)
}

// readInscriptionList reads a workbook (first sheet) or a French CSV file into lines; a
// whole-file refusal is a French error.
func readInscriptionList(data []byte) ([]models.InscriptionLine, error) {
	var header []string
	var rows [][]string
	var lineNos []int
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 16 << 20, UnzipXMLSizeLimit: 8 << 20})
		if err != nil {
			return nil, errors.New("classeur illisible")
		}
		defer wb.Close()
		all, err := wb.GetRows(wb.GetSheetName(0))
		if err != nil || len(all) == 0 {
			return nil, errors.New("le classeur est vide")
		}
		header, rows = all[0], all[1:]
		for i := range rows {
			lineNos = append(lineNos, i+2)
		}
	} else {
		f, err := seeds.ReadCSV(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		header = f.Header()
		for {
			rec, err := f.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			row := make([]string, len(header))
			for i, h := range header {
				row[i] = rec.Get(h)
			}
			rows, lineNos = append(rows, row), append(lineNos, rec.Line)
		}
	}
	return inscriptionLines(header, rows, lineNos)
}

// inscriptionLines finds the columns by name and reads the rows, at the lines lineNos of
// the file (the header is line 1).
func inscriptionLines(header []string, rows [][]string, lineNos []int) ([]models.InscriptionLine, error) {
	col := map[string]int{}
	for i, h := range header {
		for key, names := range inscriptionImportColumns {
			for _, n := range names {
				if seeds.NormalizeHeader(h) == n {
					if _, seen := col[key]; !seen {
						col[key] = i
					}
				}
			}
		}
	}
	_, nom := col["nom"]
	if _, uai := col["uai"]; !nom && !uai {
		return nil, errors.New("ligne 1 : l'en-tête doit nommer les colonnes nom;fonction;uai;effectif;presence")
	}
	if len(rows) > maxInscriptionImportRows {
		return nil, errors.New("fichier trop long : 1000 lignes au plus")
	}
	var out []models.InscriptionLine
	for n, r := range rows {
		cell := func(key string) string {
			if i, ok := col[key]; ok && i < len(r) {
				return r[i]
			}
			return ""
		}
		l := models.InscriptionLine{Line: lineNos[n], Nom: cell("nom"), Fonction: cell("fonction"), UAI: cell("uai"),
			Effectif: cell("effectif"), Presence: cell("presence")}
		if l.Nom+l.Fonction+l.UAI+l.Effectif+l.Presence == "" {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, errors.New("le fichier n'a aucune ligne de données")
	}
	return out, nil
}
