package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// Import of the ENT's statistics files: the form (/usages/import), the preview of an
// uploaded file (POST, nothing written: periods, écoles, rows skipped by reason with their
// lines, faults), its confirmation (POST /usages/import/confirmer: all or nothing, through
// models.ImportUsages) which leads to the history (app/usages_imports.go).

// usagesImportPath is the URL of the import; its POST routes are uploads (app/bodies.go).
const usagesImportPath = "/usages/import"

var usagesImportCrumbs = []crumb{home, {Label: "Usages de l'ENT", Href: "/usages"}}

// usageImportFormView is the import page: the refusal of a file, if any.
type usageImportFormView struct {
	Action string
	Error  string
}

// usageImportPreviewView is the preview page of a statistics file.
type usageImportPreviewView struct {
	Report              models.UsageImportReport
	FileName, Periode   string
	Periodes            []string
	Lignes, Ecoles      string
	Remplacees, Ignores string
	Groups              []models.UsageSkipGroup
	Errors              []string
	MoreErrors          int
	Action, Lot         string
}

// mayImportUsages refuses the import to those who import no statistics.
func mayImportUsages(actor models.Actor) error {
	if !models.CanImportUsages(actor) {
		return models.ErrForbidden
	}
	return nil
}

// showUsageImport is the import form.
func (s *Server) showUsageImport(c echo.Context) error {
	if err := mayImportUsages(s.actor(c)); err != nil {
		return err
	}
	return s.renderUsageImportForm(c, http.StatusOK, "")
}

func (s *Server) renderUsageImportForm(c echo.Context, status int, msg string) error {
	return s.render(c, status, "usages/import", "Importer les statistiques de l'ENT",
		append(usagesImportCrumbs, crumb{Label: "Import"}), usageImportFormView{Action: usagesImportPath, Error: msg})
}

// previewUsageImport reads the uploaded file and shows what importing it would do.
func (s *Server) previewUsageImport(c echo.Context) error {
	actor := s.actor(c)
	if err := mayImportUsages(actor); err != nil {
		return err
	}
	fh, err := c.FormFile("fichier")
	if err != nil {
		return s.renderUsageImportForm(c, http.StatusUnprocessableEntity, "Choisissez un fichier (export CSV de l'application « Statistiques » de l'ENT).")
	}
	if fh.Size > seeds.MaxUsagesFileSize {
		return s.renderUsageImportForm(c, http.StatusUnprocessableEntity, "Fichier refusé : "+seeds.ErrUsagesTooLarge.Error()+".")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, seeds.MaxUsagesFileSize+1))
	if err != nil {
		return err
	}
	return s.previewUsageData(c, actor, usageFileName(fh.Filename), data)
}

// usageFileName is the name of an uploaded file as the history keeps it.
func usageFileName(name string) string {
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" || name == "." || name == "/" {
		return "fichier.csv"
	}
	return name
}

// readUsageData reads a statistics file; a whole-file refusal is a French message.
func readUsageData(name string, data []byte) (*models.UsageFile, string) {
	file, err := seeds.ReadUsagesFile(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return nil, "Fichier refusé : " + strings.TrimSuffix(err.Error(), ".") + "."
	}
	return file, ""
}

// previewUsageData previews the file data for the actor.
func (s *Server) previewUsageData(c echo.Context, actor models.Actor, name string, data []byte) error {
	file, msg := readUsageData(name, data)
	if file == nil {
		return s.renderUsageImportForm(c, http.StatusUnprocessableEntity, msg)
	}
	rep, err := s.store.PreviewUsages(c.Request().Context(), actor, file)
	if err != nil {
		return err
	}
	v := newUsagePreview(name, rep)
	if rep.Applicable() {
		if v.Lot, err = encodeUsageLot(data); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "usages/import_apercu", "Aperçu de l'import des statistiques",
		append(usagesImportCrumbs, crumb{Label: "Import", Href: usagesImportPath}, crumb{Label: "Aperçu"}), v)
}

// newUsagePreview builds the preview page of a report.
func newUsagePreview(name string, rep models.UsageImportReport) usageImportPreviewView {
	v := usageImportPreviewView{Report: rep, FileName: name, Action: usagesImportPath + "/confirmer",
		Lignes: fr.Int(rep.Lignes), Ecoles: fr.Int(rep.Ecoles), Remplacees: fr.Int(rep.Remplacees),
		Ignores: fr.Int(len(rep.Ignorees)), Groups: rep.SkipGroups()}
	for _, p := range rep.Periodes {
		v.Periodes = append(v.Periodes, usagePeriodLabel(p, rep.Granularite))
	}
	if n := len(v.Periodes); n > 0 {
		v.Periode = v.Periodes[0]
		if n > 1 {
			v.Periode = "de " + v.Periodes[0] + " à " + v.Periodes[n-1]
		}
	}
	for i, fe := range rep.Errors {
		if i >= importShown {
			v.MoreErrors = len(rep.Errors) - importShown
			break
		}
		v.Errors = append(v.Errors, fe.Error())
	}
	return v
}

// usagePeriodLabel writes a period by its granularity: "novembre 2025" (monthLabel, of the
// usage pages), "semaine du 03/11/2025", "03/11/2025".
func usagePeriodLabel(p time.Time, g string) string {
	switch g {
	case "mois":
		return monthLabel(p.Format("2006-01"))
	case "semaine":
		return "semaine du " + fr.Day(p)
	}
	return fr.Day(p)
}

// confirmUsageImport imports the previewed file, all or nothing, and shows the history.
func (s *Server) confirmUsageImport(c echo.Context) error {
	actor := s.actor(c)
	if err := mayImportUsages(actor); err != nil {
		return err
	}
	data, err := decodeUsageLot(c.FormValue("lot"))
	if err != nil {
		return s.renderUsageImportForm(c, http.StatusBadRequest, err.Error()+".")
	}
	name := usageFileName(c.FormValue("nom"))
	file, msg := readUsageData(name, data)
	if file == nil {
		return s.renderUsageImportForm(c, http.StatusUnprocessableEntity, msg)
	}
	rep, err := s.store.ImportUsages(c.Request().Context(), actor, file)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return s.renderUsageImportForm(c, http.StatusUnprocessableEntity, "Import refusé, rien n'a été enregistré : "+verr.Errors[0].Error())
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/usages/imports?importe=%d", rep.ImportID))
}
