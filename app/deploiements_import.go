package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/seeds"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// Import of deployment status files: the form (/deploiements/import), the preview of an
// uploaded file (POST, nothing written), its confirmation (POST /deploiements/import/
// confirmer: all or nothing, through models.ChangeDeploiements, guarded by the versions the
// preview read) and the template workbook. Who imports is who writes deployments (the data
// layer decides which écoles and which columns).

const (
	// importPath is the URL of the import; its POST routes are uploads (app/bodies.go).
	importPath = "/deploiements/import"
	// importShown bounds the rows of each table of the preview (all are counted).
	importShown = 200
)

var deploiementsImportCrumbs = []crumb{home, {Label: "Déploiements", Href: "/deploiements"}}

// importColumnView explains one column of a status file.
type importColumnView struct{ Label, Hint string }

// importFormView is the import page: the columns explained, the outcome of a confirmed
// import, or the refusal of a file.
type importFormView struct {
	Action, Template string
	Columns          []importColumnView
	Done             string
	Error            string
}

var importColumns = []importColumnView{
	{"UAI", "obligatoire : le code de l'école (7 chiffres et une lettre)"},
	{"Phase", "Candidate, Étude, Pilote, En déploiement, Ouvert, Généralisé ou Abandonné"},
	{"Date d'effet", "date du changement de phase, JJ/MM/AAAA ou AAAA-MM-JJ (aujourd'hui si vide)"},
	{"Vague", "nom de la vague (« Aucune » la retire)"},
	{"Solution", "nom du produit ENT (« Aucune » la retire)"},
	{"Ouverture prévue", "date, JJ/MM/AAAA"},
	{"Ouverture effective", "date, JJ/MM/AAAA"},
}

// mayImport refuses the import to those who write no deployment.
func mayImport(actor models.Actor) error {
	if !models.CanCreate(actor, models.EntityDeploiement) {
		return models.ErrForbidden
	}
	return nil
}

// showDeploiementImport is the import form.
func (s *Server) showDeploiementImport(c echo.Context) error {
	if err := mayImport(s.actor(c)); err != nil {
		return err
	}
	v := s.importForm()
	if c.QueryParam("creees") != "" {
		n := func(k string) int { i, _ := strconv.Atoi(c.QueryParam(k)); return i }
		v.Done = "Import enregistré : " + importCounts(n("creees"), n("modifiees"), n("inchangees")) + "."
	}
	return s.renderImportForm(c, http.StatusOK, v)
}

func (s *Server) importForm() importFormView {
	return importFormView{Action: importPath, Template: importPath + "/modele.xlsx", Columns: importColumns}
}

func (s *Server) renderImportForm(c echo.Context, status int, v importFormView) error {
	return s.render(c, status, "deploiements/import", "Importer un fichier d'état des déploiements",
		append(deploiementsImportCrumbs, crumb{Label: "Import"}), v)
}

// importCounts writes "3 écoles créées, 2 modifiées, 40 inchangées".
func importCounts(created, changed, unchanged int) string {
	return fr.Plural(created, "école créée", "écoles créées") + ", " + fr.Plural(changed, "modifiée", "modifiées") + ", " +
		fr.Plural(unchanged, "inchangée", "inchangées")
}

// previewDeploiementImport reads the uploaded file and shows what importing it would do.
func (s *Server) previewDeploiementImport(c echo.Context) error {
	actor := s.actor(c)
	if err := mayImport(actor); err != nil {
		return err
	}
	refuse := func(msg string) error {
		v := s.importForm()
		v.Error = msg
		return s.renderImportForm(c, http.StatusUnprocessableEntity, v)
	}
	fh, err := c.FormFile("fichier")
	if err != nil {
		return refuse("Choisissez un fichier (.xlsx ou .csv).")
	}
	if max := s.importMaxFileSize(); fh.Size > max {
		return refuse(fmt.Sprintf("Fichier refusé : fichier trop volumineux : %s au plus ; rien n'a été enregistré.", megabytes(max)))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := seeds.PreviewDeploiementsFile(c.Request().Context(), s.store, actor, f, fh.Size)
	var refused *seeds.RefusedFileError
	if errors.As(err, &refused) {
		return refuse("Fichier refusé : " + refused.Error() + ".")
	}
	if err != nil {
		return err
	}
	v, err := newImportPreview(fh.Filename, imp)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "deploiements/import_apercu", "Aperçu de l'import",
		append(deploiementsImportCrumbs, crumb{Label: "Import", Href: importPath}, crumb{Label: "Aperçu"}), v)
}

// confirmDeploiementImport applies the previewed lot, all or nothing, and tells what it did.
func (s *Server) confirmDeploiementImport(c echo.Context) error {
	actor := s.actor(c)
	if err := mayImport(actor); err != nil {
		return err
	}
	v := s.importForm()
	imp, err := decodeLot(c.FormValue("lot"))
	if err != nil {
		v.Error = err.Error()
		return s.renderImportForm(c, http.StatusBadRequest, v)
	}
	res, err := seeds.ApplyDeploiementsImport(c.Request().Context(), s.store, actor, imp)
	var conflict *models.DeploiementConflictError
	var verr *models.ValidationError
	switch {
	case errors.As(err, &conflict):
		v.Error = importConflictMessage(conflict)
		return s.renderImportForm(c, http.StatusConflict, v)
	case errors.As(err, &verr):
		v.Error = "Import refusé, rien n'a été enregistré : " + verr.Errors[0].Msg + " Importez le fichier à nouveau."
		return s.renderImportForm(c, http.StatusUnprocessableEntity, v)
	case errors.Is(err, models.ErrForbidden):
		v.Error = "Import refusé, rien n'a été enregistré : le fichier touche des écoles ou des colonnes que votre rôle ne permet pas de modifier."
		return s.renderImportForm(c, http.StatusForbidden, v)
	case err != nil:
		return err
	}
	q := url.Values{"creees": {strconv.Itoa(len(res.Created))}, "modifiees": {strconv.Itoa(len(res.Changed))},
		"inchangees": {strconv.Itoa(len(res.Unchanged))}}
	return c.Redirect(http.StatusSeeOther, importPath+"?"+q.Encode())
}

// importConflictMessage tells which écoles changed since the preview.
func importConflictMessage(e *models.DeploiementConflictError) string {
	msg := "Import refusé, rien n'a été enregistré : " + fr.Plural(len(e.Ecoles), "école a été modifiée", "écoles ont été modifiées") +
		" depuis l'aperçu ("
	for i, d := range e.Ecoles[:min(len(e.Ecoles), 5)] {
		if i > 0 {
			msg += ", "
		}
		msg += d.Nom + " " + d.UAI
		if d.By != "" {
			msg += " par " + d.By
		}
	}
	if len(e.Ecoles) > 5 {
		msg += "…"
	}
	return msg + "). Importez le fichier à nouveau pour voir l'aperçu à jour."
}

// deploiementImportTemplate sends the template workbook of a status file.
func (s *Server) deploiementImportTemplate(c echo.Context) error {
	actor := s.actor(c)
	if err := mayImport(actor); err != nil {
		return err
	}
	ctx := c.Request().Context()
	vagues, err := s.store.ListVagues(ctx, actor.Scope)
	if err != nil {
		return err
	}
	solutions, err := s.store.ListSolutions(ctx, actor.Scope)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="modele-import-deploiements.xlsx"`)
	c.Response().WriteHeader(http.StatusOK)
	return seeds.WriteDeploiementsTemplate(c.Response(), vagues, solutions)
}
