package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ac-creteil/pilotage/models"
	"github.com/ac-creteil/pilotage/views/fr"
	"github.com/labstack/echo/v4"
)

// The history of the imports of statistics files (/usages/imports), and the undoing of one:
// a confirmation page (GET /usages/imports/:id/annuler) whose form posts the undoing.

// usageImportsShown bounds the history shown.
const usageImportsShown = 200

// usageImportLine is one import of the history.
type usageImportLine struct {
	ID                                   int64
	Numero, Date, Actor, Fichier, Period string
	Lignes, Ecoles, Ignorees, Remplacees string
	Undone                               string // "annulé le … par …", "" when in force
}

// usageImportsView is the history page, with the outcome of an import or an undoing, or the
// refusal of an undoing.
type usageImportsView struct {
	Imports     []usageImportLine
	Done, Error string
}

// usageUndoView is the confirmation page of the undoing of an import.
type usageUndoView struct {
	Import usageImportLine
	Action string
}

func newUsageImportLine(i models.UsageImport) usageImportLine {
	l := usageImportLine{ID: i.ID, Numero: strconv.FormatInt(i.ID, 10), Date: fr.DateTime(i.ImportedAt), Actor: i.Actor,
		Fichier: i.Fichier, Lignes: fr.Int(i.Lignes), Ecoles: fr.Int(i.Ecoles), Ignorees: fr.Int(i.Ignorees),
		Remplacees: fr.Int(i.Remplacees), Period: fr.Day(i.PeriodeDebut)}
	if !i.PeriodeFin.Equal(i.PeriodeDebut) {
		l.Period = "du " + fr.Day(i.PeriodeDebut) + " au " + fr.Day(i.PeriodeFin)
	}
	if i.UndoneAt != nil {
		l.Undone = "annulé le " + fr.DateTime(*i.UndoneAt)
		if i.UndoneBy != nil {
			l.Undone += " par " + *i.UndoneBy
		}
	}
	return l
}

// listUsageImports is the history of the imports the actor sees.
func (s *Server) listUsageImports(c echo.Context) error {
	v := usageImportsView{}
	if id := c.QueryParam("importe"); id != "" {
		v.Done = "Import n° " + id + " enregistré."
	}
	if id := c.QueryParam("annule"); id != "" {
		v.Done = "Import n° " + id + " annulé : les chiffres qu'il avait remplacés sont rétablis."
	}
	return s.renderUsageImports(c, http.StatusOK, v)
}

func (s *Server) renderUsageImports(c echo.Context, status int, v usageImportsView) error {
	list, err := s.store.ListUsageImports(c.Request().Context(), s.actor(c), usageImportsShown)
	if err != nil {
		return err
	}
	for _, i := range list {
		v.Imports = append(v.Imports, newUsageImportLine(i))
	}
	return s.render(c, status, "usages/imports", "Historique des imports de statistiques",
		append(usagesImportCrumbs, crumb{Label: "Historique des imports"}), v)
}

// confirmUsageUndo is the confirmation page of the undoing of an import.
func (s *Server) confirmUsageUndo(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.store.ListUsageImports(c.Request().Context(), s.actor(c), usageImportsShown)
	if err != nil {
		return err
	}
	for _, i := range list {
		if i.ID == id && i.UndoneAt == nil {
			return s.render(c, http.StatusOK, "usages/import_annuler", "Annuler un import de statistiques",
				append(usagesImportCrumbs, crumb{Label: "Historique des imports", Href: "/usages/imports"}, crumb{Label: "Annulation"}),
				usageUndoView{Import: newUsageImportLine(i), Action: fmt.Sprintf("/usages/imports/%d/annuler", id)})
		}
	}
	return models.ErrNotFound
}

// undoUsageImport undoes an import and shows the history; a refusal is shown on it (409).
func (s *Server) undoUsageImport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = s.store.UndoUsageImport(c.Request().Context(), s.actor(c), id)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return s.renderUsageImports(c, http.StatusConflict, usageImportsView{Error: "Annulation refusée : " + verr.Errors[0].Msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/usages/imports?annule=%d", id))
}
